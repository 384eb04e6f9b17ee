/**
 * Streams one HTTP response body into a buffer of exactly the manifest's size, reporting
 * download progress, then checks size and SHA-256. Nothing here touches the cache: a body that
 * fails a check is simply dropped, so a corrupt download can never be stored.
 */
import { IntegrityError } from '../../engine/models/errors';
import { bytesToHex } from '../../engine/models/format';
import type { ModelFile } from '../../engine/models/manifest';
import { AbortedError, type ProgressCallback } from '../../engine/progress';

/** The part of `crypto.subtle` the store uses. */
export interface DigestLike {
  digest(algorithm: 'SHA-256', data: Uint8Array<ArrayBuffer>): Promise<ArrayBuffer>;
}

export interface ReadOptions {
  /** Undefined on insecure origins (no crypto.subtle): then only the size is checked. */
  subtle: DigestLike | undefined;
  onProgress?: ProgressCallback;
  signal?: AbortSignal;
  /** Minimum time between two progress reports; the first and the last are always sent. */
  progressIntervalMs: number;
  now: () => number;
}

export function isAbortError(error: unknown): boolean {
  return error instanceof AbortedError || (error instanceof Error && error.name === 'AbortError');
}

export async function sha256Hex(subtle: DigestLike, bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  return bytesToHex(new Uint8Array(await subtle.digest('SHA-256', bytes)));
}

/** A BYOB reader of `body` where the stream is a byte stream (fetch bodies in browsers), else undefined. */
function byobReader(body: ReadableStream<Uint8Array>): ReadableStreamBYOBReader | undefined {
  if (typeof ReadableStreamBYOBReader === 'undefined') return undefined;
  try {
    return body.getReader({ mode: 'byob' });
  } catch {
    return undefined; // not a byte stream: read chunk by chunk
  }
}

/**
 * Reads `response` (already accepted as the file) for `file`, fetched from `url`.
 * Throws IntegrityError (size or SHA-256), AbortedError, or the stream's own error
 * (a TypeError when the connection drops mid-body).
 */
export async function readVerified(
  response: Response,
  file: ModelFile,
  url: string,
  options: ReadOptions,
): Promise<Uint8Array<ArrayBuffer>> {
  const { onProgress, signal, progressIntervalMs, now } = options;
  const total = file.bytes;
  // One allocation of the final size: a 326 MB model is never held twice while downloading.
  let buffer = new Uint8Array(new ArrayBuffer(total));
  let loaded = 0;
  let lastReportMs = -Infinity;
  const report = (force: boolean): void => {
    if (!onProgress) return;
    const time = now();
    if (!force && time - lastReportMs < progressIntervalMs) return;
    lastReportMs = time;
    onProgress({
      kind: 'download',
      file: file.path,
      loadedBytes: loaded,
      totalBytes: total,
      fromCache: false,
    });
  };

  if (!response.body) throw new IntegrityError(file.path, url, 'size', String(total), '0');
  const body = response.body;
  const byob = byobReader(body);
  const reader: ReadableStreamBYOBReader | ReadableStreamDefaultReader<Uint8Array> = byob ?? body.getReader();
  // A read that is waiting for the network only ends when the reader is cancelled.
  const cancelOnAbort = (): void => void reader.cancel().catch(() => undefined);
  signal?.addEventListener('abort', cancelOnAbort, { once: true });
  /** Reads the next part of the body into `buffer` at `loaded`; its length, or undefined at the end. */
  const next = async (): Promise<number | undefined> => {
    if (byob) {
      // Straight into `buffer`: no chunk of the download is left for the collector (a 92 MB
      // model read by the default reader leaves 92 MB of spent chunks). Once full, a one-byte
      // probe: anything more is a longer body than the manifest's.
      const view = loaded < total ? new Uint8Array(buffer.buffer, loaded, total - loaded) : new Uint8Array(1);
      const { done, value } = await byob.read(view);
      if (loaded < total && value) buffer = new Uint8Array(value.buffer); // the read moved it
      return done ? undefined : value.byteLength;
    }
    const { done, value } = await (reader as ReadableStreamDefaultReader<Uint8Array>).read();
    if (done) return undefined;
    if (loaded + value.byteLength <= total) buffer.set(value, loaded);
    return value.byteLength;
  };
  try {
    report(true);
    for (;;) {
      if (signal?.aborted) throw new AbortedError();
      const length = await next();
      if (signal?.aborted) throw new AbortedError();
      if (length === undefined) break;
      if (loaded + length > total) {
        await reader.cancel().catch(() => undefined);
        throw new IntegrityError(file.path, url, 'size', String(total), `more than ${total}`);
      }
      loaded += length;
      report(loaded === total);
    }
  } catch (error) {
    if (signal?.aborted || isAbortError(error)) throw new AbortedError();
    throw error;
  } finally {
    signal?.removeEventListener('abort', cancelOnAbort);
  }

  if (loaded !== total) throw new IntegrityError(file.path, url, 'size', String(total), String(loaded));
  if (file.sha256 && options.subtle) {
    const actual = await sha256Hex(options.subtle, buffer);
    if (actual !== file.sha256) throw new IntegrityError(file.path, url, 'sha256', file.sha256, actual);
  }
  return buffer;
}
