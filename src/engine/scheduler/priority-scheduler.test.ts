import { describe, expect, it } from 'vitest';
import { AbortedError } from '../progress';
import { PriorityScheduler, type TaskPriority } from './priority-scheduler';

/** A task that finishes when its `finish` is called, recording its start in `log`. */
function gate(log: string[], name: string) {
  let finish: (value: string) => void = () => undefined;
  let fail: (error: Error) => void = () => undefined;
  const done = new Promise<string>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  return {
    task: () => {
      log.push(name);
      return done;
    },
    finish: () => finish(name),
    fail: (error: Error) => fail(error),
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('PriorityScheduler', () => {
  it('runs one task at a time', async () => {
    const scheduler = new PriorityScheduler();
    const log: string[] = [];
    const a = gate(log, 'a');
    const b = gate(log, 'b');
    const pa = scheduler.schedule(a.task);
    const pb = scheduler.schedule(b.task);
    await settle();
    expect(log).toEqual(['a']);
    expect(scheduler.busy).toBe(true);
    a.finish();
    await expect(pa).resolves.toBe('a');
    await settle();
    expect(log).toEqual(['a', 'b']);
    b.finish();
    await expect(pb).resolves.toBe('b');
    expect(scheduler.busy).toBe(false);
  });

  const ORDER_CASES: { name: string; queued: [string, TaskPriority][]; expected: string[] }[] = [
    {
      name: 'interactive before background, whatever came first',
      queued: [
        ['clone-1', 'background'],
        ['speak-1', 'interactive'],
        ['clone-2', 'background'],
        ['preview-1', 'interactive'],
      ],
      expected: ['speak-1', 'preview-1', 'clone-1', 'clone-2'],
    },
    {
      name: 'first in, first out within a priority',
      queued: [
        ['b1', 'background'],
        ['b2', 'background'],
        ['b3', 'background'],
      ],
      expected: ['b1', 'b2', 'b3'],
    },
    {
      name: 'first in, first out among interactive tasks',
      queued: [
        ['i1', 'interactive'],
        ['i2', 'interactive'],
      ],
      expected: ['i1', 'i2'],
    },
  ];

  for (const { name, queued, expected } of ORDER_CASES) {
    it(name, async () => {
      const scheduler = new PriorityScheduler();
      const log: string[] = [];
      // Something already running, so everything below is queued before the order is decided.
      const blocker = gate(log, 'running');
      const first = scheduler.schedule(blocker.task, { priority: 'background' });
      const results = queued.map(([id, priority]) =>
        scheduler.schedule(async () => (log.push(id), id), { priority }),
      );
      await settle();
      expect(scheduler.pending.interactive + scheduler.pending.background).toBe(queued.length);
      blocker.finish();
      await first;
      await Promise.all(results);
      expect(log).toEqual(['running', ...expected]);
    });
  }

  it('an interactive task queued while a background one runs goes next, before queued background work', async () => {
    const scheduler = new PriorityScheduler();
    const log: string[] = [];
    const clone = gate(log, 'clone-1');
    const p1 = scheduler.schedule(clone.task, { priority: 'background' });
    const p2 = scheduler.schedule(async () => void log.push('clone-2'), { priority: 'background' });
    await settle();
    const speak = scheduler.schedule(async () => void log.push('speak'), { priority: 'interactive' });
    clone.finish();
    await Promise.all([p1, p2, speak]);
    expect(log).toEqual(['clone-1', 'speak', 'clone-2']);
  });

  it('a queued task whose signal fires leaves the queue and rejects with AbortedError', async () => {
    const scheduler = new PriorityScheduler();
    const log: string[] = [];
    const blocker = gate(log, 'running');
    const first = scheduler.schedule(blocker.task);
    const controller = new AbortController();
    const cancelled = scheduler.schedule(async () => void log.push('cancelled'), {
      priority: 'background',
      signal: controller.signal,
    });
    const kept = scheduler.schedule(async () => void log.push('kept'), { priority: 'background' });
    expect(scheduler.pending.background).toBe(2);
    controller.abort();
    await expect(cancelled).rejects.toBeInstanceOf(AbortedError);
    expect(scheduler.pending.background).toBe(1);
    blocker.finish();
    await Promise.all([first, kept]);
    expect(log).toEqual(['running', 'kept']);
  });

  it('a task whose signal already fired is refused at once', async () => {
    const scheduler = new PriorityScheduler();
    const controller = new AbortController();
    controller.abort();
    let ran = false;
    await expect(
      scheduler.schedule(async () => void (ran = true), { signal: controller.signal }),
    ).rejects.toBeInstanceOf(AbortedError);
    expect(ran).toBe(false);
    expect(scheduler.pending).toEqual({ interactive: 0, background: 0 });
  });

  it('a running task is not interrupted by its signal: it finishes and its result is delivered', async () => {
    const scheduler = new PriorityScheduler();
    const log: string[] = [];
    const run = gate(log, 'run');
    const controller = new AbortController();
    const result = scheduler.schedule(run.task, { signal: controller.signal });
    await settle();
    controller.abort();
    const after = scheduler.schedule(async () => void log.push('after'));
    await settle();
    expect(log).toEqual(['run']); // the next one still waits for the running run
    run.finish();
    await expect(result).resolves.toBe('run');
    await after;
    expect(log).toEqual(['run', 'after']);
  });

  it('cancelOwner cancels only that owner’s queued tasks', async () => {
    const scheduler = new PriorityScheduler();
    const log: string[] = [];
    const blocker = gate(log, 'clone-running');
    const running = scheduler.schedule(blocker.task, { priority: 'background', owner: 'clone' });
    const queued = [1, 2, 3].map((i) =>
      scheduler.schedule(async () => void log.push(`clone-${i}`), { priority: 'background', owner: 'clone' }),
    );
    const speak = scheduler.schedule(async () => void log.push('speak'), { owner: 'ui' });
    expect(scheduler.cancelOwner('clone')).toBe(3);
    for (const p of queued) await expect(p).rejects.toBeInstanceOf(AbortedError);
    blocker.finish();
    await expect(running).resolves.toBe('clone-running');
    await speak;
    expect(log).toEqual(['clone-running', 'speak']);
  });

  it('an error (thrown or rejected) rejects its own task and never blocks the queue', async () => {
    const scheduler = new PriorityScheduler();
    const log: string[] = [];
    const failing = gate(log, 'failing');
    const p1 = scheduler.schedule(failing.task);
    const p2 = scheduler.schedule((): Promise<string> => {
      log.push('throws');
      throw new Error('synchronous');
    });
    const p3 = scheduler.schedule(async () => (log.push('ok'), 'ok'));
    failing.fail(new Error('rejected'));
    await expect(p1).rejects.toThrow('rejected');
    await expect(p2).rejects.toThrow('synchronous');
    await expect(p3).resolves.toBe('ok');
    expect(log).toEqual(['failing', 'throws', 'ok']);
    expect(scheduler.busy).toBe(false);
  });

  it('holdBackground keeps background tasks waiting between interactive runs, and lets them go on release', async () => {
    const scheduler = new PriorityScheduler();
    const log: string[] = [];
    const release = scheduler.holdBackground();
    const clone = scheduler.schedule(async () => void log.push('clone'), { priority: 'background' });
    await scheduler.schedule(async () => void log.push('sentence-1'));
    await settle();
    expect(log).toEqual(['sentence-1']); // the gap between two sentences is not the clone's
    await scheduler.schedule(async () => void log.push('sentence-2'));
    release();
    release(); // twice is once
    await clone;
    expect(log).toEqual(['sentence-1', 'sentence-2', 'clone']);
    const after = scheduler.holdBackground();
    after();
    await scheduler.schedule(async () => void log.push('clone-2'), { priority: 'background' });
    expect(log.at(-1)).toBe('clone-2');
  });
});
