import { describe, expect, it } from 'vitest';
import { extractVoiceFeatures, featureSimilarity } from '../audio/features';
import { cosine, unit } from './linalg';
import { SeededRandom } from './random';
import { CloneScorer, SCORE_PRESETS } from './score';
import {
  evaluateModel,
  fitLocalModel,
  maximiseModel,
  vectorFeatureSimilarity,
  type ArchivePoint,
  type ModelObjective,
} from './surrogate';

const DIM = 4;
const WIDTH = 6;
const rng = new SeededRandom(4);
const JT = Array.from({ length: WIDTH * DIM }, () => 0.3 * rng.gaussian());
const JS = Array.from({ length: WIDTH * DIM }, () => 0.3 * rng.gaussian());
const BASE_T = [1, 0.5, 0.2, 0, 0.1, 0.3];
const BASE_S = [0.9, 0.6, 0.1, 0.1, 0.1, 0.2];

/** Exactly linear embeddings (not unit length: the model normalises what it is given). */
function linear(base: number[], j: number[], x: number[]): number[] {
  return base.map((b, row) => b + x.reduce((s, v, a) => s + j[row * DIM + a]! * v, 0));
}

function point(x: number[]): ArchivePoint {
  return { x, target: linear(BASE_T, JT, x), self: linear(BASE_S, JS, x), features: null };
}

const OBJECTIVE: ModelObjective = {
  reference: unit([0.2, 1, 0.1, 0.4, 0, 0.2]),
  referenceFeatures: new Float32Array(0),
  weights: SCORE_PRESETS.kvoicewalk,
};

describe('local linear model', () => {
  const centre = point([0, 0, 0, 0]);
  const archive = Array.from({ length: 12 }, () =>
    point(Array.from({ length: DIM }, () => 0.01 * rng.gaussian())),
  );

  it('needs at least d neighbours', () => {
    expect(fitLocalModel(centre, archive.slice(0, DIM - 1), 1)).toBeUndefined();
    expect(fitLocalModel(centre, archive.slice(0, DIM), 1)).toBeDefined();
  });

  it('predicts the embeddings of nearby points (unit directions)', () => {
    const model = fitLocalModel(centre, archive, 1)!;
    const probe = [0.004, -0.003, 0.002, 0.001];
    const truth = unit(point(probe).target);
    const predicted = model.target.centre.map(
      (c, row) => c + probe.reduce((s, v, a) => s + model.target.jacobian[row * DIM + a]! * v, 0),
    );
    predicted.forEach((value, i) => expect(value).toBeCloseTo(truth[i]!, 4));
  });

  it("scores the centre as the scorer does: pooled target similarity, KVoiceWalk's self similarity", async () => {
    const model = fitLocalModel(centre, archive, 1)!;
    const { parts } = evaluateModel(model, new Float64Array(DIM), OBJECTIVE, 0.8);
    const scorer = new CloneScorer({
      renderer: { variant: 'none', render: () => Promise.reject(new Error('not used')) },
      embedder: { variant: 'none', embed: () => Promise.reject(new Error('not used')) },
      reference: {
        embeddings: [],
        centroid: OBJECTIVE.reference,
        features: extractVoiceFeatures(new Float32Array(24_000)),
      },
      probes: { target: { id: 't', tokenIds: [1] }, self: { id: 's', tokenIds: [2] } },
    });
    expect(parts[0]).toBeCloseTo(scorer.pooledSimilarityOf(BASE_T, BASE_S), 6);
    expect(parts[0]).not.toBeCloseTo(scorer.targetSimilarityOf(BASE_T), 3);
    expect(parts[1]).toBeCloseTo(cosine(BASE_T, BASE_S), 6);
  });

  it('has an analytic gradient that matches finite differences', () => {
    const model = fitLocalModel(centre, archive, 1)!;
    const delta = [0.1, -0.05, 0.02, 0.03];
    const { gradient } = evaluateModel(model, delta, OBJECTIVE, 0.8);
    for (let a = 0; a < DIM; a++) {
      const up = delta.slice();
      const down = delta.slice();
      up[a]! += 1e-6;
      down[a]! -= 1e-6;
      const numeric =
        (evaluateModel(model, up, OBJECTIVE, 0.8).score - evaluateModel(model, down, OBJECTIVE, 0.8).score) /
        2e-6;
      expect(gradient[a]).toBeCloseTo(numeric, 5);
    }
  });

  const RADII = [0.05, 0.3, 1];

  it.each(RADII)('maximises the model score inside a radius of %f', (radius) => {
    const model = fitLocalModel(centre, archive, 1)!;
    const start = evaluateModel(model, new Float64Array(DIM), OBJECTIVE, 0.8).score;
    const { delta, score } = maximiseModel(model, radius, OBJECTIVE, 0.8);
    expect(Math.hypot(...delta)).toBeLessThanOrEqual(radius * (1 + 1e-9));
    expect(score).toBeGreaterThan(start);
    // No random point of the ball does better than the ascent.
    for (let k = 0; k < 200; k++) {
      const v = Array.from({ length: DIM }, () => rng.gaussian());
      const scale = (radius * Math.random() ** (1 / DIM)) / Math.hypot(...v);
      expect(
        evaluateModel(
          model,
          v.map((x) => x * scale),
          OBJECTIVE,
          0.8,
        ).score,
      ).toBeLessThanOrEqual(score + 1e-6);
    }
  });
});

describe('vectorFeatureSimilarity', () => {
  it('equals featureSimilarity of the full features', () => {
    const tone = (f0: number) =>
      Float32Array.from(
        { length: 9600 },
        (_, i) =>
          0.2 * Math.sin((2 * Math.PI * f0 * i) / 24000) + 0.1 * Math.sin((4 * Math.PI * f0 * i) / 24000),
      );
    const a = extractVoiceFeatures(tone(140));
    const b = extractVoiceFeatures(tone(190));
    expect(vectorFeatureSimilarity(a.vector, b.vector)).toBe(featureSimilarity(a, b));
    expect(vectorFeatureSimilarity(a.vector, a.vector)).toBe(1);
  });
});
