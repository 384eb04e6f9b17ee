import { describe, expect, it } from 'vitest';
import {
  KOKORO_VOCAB,
  MAX_TOKENS,
  PAD_TOKEN_ID,
  PUNCTUATION_SYMBOLS,
  SPACE_TOKEN_ID,
  phonemesToTokenIds,
} from './vocab';

/** [phonemes, ids] checked against shared/docs/kokoro-vocab.json by hand. */
const CASES: readonly [string, number[]][] = [
  ['həlˈO', [50, 83, 54, 156, 31]],
  ['ðə ɡˈʊd', [81, 83, 16, 92, 156, 135, 46]],
  ['ʤˈʌmp!', [82, 156, 138, 55, 58, 5]],
  ['təmˈɑːtQ', [62, 83, 55, 156, 69, 158, 62, 33]],
  ['ᵊ ᵻ T', [42, 16, 177, 16, 36]],
  [';:,.!?—…"()“”', [1, 2, 3, 4, 5, 6, 9, 10, 11, 12, 13, 14, 15]],
];

describe('Kokoro vocab', () => {
  it('has the 114 symbols of the v1.0 config, ids 1..177, no pad inside', () => {
    expect(KOKORO_VOCAB.size).toBe(114);
    const ids = [...KOKORO_VOCAB.values()];
    expect(Math.min(...ids)).toBe(1);
    expect(Math.max(...ids)).toBe(177);
    expect(ids).not.toContain(PAD_TOKEN_ID);
    expect(KOKORO_VOCAB.get(' ')).toBe(SPACE_TOKEN_ID);
    expect(MAX_TOKENS).toBe(510);
  });

  it.each(CASES)('%s -> ids', (phonemes, ids) => {
    expect(phonemesToTokenIds(phonemes)).toEqual(ids);
  });

  it('has a token for every punctuation mark the frontend emits', () => {
    for (const symbol of PUNCTUATION_SYMBOLS) expect(KOKORO_VOCAB.has(symbol)).toBe(true);
  });

  it('skips symbols outside the vocab (ASCII g is not the IPA ɡ)', () => {
    expect(phonemesToTokenIds('gɡ')).toEqual([92]);
  });
});
