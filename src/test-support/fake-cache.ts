/**
 * An in-memory Cache Storage for Node tests: the subset of the Cache API that the model store
 * uses (open / delete / has / keys on the storage; match / put / delete / keys on a cache).
 * Like the real one, `put` consumes the response body and `match` returns a fresh Response.
 */

interface StoredResponse {
  body: ArrayBuffer;
  status: number;
  headers: [string, string][];
}

function keyOf(request: string | { url: string }): string {
  return typeof request === 'string' ? request : request.url;
}

export class FakeCache {
  readonly entries = new Map<string, StoredResponse>();
  /** Set to make the next puts fail, like a browser out of quota. */
  putError: Error | undefined;

  async match(request: string | { url: string }): Promise<Response | undefined> {
    const stored = this.entries.get(keyOf(request));
    if (!stored) return undefined;
    return new Response(stored.body.slice(0), { status: stored.status, headers: stored.headers });
  }

  async put(request: string | { url: string }, response: Response): Promise<void> {
    if (this.putError) throw this.putError;
    const body = await response.arrayBuffer();
    const headers: [string, string][] = [];
    response.headers.forEach((value, name) => headers.push([name, value]));
    this.entries.set(keyOf(request), { body, status: response.status, headers });
  }

  async delete(request: string | { url: string }): Promise<boolean> {
    return this.entries.delete(keyOf(request));
  }

  async keys(): Promise<{ url: string }[]> {
    return [...this.entries.keys()].map((url) => ({ url }));
  }

  /** Test helper: store raw bytes under a URL with the given headers. */
  seed(url: string, bytes: Uint8Array, headers: Record<string, string> = {}): void {
    const body = bytes.slice().buffer as ArrayBuffer;
    this.entries.set(url, {
      body,
      status: 200,
      headers: Object.entries({ 'content-length': String(bytes.byteLength), ...headers }),
    });
  }
}

export class FakeCacheStorage {
  readonly caches = new Map<string, FakeCache>();
  /** Names passed to open(), in order (to assert which cache a store used). */
  readonly opened: string[] = [];

  async open(name: string): Promise<FakeCache> {
    this.opened.push(name);
    let cache = this.caches.get(name);
    if (!cache) {
      cache = new FakeCache();
      this.caches.set(name, cache);
    }
    return cache;
  }

  async has(name: string): Promise<boolean> {
    return this.caches.has(name);
  }

  async delete(name: string): Promise<boolean> {
    return this.caches.delete(name);
  }

  async keys(): Promise<string[]> {
    return [...this.caches.keys()];
  }

  /** Test helper: the URLs stored in one cache (empty when the cache does not exist). */
  urls(name: string): string[] {
    return [...(this.caches.get(name)?.entries.keys() ?? [])];
  }
}
