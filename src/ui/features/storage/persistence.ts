/**
 * Persistent storage: without it the browser may evict the models, voices and clips under
 * storage pressure, silently. `navigator.storage.persist()` exists on the window only (not in
 * workers), so the UI asks before the first engine start triggers a download, once; Models &
 * settings shows the answer and can ask again.
 */
import type { StorageEstimateLike } from '../../../engine/storage/download-fit';
import { studio } from '../../store/studio-store';
import type { StoragePersistence } from '../../store/slices/storage';

function storageManager(): StorageManager | undefined {
  return typeof navigator === 'undefined' ? undefined : navigator.storage;
}

/** Reads whether storage is persistent now (no prompt) and writes it into the store. */
export async function readPersistence(): Promise<StoragePersistence> {
  const manager = storageManager();
  let persistence: StoragePersistence = 'unsupported';
  if (manager?.persisted) {
    try {
      persistence = (await manager.persisted()) ? 'persistent' : 'best-effort';
    } catch {
      persistence = 'unsupported';
    }
  }
  studio.set({ storagePersistence: persistence });
  return persistence;
}

/**
 * Asks the browser to keep this site's storage. Chromium answers from its own signals (an
 * installed app, a bookmark, site engagement) without a prompt; Firefox may show a prompt,
 * so the answer can take as long as the user does.
 */
export async function askPersistence(): Promise<StoragePersistence> {
  const manager = storageManager();
  if (!manager?.persist) return readPersistence();
  studio.set({ storagePersistAskedAt: Date.now() });
  try {
    const granted = await manager.persist();
    studio.set({ storagePersistence: granted ? 'persistent' : 'best-effort' });
    return granted ? 'persistent' : 'best-effort';
  } catch {
    return readPersistence();
  }
}

/**
 * Before the first large download: asks for persistent storage unless the studio asked before
 * (an already persistent site is answered at once, with no prompt). The request goes out now,
 * before the caller starts the worker; the caller never waits for the answer (a prompt must not
 * hold up the download), which lands in the store when it comes.
 */
export function askPersistenceOnce(): void {
  if (studio.get().storagePersistAskedAt !== undefined || !storageManager()?.persist) return;
  void askPersistence();
}

/** What the browser lets this site store and how much it stores (undefined when it does not say). */
export async function readEstimate(): Promise<StorageEstimateLike | undefined> {
  const manager = storageManager();
  if (!manager?.estimate) return undefined;
  try {
    const { usage, quota } = await manager.estimate();
    return { ...(usage !== undefined ? { usage } : {}), ...(quota !== undefined ? { quota } : {}) };
  } catch {
    return undefined;
  }
}
