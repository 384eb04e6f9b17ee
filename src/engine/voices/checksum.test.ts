import { describe, expect, it } from 'vitest';
import { readStockVoice } from '../../test-support/shared';
import { float32Checksum, rms } from './checksum';

describe('float32Checksum', () => {
  it('is stable, 16 hex digits, and equal for equal values in different buffers', () => {
    const pack = readStockVoice('af_bella');
    const copy = new Float32Array(pack.length + 8).subarray(4, 4 + pack.length);
    copy.set(pack);
    expect(float32Checksum(pack)).toMatch(/^[0-9a-f]{16}$/);
    expect(float32Checksum(copy)).toBe(float32Checksum(pack));
  });

  const CHANGES = [
    { name: 'first value', index: 0 },
    { name: 'a middle value', index: 65_000 },
    { name: 'last value', index: -1 },
  ];
  it.each(CHANGES)('changes when the $name moves by one ulp', ({ index }) => {
    const pack = readStockVoice('af_sky');
    const before = float32Checksum(pack);
    const at = index < 0 ? pack.length + index : index;
    const bits = new Uint32Array(pack.buffer, pack.byteOffset, pack.length);
    bits[at] = bits[at]! ^ 1;
    expect(float32Checksum(pack)).not.toBe(before);
  });

  it('tells stock voices apart', () => {
    const names = ['af_bella', 'af_sky', 'am_adam', 'bf_emma', 'bm_george', 'jf_alpha'];
    const sums = new Set(names.map((name) => float32Checksum(readStockVoice(name))));
    expect(sums.size).toBe(names.length);
  });
});

describe('rms', () => {
  const CASES = [
    { pcm: [], expected: 0 },
    { pcm: [1, -1, 1, -1], expected: 1 },
    { pcm: [3, 4], expected: Math.sqrt(12.5) },
  ];
  it.each(CASES)('$pcm', ({ pcm, expected }) => expect(rms(Float32Array.from(pcm))).toBeCloseTo(expected, 6));
});
