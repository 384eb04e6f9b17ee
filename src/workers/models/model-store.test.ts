import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  IntegrityError,
  ManifestError,
  ModelNetworkError,
  ModelNotFoundError,
} from '../../engine/models/errors';
import type { ModelFile } from '../../engine/models/manifest';
import { sourceFromBase, type ModelSource } from '../../engine/models/sources';
import { AbortedError, type Progress } from '../../engine/progress';
import { FakeCacheStorage } from '../../test-support/fake-cache';
import { minimalManifest } from '../../test-support/minimal-manifest';
import {
  createModelStore,
  DEFAULT_CACHE_NAME,
  PATH_HEADER,
  SHA256_HEADER,
  type ModelStoreOptions,
} from './model-store';
import { CspViolations } from './csp-violations';

const ORIGIN = 'http://localhost:5173/';
const FILE_BYTES = 10_000;
const CONTENT = Uint8Array.from({ length: FILE_BYTES }, (_, i) => (i * 7 + 3) % 256);
const FILE: ModelFile = {
  path: 'kokoro/onnx/model_quantized.onnx',
  url: 'https://hub.example/onnx/model_quantized.onnx',
  bytes: FILE_BYTES,
  sha256: createHash('sha256').update(CONTENT).digest('hex'),
};
const SELF_URL = `${ORIGIN}models/${FILE.path}`;
const HUB_URL = FILE.url;

interface BodyOptions {
  chunkBytes?: number;
  /** Stop the body after this many bytes (the connection closes early). */
  truncateAt?: number;
  /** Deliver this many bytes, then never send more (until cancelled). */
  stallAt?: number;
  headers?: Record<string, string>;
  onCancel?: () => void;
}

function fileResponse(bytes: Uint8Array, options: BodyOptions = {}): Response {
  const { chunkBytes = 1_024, truncateAt = bytes.byteLength, stallAt, onCancel } = options;
  let offset = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (stallAt !== undefined && offset >= stallAt) return new Promise<void>(() => undefined);
      if (offset >= truncateAt) {
        controller.close();
        return;
      }
      const end = Math.min(offset + chunkBytes, truncateAt);
      controller.enqueue(bytes.slice(offset, end));
      offset = end;
    },
    cancel() {
      onCancel?.();
    },
  });
  const headers = {
    'Content-Type': 'application/octet-stream',
    'Content-Length': String(bytes.byteLength),
    ...options.headers,
  };
  return new Response(body, { status: 200, headers });
}

const notFound = () => new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain' } });
const spaFallback = () =>
  new Response('<!doctype html><html></html>', {
    status: 200,
    headers: { 'Content-Type': 'text/html; charset=utf-8' },
  });

type Route = (init?: RequestInit) => Response | Promise<Response>;

/** A fetch that serves a route table and records every URL asked for; unknown URLs fail like offline. */
function fakeFetch(routes: Record<string, Route>) {
  const calls: string[] = [];
  const fetch = async (url: string, init?: RequestInit): Promise<Response> => {
    calls.push(url);
    if (init?.signal?.aborted) throw new DOMException('aborted', 'AbortError');
    const route = routes[url];
    if (!route) throw new TypeError('fetch failed');
    return route(init);
  };
  return { fetch, calls };
}

function makeStore(routes: Record<string, Route>, extra: Partial<ModelStoreOptions> = {}) {
  const net = fakeFetch(routes);
  const caches = new FakeCacheStorage();
  const warnings: string[] = [];
  const store = createModelStore({
    fetch: net.fetch,
    caches,
    crypto: globalThis.crypto,
    source: sourceFromBase(),
    baseUrl: ORIGIN,
    progressIntervalMs: 0,
    onWarning: (message) => warnings.push(message),
    ...extra,
  });
  return { store, net, caches, warnings };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

describe('getFile: downloads', () => {
  it('streams a self-hosted file with monotonic progress ending at the total, then caches it', async () => {
    const { store, caches } = makeStore({ [SELF_URL]: () => fileResponse(CONTENT) });
    const events: Progress[] = [];
    const loaded = await store.loadFile(FILE, (p) => events.push(p));

    expect(loaded.bytes).toEqual(CONTENT);
    expect(loaded.origin).toBe('self-hosted');
    const downloads = events.filter((e) => e.kind === 'download');
    expect(downloads.length).toBeGreaterThan(2);
    const loadedCounts = downloads.map((e) => e.loadedBytes);
    expect(loadedCounts).toEqual([...loadedCounts].sort((a, b) => a - b));
    expect(downloads.at(-1)).toEqual({
      kind: 'download',
      file: FILE.path,
      loadedBytes: FILE_BYTES,
      totalBytes: FILE_BYTES,
      fromCache: false,
    });

    expect(caches.urls(DEFAULT_CACHE_NAME)).toEqual([SELF_URL]);
    const cached = await (await caches.open(DEFAULT_CACHE_NAME)).match(SELF_URL);
    expect(cached?.headers.get('Content-Length')).toBe(String(FILE_BYTES));
    expect(cached?.headers.get(PATH_HEADER)).toBe(FILE.path);
  });

  it('sends at most one progress report per interval, plus the last', async () => {
    let clockMs = 0;
    const now = () => (clockMs += 10); // every read "takes" 10 ms
    const { store } = makeStore(
      { [SELF_URL]: () => fileResponse(CONTENT, { chunkBytes: 100 }) },
      { progressIntervalMs: 100, now },
    );
    const events: Progress[] = [];
    await store.getFile(FILE, (p) => events.push(p));
    // 100 chunks at 10 ms each = ~1 s: about 10 reports, far fewer than 100 chunks.
    expect(events.length).toBeGreaterThanOrEqual(5);
    expect(events.length).toBeLessThanOrEqual(13);
    expect(events.at(-1)).toMatchObject({ loadedBytes: FILE_BYTES });
  });

  it('serves a second load from Cache Storage without touching the network', async () => {
    const first = makeStore({ [SELF_URL]: () => fileResponse(CONTENT) });
    await first.store.getFile(FILE);
    const offline = fakeFetch({});
    const second = createModelStore({
      fetch: offline.fetch,
      caches: first.caches,
      crypto: globalThis.crypto,
      source: sourceFromBase(),
      baseUrl: ORIGIN,
    });
    const events: Progress[] = [];
    const loaded = await second.loadFile(FILE, (p) => events.push(p));

    expect(loaded.bytes).toEqual(CONTENT);
    expect(loaded.origin).toBe('cache');
    expect(offline.calls).toEqual([]);
    expect(events).toEqual([
      { kind: 'download', file: FILE.path, loadedBytes: FILE_BYTES, totalBytes: FILE_BYTES, fromCache: true },
    ]);
  });

  const SKIPPED_SELF_HOSTED = [
    { name: 'Vite SPA fallback (text/html)', route: spaFallback, reason: 'text/html' },
    { name: 'a 404', route: notFound, reason: 'HTTP 404' },
    { name: 'a file of another size', route: () => fileResponse(CONTENT.slice(0, 500)), reason: 'size 500' },
  ];
  it.each(SKIPPED_SELF_HOSTED)('skips a self-hosted $name in favour of the hub URL', async ({ route }) => {
    const { store, net, caches } = makeStore({ [SELF_URL]: route, [HUB_URL]: () => fileResponse(CONTENT) });
    const loaded = await store.loadFile(FILE);
    expect(loaded.bytes).toEqual(CONTENT);
    expect(loaded.origin).toBe('hub');
    expect(net.calls).toEqual([SELF_URL, HUB_URL]);
    expect(caches.urls(DEFAULT_CACHE_NAME)).toEqual([HUB_URL]);
  });

  it('says why each self-hosted answer was rejected when the hub fails too', async () => {
    const html = makeStore({ [SELF_URL]: spaFallback, [HUB_URL]: notFound });
    const notThere = await rejection(html.store.getFile(FILE));
    expect(notThere).toBeInstanceOf(ModelNotFoundError);
    expect((notThere as Error).message).toContain(`${SELF_URL} (text/html page, not the file)`);

    const stale = makeStore({ [SELF_URL]: () => fileResponse(CONTENT.slice(0, 500)), [HUB_URL]: notFound });
    const wrongSize = await rejection(stale.store.getFile(FILE));
    expect(wrongSize).toBeInstanceOf(IntegrityError);
    expect((wrongSize as Error).message).toContain(
      `from ${SELF_URL} is corrupt: its size is 500 bytes, expected ${FILE_BYTES}`,
    );
  });

  it('tries only the base URL of a custom source', async () => {
    const base = 'https://mirror.example/timbre/';
    const { store, net } = makeStore(
      { [`${base}${FILE.path}`]: () => fileResponse(CONTENT) },
      { source: sourceFromBase(base) },
    );
    expect(await store.getFile(FILE)).toEqual(CONTENT);
    expect(net.calls).toEqual([`${base}${FILE.path}`]);
  });

  it('still returns the file when the cache refuses to store it (quota)', async () => {
    const { store, caches, warnings } = makeStore({ [SELF_URL]: () => fileResponse(CONTENT) });
    (await caches.open(DEFAULT_CACHE_NAME)).putError = new Error('QuotaExceededError');
    expect(await store.getFile(FILE)).toEqual(CONTENT);
    expect(caches.urls(DEFAULT_CACHE_NAME)).toEqual([]);
    expect(warnings.join()).toMatch(/Could not cache .*QuotaExceededError/);
  });

  it('checks only the size when crypto.subtle is missing (insecure origin)', async () => {
    const { store, warnings } = makeStore({ [SELF_URL]: () => fileResponse(CONTENT) }, { crypto: {} });
    expect(await store.getFile(FILE)).toEqual(CONTENT);
    expect(warnings.join()).toMatch(/checked by size only/);
    const truncated = makeStore(
      { [SELF_URL]: () => fileResponse(CONTENT, { truncateAt: 10 }) },
      { crypto: {} },
    );
    expect(await rejection(truncated.store.getFile(FILE))).toBeInstanceOf(IntegrityError);
  });

  it('works without Cache Storage at all (insecure origin)', async () => {
    const { store } = makeStore({ [SELF_URL]: () => fileResponse(CONTENT) }, { caches: undefined });
    expect(await store.getFile(FILE)).toEqual(CONTENT);
    expect(await store.isCached(FILE)).toBe(false);
    expect(await store.listCached()).toEqual([]);
  });
});

describe('getFile: failures', () => {
  const CORRUPT = [
    {
      name: 'a truncated body',
      route: () => fileResponse(CONTENT, { truncateAt: 6_000 }),
      check: 'size',
      actual: '6000',
    },
    {
      name: 'a body longer than the manifest says',
      route: () =>
        fileResponse(new Uint8Array(FILE_BYTES + 10), { headers: { 'Content-Length': String(FILE_BYTES) } }),
      check: 'size',
      actual: `more than ${FILE_BYTES}`,
    },
    {
      name: 'a wrong SHA-256',
      route: () => fileResponse(CONTENT.map((b) => b ^ 1)),
      check: 'sha256',
      actual: undefined,
    },
  ];
  it.each(CORRUPT)('$name -> IntegrityError and nothing cached', async ({ route, check, actual }) => {
    const { store, caches } = makeStore({ [SELF_URL]: notFound, [HUB_URL]: route });
    const error = await rejection(store.getFile(FILE));
    expect(error).toBeInstanceOf(IntegrityError);
    const integrity = error as IntegrityError;
    expect(integrity.check).toBe(check);
    if (actual) expect(integrity.actual).toBe(actual);
    expect(integrity.message).toContain(FILE.path);
    expect(integrity.message).toContain('discarded');
    expect(caches.urls(DEFAULT_CACHE_NAME)).toEqual([]);
  });

  it('404 on every candidate -> ModelNotFoundError naming the file, the URLs and models:fetch', async () => {
    const { store } = makeStore({ [SELF_URL]: notFound, [HUB_URL]: notFound });
    const error = await rejection(store.getFile(FILE));
    expect(error).toBeInstanceOf(ModelNotFoundError);
    const message = (error as Error).message;
    expect(message).toContain(`Model file ${FILE.path} was not found`);
    expect(message).toContain(`${SELF_URL} (HTTP 404)`);
    expect(message).toContain(`${HUB_URL} (HTTP 404)`);
    expect(message).toContain('npm run models:fetch');
    expect(message).toContain(`public/models/${FILE.path}`);
  });

  it('fetch TypeError (offline or CORS) -> ModelNetworkError', async () => {
    const { store } = makeStore({ [SELF_URL]: spaFallback });
    const error = await rejection(store.getFile(FILE));
    expect(error).toBeInstanceOf(ModelNetworkError);
    expect((error as Error).message).toContain(`${HUB_URL} (network error)`);
  });

  it("a request the site's Content-Security-Policy blocked says so, naming the origin and connect-src", async () => {
    // The event arrives as its own task after fetch rejects, as in a worker.
    const listeners: ((event: { blockedURI: string }) => void)[] = [];
    const violations = new CspViolations({ addEventListener: (_type, listener) => listeners.push(listener) });
    const blockingFetch = (url: string): Promise<Response> => {
      if (url === HUB_URL)
        setTimeout(() => listeners.forEach((listener) => listener({ blockedURI: url })), 0);
      return Promise.reject(new TypeError('Failed to fetch'));
    };
    const { store } = makeStore({}, { fetch: blockingFetch, cspViolations: violations });
    const error = await rejection(store.getFile(FILE));
    expect(error).toBeInstanceOf(ModelNetworkError);
    const message = (error as Error).message;
    expect(message).toContain(
      `this site's Content-Security-Policy does not allow ${new URL(HUB_URL).origin}, so the browser blocked the request`,
    );
    expect(message).toContain('connect-src');
    expect(message).toContain(`${HUB_URL} (blocked by this site's Content-Security-Policy)`);
    expect(message).toContain(`${SELF_URL} (network error)`);
  });

  it('a 5xx from the hub is a network error, not "not found"', async () => {
    const { store } = makeStore({
      [SELF_URL]: notFound,
      [HUB_URL]: () => new Response('busy', { status: 503 }),
    });
    expect(await rejection(store.getFile(FILE))).toBeInstanceOf(ModelNetworkError);
  });

  it('an abort signal stops a download that is in progress', async () => {
    let cancelled = false;
    const controller = new AbortController();
    const { store, caches } = makeStore({
      [SELF_URL]: () => fileResponse(CONTENT, { stallAt: 2_048, onCancel: () => (cancelled = true) }),
    });
    const events: Progress[] = [];
    const pending = store.getFile(
      FILE,
      (p) => {
        events.push(p);
        if (p.kind === 'download' && p.loadedBytes >= 2_048) controller.abort();
      },
      controller.signal,
    );
    expect(await rejection(pending)).toBeInstanceOf(AbortedError);
    expect(cancelled).toBe(true);
    expect(caches.urls(DEFAULT_CACHE_NAME)).toEqual([]);
  });

  it('an already aborted signal fetches nothing', async () => {
    const { store, net } = makeStore({ [SELF_URL]: () => fileResponse(CONTENT) });
    expect(await rejection(store.getFile(FILE, undefined, AbortSignal.abort()))).toBeInstanceOf(AbortedError);
    expect(net.calls).toEqual([]);
  });
});

describe('cache management', () => {
  const OTHER: ModelFile = {
    path: 'voices/af_heart.bin',
    url: 'https://hub.example/voices/af_heart.bin',
    bytes: 64,
  };
  const OTHER_URL = `${ORIGIN}models/${OTHER.path}`;

  async function storeWithBoth() {
    const made = makeStore({
      [SELF_URL]: () => fileResponse(CONTENT),
      [OTHER_URL]: () => fileResponse(new Uint8Array(64)),
    });
    await made.store.getFile(FILE);
    await made.store.getFile(OTHER);
    return made;
  }

  it('lists, checks and deletes cached files', async () => {
    const { store } = await storeWithBoth();
    expect(await store.listCached()).toEqual([
      { url: SELF_URL, path: FILE.path, bytes: FILE_BYTES },
      { url: OTHER_URL, path: OTHER.path, bytes: 64 },
    ]);
    expect(await store.isCached(FILE)).toBe(true);

    await store.deleteCached(SELF_URL);
    expect(await store.isCached(FILE)).toBe(false);
    expect((await store.listCached()).map((f) => f.path)).toEqual([OTHER.path]);

    await store.deleteCached();
    expect(await store.listCached()).toEqual([]);
    expect(await store.isCached(OTHER)).toBe(false);
  });

  it('drops a cached copy whose digest no longer matches the manifest and downloads again', async () => {
    const { store, caches, net } = makeStore({ [SELF_URL]: () => fileResponse(CONTENT) });
    (await caches.open(DEFAULT_CACHE_NAME)).seed(SELF_URL, CONTENT, { [SHA256_HEADER]: 'f'.repeat(64) });
    expect(await store.isCached(FILE)).toBe(false);
    expect(await store.getFile(FILE)).toEqual(CONTENT);
    expect(net.calls).toEqual([SELF_URL]);
    const refreshed = await (await caches.open(DEFAULT_CACHE_NAME)).match(SELF_URL);
    expect(refreshed?.headers.get(SHA256_HEADER)).toBe(FILE.sha256);
  });

  it('drops a cached copy of the wrong size', async () => {
    const { store, caches, net } = makeStore({ [SELF_URL]: () => fileResponse(CONTENT) });
    (await caches.open(DEFAULT_CACHE_NAME)).seed(SELF_URL, CONTENT.slice(0, 10));
    expect(await store.getFile(FILE)).toEqual(CONTENT);
    expect(net.calls).toEqual([SELF_URL]);
  });

  it('uses the cache name it was given', async () => {
    const { store, caches } = makeStore(
      { [SELF_URL]: () => fileResponse(CONTENT) },
      { cacheName: 'timbre-test' },
    );
    await store.getFile(FILE);
    expect(caches.urls('timbre-test')).toEqual([SELF_URL]);
    expect(caches.urls(DEFAULT_CACHE_NAME)).toEqual([]);
  });
});

describe('loadManifest', () => {
  const MANIFEST_JSON = JSON.stringify(
    minimalManifest(FILE, {
      path: 'speaker/onnx/model_quantized.onnx',
      url: 'https://hub.example/s.onnx',
      bytes: 5,
    }),
  );

  const json = () => new Response(MANIFEST_JSON, { headers: { 'Content-Type': 'application/json' } });

  const SOURCES: { name: string; source: ModelSource; url: string }[] = [
    { name: 'default source', source: sourceFromBase(), url: `${ORIGIN}models/manifest.json` },
    {
      name: 'custom base',
      source: sourceFromBase('https://mirror.example/m'),
      url: 'https://mirror.example/m/manifest.json',
    },
  ];
  it.each(SOURCES)('reads <base>manifest.json for the $name', async ({ source, url }) => {
    const { store, net } = makeStore({ [url]: json }, { source });
    const manifest = await store.loadManifest();
    expect(manifest.kokoro.variants[0]?.path).toBe(FILE.path);
    expect(net.calls).toEqual([url]);
  });

  it('falls back to the cached manifest when offline, and never lists it as a model file', async () => {
    const online = makeStore({ [`${ORIGIN}models/manifest.json`]: json });
    await online.store.loadManifest();
    expect(await online.store.listCached()).toEqual([]);
    const offline = createModelStore({
      fetch: fakeFetch({}).fetch,
      caches: online.caches,
      crypto: globalThis.crypto,
      source: sourceFromBase(),
      baseUrl: ORIGIN,
    });
    expect((await offline.loadManifest()).kokoro.id).toBe('k');
  });

  it('reports a missing manifest (SPA fallback page) and an invalid one', async () => {
    const missing = makeStore({ [`${ORIGIN}models/manifest.json`]: spaFallback });
    expect(await rejection(missing.store.loadManifest())).toBeInstanceOf(ModelNotFoundError);
    const invalid = makeStore({ [`${ORIGIN}models/manifest.json`]: () => new Response('{"version": 2}') });
    const error = await rejection(invalid.store.loadManifest());
    expect(error).toBeInstanceOf(ManifestError);
    expect((error as Error).message).toContain(`${ORIGIN}models/manifest.json`);
  });

  it('offline with nothing cached -> ModelNetworkError', async () => {
    const { store } = makeStore({});
    expect(await rejection(store.loadManifest())).toBeInstanceOf(ModelNetworkError);
  });
});

describe('isLocal (may a stand-in variant be used instead of a hub download?)', () => {
  const headOnly =
    (response: () => Response): Route =>
    (init) => {
      expect(init?.method).toBe('HEAD');
      return response();
    };

  it('is true for a self-hosted copy of the right size, and never asks the hub', async () => {
    const { store, net } = makeStore({ [SELF_URL]: headOnly(() => fileResponse(CONTENT)) });
    expect(await store.isLocal(FILE)).toBe(true);
    expect(net.calls).toEqual([SELF_URL]);
  });

  it('is false for the SPA fallback page, a 404, a wrong size or no answer', async () => {
    for (const route of [spaFallback, notFound, () => fileResponse(new Uint8Array(10))]) {
      const { store, net } = makeStore({
        [SELF_URL]: headOnly(route),
        [HUB_URL]: () => fileResponse(CONTENT),
      });
      expect(await store.isLocal(FILE)).toBe(false);
      expect(net.calls).not.toContain(HUB_URL);
    }
    expect(await makeStore({}).store.isLocal(FILE)).toBe(false);
  });

  it('is true for a cached copy without asking the network', async () => {
    const { store, net } = makeStore({ [SELF_URL]: () => fileResponse(CONTENT) });
    await store.getFile(FILE);
    const before = net.calls.length;
    expect(await store.isLocal(FILE)).toBe(true);
    expect(net.calls.length).toBe(before);
  });
});
