import { describe, expect, it } from 'vitest';
import { extractVoiceFeatures } from '../audio/features';
import { PACK_LENGTH, STYLE_DIM } from '../voices/pack';
import { styleRowIndex } from '../voices/style';
import { createFakeCloneKit } from '../../test-support/clone-fixtures';
import { unit } from './linalg';
import { SeededRandom } from './random';
import { CloneScorer, type CandidateScore } from './score';
import { SearchController, type Evaluated } from './search';
import { DIVERSITY_MAX, DIVERSITY_MIN, elementwiseMeanStd, KVoiceWalk } from './walk';
import type { NamedPack, Probe } from './types';

const PROBE: Probe = { id: 'target', tokenIds: [50, 51, 52, 53] };
const SELF: Probe = { id: 'self', tokenIds: [60, 61, 62, 63] };
const ROW_START = styleRowIndex(PROBE.tokenIds.length) * STYLE_DIM;
/** Elements that are identical in every population pack: their std is 0. */
const FROZEN = (i: number) => i % 7 === 0;

/** Three packs that differ everywhere except at the FROZEN elements. */
function population(): NamedPack[] {
  return [0, 1, 2].map((v) => {
    const rng = new SeededRandom(100 + v);
    const pack = Float32Array.from({ length: PACK_LENGTH }, (_, i) =>
      FROZEN(i) ? 0.25 : rng.gaussian() * 0.2,
    );
    return { id: `voice${v}`, pack };
  });
}

function score(value: number, target: number, complete = true): Evaluated {
  return {
    // The pooled values differ from the probe's: the walk must decide by the probe's alone.
    score: complete ? 1 - value : 0,
    targetSimilarity: 1 - target,
    probeSimilarity: target,
    probeScore: complete ? value : 0,
    selfSimilarity: complete ? 0.9 : null,
    featureSimilarity: complete ? 0.9 : null,
    complete,
    renders: complete ? 2 : 1,
    embeddings: { target: [1, 0], self: complete ? [1, 0] : null, features: null },
  };
}

describe('elementwiseMeanStd', () => {
  it('takes the mean and the unbiased (n - 1) std per element', () => {
    const packs = [Float32Array.of(1, 2, 3), Float32Array.of(3, 2, 1), Float32Array.of(2, 2, 8)];
    const { mean, std } = elementwiseMeanStd(packs);
    expect(Array.from(mean)).toEqual([2, 2, 4]);
    expect(std[0]).toBeCloseTo(1, 6); // deviations -1, 1, 0: sum of squares 2 over n - 1 = 2
    expect(std[1]).toBe(0);
    expect(std[2]).toBeCloseTo(Math.sqrt((1 + 9 + 16) / 2), 5);
  });
});

describe('KVoiceWalk', () => {
  it('starts at the element-wise mean of the population', () => {
    const voices = population();
    const walk = new KVoiceWalk(voices, 1);
    const [start] = walk.ask();
    const { mean } = elementwiseMeanStd(voices.map((v) => v.pack));
    expect(start).toEqual(mean);
    expect(walk.earlyExitReference()).toBeUndefined();
  });

  it('steps best + randn * std * diversity with diversity ~ U(0.01, 0.15) redrawn every step', () => {
    const voices = population();
    const walk = new KVoiceWalk(voices, 42);
    const [start] = walk.ask();
    walk.tell([score(0.5, 0.6)]);
    const rng = new SeededRandom(42); // the walk's stream: the start consumed nothing
    const diversities: number[] = [];
    for (let step = 0; step < 3; step++) {
      const [candidate] = walk.ask();
      const diversity = rng.uniform(DIVERSITY_MIN, DIVERSITY_MAX);
      const noise = new Float32Array(PACK_LENGTH);
      rng.fillGaussian(noise);
      for (const i of [1, 2, 3, 500, PACK_LENGTH - 1]) {
        const expected = start![i]! + noise[i]! * walk.std[i]! * diversity;
        expect(candidate![i]).toBeCloseTo(expected, 5);
      }
      for (let i = 0; i < PACK_LENGTH; i += 7) expect(candidate![i]).toBe(start![i]); // std 0: never moves
      diversities.push(diversity);
      walk.tell([score(0.1, 0.5)]); // worse: rejected, the walk stays at the start
    }
    expect(new Set(diversities).size).toBe(3);
    for (const d of diversities) {
      expect(d).toBeGreaterThanOrEqual(DIVERSITY_MIN);
      expect(d).toBeLessThan(DIVERSITY_MAX);
    }
  });

  const ACCEPTANCE_CASES = [
    { name: 'higher score', next: score(0.6, 0.55), accepted: true },
    { name: 'equal score', next: score(0.5, 0.9), accepted: false },
    { name: 'lower score with higher target similarity', next: score(0.4, 0.95), accepted: false },
    { name: 'incomplete (early exit)', next: score(0.9, 0.2, false), accepted: false },
  ];

  it.each(ACCEPTANCE_CASES)('acceptance, greedy (1+1): $name', ({ next, accepted }) => {
    const walk = new KVoiceWalk(population(), 3);
    const [start] = walk.ask();
    walk.tell([score(0.5, 0.6)]);
    const [candidate] = walk.ask();
    walk.tell([next]);
    expect(walk.current() === (accepted ? candidate : start)).toBe(true); // no diff of whole packs
    expect(walk.earlyExitReference()).toBe(accepted ? next.probeSimilarity : 0.6);
  });

  it('asks the same candidate until told (ask is pure)', () => {
    const walk = new KVoiceWalk(population(), 9);
    walk.ask();
    walk.tell([score(0.5, 0.6)]);
    const a = walk.ask()[0]!;
    const b = walk.ask()[0]!;
    expect(b).toBe(a);
  });

  it('skips the second rendering when target similarity < 0.98 x the best (counted with a fake renderer)', async () => {
    // Embedding: 8 values of the probe's style row plus a constant; the reference is the population mean's.
    // The self probe's embedding is skewed, so pooled and probe-only scores rank candidates differently.
    const embeddingOf = (pack: Float32Array, probe?: { id: string }) =>
      Float32Array.from({ length: 9 }, (_, i) =>
        i === 8 ? 0.05 : pack[ROW_START + i]! * (probe?.id === SELF.id && i % 2 === 0 ? 3 : 1),
      );
    const kit = createFakeCloneKit(embeddingOf);
    const voices = population();
    const scorer = new CloneScorer({
      renderer: kit.renderer,
      embedder: kit.embedder,
      reference: {
        embeddings: [],
        centroid: unit(embeddingOf(voices[0]!.pack)),
        features: extractVoiceFeatures(kit.audio),
      },
      probes: { target: PROBE, self: SELF },
    });
    const raw: CandidateScore[] = [];
    const score = scorer.score.bind(scorer);
    scorer.score = async (...args) => {
      const result = await score(...args);
      raw.push(result);
      return result;
    };
    const records: CandidateScore[] = [];
    const walk = new KVoiceWalk(voices, 5);
    const controller = new SearchController(walk, scorer, {
      onEvaluation: (r) => records.push(r.score),
    });
    await controller.run(60);
    // The two measures disagree here: a walk that decided by the pooled one would be caught below.
    expect(raw.some((r) => r.complete && Math.abs(r.score - r.probeScore) > 1e-3)).toBe(true);
    raw.forEach((r, i) => {
      expect(records[i]!.score).toBe(r.probeScore); // reported in KVoiceWalk's own measure
      expect(records[i]!.targetSimilarity).toBe(r.probeSimilarity);
    });
    expect(records).toHaveLength(60);
    let bestTarget = records[0]!.targetSimilarity;
    let bestScore = records[0]!.score;
    for (const record of records.slice(1)) {
      const shouldExit = record.targetSimilarity < 0.98 * bestTarget;
      expect(record.complete).toBe(!shouldExit);
      expect(record.renders).toBe(shouldExit ? 1 : 2);
      if (record.complete && record.score > bestScore)
        [bestScore, bestTarget] = [record.score, record.targetSimilarity];
    }
    const renders = records.reduce((n, r) => n + r.renders, 0);
    expect(kit.renderer.calls).toBe(renders);
    expect(records.some((r) => !r.complete)).toBe(true);
    expect(controller.best()!.score.score).toBe(bestScore);
    // Identity, compared as a boolean: a failing toBe would diff two 130,560-value packs for minutes.
    expect(controller.best()!.pack === walk.current()).toBe(true);
  });
});
