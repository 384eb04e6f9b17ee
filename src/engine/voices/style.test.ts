import { describe, expect, it } from 'vitest';
import { readStockVoice } from '../../test-support/shared';
import { PACK_ROWS, STYLE_DIM } from './pack';
import { styleForTokens, styleRowIndex } from './style';

const ROW_CASES: { tokens: number; row: number }[] = [
  { tokens: 0, row: 0 },
  { tokens: 1, row: 0 },
  { tokens: 2, row: 1 },
  { tokens: 100, row: 99 },
  { tokens: 509, row: 508 },
  { tokens: 510, row: 509 },
  { tokens: 511, row: 509 },
  { tokens: 100_000, row: 509 },
  { tokens: -3, row: 0 },
  { tokens: 7.9, row: 6 },
];

function distance(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += ((a[i] as number) - (b[i] as number)) ** 2;
  return Math.sqrt(sum);
}

describe('styleRowIndex', () => {
  it.each(ROW_CASES)(
    '$tokens tokens -> row $row (official pipeline: pack[len(ps) - 1])',
    ({ tokens, row }) => {
      expect(styleRowIndex(tokens)).toBe(row);
    },
  );

  it.each([NaN, Infinity])('rejects %s', (tokens) => {
    expect(() => styleRowIndex(tokens)).toThrow(/finite/);
  });
});

describe('styleForTokens', () => {
  const heart = readStockVoice('af_heart');

  it.each([1, 42, 510, 600])('returns a copy of the 256 values of the row for %i tokens', (tokens) => {
    const row = styleRowIndex(tokens);
    const style = styleForTokens(heart, tokens);
    expect(style.length).toBe(STYLE_DIM);
    expect(Array.from(style)).toEqual(Array.from(heart.subarray(row * STYLE_DIM, (row + 1) * STYLE_DIM)));
    const before = heart[row * STYLE_DIM];
    style[0] = 1234;
    expect(heart[row * STYLE_DIM]).toBe(before);
  });

  it('rejects something that is not a pack', () => {
    expect(() => styleForTokens(new Float32Array(STYLE_DIM), 3)).toThrow(/130560/);
  });

  it('differs little from the kokoro-js row (pack[N]) compared with another voice', () => {
    // Why the one-row disagreement between pipelines does not matter much.
    const bella = readStockVoice('af_bella');
    let adjacent = 0;
    let acrossVoices = 0;
    const tokenCounts = [5, 20, 50, 100, 200, 400];
    for (const tokens of tokenCounts) {
      const official = styleForTokens(heart, tokens);
      const kokoroJs = heart.slice(
        Math.min(tokens, PACK_ROWS - 1) * STYLE_DIM,
        (Math.min(tokens, PACK_ROWS - 1) + 1) * STYLE_DIM,
      );
      adjacent += distance(official, kokoroJs);
      acrossVoices += distance(official, styleForTokens(bella, tokens));
    }
    expect(adjacent).toBeLessThan(acrossVoices / 2);
  });
});
