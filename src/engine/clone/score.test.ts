import { describe, expect, it } from 'vitest';
import { extractVoiceFeatures } from '../audio/features';
import { createFakeCloneKit } from '../../test-support/clone-fixtures';
import { MemoryMeasurementCache } from './cache';
import { unit } from './linalg';
import {
  CloneScorer,
  combineSimilarities,
  SCORE_PRESETS,
  SIMILARITY_FLOOR,
  weightedHarmonicMean,
  type ReferenceProfile,
} from './score';
import type { Probe } from './types';

const HARMONIC_CASES = [
  { values: [0.5, 0.5, 0.5], weights: [0.48, 0.5, 0.02], expected: 0.5 },
  { values: [1, 0.5], weights: [1, 1], expected: 2 / (1 + 2) },
  {
    values: [0.9, 0.6, 0.3],
    weights: [0.48, 0.5, 0.02],
    expected: 1 / (0.48 / 0.9 + 0.5 / 0.6 + 0.02 / 0.3),
  },
  { values: [0.9, 0.6, 0.3], weights: [1, 0, 0], expected: 0.9 },
  { values: [0.8, -0.5], weights: [1, 1], expected: 2 / (1 / 0.8 + 1 / SIMILARITY_FLOOR) },
];

describe('weightedHarmonicMean', () => {
  it.each(HARMONIC_CASES)('$values with weights $weights', ({ values, weights, expected }) => {
    expect(weightedHarmonicMean(values, weights)).toBeCloseTo(expected, 12);
  });

  it('scales with the weights only through their ratios', () => {
    const a = weightedHarmonicMean([0.9, 0.6, 0.3], [0.48, 0.5, 0.02]);
    const b = weightedHarmonicMean([0.9, 0.6, 0.3], [48, 50, 2]);
    expect(a).toBeCloseTo(b, 12);
  });

  it('moves towards the value with the larger weight', () => {
    const targetHeavy = combineSimilarities(0.95, 0.5, 0.5, SCORE_PRESETS['target-first']);
    const kvoicewalk = combineSimilarities(0.95, 0.5, 0.5, SCORE_PRESETS.kvoicewalk);
    expect(targetHeavy).toBeGreaterThan(kvoicewalk);
  });

  it('rejects negative weights and all-zero weights', () => {
    expect(() => weightedHarmonicMean([0.5], [-1])).toThrow(RangeError);
    expect(() => weightedHarmonicMean([0.5, 0.5], [0, 0])).toThrow(RangeError);
  });
});

const TARGET = { id: 'target', tokenIds: [50, 51, 52] } satisfies Probe;
const SELF = { id: 'self', tokenIds: [60, 61] } satisfies Probe;
const TRANSCRIPT = { id: 'transcript', tokenIds: [70, 71, 72, 73] } satisfies Probe;

/** Embedding = (pack[0], pack[1], 1) for the target text and (pack[0], pack[1], 1 + pack[2]) for the other. */
function embeddingOf(pack: Float32Array, probe: Probe): Float32Array {
  return Float32Array.of(pack[0]!, pack[1]!, probe.id === SELF.id ? 1 + pack[2]! : 1);
}

function packOf(a: number, b: number, c = 0): Float32Array {
  return Float32Array.of(a, b, c);
}

function referenceProfile(vectors: Float32Array[], transcript?: Probe): ReferenceProfile {
  const features = extractVoiceFeatures(createFakeCloneKit(embeddingOf).audio);
  const sum = new Float32Array(3);
  for (const v of vectors) unit(v).forEach((x, i) => (sum[i] = sum[i]! + x));
  return { embeddings: vectors, centroid: unit(sum), features, ...(transcript ? { transcript } : {}) };
}

function scorerFor(reference: ReferenceProfile, earlyExitRatio: number | null = 0.98) {
  const kit = createFakeCloneKit(embeddingOf);
  const cache = new MemoryMeasurementCache();
  const scorer = new CloneScorer({
    renderer: kit.renderer,
    embedder: kit.embedder,
    reference,
    probes: { target: TARGET, self: SELF },
    config: { weights: SCORE_PRESETS.kvoicewalk, earlyExitRatio },
    cache,
  });
  return { scorer, kit, cache };
}

describe('CloneScorer', () => {
  it('combines target, self and feature similarity with the preset weights', async () => {
    const { scorer, kit } = scorerFor(referenceProfile([Float32Array.of(1, 0, 1)]));
    const result = await scorer.score(packOf(1, 0, 0.5));
    // Target probe (1,0,1), self probe (1,0,1.5), reference (1,0,1).
    expect(result.probeSimilarity).toBeCloseTo(1, 6);
    // Pooled: the reference against the mean direction of both renderings' unit embeddings.
    const m = [1 / Math.SQRT2 + 1 / Math.sqrt(3.25), 0, 1 / Math.SQRT2 + 1.5 / Math.sqrt(3.25)];
    const pooled = (m[0]! + m[2]!) / (Math.hypot(...m) * Math.SQRT2);
    expect(result.targetSimilarity).toBeCloseTo(pooled, 6);
    expect(result.targetSimilarity).toBeLessThan(0.999); // not the probe's alone
    expect(result.selfSimilarity).toBeCloseTo((1 + 1.5) / (Math.SQRT2 * Math.sqrt(1 + 2.25)), 6);
    expect(result.featureSimilarity).toBeCloseTo(1, 6); // same tone as the reference
    const scoreOf = (target: number) =>
      combineSimilarities(
        target,
        result.selfSimilarity!,
        result.featureSimilarity!,
        SCORE_PRESETS.kvoicewalk,
      );
    expect(result.score).toBeCloseTo(scoreOf(result.targetSimilarity), 12);
    expect(result.probeScore).toBeCloseTo(scoreOf(1), 12); // KVoiceWalk's
    expect(result).toMatchObject({ complete: true, renders: 2 });
    expect(kit.renderer.probes).toEqual(['target', 'self']);
  });

  it('measures target similarity against the centroid of several clips', async () => {
    const { scorer } = scorerFor(referenceProfile([Float32Array.of(1, 0, 0), Float32Array.of(0, 2, 0)]));
    // Centroid of the unit vectors (1,0,0) and (0,1,0) points along (1,1,0).
    expect(scorer.targetSimilarityOf(Float32Array.of(3, 3, 0))).toBeCloseTo(1, 6);
    expect(scorer.targetSimilarityOf(Float32Array.of(1, 0, 0))).toBeCloseTo(Math.SQRT1_2, 6);
  });

  it('renders the transcript for target similarity when the reference has one', async () => {
    const { scorer, kit } = scorerFor(referenceProfile([Float32Array.of(1, 0, 1)], TRANSCRIPT));
    await scorer.score(packOf(1, 0));
    expect(kit.renderer.probes).toEqual(['transcript', 'self']);
  });

  const EARLY_EXIT_CASES = [
    {
      name: 'below 0.98 x best: one rendering, score 0',
      best: 0.99,
      ratio: 0.98,
      renders: 1,
      complete: false,
    },
    { name: 'at or above 0.98 x best: both renderings', best: 0.72, ratio: 0.98, renders: 2, complete: true },
    { name: 'early exit switched off', best: 0.99, ratio: null, renders: 2, complete: true },
    { name: 'no best yet', best: undefined, ratio: 0.98, renders: 2, complete: true },
  ];

  it.each(EARLY_EXIT_CASES)('early exit: $name', async ({ best, ratio, renders, complete }) => {
    const { scorer, kit } = scorerFor(referenceProfile([Float32Array.of(1, 0, 1)]), ratio);
    // target similarity of (1,1,1) vs (1,0,1): 2 / (sqrt 3 sqrt 2) = 0.816
    const result = await scorer.score(packOf(1, 1), best === undefined ? {} : { bestTargetSimilarity: best });
    expect(result.targetSimilarity).toBeCloseTo(0.8165, 4);
    expect(result.renders).toBe(renders);
    expect(kit.renderer.calls).toBe(renders);
    expect(kit.embedder.calls).toBe(renders);
    expect(result.complete).toBe(complete);
    if (!complete) expect(result).toMatchObject({ score: 0, selfSimilarity: null, featureSimilarity: null });
  });

  it('caches measurements of named packs only', async () => {
    const { scorer, kit, cache } = scorerFor(referenceProfile([Float32Array.of(1, 0, 1)]));
    const first = await scorer.score(packOf(1, 0.5), { cacheId: 'af_test' });
    const second = await scorer.score(packOf(1, 0.5), { cacheId: 'af_test' });
    expect(second.renders).toBe(0);
    expect(second.score).toBe(first.score);
    expect(kit.renderer.calls).toBe(2);
    await scorer.score(packOf(1, 0.5));
    expect(kit.renderer.calls).toBe(4);
    expect(cache.entries.size).toBe(2);
  });
});
