/**
 * The voice library in IndexedDB (object stores `voices` and `directions` of db/schema.ts).
 * Every write is one transaction: it either lands whole or not at all, so a full disk never
 * leaves half an import behind and never touches what was saved before.
 */
import { openTimbreDb, type DirectionRecord, type VoiceRecord } from '../../db/schema';

export async function readVoices(): Promise<VoiceRecord[]> {
  const db = await openTimbreDb();
  return db.getAll('voices');
}

export async function readDirections(): Promise<DirectionRecord[]> {
  const db = await openTimbreDb();
  return db.getAll('directions');
}

/**
 * Writes all records in one transaction (new voices, or updated ones). Any failure (a full
 * disk, a record the browser refuses) aborts the transaction, so none of them is written.
 */
export async function putVoices(records: readonly VoiceRecord[]): Promise<void> {
  const db = await openTimbreDb();
  const tx = db.transaction('voices', 'readwrite');
  const done = tx.done;
  done.catch(() => undefined); // awaited below; after an abort its rejection is expected
  try {
    await Promise.all(records.map((record) => tx.store.put(record)));
    await done;
  } catch (error) {
    try {
      tx.abort();
    } catch {
      // the transaction already ended (it aborted itself)
    }
    throw error;
  }
}

export async function deleteVoiceRecord(id: string): Promise<void> {
  const db = await openTimbreDb();
  await db.delete('voices', id);
}

export async function getVoiceRecord(id: string): Promise<VoiceRecord | undefined> {
  const db = await openTimbreDb();
  return db.get('voices', id);
}

export async function putDirection(record: DirectionRecord): Promise<void> {
  const db = await openTimbreDb();
  await db.put('directions', record);
}

export async function deleteDirectionRecord(id: string): Promise<void> {
  const db = await openTimbreDb();
  await db.delete('directions', id);
}
