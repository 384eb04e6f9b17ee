/**
 * readVerified over both kinds of body: a byte stream (fetch in browsers and Node: read with a
 * BYOB reader straight into the file's buffer) and a plain stream (read chunk by chunk). Both
 * give the same bytes and the same size errors.
 */
import { describe, expect, it } from 'vitest';
import { IntegrityError } from '../../engine/models/errors';
import type { ModelFile } from '../../engine/models/manifest';
import { readVerified } from './read-verified';

const SIZE = 100_000;
const FILE: ModelFile = { path: 'kokoro/model.onnx', url: 'https://example.invalid/model.onnx', bytes: SIZE };
const content = (length: number) => Uint8Array.from({ length }, (_, i) => (i * 7) % 251);

/** A body of `bytes` in 8 kB chunks, as a byte stream or as a plain one. */
function body(bytes: Uint8Array, kind: 'bytes' | 'plain'): ReadableStream<Uint8Array> {
  let offset = 0;
  const next = () => {
    const chunk = bytes.slice(offset, offset + 8_192);
    offset += chunk.byteLength;
    return chunk;
  };
  if (kind === 'bytes') {
    return new ReadableStream({
      type: 'bytes',
      pull(controller) {
        if (offset >= bytes.byteLength) {
          controller.close();
          controller.byobRequest?.respond(0);
        } else controller.enqueue(next());
      },
    }) as ReadableStream<Uint8Array>;
  }
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.byteLength) controller.close();
      else controller.enqueue(next());
    },
  });
}

const read = (bytes: Uint8Array, kind: 'bytes' | 'plain') => {
  const progress: number[] = [];
  const response = new Response(body(bytes, kind));
  const stream = response.body!;
  const getReader = stream.getReader.bind(stream) as (options?: { mode?: 'byob' }) => unknown;
  // Which reader readVerified took: a byte stream must be read with a BYOB reader.
  Object.defineProperty(stream, 'getReader', {
    value: (options?: { mode?: 'byob' }) => {
      modes.push(options?.mode ?? 'default');
      return getReader(options);
    },
  });
  const result = readVerified(response, FILE, FILE.url, {
    subtle: undefined,
    onProgress: (p) => void (p.kind === 'download' && progress.push(p.loadedBytes)),
    progressIntervalMs: 0,
    now: () => 0,
  });
  return { result, progress };
};

let modes: string[] = [];

describe.each(['bytes', 'plain'] as const)('readVerified, a %s body', (kind) => {
  it('gives the whole file, with progress up to its size', async () => {
    modes = [];
    const { result, progress } = read(content(SIZE), kind);
    const bytes = await result;
    // A byte stream is read with a BYOB reader; a plain one after that reader was refused.
    expect(modes).toEqual(kind === 'bytes' ? ['byob'] : ['byob', 'default']);
    expect(bytes.byteLength).toBe(SIZE);
    expect(bytes.buffer.byteLength).toBe(SIZE);
    expect(bytes).toEqual(content(SIZE));
    expect(progress[0]).toBe(0);
    expect(progress.at(-1)).toBe(SIZE);
  });

  it('refuses a body one byte too long', async () => {
    const error = await read(content(SIZE + 1), kind).result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IntegrityError);
    expect((error as IntegrityError).message).toContain(`more than ${SIZE}`);
  });

  it('refuses a body one byte short', async () => {
    const error = await read(content(SIZE - 1), kind).result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IntegrityError);
    expect((error as IntegrityError).message).toContain(String(SIZE - 1));
  });
});
