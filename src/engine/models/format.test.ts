import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bytesToHex, formatBytes, hexToBytes, isSha256Hex } from './format';

describe('formatBytes', () => {
  const CASES: [number, string][] = [
    [0, '0 B'],
    [999, '999 B'],
    [1_000, '1.0 kB'],
    [522_240, '522 kB'],
    [6_685_134, '6.7 MB'],
    [26_535_549, '26.5 MB'],
    [92_361_116, '92.4 MB'],
    [325_532_232, '326 MB'],
    [2_500_000_000, '2.5 GB'],
    [-1, '? B'],
    [Number.NaN, '? B'],
  ];
  it.each(CASES)('%d -> %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});

describe('hex helpers', () => {
  it('bytesToHex matches Node for a SHA-256 digest', () => {
    const digest = createHash('sha256').update('timbre').digest();
    expect(bytesToHex(new Uint8Array(digest))).toBe(digest.toString('hex'));
  });

  it('round-trips every byte value', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(hexToBytes(bytesToHex(all))).toEqual(all);
    expect(bytesToHex(all).slice(0, 8)).toBe('00010203');
  });

  const BAD_HEX = ['abc', 'zz', '0x00'];
  it.each(BAD_HEX)('hexToBytes rejects %s', (hex) => {
    expect(() => hexToBytes(hex)).toThrow(/Not a hex string/);
  });

  const SHA_CASES: [string, boolean][] = [
    ['fbae9257e1e05ffc727e951ef9b9c98418e6d79f1c9b6b13bd59f5c9028a1478', true],
    ['FBAE9257E1E05FFC727E951EF9B9C98418E6D79F1C9B6B13BD59F5C9028A1478', false],
    ['fbae9257', false],
    ['', false],
  ];
  it.each(SHA_CASES)('isSha256Hex(%s) = %s', (value, ok) => {
    expect(isSha256Hex(value)).toBe(ok);
  });
});
