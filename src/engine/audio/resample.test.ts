import { describe, expect, it } from 'vitest';
import { tone } from '../../test-support/audio';
import { resample, resampledLength } from './resample';

/** RMS of the middle of a signal, away from the edge transients of the filter. */
function middleRms(pcm: Float32Array, marginSamples: number): number {
  let sum = 0;
  let count = 0;
  for (let i = marginSamples; i < pcm.length - marginSamples; i++) {
    sum += pcm[i]! * pcm[i]!;
    count++;
  }
  return Math.sqrt(sum / count);
}

/** Frequency from the mean spacing of rising zero crossings (linearly interpolated). */
function zeroCrossingFrequencyHz(pcm: Float32Array, sampleRateHz: number, marginSamples: number): number {
  const crossings: number[] = [];
  for (let i = marginSamples; i < pcm.length - marginSamples; i++) {
    const a = pcm[i - 1]!;
    const b = pcm[i]!;
    if (a < 0 && b >= 0) crossings.push(i - 1 + a / (a - b));
  }
  const periods = crossings.length - 1;
  return (periods * sampleRateHz) / (crossings[periods]! - crossings[0]!);
}

describe('resample', () => {
  const LENGTH_CASES = [
    { length: 0, fromHz: 48000, toHz: 16000 },
    { length: 1, fromHz: 48000, toHz: 16000 },
    { length: 1000, fromHz: 48000, toHz: 16000 },
    { length: 1001, fromHz: 48000, toHz: 16000 },
    { length: 1002, fromHz: 48000, toHz: 16000 },
    { length: 70004, fromHz: 22050, toHz: 16000 },
    { length: 44101, fromHz: 44100, toHz: 16000 },
    { length: 12345, fromHz: 24000, toHz: 16000 },
    { length: 12345, fromHz: 16000, toHz: 24000 },
    { length: 777, fromHz: 8000, toHz: 44100 },
    { length: 5000, fromHz: 44100, toHz: 44101 },
  ];
  it.each(LENGTH_CASES)(
    '$length samples $fromHz -> $toHz has round(len*to/from) samples',
    ({ length, fromHz, toHz }) => {
      const out = resample(new Float32Array(length).fill(0.1), fromHz, toHz);
      expect(out.length).toBe(Math.round((length * toHz) / fromHz));
      expect(resampledLength(length, fromHz, toHz)).toBe(out.length);
    },
  );

  const RATE_PAIRS = [
    [48000, 16000],
    [44100, 16000],
    [22050, 16000],
    [24000, 16000],
    [16000, 24000],
    [16000, 48000],
    [8000, 16000],
    [44100, 44101], // huge L: interpolated phase table
  ] as const;

  it.each(RATE_PAIRS)(
    '%i -> %i keeps a 1 kHz sine: matches the ideal sine, frequency and amplitude within 1%%',
    (fromHz, toHz) => {
      const amplitude = 0.5;
      const input = tone([1000], 1, fromHz, amplitude);
      const output = resample(input, fromHz, toHz);
      const margin = Math.round(toHz * 0.02);
      let maxError = 0;
      for (let n = margin; n < output.length - margin; n++) {
        const ideal = amplitude * Math.sin((2 * Math.PI * 1000 * n) / toHz);
        maxError = Math.max(maxError, Math.abs(output[n]! - ideal));
      }
      expect(maxError).toBeLessThan(1e-3);
      expect(Math.abs(zeroCrossingFrequencyHz(output, toHz, margin) / 1000 - 1)).toBeLessThan(0.01);
      expect(Math.abs((middleRms(output, margin) * Math.SQRT2) / amplitude - 1)).toBeLessThan(0.01);
    },
  );

  const ALIAS_CASES = [
    { toneHz: 7900, minAttenuationDb: 60 }, // just below the 8 kHz output Nyquist: inside the guard band
    { toneHz: 9000, minAttenuationDb: 75 }, // would alias to 7 kHz
    { toneHz: 12000, minAttenuationDb: 75 }, // would alias to 4 kHz
    { toneHz: 20000, minAttenuationDb: 75 }, // would alias to 4 kHz
  ];
  it.each(ALIAS_CASES)(
    '48k -> 16k removes a $toneHz Hz tone (>= $minAttenuationDb dB)',
    ({ toneHz, minAttenuationDb }) => {
      const input = tone([toneHz], 1, 48000, 0.5);
      const output = resample(input, 48000, 16000);
      const attenuationDb = 20 * Math.log10(middleRms(input, 0) / middleRms(output, 320));
      expect(attenuationDb).toBeGreaterThanOrEqual(minAttenuationDb);
    },
  );

  it("'fast' quality (for analysis) keeps the passband and still rejects aliases by >= 55 dB", () => {
    const passband = resample(tone([1000], 1, 24000, 0.5), 24000, 8000, { quality: 'fast' });
    expect(Math.abs((middleRms(passband, 160) * Math.SQRT2) / 0.5 - 1)).toBeLessThan(0.01);
    for (const aliasHz of [4500, 6000, 11000]) {
      const input = tone([aliasHz], 1, 24000, 0.5);
      const output = resample(input, 24000, 8000, { quality: 'fast' });
      expect(20 * Math.log10(middleRms(input, 0) / middleRms(output, 160))).toBeGreaterThanOrEqual(55);
    }
  });

  it('16k -> 48k leaves no images: the upsampled tones equal the ideal ones at the new rate', () => {
    // 6 kHz is close to the top of the flat passband (86 % of 8 kHz = 6.88 kHz).
    const input = tone([3000, 6000], 0.5, 16000, 0.3);
    const output = resample(input, 16000, 48000);
    let maxError = 0;
    for (let n = 960; n < output.length - 960; n++) {
      const t = n / 48000;
      const ideal = 0.3 * (Math.sin(2 * Math.PI * 3000 * t) + Math.sin(2 * Math.PI * 6000 * t));
      maxError = Math.max(maxError, Math.abs(output[n]! - ideal));
    }
    expect(maxError).toBeLessThan(1e-3);
  });

  it('keeps a constant exactly constant (unit DC gain on every phase)', () => {
    for (const [fromHz, toHz] of RATE_PAIRS) {
      const output = resample(new Float32Array(fromHz / 10).fill(0.25), fromHz, toHz);
      const margin = Math.round(toHz * 0.01);
      for (let n = margin; n < output.length - margin; n++)
        expect(Math.abs(output[n]! - 0.25)).toBeLessThan(1e-6);
    }
  });

  it('returns a copy for equal rates and rejects bad rates', () => {
    const input = Float32Array.of(0.1, 0.2);
    const output = resample(input, 16000, 16000);
    expect(output).toEqual(input);
    expect(output).not.toBe(input);
    for (const [fromHz, toHz] of [
      [0, 16000],
      [16000, -1],
      [44100.5, 16000],
    ] as const) {
      expect(() => resample(input, fromHz, toHz)).toThrow(RangeError);
    }
  });

  it('resamples 60 s of 48 kHz audio to 16 kHz in well under real time', () => {
    const input = tone([440, 1300], 60, 48000, 0.3);
    const started = performance.now();
    const output = resample(input, 48000, 16000);
    const elapsedMs = performance.now() - started;
    expect(output.length).toBe(960000);
    // Typically ~0.5 s on one core; the bound only catches a gross regression on a busy machine.
    expect(elapsedMs).toBeLessThan(10_000);
  });
});
