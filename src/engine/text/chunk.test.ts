import { describe, expect, it } from 'vitest';
import { BreakLevel, breakLevelAt, planChunks, type PhonemizedToken } from './chunk';
import { normaliseText } from './normalise';
import { tokenise } from './tokenise';

/** Tokens of `text` whose "phonemes" are their own letters: one token per character. */
function fakePhonemized(text: string): PhonemizedToken[] {
  return tokenise(normaliseText(text, 'en-us')).map((token) => ({
    ...token,
    phonemes: token.kind === 'space' ? ' ' : token.text,
  }));
}

function chunkTexts(text: string, maxTokens: number): string[] {
  const { tokens, ranges } = planChunks(fakePhonemized(text), maxTokens);
  return ranges.map(([from, to]) =>
    tokens
      .slice(from, to)
      .map((token) => token.phonemes)
      .join('')
      .trim(),
  );
}

const CASES: readonly { name: string; text: string; maxTokens: number; chunks: string[] }[] = [
  {
    name: 'everything fits: one chunk',
    text: 'One two. Three four.',
    maxTokens: 100,
    chunks: ['One two. Three four.'],
  },
  {
    name: 'prefers the last sentence end over a later comma',
    text: 'Aaaa bbbb. Cccc dddd, eeee ff.',
    maxTokens: 25,
    chunks: ['Aaaa bbbb.', 'Cccc dddd, eeee ff.'],
  },
  {
    name: 'prefers : ; over , when no sentence end fits',
    text: 'aaa bbb; ccc, ddd eee',
    maxTokens: 20,
    chunks: ['aaa bbb;', 'ccc, ddd eee'],
  },
  {
    name: 'takes a clause break (, —) over a plain word break',
    text: 'aaa bbb, ccc ddd eee fff',
    maxTokens: 16,
    chunks: ['aaa bbb,', 'ccc ddd eee fff'],
  },
  {
    name: 'falls back to the last word break',
    text: 'aaa bbb ccc ddd eee fff',
    maxTokens: 12,
    chunks: ['aaa bbb ccc', 'ddd eee fff'],
  },
  {
    name: 'a closing quote stays with its sentence',
    text: '"Aaa bbb." Ccc ddd eee',
    maxTokens: 16,
    chunks: ['“Aaa bbb.”', 'Ccc ddd eee'], // straight quotes become curly ones, as misaki writes them
  },
  {
    name: 'a blank line always ends a chunk',
    text: 'Title\n\nBody text here.',
    maxTokens: 100,
    chunks: ['Title', 'Body text here.'],
  },
  {
    name: 'a word longer than a chunk is the only thing ever cut',
    text: 'ab abcdefghijklmnopqrstuvwxy cd',
    maxTokens: 10,
    chunks: ['ab', 'abcdefghij', 'klmnopqrst', 'uvwxy cd'],
  },
  {
    name: 'never splits inside one replacement ("fifty five dollars")',
    text: 'Pay $55 now',
    maxTokens: 20,
    chunks: ['Pay', 'fifty five dollars', 'now'],
  },
];

describe('planChunks', () => {
  it.each(CASES)('$name', ({ text, maxTokens, chunks }) => {
    const result = chunkTexts(text, maxTokens);
    expect(result).toEqual(chunks);
    for (const chunk of result) expect(chunk.length).toBeLessThanOrEqual(maxTokens);
  });
});

describe('breakLevelAt', () => {
  const LEVELS: readonly [string, BreakLevel][] = [
    ['a. b', BreakLevel.Sentence],
    ['a? b', BreakLevel.Sentence],
    ['a… b', BreakLevel.Sentence],
    ['a; b', BreakLevel.StrongClause],
    ['a: b', BreakLevel.StrongClause],
    ['a, b', BreakLevel.Clause],
    ['a — b', BreakLevel.Clause], // the last space, after the dash
    ['a b', BreakLevel.Word],
    ['a\nb', BreakLevel.Sentence],
    ['a\n\nb', BreakLevel.Paragraph],
  ];
  it.each(LEVELS)('%j', (text, level) => {
    const tokens = fakePhonemized(text);
    const spaces = tokens
      .map((token, index) => [token, index] as const)
      .filter(([token]) => token.kind === 'space');
    expect(breakLevelAt(tokens, spaces[spaces.length - 1]?.[1] ?? -1)).toBe(level);
  });
});
