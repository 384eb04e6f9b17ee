/**
 * What a clone job produces that is too big or too fast for the store: the packs (best so
 * far, instant clone), the plot history, and a batching flush so hundreds of evaluations a
 * second reach React at most ten times a second.
 */
import { useSyncExternalStore } from 'react';
import type { EvaluationRecord } from '../../../engine/clone/search';
import {
  HISTORY_STRIDE,
  H_BEST_SCORE,
  H_BEST_TARGET,
  H_EVALUATION,
  H_SCORE,
  H_TARGET,
} from './plot-geometry';

export interface PlotSnapshot {
  history: Float32Array;
  count: number;
  /** Bumped on every flush, so React sees a new snapshot. */
  version: number;
}

/** At most this often the plot and the store see new evaluations. */
const FLUSH_INTERVAL_MS = 100;

let history = new Float32Array(HISTORY_STRIDE * 256);
let count = 0;
let snapshot: PlotSnapshot = { history, count, version: 0 };
const listeners = new Set<() => void>();
let flushQueued = false;
let flushHooks: (() => void)[] = [];

export const packs: {
  best?: Float32Array;
  instant?: Float32Array;
} = {};

function ensureCapacity(rows: number): void {
  if (rows * HISTORY_STRIDE <= history.length) return;
  const grown = new Float32Array(Math.max(rows, (history.length / HISTORY_STRIDE) * 2) * HISTORY_STRIDE);
  grown.set(history.subarray(0, count * HISTORY_STRIDE));
  history = grown;
}

export function addEvaluation(record: EvaluationRecord): void {
  ensureCapacity(count + 1);
  const row = count * HISTORY_STRIDE;
  history[row + H_EVALUATION] = record.evaluation;
  history[row + H_SCORE] = record.score.complete ? record.score.score : 0;
  history[row + H_TARGET] = record.score.targetSimilarity;
  history[row + H_BEST_SCORE] = record.best?.score ?? 0;
  history[row + H_BEST_TARGET] = record.best?.targetSimilarity ?? 0;
  count++;
  scheduleFlush();
}

/** The history up to and including evaluation `last` (what a checkpoint at `last` had seen). */
export function historyUpTo(last: number): Float32Array {
  let rows = 0;
  while (rows < count && (history[rows * HISTORY_STRIDE + H_EVALUATION] as number) <= last) rows++;
  return history.slice(0, rows * HISTORY_STRIDE);
}

/** Shows what has arrived at once (a job that stopped should not show more a moment later). */
export function flushNow(): void {
  if (flushQueued) flush();
}

export function historyCount(): number {
  return count;
}

export function lastEvaluation(): number | undefined {
  return count > 0 ? history[(count - 1) * HISTORY_STRIDE + H_EVALUATION] : undefined;
}

/** Replaces the history (a new job, or one restored from a checkpoint). */
export function resetHistory(from?: Float32Array): void {
  const rows = from ? Math.floor(from.length / HISTORY_STRIDE) : 0;
  history = new Float32Array(Math.max(256, rows * 2) * HISTORY_STRIDE);
  if (from) history.set(from.subarray(0, rows * HISTORY_STRIDE));
  count = rows;
  scheduleFlush();
}

/** Runs `hook` at the next flush, with the plot's listeners. */
export function onNextFlush(hook: () => void): void {
  flushHooks.push(hook);
  scheduleFlush();
}

function flush(): void {
  flushQueued = false;
  snapshot = { history, count, version: snapshot.version + 1 };
  const hooks = flushHooks;
  flushHooks = [];
  for (const hook of hooks) hook();
  for (const listener of listeners) listener();
}

function scheduleFlush(): void {
  if (flushQueued) return;
  flushQueued = true;
  // A timer, not requestAnimationFrame: it also runs (throttled) in a hidden tab, and ten
  // redraws a second are plenty for a plot while leaving the CPU to the search.
  setTimeout(flush, FLUSH_INTERVAL_MS);
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function usePlotSnapshot(): PlotSnapshot {
  return useSyncExternalStore(subscribe, () => snapshot);
}
