/**
 * The model store's fit check: a file that is not cached and would not fit in what the browser
 * still allows the site is refused before any request, with the numbers; cached files never
 * count, and nothing stored is touched.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { StorageQuotaError } from '../../engine/models/errors';
import type { ModelFile } from '../../engine/models/manifest';
import { sourceFromBase } from '../../engine/models/sources';
import type { StorageEstimateLike } from '../../engine/storage/download-fit';
import { FakeCacheStorage } from '../../test-support/fake-cache';
import { minimalManifest } from '../../test-support/minimal-manifest';
import { createModelStore, DEFAULT_CACHE_NAME, type ModelStoreOptions } from './model-store';

const ORIGIN = 'http://localhost:5173/';
const FILE_BYTES = 19_293;
const CONTENT = Uint8Array.from({ length: FILE_BYTES }, (_, i) => (i * 13 + 1) % 256);
const FILE: ModelFile = {
  path: 'kokoro/onnx/model_quantized.onnx',
  url: 'https://hub.example/onnx/model_quantized.onnx',
  bytes: FILE_BYTES,
  sha256: createHash('sha256').update(CONTENT).digest('hex'),
};
const SELF_URL = `${ORIGIN}models/${FILE.path}`;
const MANIFEST_URL = `${ORIGIN}models/manifest.json`;
const MANIFEST = minimalManifest(FILE, {
  path: 'speaker/model.onnx',
  url: 'https://hub.example/s',
  bytes: 5,
});

function setup(estimate: ModelStoreOptions['estimate'], extra: Partial<ModelStoreOptions> = {}) {
  const calls: string[] = [];
  const fetch = async (url: string): Promise<Response> => {
    calls.push(url);
    if (url === MANIFEST_URL)
      return new Response(JSON.stringify(MANIFEST), { headers: { 'Content-Type': 'application/json' } });
    if (url === SELF_URL)
      return new Response(CONTENT.slice(), {
        headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(FILE_BYTES) },
      });
    throw new TypeError('fetch failed');
  };
  const caches = new FakeCacheStorage();
  const store = createModelStore({
    fetch,
    caches,
    crypto: globalThis.crypto,
    source: sourceFromBase(),
    baseUrl: ORIGIN,
    onWarning: () => undefined,
    ...(estimate ? { estimate } : {}),
    ...extra,
  });
  return { store, calls, caches };
}

const quota =
  (usage: number, total: number): (() => Promise<StorageEstimateLike>) =>
  async () => ({ usage, quota: total });

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

describe('model store: the download must fit', () => {
  it('refuses a file that would not fit before requesting it, naming it with the numbers', async () => {
    const { store, calls, caches } = setup(quota(1_000_000, 1_010_000));
    // Something stored before: a refusal must leave it alone.
    (await caches.open(DEFAULT_CACHE_NAME)).seed(`${ORIGIN}models/voices/af_heart.bin`, new Uint8Array(8));
    await store.loadManifest();
    const error = await rejection(store.getFile(FILE));

    expect(error).toBeInstanceOf(StorageQuotaError);
    const quotaError = error as StorageQuotaError;
    expect(quotaError.needBytes).toBe(FILE_BYTES);
    expect(quotaError.availableBytes).toBe(10_000);
    expect(quotaError.message).toContain(
      'Kokoro q8 (kokoro/onnx/model_quantized.onnx) needs 19.3 kB but the browser allows only 10.0 kB more for this site',
    );
    expect(quotaError.message).toContain('nothing already stored was removed');
    expect(calls).toEqual([MANIFEST_URL]); // the file itself was never requested
    expect(caches.urls(DEFAULT_CACHE_NAME)).toContain(`${ORIGIN}models/voices/af_heart.bin`);
  });

  it('names the file by its path when no manifest was read', async () => {
    const { store } = setup(quota(0, 100));
    const error = await rejection(store.getFile(FILE));
    expect((error as Error).message).toMatch(/^kokoro\/onnx\/model_quantized\.onnx needs 19\.3 kB/);
  });

  it('downloads and caches a file that fits', async () => {
    let asked = 0;
    const { store, caches } = setup(async () => {
      asked++;
      return { usage: 0, quota: FILE_BYTES };
    });
    expect(await store.getFile(FILE)).toEqual(CONTENT);
    expect(asked).toBe(1);
    expect(caches.urls(DEFAULT_CACHE_NAME)).toEqual([SELF_URL]);
  });

  it('counts only what is missing: a cached file loads with no room left', async () => {
    const first = setup(quota(0, 1e9));
    await first.store.getFile(FILE);
    let asked = 0;
    const full = createModelStore({
      fetch: async () => {
        throw new TypeError('offline');
      },
      caches: first.caches,
      crypto: globalThis.crypto,
      source: sourceFromBase(),
      baseUrl: ORIGIN,
      estimate: async () => {
        asked++;
        return { usage: 1e9, quota: 1e9 };
      },
    });
    expect(await full.getFile(FILE)).toEqual(CONTENT);
    expect(asked).toBe(0);
  });

  it('does not check where nothing would be stored (no Cache Storage) or the browser does not answer', async () => {
    const uncached = setup(quota(0, 10), { caches: undefined });
    expect(await uncached.store.getFile(FILE)).toEqual(CONTENT);
    const silent = setup(async () => {
      throw new Error('estimate() is not available');
    });
    expect(await silent.store.getFile(FILE)).toEqual(CONTENT);
    const noQuota = setup(async () => ({ usage: 5 }));
    expect(await noQuota.store.getFile(FILE)).toEqual(CONTENT);
  });
});
