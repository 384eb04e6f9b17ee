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
  /** The last text read or written (or that failed to be written), per key. */
  const last = new Map<string, string>();
  // Another tab (or Clear site data) changed the storage: the next set writes again.
  if (typeof globalThis.addEventListener === 'function')
    globalThis.addEventListener('storage', (event: Event) => {
      const key = (event as { key?: string | null }).key;
      if (key === null || key === undefined) last.clear();
      else last.delete(key);
    });
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
      last.set(name, text);
      try {
        target.setItem(name, text);
      } catch (error) {
        // Usually the quota. The studio goes on (a set must not throw); the next change tries again.
        console.warn(
          `Could not keep the studio's settings (${String(error)}); they will be tried again on the next change.`,
        );
      }
    },
    removeItem(name) {
      last.delete(name);
      target.removeItem(name);
    },
  };
}
