/** Clips, targets and embeddings in IndexedDB (fake-indexeddb), including delete and Undo. */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { ClipRecord, TargetRecord } from '../../db/schema';
import {
  deleteRecords,
  embeddingKey,
  featuresKey,
  getEmbedding,
  putClip,
  putEmbedding,
  readClip,
  readClipMetas,
  readTargets,
  renameClipRecord,
  restoreRecords,
} from './reference-db';

const target: TargetRecord = { id: 't1', name: 'Ann', createdAt: 1, transcript: 'Hello.' };

function clip(id: string): ClipRecord {
  return {
    id,
    targetId: target.id,
    name: `clip ${id}`,
    createdAt: 2,
    source: 'upload',
    fileName: `${id}.wav`,
    sampleRateHz: 24000,
    pcm: Float32Array.from({ length: 480 }, (_, i) => Math.sin(i)),
    originalPcm: new Float32Array(960),
    durationS: 0.02,
    speechS: 0.01,
    warnings: ['short'],
  };
}

describe('reference-db', () => {
  it('saves a clip with its new target in one go, and lists clips without their audio', async () => {
    await putClip(clip('a'), target);
    await putClip(clip('b'));
    expect(await readTargets()).toEqual([target]);
    const metas = await readClipMetas();
    expect(metas.map((m) => m.id).sort()).toEqual(['a', 'b']);
    for (const meta of metas) {
      expect(meta).not.toHaveProperty('pcm');
      expect(meta).not.toHaveProperty('originalPcm');
      expect(meta.warnings).toEqual(['short']);
    }
    expect((await readClip('a'))?.pcm).toEqual(clip('a').pcm);
  });

  it('renames a clip and refuses a clip that is gone', async () => {
    await renameClipRecord('a', 'First take');
    expect((await readClip('a'))?.name).toBe('First take');
    await expect(renameClipRecord('nope', 'x')).rejects.toThrow(/no longer exists/);
  });

  it('deletes a clip with its embeddings and features, and Undo puts everything back', async () => {
    const vector = Float32Array.of(1, 2, 3);
    await putEmbedding({ key: embeddingKey('a', 'fp32'), createdAt: 3, vector });
    await putEmbedding({ key: embeddingKey('a', 'q8'), createdAt: 3, vector });
    await putEmbedding({
      key: featuresKey('a'),
      createdAt: 3,
      vector: new Float32Array(0),
      features: vector,
    });
    await putEmbedding({ key: embeddingKey('b', 'fp32'), createdAt: 3, vector });

    const removed = await deleteRecords(['a']);
    expect(removed.clips.map((c) => c.id)).toEqual(['a']);
    expect(removed.embeddings.map((e) => e.key).sort()).toEqual([
      'clip:a:fp32',
      'clip:a:q8',
      'features:clip:a',
    ]);
    expect(await readClip('a')).toBeUndefined();
    expect(await getEmbedding(embeddingKey('a', 'fp32'))).toBeUndefined();
    expect(await getEmbedding(embeddingKey('b', 'fp32'))).toBeDefined(); // another clip's cache is untouched

    await restoreRecords(removed);
    expect((await readClip('a'))?.name).toBe('First take');
    expect((await getEmbedding(featuresKey('a')))?.features).toEqual(vector);
  });

  it('deletes a whole target with its clips', async () => {
    const removed = await deleteRecords(['a', 'b'], target.id);
    expect(removed.targets).toEqual([target]);
    expect(await readTargets()).toEqual([]);
    expect(await readClipMetas()).toEqual([]);
    await restoreRecords(removed);
    expect(await readTargets()).toEqual([target]);
    expect((await readClipMetas()).length).toBe(2);
  });
});
