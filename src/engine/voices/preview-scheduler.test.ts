import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PREVIEW_DEBOUNCE_MS, PREVIEW_MAX_WAIT_MS, PreviewScheduler } from './preview-scheduler';

interface Harness {
  scheduler: PreviewScheduler<number, string>;
  delivered: { job: number; requestId: number; at: number }[];
  started: { job: number; requestId: number; at: number }[];
  cancelCalls: number[];
  errors: unknown[];
}

/** A renderer that takes `renderMs` of fake time and answers `render:<job>`; job < 0 fails. */
function harness(renderMs: number, options: { debounceMs?: number; maxWaitMs?: number } = {}): Harness {
  const h: Omit<Harness, 'scheduler'> = { delivered: [], started: [], cancelCalls: [], errors: [] };
  const scheduler = new PreviewScheduler<number, string>({
    ...options,
    render: (job, requestId) => {
      h.started.push({ job, requestId, at: Date.now() });
      return new Promise((resolve, reject) =>
        setTimeout(
          () => (job < 0 ? reject(new Error(`bad job ${job}`)) : resolve(`render:${job}`)),
          renderMs,
        ),
      );
    },
    cancel: (requestId) => h.cancelCalls.push(requestId),
    onResult: (result, job, requestId) => {
      expect(result).toBe(`render:${job}`);
      h.delivered.push({ job, requestId, at: Date.now() });
    },
    onError: (error) => h.errors.push(error),
  });
  return { ...h, scheduler };
}

/** Schedules jobs 1..count every `intervalMs`, then lets everything settle. */
async function drag(h: Harness, count: number, intervalMs: number): Promise<void> {
  for (let job = 1; job <= count; job++) {
    h.scheduler.schedule(job);
    await vi.advanceTimersByTimeAsync(intervalMs);
  }
  await vi.advanceTimersByTimeAsync(10_000);
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(0);
});
afterEach(() => {
  vi.useRealTimers();
});

describe('PreviewScheduler', () => {
  it('renders one change after the debounce, not before', async () => {
    const h = harness(40);
    h.scheduler.schedule(7);
    await vi.advanceTimersByTimeAsync(PREVIEW_DEBOUNCE_MS - 1);
    expect(h.started).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(h.started.map((s) => s.job)).toEqual([7]);
    expect(h.scheduler.busy).toBe(true);
    await vi.advanceTimersByTimeAsync(40);
    expect(h.delivered).toEqual([{ job: 7, requestId: 1, at: PREVIEW_DEBOUNCE_MS + 40 }]);
    expect(h.scheduler.busy).toBe(false);
  });

  it('a burst of changes inside the debounce renders only the last one', async () => {
    const h = harness(40);
    for (let job = 1; job <= 5; job++) {
      h.scheduler.schedule(job);
      await vi.advanceTimersByTimeAsync(20);
    }
    await vi.advanceTimersByTimeAsync(1000);
    expect(h.started.map((s) => s.job)).toEqual([5]);
    expect(h.delivered.map((d) => d.job)).toEqual([5]);
    expect(h.scheduler.stats).toMatchObject({
      requested: 5,
      started: 1,
      completed: 1,
      cancelled: 0,
      coalesced: 4,
    });
  });

  const DRAG_CASES = [
    { name: 'fast renders', renderMs: 30, maxCancelled: 0 },
    { name: 'renders slower than the max wait', renderMs: 1000, maxCancelled: 1 },
  ];
  it.each(DRAG_CASES)(
    'a 3 s drag at 30 changes/s with $name: audio along the way, the final state last',
    async ({ renderMs, maxCancelled }) => {
      const h = harness(renderMs);
      await drag(h, 90, 1000 / 30);
      const stats = h.scheduler.stats;
      expect(stats.requested).toBe(90);
      // Renders happened during the drag, not only after it.
      expect(h.started.filter((s) => s.at < 3000).length).toBeGreaterThanOrEqual(2);
      // Never more than one render at a time, and never more often than the max wait allows.
      for (let i = 1; i < h.started.length; i++) {
        const gap = h.started[i]!.at - h.started[i - 1]!.at;
        expect(gap).toBeGreaterThanOrEqual(Math.min(renderMs, PREVIEW_MAX_WAIT_MS) - 1);
      }
      expect(stats.started).toBeLessThanOrEqual(
        Math.ceil(3000 / Math.max(renderMs, PREVIEW_MAX_WAIT_MS)) + 2,
      );
      expect(stats.cancelled).toBeLessThanOrEqual(maxCancelled);
      expect(stats.started).toBe(stats.completed + stats.cancelled);
      expect(stats.coalesced + stats.started).toBe(90);
      expect(h.delivered.at(-1)?.job).toBe(90);
      // Results arrive in order; none is older than one delivered before it.
      const jobs = h.delivered.map((d) => d.job);
      expect([...jobs].sort((a, b) => a - b)).toEqual(jobs);
    },
  );

  it('a pause while a stale render runs cancels it and renders the newest state next', async () => {
    const h = harness(500);
    h.scheduler.schedule(1);
    await vi.advanceTimersByTimeAsync(PREVIEW_DEBOUNCE_MS + 10); // job 1 in flight
    h.scheduler.schedule(2);
    await vi.advanceTimersByTimeAsync(PREVIEW_DEBOUNCE_MS); // the user paused: 1 is stale
    expect(h.cancelCalls).toEqual([1]);
    await vi.advanceTimersByTimeAsync(2000);
    expect(h.delivered.map((d) => d.job)).toEqual([2]);
    expect(h.started.map((s) => s.job)).toEqual([1, 2]);
    // Job 2 starts the moment job 1 settles, not a debounce later.
    expect(h.started[1]!.at).toBe(PREVIEW_DEBOUNCE_MS + 500);
    expect(h.scheduler.stats).toMatchObject({ started: 2, cancelled: 1, completed: 1 });
  });

  it('flush starts the pending job at once', async () => {
    const h = harness(10);
    h.scheduler.schedule(3);
    h.scheduler.flush();
    expect(h.started.map((s) => s.job)).toEqual([3]);
    await vi.advanceTimersByTimeAsync(10);
    expect(h.delivered.map((d) => d.job)).toEqual([3]);
  });

  it('a failed render is reported and the next change still renders', async () => {
    const h = harness(10);
    h.scheduler.schedule(-1);
    await vi.advanceTimersByTimeAsync(500);
    expect(h.errors).toHaveLength(1);
    h.scheduler.schedule(4);
    await vi.advanceTimersByTimeAsync(500);
    expect(h.delivered.map((d) => d.job)).toEqual([4]);
    expect(h.scheduler.stats).toMatchObject({ failed: 1, completed: 1 });
  });

  it('dispose cancels the render in flight and drops what was pending', async () => {
    const h = harness(300);
    h.scheduler.schedule(1);
    await vi.advanceTimersByTimeAsync(PREVIEW_DEBOUNCE_MS);
    h.scheduler.schedule(2);
    h.scheduler.dispose();
    h.scheduler.schedule(3);
    await vi.advanceTimersByTimeAsync(2000);
    expect(h.cancelCalls).toEqual([1]);
    expect(h.delivered).toEqual([]);
    expect(h.started.map((s) => s.job)).toEqual([1]);
  });

  it('honours custom debounce and max wait', async () => {
    const h = harness(5, { debounceMs: 50, maxWaitMs: 100 });
    for (let job = 1; job <= 10; job++) {
      h.scheduler.schedule(job);
      await vi.advanceTimersByTimeAsync(30);
    }
    // Changes every 30 ms (at 0..270) never leave 50 ms of quiet: during the drag only the
    // 100 ms max wait (counted from the first change not yet rendered) starts renders.
    expect(h.started.map((s) => [s.at, s.job])).toEqual([
      [100, 4],
      [220, 8],
    ]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(h.started.at(-1)).toMatchObject({ at: 270 + 50, job: 10 });
    expect(h.delivered.at(-1)?.job).toBe(10);
  });
});
