import { readFile } from 'node:fs/promises';
import { phonemize } from 'phonemizer';
import { describe, expect, it } from 'vitest';
import { sharedPath } from '../../test-support/shared';
import { MISAKI_SYMBOLS } from './espeak-to-misaki';
import { createTextFrontend, type PreparedText } from './frontend';
import { createLexiconLoader } from './lexicon-assets';
import type { EspeakLanguage } from './types';
import { MAX_TOKENS, PAD_TOKEN_ID, phonemesToTokenIds } from './vocab';

const espeakCalls: string[] = [];
const espeak = {
  phonemize: (text: string, language: EspeakLanguage) => {
    espeakCalls.push(text);
    return phonemize(text, language);
  },
};
const lexicons = createLexiconLoader((dialect, grade) =>
  readFile(sharedPath('misaki-lexicons', `${dialect}_${grade}.json`), 'utf8'),
);
// One instance for the whole file: phonemizer's WASM and the lexicons load once.
const frontend = createTextFrontend({ espeak, lexicons });

function expectWellFormed(text: string, prepared: PreparedText): void {
  for (const chunk of prepared.chunks) {
    expect(chunk.text).toBe(text.slice(chunk.start, chunk.end));
    expect(chunk.tokenIds.length).toBeGreaterThan(0);
    expect(chunk.tokenIds.length).toBeLessThanOrEqual(MAX_TOKENS);
    expect(chunk.tokenIds).not.toContain(PAD_TOKEN_ID);
    expect(chunk.tokenIds).toEqual(phonemesToTokenIds(chunk.phonemes));
    expect(chunk.tokenIds.length).toBe(chunk.phonemes.length); // no symbol silently lost
  }
}

/** A reproducible long text: common words, numbers, a few made-up words, varied punctuation. */
function longText(targetLength: number): string {
  const words = (
    'the a of and to in is was he she it that for on with as his her they at be this from have or by one had ' +
    'not but what all were when we there can an your which their said if do will each about how up out them ' +
    'then many some so these would other into has more two like time see way could people my than first been ' +
    'water long little very after words called just where most know get through back much before go good new ' +
    'write our used me man too any day same right look think also around another came come work three word must'
  ).split(' ');
  const invented = Array.from({ length: 40 }, (_, i) =>
    `zorbl${String.fromCharCode(97 + (i % 26))}${i}ix`.replace(/\d/g, ''),
  );
  let seed = 12345;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const paragraphs: string[] = [];
  let length = 0;
  while (length < targetLength) {
    const sentences: string[] = [];
    for (let s = 0, count = 2 + random(6); s < count; s++) {
      const parts: string[] = [];
      for (let w = 0, n = 4 + random(20); w < n; w++) {
        const roll = random(100);
        if (roll < 2) parts.push(invented[random(invented.length)] ?? 'zorbl');
        else if (roll < 4) parts.push(String(random(3000)));
        else parts.push(words[random(words.length)] ?? 'word');
        if (w < n - 1 && random(12) === 0) parts[parts.length - 1] += random(2) ? ',' : ';';
      }
      const sentence = parts.join(' ');
      sentences.push(
        `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}${['.', '!', '?', '.'][random(4)]}`,
      );
    }
    const paragraph = sentences.join(' ');
    paragraphs.push(paragraph);
    length += paragraph.length + 2;
  }
  return paragraphs
    .join('\n\n')
    .slice(0, targetLength)
    .replace(/\s+\S*$/, '.');
}

describe('createTextFrontend', () => {
  it('turns a sentence into lexicon phonemes and Kokoro ids', async () => {
    const text = 'Hello world.';
    const prepared = await frontend.prepare(text, 'en-us');
    expect(prepared.chunks).toHaveLength(1);
    expect(prepared.chunks[0]).toMatchObject({ start: 0, end: 12, text, phonemes: 'həlˈO wˈɜɹld.' });
    expect(prepared.chunks[0]?.tokenIds).toEqual([50, 83, 54, 156, 31, 16, 65, 156, 87, 123, 54, 46, 4]);
    expect(prepared.unspeakable).toEqual([]);
    expectWellFormed(text, prepared);
  });

  const DIALECT_CASES = [
    { text: 'A tomato.', dialect: 'en-us', phonemes: 'ɐ təmˈATO.' },
    { text: 'A tomato.', dialect: 'en-gb', phonemes: 'ɐ təmˈɑːtQ.' },
    { text: 'The cat, the apple.', dialect: 'en-us', phonemes: 'ðə kˈæt, ði ˈæpᵊl.' },
  ] as const;
  it.each(DIALECT_CASES)('$dialect: $text', async ({ text, dialect, phonemes }) => {
    const prepared = await frontend.prepare(text, dialect);
    expect(prepared.chunks.map((chunk) => chunk.phonemes)).toEqual([phonemes]);
  });

  it.each(['en-us', 'en-gb'] as const)(
    '%s: a made-up word goes through eSpeak and comes out in misaki symbols',
    async (dialect) => {
      const prepared = await frontend.prepare('Blorptastic!', dialect);
      const phonemes = prepared.chunks[0]?.phonemes ?? '';
      expect(phonemes).toMatch(/^bl.+!$/);
      const allowed = MISAKI_SYMBOLS[dialect === 'en-us' ? 'us' : 'gb'];
      for (const symbol of phonemes.slice(0, -1)) expect(allowed.has(symbol)).toBe(true);
      expect(prepared.unspeakable).toEqual([]);
    },
  );

  it('keeps chunk offsets on the original text through normalisation', async () => {
    const text = '  \u201cDr. Smith\u201d paid $5.50 on 12/25/2024.  ';
    const prepared = await frontend.prepare(text, 'en-us');
    expect(prepared.chunks).toHaveLength(1);
    expect(prepared.chunks[0]?.text).toBe('\u201cDr. Smith\u201d paid $5.50 on 12/25/2024.');
    expect(prepared.chunks[0]?.phonemes).toContain('dˈɑləɹz ænd fˈɪfti sˈɛnts');
    expectWellFormed(text, prepared);
  });

  const NOTHING_TO_SAY = [
    { text: '🙂🎉', unspeakable: ['🙂🎉'] },
    { text: '你好 世界', unspeakable: ['你好', '世界'] },
    { text: '...', unspeakable: ['...'] },
    { text: '   \n\n ', unspeakable: [] },
  ];
  it.each(NOTHING_TO_SAY)(
    'says nothing for $text and lists what it could not say',
    async ({ text, unspeakable }) => {
      const prepared = await frontend.prepare(text, 'en-us');
      expect(prepared.chunks).toEqual([]);
      expect(prepared.unspeakable).toEqual(unspeakable);
    },
  );

  it('speaks the English around unspeakable parts and reports them', async () => {
    const prepared = await frontend.prepare('I love 寿司 🍣 a lot.', 'en-us');
    expect(prepared.chunks.map((chunk) => chunk.phonemes)).toEqual(['ˌI lˈʌv ɐ lˈɑt.']);
    expect(prepared.unspeakable).toEqual(['寿司', '🍣']);
  });

  it('batches unknown words into one eSpeak call and caches them', async () => {
    const isolated = createTextFrontend({ espeak, lexicons });
    const text = 'Quibbletrox and snorfwangle met flumpdiddle, then glarbnik.';
    const before = espeakCalls.length;
    await isolated.prepare(text, 'en-us');
    expect(espeakCalls.length - before).toBe(1);
    await isolated.prepare(text, 'en-us');
    expect(espeakCalls.length - before).toBe(1);
  });

  it('stops when its signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(frontend.prepare('Hello there.', 'en-us', { signal: controller.signal })).rejects.toThrow(
      /Cancel/,
    );
  });

  it('chunks 50,000 characters: every character covered, <= 510 tokens, cuts at sentence ends', async () => {
    const text = longText(50_000);
    const startedMs = performance.now();
    const prepared = await frontend.prepare(text, 'en-us');
    const elapsedMs = performance.now() - startedMs;
    console.info(`50k chars: ${elapsedMs.toFixed(0)} ms, ${prepared.chunks.length} chunks`, prepared.timings);

    expectWellFormed(text, prepared);
    expect(prepared.unspeakable).toEqual([]);
    // Chunks are in order, do not overlap, and every non-space character is inside one.
    const covered = new Uint8Array(text.length);
    let previousEnd = 0;
    for (const chunk of prepared.chunks) {
      expect(chunk.start).toBeGreaterThanOrEqual(previousEnd);
      previousEnd = chunk.end;
      covered.fill(1, chunk.start, chunk.end);
    }
    const missed = [...text].filter((char, i) => !/\s/.test(char) && covered[i] === 0);
    expect(missed).toEqual([]);
    for (const word of new Set(text.split(/\s+/)))
      expect(prepared.chunks.some((chunk) => chunk.text.includes(word))).toBe(true);
    // Sentences are short, so every cut can be a sentence end.
    for (const chunk of prepared.chunks) expect(chunk.text).toMatch(/[.!?]$/);
    expect(Math.max(...prepared.chunks.map((chunk) => chunk.tokenIds.length))).toBeGreaterThan(
      MAX_TOKENS * 0.6,
    );
    expect(elapsedMs).toBeLessThan(15_000); // ~1-3 s on an idle 2-core machine; generous for a loaded one

    const estimate = await frontend.analyse(text, 'en-us');
    const tokens = prepared.chunks.reduce((sum, chunk) => sum + chunk.tokenIds.length, 0);
    expect(estimate.estimated).toBe(false); // every unknown word is cached by now
    expect(estimate.tokens).toBe(tokens);
    expect(estimate.chunks).toBe(prepared.chunks.length);
  });
});

describe('sentence chunking for streaming', () => {
  const CASES = [
    {
      text: 'One sentence here. Another one there! And a third?',
      chunks: ['One sentence here.', 'Another one there!', 'And a third?'],
    },
    {
      text: 'Dr. Smith arrived at 5 p.m. today. He left.',
      chunks: ['Dr. Smith arrived at 5 p.m. today.', 'He left.'],
    },
    { text: 'No sentence end at all', chunks: ['No sentence end at all'] },
  ];
  for (const c of CASES) {
    it(`splits "${c.text}" into ${c.chunks.length}`, async () => {
      const prepared = await frontend.prepare(c.text, 'en-us', { chunking: 'sentence' });
      expect(prepared.chunks.map((chunk) => chunk.text)).toEqual(c.chunks);
    });
  }
  it('stream mode cuts a long first sentence at its clause break, and only the first', async () => {
    const text =
      'Dr. Ellis reached the old observatory at sunset, just as the first stars appeared over the ridge. She had spent twelve winters studying how small buildings lose their heat, and she knew it.';
    const prepared = await frontend.prepare(text, 'en-us', { chunking: 'stream' });
    expect(prepared.chunks.map((chunk) => chunk.text)).toEqual([
      'Dr. Ellis reached the old observatory at sunset,',
      'just as the first stars appeared over the ridge.',
      'She had spent twelve winters studying how small buildings lose their heat, and she knew it.',
    ]);
    expect(prepared.chunks[0]!.tokenIds.length).toBeLessThanOrEqual(64);
    // Nothing is lost: the same ids as sentence chunking, with one more cut.
    const sentence = await frontend.prepare(text, 'en-us', { chunking: 'sentence' });
    expect(prepared.chunks.flatMap((c) => c.tokenIds).length).toBe(
      sentence.chunks.flatMap((c) => c.tokenIds).length - 1, // the space at the cut
    );
  });

  it('stream mode cuts a first sentence without a clause break at a word, and leaves a short one whole', async () => {
    const long = await frontend.prepare(
      'The quick brown fox jumps over the lazy dog near the river bank every morning. Then it sleeps.',
      'en-us',
      { chunking: 'stream' },
    );
    expect(long.chunks).toHaveLength(3);
    expect(long.chunks[0]!.tokenIds.length).toBeLessThanOrEqual(40);
    expect(long.chunks[0]!.tokenIds.length).toBeGreaterThanOrEqual(12);
    const short = await frontend.prepare(CASES[0]!.text, 'en-us', { chunking: 'stream' });
    expect(short.chunks.map((chunk) => chunk.text)).toEqual(CASES[0]!.chunks);
  });

  it('a lower maxTokens keeps every part short (a software GPU), cutting at breaks, losing nothing', async () => {
    const text =
      'She had spent twelve winters studying how small buildings lose their heat, and she knew it well. It rained.';
    const capped = await frontend.prepare(text, 'en-us', { chunking: 'stream', maxTokens: 32 });
    const whole = await frontend.prepare(text, 'en-us', { chunking: 'stream' });
    expect(capped.chunks.length).toBeGreaterThan(whole.chunks.length);
    for (const chunk of capped.chunks) expect(chunk.tokenIds.length).toBeLessThanOrEqual(32);
    // Same words in the same order: every cut falls between words.
    const words = (chunks: PreparedText['chunks']) =>
      chunks
        .map((c) => c.text)
        .join(' ')
        .split(/\s+/);
    expect(words(capped.chunks)).toEqual(words(whole.chunks));
  });

  it('fill mode keeps short sentences together', async () => {
    const prepared = await frontend.prepare(CASES[0]!.text, 'en-us');
    expect(prepared.chunks).toHaveLength(1);
  });
});
