import { describe, expect, it } from 'vitest';
import { tone } from '../../test-support/audio';
import {
  dbToGain,
  detectClipping,
  downmixToMono,
  loudnessNormalise,
  measureLoudnessDbfs,
  peakAbs,
  peakNormalise,
  rmsDbfs,
} from './mix';

const RATE_HZ = 16000;

describe('downmixToMono', () => {
  const CASES = [
    { name: 'mono is copied', channels: [Float32Array.of(0.5, -0.5)], mono: [0.5, -0.5] },
    {
      name: 'stereo is averaged',
      channels: [Float32Array.of(1, 0.5), Float32Array.of(0, -0.5)],
      mono: [0.5, 0],
    },
    { name: 'opposite phase cancels', channels: [Float32Array.of(0.3), Float32Array.of(-0.3)], mono: [0] },
    {
      name: 'three channels',
      channels: [Float32Array.of(0.3), Float32Array.of(0.6), Float32Array.of(0.9)],
      mono: [0.6],
    },
  ];
  it.each(CASES)('$name', ({ channels, mono }) => {
    const out = downmixToMono(channels);
    expect(out).not.toBe(channels[0]);
    expect(Array.from(out).map((x) => Math.round(x * 1e6) / 1e6)).toEqual(mono);
  });

  it('rejects no channels and unequal lengths', () => {
    expect(() => downmixToMono([])).toThrow(RangeError);
    expect(() => downmixToMono([new Float32Array(2), new Float32Array(3)])).toThrow(/lengths differ/);
  });
});

describe('peakNormalise', () => {
  const CASES = [
    { peak: 0.1, targetDbfs: -1 },
    { peak: 0.9, targetDbfs: -1 },
    { peak: 2.5, targetDbfs: -3 },
    { peak: 0.5, targetDbfs: 0 },
  ];
  it.each(CASES)('scales a peak of $peak to $targetDbfs dBFS and keeps the shape', ({ peak, targetDbfs }) => {
    const input = tone([220, 330], 0.1, RATE_HZ, peak / 2);
    const out = peakNormalise(input, targetDbfs);
    expect(peakAbs(out)).toBeCloseTo(dbToGain(targetDbfs), 5);
    const gain = out[17]! / input[17]!;
    for (let i = 0; i < input.length; i += 101) expect(out[i]).toBeCloseTo(input[i]! * gain, 5);
  });

  it('leaves silence silent', () => {
    expect(Array.from(peakNormalise(new Float32Array(4)))).toEqual([0, 0, 0, 0]);
  });
});

describe('loudness', () => {
  it('rmsDbfs of a full-scale sine is -3 dBFS', () => {
    expect(rmsDbfs(tone([1000], 1, RATE_HZ, 1))).toBeCloseTo(-3.01, 1);
  });

  it('gated loudness ignores pauses that plain RMS counts', () => {
    const speechLike = tone([200, 400], 1, RATE_HZ, 0.1);
    const withPauses = new Float32Array(RATE_HZ * 6);
    withPauses.set(speechLike, 0);
    withPauses.set(speechLike, RATE_HZ * 5);
    const gated = measureLoudnessDbfs(withPauses, RATE_HZ);
    // Blocks straddling a speech/pause edge still pass the gate, hence 1 dB rather than exact.
    expect(Math.abs(gated - measureLoudnessDbfs(speechLike, RATE_HZ))).toBeLessThan(1);
    expect(rmsDbfs(withPauses)).toBeCloseTo(rmsDbfs(speechLike) + 10 * Math.log10(2 / 6), 2);
  });

  const TARGETS = [-26, -20, -16];
  it.each(TARGETS)('loudnessNormalise reaches %i dBFS', (targetDbfs) => {
    const input = tone([150, 300, 450], 2, RATE_HZ, 0.02);
    const out = loudnessNormalise(input, RATE_HZ, { targetDbfs, peakCeilingDbfs: 0 });
    expect(measureLoudnessDbfs(out, RATE_HZ)).toBeCloseTo(targetDbfs, 1);
  });

  it('loudnessNormalise respects the peak ceiling', () => {
    const input = new Float32Array(RATE_HZ);
    input.set(tone([300], 1, RATE_HZ, 0.01));
    input[100] = 0.9; // a click far above the speech level
    const out = loudnessNormalise(input, RATE_HZ, { targetDbfs: -14, peakCeilingDbfs: -1 });
    expect(peakAbs(out)).toBeCloseTo(dbToGain(-1), 5);
    expect(measureLoudnessDbfs(out, RATE_HZ)).toBeLessThan(-14);
  });

  it('silence stays silent and measures -Infinity', () => {
    expect(measureLoudnessDbfs(new Float32Array(RATE_HZ), RATE_HZ)).toBe(-Infinity);
    expect(Array.from(loudnessNormalise(new Float32Array(3), RATE_HZ))).toEqual([0, 0, 0]);
  });
});

describe('detectClipping', () => {
  const CASES = [
    { name: 'empty', pcm: new Float32Array(0), fraction: 0 },
    { name: 'quiet', pcm: Float32Array.of(0.5, -0.5, 0.998, -0.998), fraction: 0 },
    { name: 'half clipped', pcm: Float32Array.of(1, -1, 0.2, 0.3), fraction: 0.5 },
    { name: 'int16 full scale counts', pcm: Float32Array.of(32767 / 32768, 0, 0, 0), fraction: 0.25 },
    { name: 'threshold is inclusive', pcm: Float32Array.of(0.999, -0.999, 0, 0), fraction: 0.5 },
  ];
  it.each(CASES)('$name -> $fraction', ({ pcm, fraction }) => {
    expect(detectClipping(pcm)).toBeCloseTo(fraction, 10);
  });

  it('finds the clipped share of an overdriven sine', () => {
    const overdriven = tone([100], 1, RATE_HZ, 2).map((x) => Math.max(-1, Math.min(1, x)));
    // |2 sin| >= 0.999 for all but the parts where |sin| < 0.4995: 1 - (2/pi) asin(0.4995) = 0.667.
    expect(detectClipping(overdriven)).toBeCloseTo(1 - (2 / Math.PI) * Math.asin(0.4995), 2);
  });
});
