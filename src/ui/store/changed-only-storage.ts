/**
 * The persisted store's storage: localStorage as JSON, written only when what is kept changed.
 * zustand's persist writes on every `set`, and most of the studio's sets are progress (a
 * download, a rendering, a search) that change nothing kept: each of those was a synchronous
 * `localStorage.setItem` of the whole kept state on the main thread (17-60 ms in a profile of
 * the studio loading). Now they cost one JSON.stringify and a comparison.
 */
import type { PersistStorage, StorageValue } from 'zustand/middleware';

/** The part of the Storage API used here. */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/**
 * A PersistStorage over `storage()` that skips writes of unchanged values; undefined when the
 * storage cannot be reached (as zustand's createJSONStorage: the store then keeps nothing).
 */
export function changedOnlyStorage<S>(storage: () => StorageLike): PersistStorage<S> | undefined {
  let target: StorageLike;
  try {
    target = storage();
  } catch {
    return undefined;
  }
  /** The last text read or written, per key. */
  const last = new Map<string, string>();
  return {
    getItem(name) {
      const text = target.getItem(name);
      if (text === null) return null;
      last.set(name, text);
      return JSON.parse(text) as StorageValue<S>;
    },
    setItem(name, value) {
      const text = JSON.stringify(value);
      if (last.get(name) === text) return;
      target.setItem(name, text);
      last.set(name, text); // after the write: a write that threw (quota) is tried again next time
    },
    removeItem(name) {
      last.delete(name);
      target.removeItem(name);
    },
  };
}
