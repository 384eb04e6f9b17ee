/**
 * Target voices, clips and their cached embeddings in IndexedDB (stores `targets`, `clips`,
 * `embeddings` of db/schema.ts). Every multi-record change is one transaction, so a failed
 * write (a full disk) leaves what was saved before untouched.
 */
import { openTimbreDb, type ClipRecord, type EmbeddingRecord, type TargetRecord } from '../../db/schema';

/** Cache keys of what is derived from a clip. Features do not depend on the encoder. */
export const embeddingKey = (clipId: string, encoderCacheTag: string) => `clip:${clipId}:${encoderCacheTag}`;
export const featuresKey = (clipId: string) => `features:clip:${clipId}`;
const clipKeyPrefixes = (clipId: string) => [`clip:${clipId}:`, featuresKey(clipId)];

/** Everything removed by a deletion, so Undo can put it back exactly. */
export interface RemovedRecords {
  targets: TargetRecord[];
  clips: ClipRecord[];
  embeddings: EmbeddingRecord[];
}

export type ClipMetaRecord = Omit<ClipRecord, 'pcm' | 'originalPcm'>;

export async function readTargets(): Promise<TargetRecord[]> {
  const db = await openTimbreDb();
  return db.getAll('targets');
}

/** Clip metadata only: the PCM is dropped as soon as it is read (the list never needs it). */
export async function readClipMetas(): Promise<ClipMetaRecord[]> {
  const db = await openTimbreDb();
  const out: ClipMetaRecord[] = [];
  let cursor = await db.transaction('clips').store.openCursor();
  while (cursor) {
    const { pcm: _pcm, originalPcm: _original, ...meta } = cursor.value;
    out.push(meta);
    cursor = await cursor.continue();
  }
  return out;
}

export async function readClip(id: string): Promise<ClipRecord | undefined> {
  const db = await openTimbreDb();
  return db.get('clips', id);
}

export async function putTarget(target: TargetRecord): Promise<void> {
  const db = await openTimbreDb();
  await db.put('targets', target);
}

/** Saves a clip, and its target when the target is new, together. */
export async function putClip(clip: ClipRecord, newTarget?: TargetRecord): Promise<void> {
  const db = await openTimbreDb();
  const tx = db.transaction(['targets', 'clips'], 'readwrite');
  const writes: Promise<unknown>[] = [tx.objectStore('clips').put(clip)];
  if (newTarget) writes.push(tx.objectStore('targets').put(newTarget));
  await Promise.all([...writes, tx.done]);
}

export async function renameClipRecord(id: string, name: string): Promise<void> {
  const db = await openTimbreDb();
  const tx = db.transaction('clips', 'readwrite');
  const clip = await tx.store.get(id);
  if (!clip) throw new Error('That clip no longer exists.');
  await Promise.all([tx.store.put({ ...clip, name }), tx.done]);
}

export async function getEmbedding(key: string): Promise<EmbeddingRecord | undefined> {
  const db = await openTimbreDb();
  return db.get('embeddings', key);
}

export async function putEmbedding(record: EmbeddingRecord): Promise<void> {
  const db = await openTimbreDb();
  await db.put('embeddings', record);
}

/** Deletes clips (and a target, when given) with everything derived from them, in one transaction. */
export async function deleteRecords(clipIds: readonly string[], targetId?: string): Promise<RemovedRecords> {
  const db = await openTimbreDb();
  const tx = db.transaction(['targets', 'clips', 'embeddings'], 'readwrite');
  const removed: RemovedRecords = { targets: [], clips: [], embeddings: [] };
  const embeddings = tx.objectStore('embeddings');
  for (const id of clipIds) {
    const clip = await tx.objectStore('clips').get(id);
    if (clip) removed.clips.push(clip);
    await tx.objectStore('clips').delete(id);
    for (const prefix of clipKeyPrefixes(id)) {
      const range = IDBKeyRange.bound(prefix, `${prefix}\uffff`);
      removed.embeddings.push(...(await embeddings.getAll(range)));
      await embeddings.delete(range);
    }
  }
  if (targetId) {
    const target = await tx.objectStore('targets').get(targetId);
    if (target) removed.targets.push(target);
    await tx.objectStore('targets').delete(targetId);
  }
  await tx.done;
  return removed;
}

/** Puts back what deleteRecords removed. */
export async function restoreRecords(removed: RemovedRecords): Promise<void> {
  const db = await openTimbreDb();
  const tx = db.transaction(['targets', 'clips', 'embeddings'], 'readwrite');
  const writes: Promise<unknown>[] = [
    ...removed.targets.map((t) => tx.objectStore('targets').put(t)),
    ...removed.clips.map((c) => tx.objectStore('clips').put(c)),
    ...removed.embeddings.map((e) => tx.objectStore('embeddings').put(e)),
  ];
  await Promise.all([...writes, tx.done]);
}
