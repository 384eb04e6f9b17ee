import { describe, expect, it } from 'vitest';
import { RealFft } from './fft';

/** |X[k]|^2 by the textbook O(N^2) DFT, the reference for the fast transform. */
function naivePowerSpectrum(input: readonly number[], size: number): number[] {
  const out: number[] = [];
  for (let k = 0; k <= size / 2; k++) {
    let re = 0;
    let im = 0;
    for (let n = 0; n < input.length; n++) {
      re += input[n]! * Math.cos((2 * Math.PI * k * n) / size);
      im -= input[n]! * Math.sin((2 * Math.PI * k * n) / size);
    }
    out.push(re * re + im * im);
  }
  return out;
}

function pseudoRandom(length: number, seed: number): number[] {
  let state = seed;
  return Array.from({ length }, () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 1073741824 - 1;
  });
}

describe('RealFft.powerSpectrum', () => {
  const CASES = [
    { size: 4, inputLength: 4 },
    { size: 8, inputLength: 8 },
    { size: 64, inputLength: 64 },
    { size: 512, inputLength: 400 }, // the fbank case: 400 samples zero-padded to 512
    { size: 1024, inputLength: 1024 },
    { size: 256, inputLength: 1 },
  ];
  it.each(CASES)('size $size, $inputLength samples: matches the naive DFT', ({ size, inputLength }) => {
    const input = pseudoRandom(inputLength, size + inputLength);
    const fft = new RealFft(size);
    const fast = fft.powerSpectrum(Float64Array.from(input));
    const naive = naivePowerSpectrum(input, size);
    expect(fast.length).toBe(size / 2 + 1);
    const scale = Math.max(...naive);
    for (let k = 0; k <= size / 2; k++) expect(Math.abs(fast[k]! - naive[k]!)).toBeLessThan(1e-9 * scale);
  });

  it('puts a bin-centred cosine in its bin only', () => {
    const size = 512;
    const input = Float64Array.from({ length: size }, (_, n) => Math.cos((2 * Math.PI * 37 * n) / size));
    const power = new RealFft(size).powerSpectrum(input);
    expect(power[37]).toBeCloseTo((size / 2) ** 2, 6);
    power[37] = 0;
    expect(Math.max(...power)).toBeLessThan(1e-12);
  });

  it('is reusable across frames and rejects bad sizes and oversize input', () => {
    const fft = new RealFft(16);
    const a = Array.from(fft.powerSpectrum(pseudoRandom(16, 1)));
    fft.powerSpectrum(pseudoRandom(16, 2));
    expect(Array.from(fft.powerSpectrum(pseudoRandom(16, 1)))).toEqual(a);
    for (const size of [0, 2, 12, 100]) expect(() => new RealFft(size)).toThrow(RangeError);
    expect(() => fft.powerSpectrum(new Float64Array(17))).toThrow(RangeError);
  });
});
