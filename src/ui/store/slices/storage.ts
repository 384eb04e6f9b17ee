/**
 * What the browser keeps for the studio: whether it was asked to keep it (persistent storage,
 * asked once before the first large download) and what it answered last.
 */

/** `persistent`: kept until the user clears it; `best-effort`: the browser may evict it under pressure. */
export type StoragePersistence = 'persistent' | 'best-effort' | 'unsupported';

export interface StorageSlice {
  /** When the studio asked for persistent storage by itself (it asks once; the panel can ask again). */
  storagePersistAskedAt?: number;
  /** The browser's last answer; undefined until read. */
  storagePersistence?: StoragePersistence;
}

export const storageInitial: StorageSlice = {};

export const storagePersisted = ['storagePersistAskedAt'] as const;
