import { describe, expect, it } from 'vitest';
import { formatCount } from './count';

describe('formatCount', () => {
  it('groups thousands as en-US does', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(1000)).toBe('1,000');
    expect(formatCount(522_240)).toBe('522,240');
    expect(formatCount(-1_234_567)).toBe('-1,234,567');
  });

  it('matches Intl (en-US) on integers of every length, and on up to three decimals', () => {
    const values = [
      1,
      12,
      123,
      1234,
      12_345,
      123_456,
      1_234_567,
      92_361_116,
      326_000_000_000,
      2_250_916_299_613_904,
      2 ** 53 - 1,
    ];
    for (const value of values) {
      expect(formatCount(value)).toBe(value.toLocaleString('en-US'));
      expect(formatCount(-value)).toBe((-value).toLocaleString('en-US'));
    }
    for (const value of [0.5, 1234.25, 98_765.125, 3.1, 3.14159, 2.0004])
      expect(formatCount(value)).toBe(value.toLocaleString('en-US'));
  });

  it('leaves what is not a finite number as String() writes it', () => {
    expect(formatCount(Number.NaN)).toBe('NaN');
    expect(formatCount(Number.POSITIVE_INFINITY)).toBe('Infinity');
  });
});
