/**
 * Splits phonemized tokens into chunks of at most MAX_TOKENS phoneme tokens, cutting at the
 * last sentence end that fits, else the last `:;`, else the last `,—`, else the last word
 * break (Kokoro's Python pipeline waterfall). Paragraph breaks always end a chunk. Nothing is
 * dropped; a word is only cut when it alone is longer than a chunk.
 */
import type { TextToken } from './tokenise';
import { MAX_TOKENS } from './vocab';

export interface PhonemizedToken extends TextToken {
  /** Phonemes for words, the symbol for punctuation, ' ' for separators, '' when unspeakable. */
  phonemes: string;
}

/** Where a chunk may end, weakest to strongest. */
export const BreakLevel = {
  None: 0,
  Word: 1,
  Clause: 2,
  StrongClause: 3,
  Sentence: 4,
  Paragraph: 5,
} as const;
export type BreakLevel = (typeof BreakLevel)[keyof typeof BreakLevel];

const SENTENCE_END = new Set(['.', '!', '?', '…']);
const CLOSERS = new Set(['"', '”', ')']);

/** Break level of the separator token at `index` (a space between two tokens). */
export function breakLevelAt(tokens: readonly PhonemizedToken[], index: number): BreakLevel {
  const token = tokens[index];
  const before = tokens[index - 1];
  const after = tokens[index + 1];
  if (!token || token.kind !== 'space' || !before || !after) return BreakLevel.None;
  // Spaces inside one replacement ("five dollars") share its source span: never split there.
  if (before.end > after.start) return BreakLevel.None;
  if (token.lineBreaks >= 2) return BreakLevel.Paragraph;
  let j = index - 1;
  while (j > 0 && tokens[j]?.kind === 'punct' && CLOSERS.has(tokens[j]?.text ?? '')) j--;
  const last = tokens[j];
  if (last?.kind === 'punct' && SENTENCE_END.has(last.text)) return BreakLevel.Sentence;
  if (token.lineBreaks === 1) return BreakLevel.Sentence;
  if (before.kind === 'punct' && (before.text === ':' || before.text === ';')) return BreakLevel.StrongClause;
  if (before.kind === 'punct' && (before.text === ',' || before.text === '—')) return BreakLevel.Clause;
  return BreakLevel.Word;
}

/** A word longer than a whole chunk is cut into chunk-sized pieces (the only cut inside a word). */
function splitOversizedWords(tokens: readonly PhonemizedToken[], maxTokens: number): PhonemizedToken[] {
  if (tokens.every((token) => token.phonemes.length <= maxTokens)) return [...tokens];
  const result: PhonemizedToken[] = [];
  for (const token of tokens) {
    if (token.phonemes.length <= maxTokens) {
      result.push(token);
      continue;
    }
    for (let from = 0; from < token.phonemes.length; from += maxTokens) {
      result.push({ ...token, phonemes: token.phonemes.slice(from, from + maxTokens) });
    }
  }
  return result;
}

/**
 * `fill`: chunks as long as Kokoro allows (fewest inferences; the Python pipeline's way).
 * `sentence`: one chunk per sentence (split further only past MAX_TOKENS), so streaming
 * playback can start after the first sentence.
 * `stream`: `sentence`, and a long first sentence is cut once more, at a clause break (else a
 * word break) early in it, so the first audio comes from a short inference.
 */
export type ChunkMode = 'fill' | 'sentence' | 'stream';

/** `stream`: a first sentence longer than this (phoneme tokens, ~4 s of speech) is cut... */
export const FIRST_CHUNK_CUT_ABOVE_TOKENS = 56;
/** ...at a word break no later than this when it has no clause break early enough. */
const FIRST_CHUNK_MAX_TOKENS = 40;
/** `stream`: a clause break may end the first chunk up to here... */
const FIRST_CHUNK_CLAUSE_MAX_TOKENS = 64;
/** ...and no first chunk is shorter than this (a lone "Well," is fine: it is a clause). */
const FIRST_CHUNK_MIN_TOKENS = 12;

/**
 * Where to cut the first chunk [from, to) in `stream` mode: the last clause (or stronger)
 * break within FIRST_CHUNK_CLAUSE_MAX_TOKENS, else the last word break within
 * FIRST_CHUNK_MAX_TOKENS; undefined when the chunk is short enough or has no such break.
 */
function firstChunkCut(tokens: readonly PhonemizedToken[], from: number, to: number): number | undefined {
  let total = 0;
  for (let i = from; i < to; i++) total += (tokens[i] as PhonemizedToken).phonemes.length;
  if (total <= FIRST_CHUNK_CUT_ABOVE_TOKENS) return undefined;
  let cost = 0;
  let clause: number | undefined;
  let word: number | undefined;
  for (let i = from; i < to; i++) {
    const token = tokens[i] as PhonemizedToken;
    if (token.kind === 'space' && cost >= FIRST_CHUNK_MIN_TOKENS && total - cost >= FIRST_CHUNK_MIN_TOKENS) {
      const level = breakLevelAt(tokens, i);
      if (level >= BreakLevel.Clause && cost <= FIRST_CHUNK_CLAUSE_MAX_TOKENS) clause = i;
      if (level >= BreakLevel.Word && cost <= FIRST_CHUNK_MAX_TOKENS) word = i;
    }
    cost += token.phonemes.length;
  }
  return clause ?? word;
}

/** Token ranges [from, to) of each chunk, separators at the cut left out. */
export function planChunks(
  input: readonly PhonemizedToken[],
  maxTokens = MAX_TOKENS,
  mode: ChunkMode = 'fill',
): { tokens: PhonemizedToken[]; ranges: [number, number][] } {
  // In 'sentence' mode every sentence end closes a chunk, like a paragraph break does.
  const hardBreak: BreakLevel = mode === 'fill' ? BreakLevel.Paragraph : BreakLevel.Sentence;
  const tokens = splitOversizedWords(input, maxTokens);
  const ranges: [number, number][] = [];
  const costOf = (token: PhonemizedToken): number => token.phonemes.length;
  let start = 0;
  let cost = 0;
  let candidates: { index: number; level: BreakLevel }[] = [];
  const close = (to: number): void => {
    if (to > start) ranges.push([start, to]);
  };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as PhonemizedToken;
    const level = token.kind === 'space' ? breakLevelAt(tokens, i) : BreakLevel.None;
    if (level >= hardBreak) {
      close(i);
      start = i + 1;
      cost = 0;
      candidates = [];
      continue;
    }
    const tokenCost = costOf(token);
    while (cost + tokenCost > maxTokens && i > start) {
      const best = candidates.reduce<{ index: number; level: BreakLevel } | null>(
        (chosen, candidate) => (!chosen || candidate.level >= chosen.level ? candidate : chosen),
        null,
      );
      const cutAt = best ? best.index : i;
      close(cutAt);
      start = best ? best.index + 1 : i;
      candidates = candidates.filter((candidate) => candidate.index > cutAt);
      cost = 0;
      for (let k = start; k < i; k++) cost += costOf(tokens[k] as PhonemizedToken);
    }
    if (i === start && token.kind === 'space') {
      start = i + 1; // a chunk never starts with a separator
      continue;
    }
    cost += tokenCost;
    if (level > BreakLevel.None) candidates.push({ index: i, level });
  }
  close(tokens.length);
  const first = ranges[0];
  if (mode === 'stream' && first) {
    const cut = firstChunkCut(tokens, first[0], first[1]);
    if (cut !== undefined) ranges.splice(0, 1, [first[0], cut], [cut + 1, first[1]]);
  }
  return { tokens, ranges };
}
