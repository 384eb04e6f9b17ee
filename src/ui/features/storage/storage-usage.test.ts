/** Counting and sizing the IndexedDB stores, and clearing one without touching the others (fake-indexeddb). */
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { recordBytes, utf8Bytes } from '../../../engine/storage/record-bytes';
import { openTimbreDb, type ClipRecord, type EmbeddingRecord, type VoiceRecord } from '../../db/schema';
import { clearDatabaseStore, isClipDerivedKey, measureDatabase, type DbStoreId } from './storage-usage';

const PACK_FLOATS = 510 * 256;
const CLIP_SAMPLES = 3 * 24_000;

function voice(id: string): VoiceRecord {
  return {
    id,
    name: `Voice ${id}`,
    tags: ['mine'],
    origin: { kind: 'import', fileName: `${id}.bin` },
    createdAt: 1,
    updatedAt: 1,
    pack: new Float32Array(PACK_FLOATS),
  };
}

function clip(id: string): ClipRecord {
  return {
    id,
    targetId: 't1',
    name: id,
    createdAt: 1,
    source: 'upload',
    sampleRateHz: 24_000,
    pcm: new Float32Array(CLIP_SAMPLES),
    originalPcm: new Float32Array(2 * CLIP_SAMPLES),
    durationS: 3,
    warnings: [],
  };
}

const embedding = (key: string, floats = 256): EmbeddingRecord => ({
  key,
  createdAt: 1,
  vector: new Float32Array(floats),
});

/** What a record adds to its store's size: its key and its structured-clone bytes. */
const sizeOf = (key: string, record: unknown) => utf8Bytes(key) + recordBytes(record);

async function seed(): Promise<void> {
  const db = await openTimbreDb();
  const tx = db.transaction(
    ['voices', 'directions', 'targets', 'clips', 'embeddings', 'checkpoints'],
    'readwrite',
  );
  await Promise.all([
    tx.objectStore('voices').put(voice('v1')),
    tx.objectStore('voices').put(voice('v2')),
    tx.objectStore('directions').put({ id: 'd1', name: 'up', createdAt: 1, vector: new Float32Array(10) }),
    tx.objectStore('targets').put({ id: 't1', name: 'Ann', createdAt: 1 }),
    tx.objectStore('clips').put(clip('c1')),
    tx.objectStore('embeddings').put(embedding('clip:c1:wespeaker-q8')),
    tx.objectStore('embeddings').put(embedding('features:clip:c1', 0)),
    tx.objectStore('embeddings').put(embedding('clone:a')),
    tx.objectStore('embeddings').put(embedding('clone:b')),
    tx.objectStore('embeddings').put(embedding('probe:q8:af_heart:123:wespeaker')),
    tx.objectStore('checkpoints').put({
      id: 'job',
      targetId: 't1',
      method: 'timbre',
      updatedAt: 1,
      evaluations: 3,
      bestScore: 0.5,
      best: new Float32Array(PACK_FLOATS),
      state: { version: 1, history: new Float32Array(15) },
    }),
    tx.done,
  ]);
}

beforeEach(async () => {
  const db = await openTimbreDb();
  for (const name of ['voices', 'directions', 'targets', 'clips', 'embeddings', 'checkpoints'] as const)
    await db.clear(name);
  await seed();
});

describe('isClipDerivedKey', () => {
  const TESTS = [
    { key: 'clip:c1:wespeaker-q8', target: true },
    { key: 'features:clip:c1', target: true },
    { key: 'clone:abc', target: false },
    { key: 'probe:q8:af_heart:1:tag', target: false },
    { key: 'probe-features:q8:af_heart:1', target: false },
  ];
  it.each(TESTS)('$key -> $target', ({ key, target }) => {
    expect(isClipDerivedKey(key)).toBe(target);
  });
});

describe('measureDatabase', () => {
  it('counts each store by kind and sums the bytes of its records', async () => {
    const usage = await measureDatabase();
    expect(usage.voices.counts).toEqual({ voices: 2, directions: 1 });
    expect(usage.references.counts).toEqual({ targets: 1, clips: 1, analyses: 2 });
    expect(usage.checkpoints.counts).toEqual({ searches: 1 });
    expect(usage.measurements.counts).toEqual({ measurements: 3 });

    // Dominated by the float data: two packs, one clip (cleaned and original), one best pack.
    expect(usage.voices.bytes).toBe(
      sizeOf('v1', voice('v1')) +
        sizeOf('v2', voice('v2')) +
        sizeOf('d1', { id: 'd1', name: 'up', createdAt: 1, vector: new Float32Array(10) }),
    );
    expect(usage.voices.bytes).toBeGreaterThan(2 * PACK_FLOATS * 4);
    expect(usage.references.bytes).toBeGreaterThan(3 * CLIP_SAMPLES * 4);
    expect(usage.references.bytes).toBeLessThan(3 * CLIP_SAMPLES * 4 + 4_000);
    expect(usage.checkpoints.bytes).toBeGreaterThan(PACK_FLOATS * 4);
    expect(usage.measurements.bytes).toBe(
      sizeOf('clone:a', embedding('clone:a')) +
        sizeOf('clone:b', embedding('clone:b')) +
        sizeOf('probe:q8:af_heart:123:wespeaker', embedding('probe:q8:af_heart:123:wespeaker')),
    );
  });

  it('reports empty stores as zero', async () => {
    for (const id of ['voices', 'references', 'checkpoints', 'measurements'] as const)
      await clearDatabaseStore(id);
    const usage = await measureDatabase();
    expect(usage.voices).toEqual({ counts: { voices: 0, directions: 0 }, bytes: 0 });
    expect(usage.references).toEqual({ counts: { targets: 0, clips: 0, analyses: 0 }, bytes: 0 });
    expect(usage.checkpoints).toEqual({ counts: { searches: 0 }, bytes: 0 });
    expect(usage.measurements).toEqual({ counts: { measurements: 0 }, bytes: 0 });
  });
});

describe('clearDatabaseStore', () => {
  const STORES: DbStoreId[] = ['voices', 'references', 'checkpoints', 'measurements'];
  it.each(STORES)('clears %s to zero and leaves every other store as it was', async (id) => {
    const before = await measureDatabase();
    await clearDatabaseStore(id);
    const after = await measureDatabase();
    expect(after[id].bytes).toBe(0);
    expect(Object.values(after[id].counts).every((count) => count === 0)).toBe(true);
    for (const other of STORES.filter((store) => store !== id)) expect(after[other]).toEqual(before[other]);
  });

  it('keeps the clip analyses when the measurements go, and the measurements when the clips go', async () => {
    const db = await openTimbreDb();
    await clearDatabaseStore('measurements');
    expect((await db.getAllKeys('embeddings')).sort()).toEqual(['clip:c1:wespeaker-q8', 'features:clip:c1']);
    await seed();
    await clearDatabaseStore('references');
    expect((await db.getAllKeys('embeddings')).sort()).toEqual([
      'clone:a',
      'clone:b',
      'probe:q8:af_heart:123:wespeaker',
    ]);
  });
});
