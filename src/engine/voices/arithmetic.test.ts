import { describe, expect, it } from 'vitest';
import { readStockVoice } from '../../test-support/shared';
import { MissingVoicesError, baseVoice, combine, type CombineOptions } from './arithmetic';
import { parseExpression } from './expression';
import { HALF_DIM, PACK_LENGTH, PACK_ROWS, STYLE_DIM } from './pack';

const NAMES = ['af_bella', 'af_sky', 'am_adam', 'af_heart', 'bf_emma'] as const;
const PACKS = new Map<string, Float32Array>(NAMES.map((name) => [name, readStockVoice(name)]));
const lookup = (voice: string): Float32Array | undefined => PACKS.get(voice);
const pack = (voice: (typeof NAMES)[number]): Float32Array => PACKS.get(voice) as Float32Array;

function evaluate(text: string, options: CombineOptions = { normalise: 'none' }): Float32Array {
  return combine(parseExpression(text), lookup, options);
}

/** Element-wise reference: f gets the value of each named voice at one index. */
function elementWise(f: (v: Record<(typeof NAMES)[number], number>) => number): Float32Array {
  const out = new Float32Array(PACK_LENGTH);
  const values = Object.fromEntries(NAMES.map((name) => [name, 0])) as Record<(typeof NAMES)[number], number>;
  for (let i = 0; i < PACK_LENGTH; i++) {
    for (const name of NAMES) values[name] = pack(name)[i] as number;
    out[i] = f(values);
  }
  return out;
}

function maxAbsDifference(a: Float32Array, b: Float32Array): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
  return worst;
}

/** Number of values of `half` that are not bit-identical between a and b (over all rows). */
function halfMismatches(a: Float32Array, b: Float32Array, half: 'timbre' | 'prosody'): number {
  const offset = half === 'timbre' ? 0 : HALF_DIM;
  const aBits = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const bBits = new Uint32Array(b.buffer, b.byteOffset, b.length);
  let count = 0;
  for (let row = 0; row < PACK_ROWS; row++) {
    for (let i = row * STYLE_DIM + offset; i < row * STYLE_DIM + offset + HALF_DIM; i++)
      if (aBits[i] !== bBits[i]) count++;
  }
  return count;
}

function halfRowNorm(values: Float32Array, row: number, half: 'timbre' | 'prosody'): number {
  const start = row * STYLE_DIM + (half === 'timbre' ? 0 : HALF_DIM);
  let sum = 0;
  for (let i = start; i < start + HALF_DIM; i++) sum += (values[i] as number) ** 2;
  return Math.sqrt(sum);
}

const EVALUATION_CASES: { text: string; expected: (v: Record<(typeof NAMES)[number], number>) => number }[] =
  [
    { text: 'af_bella - af_sky + am_adam', expected: (v) => v.af_bella - v.af_sky + v.am_adam },
    { text: 'af_bella - 0.5*af_sky + am_adam', expected: (v) => v.af_bella - 0.5 * v.af_sky + v.am_adam },
    { text: '0.7*af_heart + 0.3*bf_emma', expected: (v) => 0.7 * v.af_heart + 0.3 * v.bf_emma },
    { text: '(af_bella + af_sky)/2', expected: (v) => (v.af_bella + v.af_sky) / 2 },
    { text: 'af_bella - af_sky*1.5', expected: (v) => v.af_bella - 1.5 * v.af_sky },
    { text: '-af_bella', expected: (v) => -v.af_bella },
    { text: 'af_heart + 0*am_adam', expected: (v) => v.af_heart },
  ];

describe('combine', () => {
  it.each(EVALUATION_CASES)('$text equals the element-wise computation', ({ text, expected }) => {
    expect(maxAbsDifference(evaluate(text), elementWise(expected))).toBeLessThan(1e-6);
  });

  it('af_bella - af_sky + am_adam is exactly the float32 of the double-precision sum', () => {
    const reference = elementWise((v) => v.af_bella - v.af_sky + v.am_adam);
    expect(maxAbsDifference(evaluate('af_bella - af_sky + am_adam'), reference)).toBe(0);
  });

  it('timbre(A) + prosody(B) takes each half bit-identical from its voice', () => {
    const mixed = evaluate('timbre(af_bella) + prosody(am_adam)');
    expect(halfMismatches(mixed, pack('af_bella'), 'timbre')).toBe(0);
    expect(halfMismatches(mixed, pack('am_adam'), 'prosody')).toBe(0);
    expect(halfMismatches(mixed, pack('af_bella'), 'prosody')).toBeGreaterThan(60_000);
  });

  const UNTOUCHED_HALF_CASES: {
    text: string;
    options: CombineOptions;
    kept: 'timbre' | 'prosody';
    from: (typeof NAMES)[number];
  }[] = [
    {
      text: 'timbre(0.5*af_bella + 0.5*am_adam)',
      options: { normalise: 'none' },
      kept: 'prosody',
      from: 'af_bella',
    },
    {
      text: 'prosody(af_sky - 0.3*am_adam) ',
      options: { normalise: 'none' },
      kept: 'timbre',
      from: 'af_sky',
    },
    {
      text: '-0.2*prosody(am_adam) + prosody(af_heart)',
      options: { normalise: 'none' },
      kept: 'timbre',
      from: 'af_heart',
    },
    {
      text: 'af_bella + am_adam',
      options: { normalise: 'none', part: 'prosody' },
      kept: 'timbre',
      from: 'af_bella',
    },
    {
      text: 'af_bella + am_adam',
      options: { normalise: 'base-norm', part: 'timbre' },
      kept: 'prosody',
      from: 'af_bella',
    },
    {
      text: 'timbre(af_bella + af_sky) + 0*prosody(am_adam)',
      options: { normalise: 'sum-to-one' },
      kept: 'prosody',
      from: 'af_bella',
    },
  ];

  it.each(UNTOUCHED_HALF_CASES)(
    '$text ($options.normalise) keeps the $kept half of $from bit-identical',
    ({ text, options, kept, from }) => {
      const out = evaluate(text, options);
      expect(halfMismatches(out, pack(from), kept)).toBe(0);
      const other = kept === 'timbre' ? 'prosody' : 'timbre';
      expect(halfMismatches(out, pack(from), other)).toBeGreaterThan(0);
    },
  );

  it('options.part narrows `both` terms: the blended half equals the plain sum', () => {
    const out = evaluate('af_bella + am_adam', { normalise: 'none', part: 'prosody' });
    const sum = evaluate('af_bella + am_adam');
    expect(halfMismatches(out, sum, 'prosody')).toBe(0);
  });

  it('sum-to-one divides by the sum of coefficients', () => {
    const scaled = evaluate('2*af_bella + 2*af_sky', { normalise: 'sum-to-one' });
    expect(maxAbsDifference(scaled, evaluate('0.5*af_bella + 0.5*af_sky'))).toBeLessThan(1e-6);
    const withNegative = evaluate('af_bella - 0.5*af_sky', { normalise: 'sum-to-one' });
    expect(maxAbsDifference(withNegative, evaluate('2*af_bella - af_sky'))).toBeLessThan(1e-6);
  });

  it('sum-to-one normalises each half by the coefficients that touch it', () => {
    const out = evaluate('timbre(af_bella) + 3*prosody(am_adam)', { normalise: 'sum-to-one' });
    expect(maxAbsDifference(out, evaluate('timbre(af_bella) + prosody(am_adam)'))).toBeLessThan(1e-6);
  });

  it('base-norm gives every half row the norm of the base voice row, keeping the direction', () => {
    const plain = evaluate('af_bella - 0.5*af_sky + am_adam');
    const normed = evaluate('af_bella - 0.5*af_sky + am_adam', { normalise: 'base-norm' });
    expect(baseVoice(parseExpression('-0.5*af_sky + af_bella + am_adam'))).toBe('af_bella');
    let worstRatio = 0;
    let worstCosine = 1;
    for (let row = 0; row < PACK_ROWS; row++) {
      for (const half of ['timbre', 'prosody'] as const) {
        worstRatio = Math.max(
          worstRatio,
          Math.abs(halfRowNorm(normed, row, half) / halfRowNorm(pack('af_bella'), row, half) - 1),
        );
        const start = row * STYLE_DIM + (half === 'timbre' ? 0 : HALF_DIM);
        let dot = 0;
        for (let i = start; i < start + HALF_DIM; i++) dot += (plain[i] as number) * (normed[i] as number);
        worstCosine = Math.min(
          worstCosine,
          dot / (halfRowNorm(plain, row, half) * halfRowNorm(normed, row, half)),
        );
      }
    }
    expect(worstRatio).toBeLessThan(1e-5);
    expect(worstCosine).toBeGreaterThan(1 - 1e-6);
    // The plain sum of three voices is far from the base's magnitude: the rescale did something.
    expect(halfRowNorm(plain, 100, 'timbre') / halfRowNorm(pack('af_bella'), 100, 'timbre')).toBeGreaterThan(
      1.1,
    );
  });

  const ERROR_CASES: { text: string; options: CombineOptions; error: RegExp }[] = [
    { text: 'af_bella - af_sky', options: { normalise: 'sum-to-one' }, error: /sum to ~0/ },
    {
      text: '-af_bella',
      options: { normalise: 'base-norm' },
      error: /base-norm needs a voice with a positive coefficient/,
    },
    {
      text: '-timbre(af_bella)',
      options: { normalise: 'none' },
      error: /no voice with a positive coefficient to take the prosody half/,
    },
    {
      text: 'af_bella - af_bella',
      options: { normalise: 'none' },
      error: /no voice with a positive coefficient/,
    },
    {
      text: 'af_bella + prosody(am_adam)',
      options: { normalise: 'none', part: 'timbre' },
      error: /prosody\(am_adam\) cannot act/,
    },
    {
      text: 'af_sky + af_nope + "my clone" + af_nope',
      options: { normalise: 'none' },
      error: /not available: af_nope, my clone$/,
    },
  ];

  it.each(ERROR_CASES)('$text ($options.normalise) fails: $error', ({ text, options, error }) => {
    expect(() => evaluate(text, options)).toThrow(error);
  });

  it('lists every missing voice on MissingVoicesError', () => {
    try {
      evaluate('af_sky + af_nope + "my clone"');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(MissingVoicesError);
      expect((error as MissingVoicesError).missing).toEqual(['af_nope', 'my clone']);
    }
  });

  it('refuses packs of the wrong size and non-finite results', () => {
    const broken = new Float32Array(pack('af_sky'));
    broken[777] = Number.NaN;
    const odd = new Map([
      ['short', new Float32Array(10)],
      ['broken', broken],
      ['huge', new Float32Array(PACK_LENGTH).fill(3e38)],
    ]);
    const oddLookup = (voice: string): Float32Array | undefined => odd.get(voice);
    expect(() => combine(parseExpression('short'), oddLookup, { normalise: 'none' })).toThrow(/130560/);
    expect(() => combine(parseExpression('broken'), oddLookup, { normalise: 'none' })).toThrow(
      /non-finite value NaN at index 777/,
    );
    expect(() => combine(parseExpression('2*huge'), oddLookup, { normalise: 'none' })).toThrow(
      /non-finite value Infinity/,
    );
  });
});
