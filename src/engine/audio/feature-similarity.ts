/**
 * Comparing VoiceFeatures without KVoiceWalk's blow-up.
 *
 * KVoiceWalk scores sum |f - f_t| / |f_t|: a target feature near zero (a small MFCC mean,
 * flatness of a clean voice, an unvoiced clip's f0) makes that one term arbitrarily large.
 * Here every feature is first mapped to a domain where equal steps sound roughly equally
 * different (semitones/octaves for frequencies, dB for levels and flatness, the MFCCs'
 * own dB domain), with a floor that keeps zeros finite, and then divided by a FIXED scale:
 * the size of a difference that is clearly audible. No denominator depends on the target,
 * so nothing can blow up, and distances mean the same for every target voice.
 *
 * similarity = exp(-D), D = weighted mean over features of CAP * tanh(|delta| / CAP),
 * delta in scale units. tanh caps any single feature's contribution at CAP units (a broken
 * pitch track cannot zero the score alone) while staying strictly increasing, so similarity
 * falls monotonically as any feature moves away. Identical features give exactly 1; one
 * scale unit of difference on every feature gives ~0.37.
 */
import type { VoiceFeatures } from './features';

type FeatureSource = Omit<VoiceFeatures, 'vector'>;

interface FeatureSpec {
  name: string;
  /** Maps the named field to its comparison domain (finite for any input). */
  value: (f: FeatureSource) => number;
  /** A clearly audible difference in that domain. */
  scale: number;
  weight: number;
}

const MFCC_BANDS = 40; // c0 of an orthonormal DCT over 40 dB bands is sqrt(40) x the mean level
const CAP_UNITS = 4;

const semitonesAbove100Hz = (hz: number): number => 12 * Math.log2(Math.max(hz, 50) / 100);
const octavesOf = (hz: number): number => Math.log2(Math.max(hz, 50));

function mfccSpecs(
  kind: 'Mean' | 'Std',
  scale: number,
  c0Scale: number,
  c0Weight: number,
  restWeight: number,
): FeatureSpec[] {
  return Array.from({ length: 13 }, (_, k) => ({
    name: `mfcc${kind}${k}`,
    value: (f: FeatureSource) => (kind === 'Mean' ? f.mfccMean : f.mfccStd)[k] ?? 0,
    scale: k === 0 ? c0Scale : scale,
    weight: k === 0 ? c0Weight : restWeight / 12,
  }));
}

/** Group weights: pitch 3, spectral shape 2.5 (with ZCR), MFCC means 3, MFCC spreads 1, level 0.25. */
const FEATURE_SPECS: readonly FeatureSpec[] = [
  { name: 'f0Median', value: (f) => semitonesAbove100Hz(f.f0MedianHz), scale: 2, weight: 2 },
  { name: 'f0Range', value: (f) => f.f0RangeSemitones, scale: 3, weight: 0.5 },
  { name: 'voicedFraction', value: (f) => f.voicedFraction, scale: 0.2, weight: 0.5 },
  { name: 'spectralCentroid', value: (f) => octavesOf(f.spectralCentroidHz), scale: 0.25, weight: 0.5 },
  { name: 'spectralBandwidth', value: (f) => octavesOf(f.spectralBandwidthHz), scale: 0.25, weight: 0.5 },
  { name: 'spectralRolloff', value: (f) => octavesOf(f.spectralRolloffHz), scale: 0.25, weight: 0.5 },
  {
    name: 'spectralFlatness',
    value: (f) => 10 * Math.log10(Math.max(f.spectralFlatness, 1e-6)),
    scale: 3,
    weight: 0.5,
  },
  {
    name: 'zeroCrossingRate',
    value: (f) => Math.log2(Math.max(f.zeroCrossingRate, 1e-3)),
    scale: 0.3,
    weight: 0.5,
  },
  { name: 'rms', value: (f) => Math.max(f.rmsDbfs, -100), scale: 6, weight: 0.25 },
  ...mfccSpecs('Mean', 5, 6 * Math.sqrt(MFCC_BANDS), 0.2, 2.8),
  ...mfccSpecs('Std', 3, 3 * Math.sqrt(MFCC_BANDS), 1 / 13, 12 / 13),
];

/** Names of the entries of VoiceFeatures.vector, in order. */
export const VOICE_FEATURE_NAMES: readonly string[] = FEATURE_SPECS.map((s) => s.name);

const TOTAL_WEIGHT = FEATURE_SPECS.reduce((sum, s) => sum + s.weight, 0);

/** Each feature in its comparison domain divided by its scale (1 unit = clearly different). */
export function toComparisonVector(features: FeatureSource): Float32Array {
  return Float32Array.from(FEATURE_SPECS, (spec) => spec.value(features) / spec.scale);
}

/** Similarity in (0, 1] of two voices' features; 1 when identical. Symmetric. */
export function featureSimilarity(a: VoiceFeatures, b: VoiceFeatures): number {
  if (a.vector.length !== FEATURE_SPECS.length || b.vector.length !== FEATURE_SPECS.length) {
    throw new RangeError(`featureSimilarity: expected vectors of ${FEATURE_SPECS.length} features`);
  }
  let distance = 0;
  for (let i = 0; i < FEATURE_SPECS.length; i++) {
    const delta = Math.abs(a.vector[i]! - b.vector[i]!);
    distance += FEATURE_SPECS[i]!.weight * CAP_UNITS * Math.tanh(delta / CAP_UNITS);
  }
  return Math.exp(-distance / TOTAL_WEIGHT);
}
