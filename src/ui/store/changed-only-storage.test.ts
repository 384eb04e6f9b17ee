import { describe, expect, it, vi } from 'vitest';
import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import { changedOnlyStorage, type StorageLike } from './changed-only-storage';

class CountingStorage implements StorageLike {
  readonly items = new Map<string, string>();
  writes = 0;
  failNext = false;
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('QuotaExceededError');
    }
    this.writes++;
    this.items.set(key, value);
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
}

interface State {
  text: string;
  progress: number;
}

function makeStore(storage: StorageLike) {
  return create<State>()(
    persist(() => ({ text: 'hello', progress: 0 }), {
      name: 'test-store',
      storage: changedOnlyStorage<Partial<State>>(() => storage),
      partialize: (s) => ({ text: s.text }),
    }),
  );
}

describe('changedOnlyStorage', () => {
  it('writes when a kept value changes, and not for sets that change nothing kept', () => {
    const storage = new CountingStorage();
    const store = makeStore(storage);
    store.setState({ progress: 0 }); // the first set keeps the initial state
    expect(storage.writes).toBe(1);
    const before = storage.writes;
    for (let i = 1; i <= 50; i++) store.setState({ progress: i });
    expect(storage.writes).toBe(before);
    store.setState({ text: 'a new text' });
    expect(storage.writes).toBe(before + 1);
    expect(JSON.parse(storage.items.get('test-store')!).state).toEqual({ text: 'a new text' });
  });

  it('restores what it wrote, and a restored value is not written back', () => {
    const storage = new CountingStorage();
    makeStore(storage).setState({ text: 'kept across a reload' });
    const writes = storage.writes;
    const reloaded = makeStore(storage);
    expect(reloaded.getState().text).toBe('kept across a reload');
    reloaded.setState({ progress: 3 });
    expect(storage.writes).toBe(writes);
  });

  it('a write that fails (quota) does not fail the set, and the next change is written', () => {
    const storage = new CountingStorage();
    const store = makeStore(storage);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    storage.failNext = true;
    expect(() => store.setState({ text: 'first' })).not.toThrow();
    expect(store.getState().text).toBe('first');
    expect(warn).toHaveBeenCalledTimes(1);
    const writes = storage.writes;
    store.setState({ progress: 1 }); // nothing kept changed: not tried again on every progress set
    expect(storage.writes).toBe(writes);
    store.setState({ text: 'second' });
    expect(JSON.parse(storage.items.get('test-store')!).state).toEqual({ text: 'second' });
    warn.mockRestore();
  });

  it('keeps nothing when the storage cannot be reached', () => {
    expect(
      changedOnlyStorage(() => {
        throw new Error('SecurityError');
      }),
    ).toBeUndefined();
  });
});
