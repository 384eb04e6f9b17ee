import { describe, expect, it } from 'vitest';
import type { EnginePhase } from './store/studio-store';
import { afterFirstLoad, type PhaseSource } from './after-first-load';

/** A store with a phase, a hand-driven idle queue and hand-driven timers. */
function harness(initial: EnginePhase) {
  let phase = initial;
  const listeners = new Set<(state: { phase: EnginePhase }) => void>();
  const store: PhaseSource = {
    getState: () => ({ phase }),
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  const idle: (() => void)[] = [];
  const timers = new Map<number, () => void>();
  let nextTimer = 1;
  let runs = 0;
  const delays: number[] = [];
  afterFirstLoad(store, () => runs++, {
    capMs: 120_000,
    whenIdle: (callback) => idle.push(callback),
    setTimer: (callback, ms) => {
      delays.push(ms);
      timers.set(nextTimer, callback);
      return nextTimer++;
    },
    clearTimer: (timer) => timers.delete(timer as number),
  });
  return {
    runs: () => runs,
    setPhase(next: EnginePhase) {
      phase = next;
      for (const listener of [...listeners]) listener({ phase });
    },
    runIdle: () => idle.splice(0).forEach((callback) => callback()),
    runTimers: () => [...timers.values()].forEach((callback) => callback()),
    delays: () => delays,
    listeners: () => listeners.size,
    timers: () => timers.size,
  };
}

describe('afterFirstLoad (when the service worker is registered)', () => {
  it('waits through the load, then runs once the page is idle after it is ready', () => {
    const h = harness('idle');
    h.setPhase('loading');
    h.runIdle();
    expect(h.runs()).toBe(0);
    h.setPhase('ready');
    expect(h.runs()).toBe(0); // not in the store update itself: when the page is idle
    h.runIdle();
    expect(h.runs()).toBe(1);
    expect(h.listeners()).toBe(0);
    expect(h.timers()).toBe(0);
  });

  it('runs after a failed load too (the shell still works offline)', () => {
    const h = harness('loading');
    h.setPhase('error');
    h.runIdle();
    expect(h.runs()).toBe(1);
  });

  it('runs at the cap when the load is still going, and not again when it ends', () => {
    const h = harness('loading');
    expect(h.delays()).toEqual([120_000]);
    h.runTimers();
    expect(h.runs()).toBe(1);
    expect(h.listeners()).toBe(0);
    h.setPhase('ready');
    h.runIdle();
    expect(h.runs()).toBe(1);
  });

  it('runs once when the cap and the end of the load both come before the page is idle', () => {
    const h = harness('loading');
    h.setPhase('ready');
    h.runTimers();
    h.runIdle();
    expect(h.runs()).toBe(1);
  });

  it('runs once when the load has already ended, and a later reload of the models changes nothing', () => {
    const h = harness('ready');
    h.runIdle();
    expect(h.runs()).toBe(1);
    h.setPhase('loading');
    h.setPhase('ready');
    h.runIdle();
    h.runTimers();
    expect(h.runs()).toBe(1);
  });
});
