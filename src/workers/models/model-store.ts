/**
 * Loads model files for a worker: Cache Storage first, then the candidate URLs of the model
 * source (self-hosted `/models/`, then the hub; or one custom base), verifying every download
 * before it is cached so that a second visit works offline. fetch, caches and crypto are
 * injected, so the same code runs in a worker, a window and Node tests.
 */
import {
  BLOCKED_BY_POLICY,
  IntegrityError,
  ModelNetworkError,
  ModelNotFoundError,
  StorageQuotaError,
  type FailedAttempt,
} from '../../engine/models/errors';
import type { ModelFile, ModelManifest } from '../../engine/models/manifest';
import {
  candidateUrls,
  manifestUrl,
  MANIFEST_FILE_NAME,
  type CandidateOrigin,
  type ModelSource,
} from '../../engine/models/sources';
import { parseManifestText } from '../../engine/models/validate';
import { describeModelFile } from '../../engine/models/variants';
import {
  availableBytes,
  checkDownloadFits,
  type StorageEstimateLike,
} from '../../engine/storage/download-fit';
import { AbortedError, throwIfAborted, type ProgressCallback } from '../../engine/progress';
import type { CachedFile } from '../protocol';
import { CspViolations } from './csp-violations';
import { DEFAULT_CACHE_NAME, ModelCache, type CacheStorageLike } from './model-cache';
import { isAbortError, readVerified, type DigestLike } from './read-verified';

export { DEFAULT_CACHE_NAME, PATH_HEADER, SHA256_HEADER } from './model-cache';
export type { CacheLike, CacheStorageLike } from './model-cache';
export type { DigestLike } from './read-verified';

const PROGRESS_INTERVAL_MS = 100;

export type FetchLike = (url: string, init?: RequestInit) => Promise<Response>;

export interface ModelStoreOptions {
  fetch: FetchLike;
  /** Undefined where Cache Storage does not exist (insecure origins): files then load every time. */
  caches: CacheStorageLike | undefined;
  /** Anything with `subtle.digest`, e.g. `self.crypto`; `subtle` is missing on insecure origins. */
  crypto: { subtle?: DigestLike };
  source: ModelSource;
  cacheName?: string;
  /** Resolves relative candidate URLs (`/models/...`); defaults to the global `location`. */
  baseUrl?: string;
  progressIntervalMs?: number;
  now?: () => number;
  /** Non-fatal problems (a full disk refusing the cache write); defaults to console.warn. */
  onWarning?: (message: string) => void;
  /**
   * What the browser still lets this site store (`navigator.storage.estimate`). A file that is
   * not cached and would not fit is refused before its download starts (StorageQuotaError).
   * Undefined: no check.
   */
  estimate?: () => Promise<StorageEstimateLike>;
  /** Tells a request the site's Content-Security-Policy blocked from a network failure. */
  cspViolations?: Pick<CspViolations, 'blocks'>;
}

export interface LoadedFile {
  bytes: Uint8Array<ArrayBuffer>;
  /** The absolute URL the bytes came from (the cache key). */
  url: string;
  /** Where a download came from; `cache` when nothing was downloaded. */
  origin: CandidateOrigin | 'cache';
}

export interface ModelStore {
  readonly source: ModelSource;
  loadManifest(signal?: AbortSignal): Promise<ModelManifest>;
  getFile(
    file: ModelFile,
    onProgress?: ProgressCallback,
    signal?: AbortSignal,
  ): Promise<Uint8Array<ArrayBuffer>>;
  /** getFile that also says where the bytes came from (for the engine status line). */
  loadFile(file: ModelFile, onProgress?: ProgressCallback, signal?: AbortSignal): Promise<LoadedFile>;
  isCached(file: ModelFile): Promise<boolean>;
  /**
   * True when the file can be had without the model hub: cached, or present at the source's own
   * folder (self-hosted or custom base; asked with HEAD: right size, not an HTML page).
   */
  isLocal(file: ModelFile): Promise<boolean>;
  listCached(): Promise<CachedFile[]>;
  /** Deletes one cached URL, or the whole cache when `url` is undefined. */
  deleteCached(url?: string): Promise<void>;
}

type Outcome =
  | { kind: 'ok'; bytes: Uint8Array<ArrayBuffer> }
  | { kind: 'missing' | 'network'; attempt: FailedAttempt }
  | { kind: 'integrity'; attempt: FailedAttempt; error: IntegrityError };

/** How long `isLocal` waits for a self-hosted copy to answer HEAD. */
const IS_LOCAL_TIMEOUT_MS = 3_000;

function defaultBaseUrl(): string | undefined {
  return (globalThis as { location?: { href: string } }).location?.href;
}

export function createModelStore(options: ModelStoreOptions): ModelStore {
  const { source, crypto } = options;
  const baseUrl = options.baseUrl ?? defaultBaseUrl();
  const now = options.now ?? (() => performance.now());
  const progressIntervalMs = options.progressIntervalMs ?? PROGRESS_INTERVAL_MS;
  const warn = options.onWarning ?? ((message: string) => console.warn(message));
  const cache = new ModelCache(options.caches, options.cacheName ?? DEFAULT_CACHE_NAME, warn);
  const doFetch = options.fetch;
  /** Why a fetch threw: the site's policy, if it blocked that origin, else the network. */
  const failureReason = async (url: string): Promise<string> =>
    (await options.cspViolations?.blocks(url)) ? BLOCKED_BY_POLICY : 'network error';
  if (!crypto.subtle)
    warn('crypto.subtle is unavailable (insecure origin): downloads are checked by size only.');

  const absolute = (url: string): string => (baseUrl ? new URL(url, baseUrl).href : url);
  /** The last manifest read, to name files in messages ("Kokoro q8" rather than a path). */
  let knownManifest: ModelManifest | undefined;

  /**
   * Refuses a download that the cache could not keep: it would fail to be stored after the whole
   * transfer (and come down again on every visit). Only a missing file is counted, and only
   * where there is a cache to keep it in; a browser that does not answer is not second-guessed.
   */
  async function ensureRoom(file: ModelFile): Promise<void> {
    if (!options.caches || !options.estimate) return;
    let estimate: StorageEstimateLike;
    try {
      estimate = await options.estimate();
    } catch {
      return;
    }
    const what = describeModelFile(knownManifest, file);
    const named = what === file.path ? what : `${what} (${file.path})`;
    const message = checkDownloadFits(file.bytes, estimate, named);
    if (message) throw new StorageQuotaError(file.path, file.bytes, availableBytes(estimate) ?? 0, message);
  }

  async function fromCache(file: ModelFile, onProgress?: ProgressCallback): Promise<LoadedFile | undefined> {
    for (const candidate of candidateUrls(file, source)) {
      const url = absolute(candidate.url);
      const bytes = await cache.readFile(url, file);
      if (!bytes) continue;
      onProgress?.({
        kind: 'download',
        file: file.path,
        loadedBytes: bytes.byteLength,
        totalBytes: file.bytes,
        fromCache: true,
      });
      return { bytes, url, origin: 'cache' };
    }
    return undefined;
  }

  async function tryCandidate(
    file: ModelFile,
    url: string,
    onProgress?: ProgressCallback,
    signal?: AbortSignal,
  ): Promise<Outcome> {
    let response: Response;
    try {
      response = await doFetch(url, { signal });
    } catch (error) {
      if (signal?.aborted || isAbortError(error)) throw new AbortedError();
      return { kind: 'network', attempt: { url, reason: await failureReason(url) } };
    }
    const skip = (kind: 'missing' | 'network', reason: string): Outcome => {
      void response.body?.cancel().catch(() => undefined);
      return { kind, attempt: { url, reason } };
    };
    if (response.status === 404 || response.status === 410) return skip('missing', `HTTP ${response.status}`);
    if (!response.ok) return skip('network', `HTTP ${response.status}`);
    // Vite (and most SPA hosts) answer unknown paths with index.html and status 200.
    if ((response.headers.get('Content-Type') ?? '').includes('text/html'))
      return skip('missing', 'text/html page, not the file');
    const length = response.headers.get('Content-Length');
    const encoding = response.headers.get('Content-Encoding');
    // With content coding the header counts compressed bytes, so only plain bodies are checked early.
    if (length !== null && (!encoding || encoding === 'identity') && Number(length) !== file.bytes) {
      void response.body?.cancel().catch(() => undefined);
      const error = new IntegrityError(file.path, url, 'size', String(file.bytes), length);
      return { kind: 'integrity', attempt: { url, reason: `size ${length}, expected ${file.bytes}` }, error };
    }
    try {
      const bytes = await readVerified(response, file, url, {
        subtle: crypto.subtle,
        onProgress,
        signal,
        progressIntervalMs,
        now,
      });
      return { kind: 'ok', bytes };
    } catch (error) {
      if (error instanceof AbortedError) throw error;
      if (error instanceof IntegrityError)
        return { kind: 'integrity', attempt: { url, reason: `corrupt (${error.check})` }, error };
      return { kind: 'network', attempt: { url, reason: 'connection lost' } };
    }
  }

  async function loadFile(
    file: ModelFile,
    onProgress?: ProgressCallback,
    signal?: AbortSignal,
  ): Promise<LoadedFile> {
    throwIfAborted(signal);
    const cached = await fromCache(file, onProgress);
    if (cached) return cached;
    await ensureRoom(file);

    const attempts: FailedAttempt[] = [];
    let integrityError: IntegrityError | undefined;
    let networkFailed = false;
    for (const candidate of candidateUrls(file, source)) {
      throwIfAborted(signal);
      const url = absolute(candidate.url);
      const outcome = await tryCandidate(file, url, onProgress, signal);
      if (outcome.kind === 'ok') {
        await cache.put(url, outcome.bytes, file.path, 'model', file.sha256);
        return { bytes: outcome.bytes, url, origin: candidate.origin };
      }
      attempts.push(outcome.attempt);
      if (outcome.kind === 'integrity') integrityError ??= outcome.error;
      if (outcome.kind === 'network') networkFailed = true;
    }
    // The most useful explanation wins: a corrupt copy, then a network failure, then "not there".
    if (integrityError) throw integrityError;
    if (networkFailed) throw new ModelNetworkError(file.path, attempts, source);
    throw new ModelNotFoundError(file.path, attempts, source);
  }

  async function loadManifest(signal?: AbortSignal): Promise<ModelManifest> {
    const url = absolute(manifestUrl(source));
    let response: Response | undefined;
    try {
      // Revalidate: a stale manifest would point at files that no longer match.
      response = await doFetch(url, { signal, cache: 'no-cache' });
    } catch (error) {
      if (signal?.aborted || isAbortError(error)) throw new AbortedError();
      const cached = await cache.readText(url);
      if (cached !== undefined) {
        knownManifest = parseManifestText(cached, `${url} (cached copy)`);
        return knownManifest;
      }
      throw new ModelNetworkError(MANIFEST_FILE_NAME, [{ url, reason: await failureReason(url) }], source);
    }
    const isHtml = (response.headers.get('Content-Type') ?? '').includes('text/html');
    if (!response.ok || isHtml) {
      const reason = response.ok ? 'text/html page, not the file' : `HTTP ${response.status}`;
      throw new ModelNotFoundError(MANIFEST_FILE_NAME, [{ url, reason }], source);
    }
    const text = await response.text();
    const manifest = parseManifestText(text, url);
    knownManifest = manifest;
    await cache.put(url, new Uint8Array(new TextEncoder().encode(text)), MANIFEST_FILE_NAME, 'manifest');
    return manifest;
  }

  async function isCached(file: ModelFile): Promise<boolean> {
    for (const candidate of candidateUrls(file, source)) {
      if (await cache.hasFile(absolute(candidate.url), file)) return true;
    }
    return false;
  }

  return {
    source,
    loadManifest,
    loadFile,
    async getFile(file, onProgress, signal) {
      return (await loadFile(file, onProgress, signal)).bytes;
    },
    isCached,
    async isLocal(file) {
      if (await isCached(file)) return true;
      for (const candidate of candidateUrls(file, source)) {
        if (candidate.origin === 'hub') continue;
        try {
          const response = await doFetch(absolute(candidate.url), {
            method: 'HEAD',
            // A self-hosting server that does not answer must not hold the engine's start.
            signal: AbortSignal.timeout(IS_LOCAL_TIMEOUT_MS),
          });
          const isHtml = (response.headers.get('Content-Type') ?? '').includes('text/html');
          const length = response.headers.get('Content-Length');
          if (response.ok && !isHtml && (length === null || Number(length) === file.bytes)) return true;
        } catch {
          // Not reachable: not local.
        }
      }
      return false;
    },
    listCached: () => cache.list(),
    deleteCached: (url) => cache.delete(url === undefined ? undefined : absolute(url)),
  };
}

let violations: CspViolations | undefined;
/** One listener per worker for the policy's `securitypolicyviolation` events. */
function workerCspViolations(): CspViolations {
  return (violations ??= new CspViolations());
}

/** The store over the real browser/worker globals. */
export function createBrowserModelStore(source: ModelSource, cacheName = DEFAULT_CACHE_NAME): ModelStore {
  const scope = globalThis as unknown as {
    caches?: CacheStorageLike;
    navigator?: { storage?: { estimate?: () => Promise<StorageEstimateLike> } };
  };
  const storage = scope.navigator?.storage;
  const estimate = storage?.estimate?.bind(storage);
  return createModelStore({
    fetch: (url, init) => fetch(url, init),
    caches: scope.caches,
    crypto: globalThis.crypto,
    source,
    cacheName,
    // Workers have navigator.storage.estimate too (persist() is the window's: the UI asks for it).
    ...(estimate ? { estimate } : {}),
    cspViolations: workerCspViolations(),
  });
}
