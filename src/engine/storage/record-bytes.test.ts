import { describe, expect, it } from 'vitest';
import { recordBytes, utf8Bytes } from './record-bytes';

describe('utf8Bytes', () => {
  const TESTS = [
    { input: '', target: 0 },
    { input: 'clone:abc', target: 9 },
    { input: 'café', target: 5 },
    { input: '“voice”', target: 11 },
    { input: '🙂', target: 4 },
    { input: 'a🙂b', target: 6 },
  ];
  it.each(TESTS)('$input -> $target', ({ input, target }) => {
    expect(utf8Bytes(input)).toBe(target);
  });
});

describe('recordBytes', () => {
  it('counts binary data at its size, strings as UTF-8, numbers as 8 bytes and property names', () => {
    const pack = new Float32Array(510 * 256);
    expect(recordBytes(pack)).toBe(510 * 256 * 4);
    expect(recordBytes({ id: 'abc', pack })).toBe(2 + 3 + 4 + 510 * 256 * 4);
    expect(recordBytes({ n: 1, ok: true, none: null, gone: undefined })).toBe(1 + 8 + 2 + 8 + 4 + 8 + 4);
    expect(recordBytes(['ab', 2])).toBe(2 + 8);
  });

  it('counts a view by its whole buffer, and a buffer shared by two views once', () => {
    const buffer = new ArrayBuffer(4_000);
    const head = new Float32Array(buffer, 0, 10);
    const tail = new Uint8Array(buffer, 3_000);
    expect(recordBytes(head)).toBe(4_000); // structured clone stores the whole buffer
    expect(recordBytes({ a: head, b: tail })).toBe(2 + 4_000);
    expect(recordBytes(buffer)).toBe(4_000);
  });

  it('follows nested records (a checkpoint with its state) and cycles once', () => {
    const history = new Float32Array(5 * 100);
    const record = {
      id: 'job',
      best: new Float32Array(256),
      state: { version: 1, history, checkpoint: { pending: [1, 2, 3], tags: new Set(['x']) } },
    };
    const expected = 2 + 3 + (4 + 256 * 4) + (5 + (7 + 8) + (7 + 2_000) + (10 + (7 + 24) + (4 + 1)));
    expect(recordBytes(record)).toBe(expected);
    const cyclic: { self?: unknown; v: number } = { v: 1 };
    cyclic.self = cyclic;
    expect(recordBytes(cyclic)).toBe(1 + 8 + 4);
  });
});
