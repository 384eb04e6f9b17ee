import { describe, expect, it } from 'vitest';
import { RecentCache } from './recent-cache';

describe('RecentCache', () => {
  it('keeps the most recently used entries up to its capacity', () => {
    const cache = new RecentCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3); // a is the oldest: gone
    expect(cache.has('a')).toBe(false);
    expect(cache.get('b')).toBe(2);
    expect(cache.get('c')).toBe(3);
    expect(cache.size).toBe(2);
  });

  it('a read counts as a use: the entry read survives the next insertion', () => {
    const cache = new RecentCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1); // now b is the oldest
    cache.set('c', 3);
    expect(cache.has('b')).toBe(false);
    expect(cache.get('a')).toBe(1);
  });

  it('setting a key again replaces its value without growing', () => {
    const cache = new RecentCache<string, number>(2);
    cache.set('a', 1);
    cache.set('a', 5);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(5);
    expect(cache.size).toBe(2);
  });

  it('a value that is undefined-like is still a hit', () => {
    const cache = new RecentCache<string, number>(1);
    cache.set('zero', 0);
    expect(cache.get('zero')).toBe(0);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new RecentCache(0)).toThrow(RangeError);
    expect(() => new RecentCache(1.5)).toThrow(RangeError);
  });

  it('a deleted entry is gone', () => {
    const cache = new RecentCache<string, number>(2);
    cache.set('a', 1);
    cache.delete('a');
    expect(cache.has('a')).toBe(false);
    expect(cache.size).toBe(0);
  });
});
