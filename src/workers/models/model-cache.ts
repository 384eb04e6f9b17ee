/**
 * The model files' corner of Cache Storage. Entries are keyed by the absolute URL the bytes came
 * from and carry headers that say what they are, so the cache can be listed and checked against
 * the manifest without reading the (large) bodies. Cache failures never fail a load: a browser
 * out of quota, or without Cache Storage at all, just downloads again next time.
 */
import type { ModelFile } from '../../engine/models/manifest';
import type { CachedFile } from '../protocol';

export const DEFAULT_CACHE_NAME = 'timbre-models-v1';
/** The manifest path of the file (for listCached). */
export const PATH_HEADER = 'x-timbre-path';
/** The SHA-256 the bytes were verified against, so a manifest update invalidates the entry. */
export const SHA256_HEADER = 'x-timbre-sha256';
/** `model` or `manifest` (manifests are cached for offline use but are not listed). */
const KIND_HEADER = 'x-timbre-kind';

/** The subset of the Cache API used here (a real `Cache` satisfies it). */
export interface CacheLike {
  match(url: string): Promise<Response | undefined>;
  put(url: string, response: Response): Promise<void>;
  delete(url: string): Promise<boolean>;
  keys(): Promise<ReadonlyArray<{ url: string }>>;
}

export interface CacheStorageLike {
  open(name: string): Promise<CacheLike>;
  delete(name: string): Promise<boolean>;
}

export type CacheEntryKind = 'model' | 'manifest';

export class ModelCache {
  constructor(
    private readonly storage: CacheStorageLike | undefined,
    private readonly name: string,
    private readonly warn: (message: string) => void,
  ) {}

  private async open(): Promise<CacheLike | undefined> {
    if (!this.storage) return undefined;
    try {
      return await this.storage.open(this.name);
    } catch (error) {
      this.warn(`Cache Storage is unavailable (${String(error)}); model files will not be kept offline.`);
      return undefined;
    }
  }

  async put(
    url: string,
    bytes: Uint8Array<ArrayBuffer>,
    path: string,
    kind: CacheEntryKind,
    sha256?: string,
  ) {
    const cache = await this.open();
    if (!cache) return;
    const headers: Record<string, string> = {
      'Content-Type': 'application/octet-stream',
      'Content-Length': String(bytes.byteLength),
      [PATH_HEADER]: path,
      [KIND_HEADER]: kind,
    };
    if (sha256) headers[SHA256_HEADER] = sha256;
    try {
      await cache.put(url, new Response(bytes, { headers }));
    } catch (error) {
      // Usually a quota error: the file still loads, it just is not kept for next time.
      this.warn(`Could not cache ${url} (${String(error)}); it will be downloaded again next time.`);
    }
  }

  /** Whether an entry's headers (size, and digest when both are known) still fit the manifest entry. */
  private static fits(response: Response, file: ModelFile): boolean {
    const length = response.headers.get('Content-Length');
    if (length === null || Number(length) !== file.bytes) return false;
    const digest = response.headers.get(SHA256_HEADER);
    return !(file.sha256 && digest && digest !== file.sha256);
  }

  /** The cached bytes of `file` under `url`; a stale or damaged entry is deleted and undefined returned. */
  async readFile(url: string, file: ModelFile): Promise<Uint8Array<ArrayBuffer> | undefined> {
    const cache = await this.open();
    const response = await cache?.match(url);
    if (!cache || !response) return undefined;
    const bytes = ModelCache.fits(response, file) ? new Uint8Array(await response.arrayBuffer()) : undefined;
    if (bytes && bytes.byteLength === file.bytes) return bytes;
    await cache.delete(url);
    return undefined;
  }

  async readText(url: string): Promise<string | undefined> {
    const response = await (await this.open())?.match(url);
    return response?.text();
  }

  /** Header-only check: no body is read. */
  async hasFile(url: string, file: ModelFile): Promise<boolean> {
    const response = await (await this.open())?.match(url);
    return response !== undefined && ModelCache.fits(response, file);
  }

  async list(): Promise<CachedFile[]> {
    const cache = await this.open();
    if (!cache) return [];
    const files: CachedFile[] = [];
    for (const request of await cache.keys()) {
      const response = await cache.match(request.url);
      if (!response || response.headers.get(KIND_HEADER) === 'manifest') continue;
      const path = response.headers.get(PATH_HEADER) ?? request.url;
      files.push({ url: request.url, path, bytes: Number(response.headers.get('Content-Length') ?? 0) });
    }
    return files;
  }

  /** Deletes one URL, or the whole cache when `url` is undefined. */
  async delete(url?: string): Promise<void> {
    if (url === undefined) await this.storage?.delete(this.name);
    else await (await this.open())?.delete(url);
  }
}
