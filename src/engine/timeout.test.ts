import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TimeoutError, withTimeout } from './timeout';

const TIMEOUT_MS = 4_000;

type Outcome = { kind: 'value'; value: unknown } | { kind: 'error'; error: unknown } | { kind: 'pending' };

/** Follows a promise without awaiting it, so fake time can be advanced while it is pending. */
function track(promise: Promise<unknown>): { outcome: Outcome } {
  const tracker: { outcome: Outcome } = { outcome: { kind: 'pending' } };
  promise.then(
    (value) => (tracker.outcome = { kind: 'value', value }),
    (error: unknown) => (tracker.outcome = { kind: 'error', error }),
  );
  return tracker;
}

/** A promise settled by hand, `afterMs` after the start (or never when afterMs is undefined). */
function settling(afterMs: number | undefined, settle: 'resolve' | 'reject'): Promise<string> {
  return new Promise((resolve, reject) => {
    if (afterMs === undefined) return;
    setTimeout(() => (settle === 'resolve' ? resolve('answer') : reject(new Error('refused'))), afterMs);
  });
}

const CASES = [
  {
    name: 'an immediate answer',
    afterMs: 0,
    settle: 'resolve',
    expected: { kind: 'value', value: 'answer' },
  },
  {
    name: 'an answer just in time',
    afterMs: TIMEOUT_MS - 1,
    settle: 'resolve',
    expected: { kind: 'value', value: 'answer' },
  },
  { name: 'an answer too late', afterMs: TIMEOUT_MS + 1, settle: 'resolve', expected: { kind: 'timeout' } },
  { name: 'no answer at all', afterMs: undefined, settle: 'resolve', expected: { kind: 'timeout' } },
  {
    name: 'a refusal in time',
    afterMs: 10,
    settle: 'reject',
    expected: { kind: 'error', message: 'refused' },
  },
  { name: 'a refusal too late', afterMs: TIMEOUT_MS * 2, settle: 'reject', expected: { kind: 'timeout' } },
] as const;

describe('withTimeout', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  for (const { name, afterMs, settle, expected } of CASES) {
    it(`${name}: ${expected.kind}`, async () => {
      const tracker = track(withTimeout(settling(afterMs, settle), TIMEOUT_MS));
      await vi.advanceTimersByTimeAsync(TIMEOUT_MS - 1);
      if (expected.kind === 'timeout') expect(tracker.outcome.kind).toBe('pending');
      await vi.advanceTimersByTimeAsync(TIMEOUT_MS * 3);
      const outcome = tracker.outcome;
      if (expected.kind === 'value') expect(outcome).toEqual({ kind: 'value', value: expected.value });
      if (expected.kind === 'error') {
        expect(outcome.kind).toBe('error');
        expect(outcome.kind === 'error' && outcome.error).toBeInstanceOf(Error);
        expect(outcome.kind === 'error' && (outcome.error as Error).message).toBe(expected.message);
      }
      if (expected.kind === 'timeout') {
        expect(outcome.kind).toBe('error');
        const error = outcome.kind === 'error' ? outcome.error : undefined;
        expect(error).toBeInstanceOf(TimeoutError);
        expect((error as TimeoutError).timeoutMs).toBe(TIMEOUT_MS);
      }
    });
  }

  it('leaves no timer behind once the promise answered', async () => {
    await withTimeout(Promise.resolve(1), TIMEOUT_MS);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('wraps a non-Error rejection in an Error', async () => {
    await expect(withTimeout(Promise.reject('plain string'), TIMEOUT_MS)).rejects.toThrow('plain string');
  });
});
