/**
 * What each of the studio's IndexedDB stores holds (counts and bytes), and clearing one. Sizes
 * are the records' own bytes (engine/storage/record-bytes.ts), summed over a cursor one record at
 * a time: measured on demand when Models & settings opens, never on a hot path. Models live in
 * Cache Storage and are counted by the model worker (listCached).
 */
import { recordBytes, utf8Bytes } from '../../../engine/storage/record-bytes';
import { openTimbreDb } from '../../db/schema';

/** The stores a user sees in Models & settings, in the order shown. */
export const STORE_IDS = ['models', 'voices', 'references', 'checkpoints', 'measurements'] as const;
export type StoreId = (typeof STORE_IDS)[number];
export type DbStoreId = Exclude<StoreId, 'models'>;

/** One store's contents: its record counts by kind (`voices`, `directions`...) and total bytes. */
export interface StoreUsage {
  counts: Record<string, number>;
  bytes: number;
}

export type DbUsage = Record<DbStoreId, StoreUsage>;

/**
 * Keys of the `embeddings` store that belong with the reference clips (derived from a clip and
 * deleted with it); every other key (`clone:`, `probe:`, `probe-features:`) is a measurement
 * of a rendering, remade when needed.
 */
const CLIP_KEY_PREFIXES = ['clip:', 'features:clip:'] as const;

export function isClipDerivedKey(key: string): boolean {
  return CLIP_KEY_PREFIXES.some((prefix) => key.startsWith(prefix));
}

function emptyUsage(...kinds: string[]): StoreUsage {
  return { counts: Object.fromEntries(kinds.map((kind) => [kind, 0])), bytes: 0 };
}

function add(usage: StoreUsage, kind: string, bytes: number): void {
  usage.counts[kind] = (usage.counts[kind] ?? 0) + 1;
  usage.bytes += bytes;
}

type MeasuredStore = 'voices' | 'directions' | 'targets' | 'clips' | 'checkpoints' | 'embeddings';

/** Walks one object store, one record at a time, handing each record's key and size to `visit`. */
async function walk(name: MeasuredStore, visit: (key: string, bytes: number) => void): Promise<void> {
  const db = await openTimbreDb();
  let cursor = await db.transaction(name).store.openCursor();
  while (cursor) {
    const key = String(cursor.key);
    visit(key, utf8Bytes(key) + recordBytes(cursor.value));
    cursor = await cursor.continue();
  }
}

/** Counts and sizes of the IndexedDB stores; each object store is read in its own transaction. */
export async function measureDatabase(): Promise<DbUsage> {
  const usage: DbUsage = {
    voices: emptyUsage('voices', 'directions'),
    references: emptyUsage('targets', 'clips', 'analyses'),
    checkpoints: emptyUsage('searches'),
    measurements: emptyUsage('measurements'),
  };
  await walk('voices', (_key, bytes) => add(usage.voices, 'voices', bytes));
  await walk('directions', (_key, bytes) => add(usage.voices, 'directions', bytes));
  await walk('targets', (_key, bytes) => add(usage.references, 'targets', bytes));
  await walk('clips', (_key, bytes) => add(usage.references, 'clips', bytes));
  await walk('embeddings', (key, bytes) =>
    isClipDerivedKey(key)
      ? add(usage.references, 'analyses', bytes)
      : add(usage.measurements, 'measurements', bytes),
  );
  await walk('checkpoints', (_key, bytes) => add(usage.checkpoints, 'searches', bytes));
  return usage;
}

/**
 * Deletes everything one store holds, in one transaction: it clears whole or not at all.
 * - voices: the library's voices and the saved directions;
 * - references: targets, clips and what was derived from the clips (embeddings, features);
 * - checkpoints: saved clone searches (interrupted or not saved yet);
 * - measurements: the cached measurements of renderings (Clone, References' comparison).
 */
export async function clearDatabaseStore(id: DbStoreId): Promise<void> {
  const db = await openTimbreDb();
  switch (id) {
    case 'voices': {
      const tx = db.transaction(['voices', 'directions'], 'readwrite');
      await Promise.all([tx.objectStore('voices').clear(), tx.objectStore('directions').clear(), tx.done]);
      return;
    }
    case 'references': {
      const tx = db.transaction(['targets', 'clips', 'embeddings'], 'readwrite');
      const embeddings = tx.objectStore('embeddings');
      await Promise.all([
        tx.objectStore('targets').clear(),
        tx.objectStore('clips').clear(),
        ...CLIP_KEY_PREFIXES.map((prefix) => embeddings.delete(IDBKeyRange.bound(prefix, `${prefix}\uffff`))),
        tx.done,
      ]);
      return;
    }
    case 'checkpoints': {
      const tx = db.transaction('checkpoints', 'readwrite');
      await Promise.all([tx.store.clear(), tx.done]);
      return;
    }
    case 'measurements': {
      const tx = db.transaction('embeddings', 'readwrite');
      const doomed: string[] = [];
      let cursor = await tx.store.openKeyCursor();
      while (cursor) {
        if (!isClipDerivedKey(cursor.key)) doomed.push(cursor.key);
        cursor = await cursor.continue();
      }
      await Promise.all([...doomed.map((key) => tx.store.delete(key)), tx.done]);
      return;
    }
  }
}
