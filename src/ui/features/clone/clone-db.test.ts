/** The clone measurement cache and search checkpoints in IndexedDB (fake-indexeddb). */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { extractVoiceFeatures } from '../../../engine/audio/features';
import { openTimbreDb, type ClipRecord } from '../../db/schema';
import {
  deleteCheckpoint,
  getCheckpoint,
  idbMeasurementStore,
  MEASUREMENT_KEY_PREFIX,
  putCheckpoint,
  readCheckpoints,
  readTargetClips,
  type CloneCheckpoint,
} from './clone-db';

const SCORE = {
  score: 0.8,
  targetSimilarity: 0.9,
  probeSimilarity: 0.88,
  probeScore: 0.79,
  selfSimilarity: 0.7,
  featureSimilarity: 0.6,
  complete: true,
  renders: 2,
};

function checkpoint(id: string, evaluations: number): CloneCheckpoint {
  return {
    id,
    targetId: 'target-1',
    method: 'timbre',
    updatedAt: evaluations,
    evaluations,
    bestScore: SCORE.score,
    best: Float32Array.from({ length: 8 }, (_, i) => i / 8),
    state: {
      version: 1,
      targetName: 'Ann',
      method: 'timbre',
      scorePreset: 'kvoicewalk',
      weights: { target: 0.48, self: 0.5, feature: 0.02 },
      budget: 120,
      seed: 7,
      dialect: 'en-us',
      checkpoint: {
        version: 1,
        method: 'timbre',
        state: { step: 3 },
        pending: [],
        evaluations,
        renders: 2 * evaluations,
        best: { score: SCORE, evaluation: 60 },
      },
      hasSearchBest: true,
      searchStartEvaluation: 54,
      best: { score: SCORE, evaluation: 60 },
      history: new Float32Array([55, 0.7, 0.8, 0.7, 0.8]),
    },
  };
}

describe('the measurement store', () => {
  it('keeps embeddings and full voice features under the clone: prefix', async () => {
    const store = idbMeasurementStore();
    const features = extractVoiceFeatures(
      Float32Array.from({ length: 24000 }, (_, i) => 0.3 * Math.sin((2 * Math.PI * 180 * i) / 24000)),
    );
    await store.set('kokoro|enc|af_heart|12-abc|ef', { embedding: new Float32Array([1, 2, 3]), features });
    await store.set('kokoro|enc|af_heart|12-abc|e', { embedding: new Float32Array([4, 5]) });
    const withFeatures = await store.get('kokoro|enc|af_heart|12-abc|ef');
    expect(Array.from(withFeatures!.embedding)).toEqual([1, 2, 3]);
    expect(withFeatures!.features!.f0MedianHz).toBeCloseTo(features.f0MedianHz, 5);
    expect(Array.from(withFeatures!.features!.vector)).toEqual(Array.from(features.vector));
    const plain = await store.get('kokoro|enc|af_heart|12-abc|e');
    expect(plain).toEqual({ embedding: new Float32Array([4, 5]) });
    expect(await store.get('missing')).toBeUndefined();
    const db = await openTimbreDb();
    expect(await db.get('embeddings', `${MEASUREMENT_KEY_PREFIX}kokoro|enc|af_heart|12-abc|e`)).toBeDefined();
  });

  it('is bounded: past its cap the least recently used measurements go, other records stay', async () => {
    const db = await openTimbreDb();
    for (const key of await db.getAllKeys('embeddings')) await db.delete('embeddings', key); // the test above wrote some
    await db.put('embeddings', { key: 'clip:keep-me:fp32', createdAt: 0, vector: new Float32Array([1]) });
    let clock = 1_000_000;
    const store = idbMeasurementStore({ cap: 10, evictEveryWrites: 1, now: () => clock });
    for (let i = 0; i < 10; i++) {
      clock += 10 * 60 * 60 * 1000; // hours apart, so a read refreshes the record's use
      await store.set(`lru-${i}`, { embedding: new Float32Array([i]) });
    }
    clock += 10 * 60 * 60 * 1000;
    expect(await store.get('lru-0')).toBeDefined(); // the oldest, used again: now the newest
    clock += 10 * 60 * 60 * 1000;
    await store.set('lru-10', { embedding: new Float32Array([10]) }); // 11 > cap: down to 9
    const left = (await db.getAllKeys('embeddings'))
      .map(String)
      .filter((k) => k.startsWith(`${MEASUREMENT_KEY_PREFIX}lru-`));
    expect(left).toHaveLength(9);
    expect(left).toContain(`${MEASUREMENT_KEY_PREFIX}lru-0`);
    expect(left).toContain(`${MEASUREMENT_KEY_PREFIX}lru-10`);
    expect(left).not.toContain(`${MEASUREMENT_KEY_PREFIX}lru-1`);
    expect(left).not.toContain(`${MEASUREMENT_KEY_PREFIX}lru-2`);
    expect(await db.get('embeddings', 'clip:keep-me:fp32')).toBeDefined();
  });
});

describe('checkpoints', () => {
  it('round-trip the best pack, the saved search and the plot', async () => {
    await putCheckpoint(checkpoint('job-1', 80));
    await putCheckpoint(checkpoint('job-1', 95)); // a later checkpoint replaces the earlier one
    const back = await getCheckpoint('job-1');
    expect(back?.evaluations).toBe(95);
    expect(back?.state.checkpoint.evaluations).toBe(95);
    expect(Array.from(back!.best)).toEqual(Array.from(checkpoint('x', 1).best));
    expect(back!.state.history).toBeInstanceOf(Float32Array);
    expect(Array.from(back!.state.history)).toEqual(Array.from(new Float32Array([55, 0.7, 0.8, 0.7, 0.8])));
  });

  it('ignore records that are not clone searches, and delete', async () => {
    const db = await openTimbreDb();
    await db.put('checkpoints', {
      id: 'other',
      targetId: 't',
      method: 'x',
      updatedAt: 1,
      evaluations: 1,
      bestScore: 0,
      best: new Float32Array(0),
      state: { foo: 1 },
    });
    await putCheckpoint(checkpoint('job-2', 10));
    expect((await readCheckpoints()).map((c) => c.id).sort()).toEqual(['job-1', 'job-2']);
    expect(await getCheckpoint('other')).toBeUndefined();
    await deleteCheckpoint('job-2');
    expect((await readCheckpoints()).map((c) => c.id)).toEqual(['job-1']);
  });
});

describe('readTargetClips', () => {
  it("returns only the target's clips, oldest first", async () => {
    const clip = (id: string, targetId: string, createdAt: number): ClipRecord => ({
      id,
      targetId,
      name: id,
      createdAt,
      source: 'upload',
      sampleRateHz: 24000,
      pcm: new Float32Array(4),
      durationS: 1,
      warnings: [],
    });
    const db = await openTimbreDb();
    await db.put('clips', clip('b', 'target-1', 20));
    await db.put('clips', clip('a', 'target-1', 10));
    await db.put('clips', clip('c', 'target-2', 5));
    expect((await readTargetClips('target-1')).map((c) => c.id)).toEqual(['a', 'b']);
    expect(await readTargetClips('nobody')).toEqual([]);
  });
});
