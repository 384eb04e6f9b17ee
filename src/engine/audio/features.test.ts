import { describe, expect, it } from 'vitest';
import { espeakSpeech, harmonicTone, SPEECH_SENTENCES, tone } from '../../test-support/audio';
import {
  extractVoiceFeatures,
  FEATURE_SAMPLE_RATE_HZ,
  featureSimilarity,
  MFCC_COUNT,
  VOICE_FEATURE_NAMES,
  type VoiceFeatures,
} from './features';
import { toComparisonVector } from './feature-similarity';

const RATE_HZ = FEATURE_SAMPLE_RATE_HZ;

function whiteNoise(length: number, amplitude: number, seed = 7): Float32Array {
  let state = seed;
  return Float32Array.from({ length }, () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return (state / 1073741824 - 1) * amplitude;
  });
}

/** `features` with some fields replaced and the comparison vector rebuilt. */
function withFields(features: VoiceFeatures, fields: Partial<Omit<VoiceFeatures, 'vector'>>): VoiceFeatures {
  const merged = { ...features, ...fields };
  return { ...merged, vector: toComparisonVector(merged) };
}

describe('extractVoiceFeatures on synthetic signals', () => {
  const PITCH_CASES = [100, 200, 300];
  it.each(PITCH_CASES)('finds the pitch of a %i Hz harmonic tone within 2 %%', (f0Hz) => {
    const features = extractVoiceFeatures(harmonicTone(f0Hz, 1, RATE_HZ));
    expect(Math.abs(features.f0MedianHz / f0Hz - 1)).toBeLessThan(0.02);
    expect(features.f0RangeSemitones).toBeLessThan(0.2);
    expect(features.voicedFraction).toBeGreaterThan(0.9);
  });

  it('measures a 1 kHz sine: centroid, rolloff, ZCR, level', () => {
    const amplitude = 0.5;
    const features = extractVoiceFeatures(tone([1000], 1, RATE_HZ, amplitude));
    expect(Math.abs(features.spectralCentroidHz / 1000 - 1)).toBeLessThan(0.03);
    expect(Math.abs(features.spectralRolloffHz - 1000)).toBeLessThan(50);
    expect(features.spectralBandwidthHz).toBeLessThan(200);
    // Crossings are counted in whole samples per frame, so allow 2 %.
    expect(Math.abs(features.zeroCrossingRate / ((2 * 1000) / RATE_HZ) - 1)).toBeLessThan(0.02);
    expect(features.rmsDbfs).toBeCloseTo(20 * Math.log10(amplitude / Math.SQRT2), 1);
    expect(features.spectralFlatness).toBeLessThan(0.01);
  });

  it('tells noise from tone: flat spectrum, high centroid and ZCR, unvoiced', () => {
    const noise = extractVoiceFeatures(whiteNoise(RATE_HZ, 0.3));
    const sine = extractVoiceFeatures(tone([300], 1, RATE_HZ, 0.3));
    expect(noise.spectralFlatness).toBeGreaterThan(0.4);
    expect(noise.spectralCentroidHz).toBeGreaterThan(5000);
    expect(noise.zeroCrossingRate).toBeGreaterThan(0.4);
    expect(noise.voicedFraction).toBeLessThan(0.1);
    expect(sine.spectralFlatness).toBeLessThan(noise.spectralFlatness / 100);
  });

  it('ignores silence around the sound (only active frames count)', () => {
    const sound = harmonicTone(180, 1, RATE_HZ);
    const padded = new Float32Array(RATE_HZ * 3);
    padded.set(sound, RATE_HZ);
    const a = extractVoiceFeatures(sound);
    const b = extractVoiceFeatures(padded);
    expect(b.activeFrames).toBe(a.activeFrames);
    expect(featureSimilarity(a, b)).toBeGreaterThan(0.99);
  });

  it('returns finite neutral features for silence and too-short input', () => {
    for (const pcm of [new Float32Array(RATE_HZ), new Float32Array(10)]) {
      const features = extractVoiceFeatures(pcm);
      expect(features.activeFrames).toBe(0);
      expect(features.f0MedianHz).toBe(0);
      expect(features.rmsDbfs).toBe(-Infinity);
      expect(features.vector.every(Number.isFinite)).toBe(true);
    }
  });

  it('has 13 MFCC means and spreads, and a named comparison vector', () => {
    const features = extractVoiceFeatures(harmonicTone(150, 0.5, RATE_HZ));
    expect(features.mfccMean.length).toBe(MFCC_COUNT);
    expect(features.mfccStd.length).toBe(MFCC_COUNT);
    expect(features.vector.length).toBe(VOICE_FEATURE_NAMES.length);
    expect(new Set(VOICE_FEATURE_NAMES).size).toBe(VOICE_FEATURE_NAMES.length);
    expect(features.vector.every(Number.isFinite)).toBe(true);
  });
});

describe('featureSimilarity', () => {
  const base = extractVoiceFeatures(harmonicTone(150, 1, RATE_HZ));

  it('is 1 for identical features and symmetric', () => {
    const other = extractVoiceFeatures(harmonicTone(190, 1, RATE_HZ));
    expect(featureSimilarity(base, base)).toBe(1);
    expect(featureSimilarity(base, other)).toBeCloseTo(featureSimilarity(other, base), 12);
    expect(featureSimilarity(base, other)).toBeLessThan(1);
  });

  it('decreases monotonically as a tone is shifted further in pitch', () => {
    const SHIFTS_SEMITONES = [0.25, 0.5, 1, 2, 3, 5, 7, 12];
    const similarities = SHIFTS_SEMITONES.map((s) =>
      featureSimilarity(base, extractVoiceFeatures(harmonicTone(150 * 2 ** (s / 12), 1, RATE_HZ))),
    );
    for (let i = 1; i < similarities.length; i++) expect(similarities[i]).toBeLessThan(similarities[i - 1]!);
    expect(similarities[0]).toBeLessThan(1);
    expect(similarities.at(-1)).toBeGreaterThan(0);
  });

  // Targets whose features are exactly zero: KVoiceWalk's sum |f - f_t| / |f_t| is infinite here.
  const ZERO_TARGET_CASES: {
    name: string;
    target: Partial<Omit<VoiceFeatures, 'vector'>>;
    candidate: Partial<Omit<VoiceFeatures, 'vector'>>;
    min: number;
    max: number;
  }[] = [
    {
      name: 'an MFCC mean of 0 vs 0.01',
      target: { mfccMean: withMfcc(base.mfccMean, 5, 0) },
      candidate: { mfccMean: withMfcc(base.mfccMean, 5, 0.01) },
      min: 0.999,
      max: 1,
    },
    {
      name: 'flatness 0 vs 1e-4',
      target: { spectralFlatness: 0 },
      candidate: { spectralFlatness: 1e-4 },
      min: 0.8,
      max: 1,
    },
    {
      name: 'f0 0 (unvoiced) vs 150 Hz',
      target: { f0MedianHz: 0, voicedFraction: 0 },
      candidate: {},
      min: 0.05,
      max: 0.9,
    },
    {
      name: 'ZCR 0 vs 0.1',
      target: { zeroCrossingRate: 0 },
      candidate: { zeroCrossingRate: 0.1 },
      min: 0.05,
      max: 0.99,
    },
    {
      name: 'silent level vs -20 dBFS',
      target: { rmsDbfs: -Infinity },
      candidate: { rmsDbfs: -20 },
      min: 0.05,
      max: 0.99,
    },
  ];
  it.each(ZERO_TARGET_CASES)('stays finite and bounded for $name', ({ target, candidate, min, max }) => {
    const similarity = featureSimilarity(withFields(base, target), withFields(base, candidate));
    expect(Number.isFinite(similarity)).toBe(true);
    expect(similarity).toBeGreaterThanOrEqual(min);
    expect(similarity).toBeLessThanOrEqual(max);
  });

  it('rejects vectors of the wrong length', () => {
    expect(() => featureSimilarity(base, { ...base, vector: new Float32Array(3) })).toThrow(RangeError);
  });
});

function withMfcc(mfcc: Float32Array, index: number, value: number): Float32Array {
  const copy = Float32Array.from(mfcc);
  copy[index] = value;
  return copy;
}

describe('featureSimilarity on espeak-ng speech', () => {
  const [first, second] = [SPEECH_SENTENCES[0]!, SPEECH_SENTENCES[1]!];
  const speech = (voice: string, text: string) =>
    extractVoiceFeatures(espeakSpeech(text, RATE_HZ, { voice }).pcm);
  const PAIRS = [
    { same: 'en-us+m3', other: 'en-us+f3' },
    { same: 'en-us+f3', other: 'en-us+m3' },
    { same: 'en-us+f2', other: 'en-us+m7' },
  ];
  it.each(PAIRS)('$same saying two sentences is more similar than $same vs $other', ({ same, other }) => {
    const a = speech(same, first);
    const sameVoice = featureSimilarity(a, speech(same, second));
    const otherVoice = featureSimilarity(a, speech(other, second));
    expect(sameVoice).toBeGreaterThan(otherVoice + 0.1);
  });
});
