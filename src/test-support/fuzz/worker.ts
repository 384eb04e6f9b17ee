/**
 * One fuzz target in a worker thread. Counters live in a SharedArrayBuffer so they survive the
 * worker: the parent reads which input is running and since when (to call a hang and kill a
 * stuck worker), and keeps the counts when the worker dies of an out-of-memory.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { generateInput, HANG_MS, runConfirmed } from './run';
import { targetByName } from './targets';

/** Int32 slots of the shared counters. */
export const SLOT = {
  index: 0,
  running: 1,
  done: 2,
  accepted: 3,
  rejected: 4,
  crashes: 5,
  hangs: 6,
} as const;
const INT_SLOTS = 8;
/** Float64 slots, after the Int32 ones. */
export const FSLOT = {
  startedAt: 0,
  slowestMs: 1,
  slowestIndex: 2,
  peakHeap: 3,
  peakHeapIndex: 4,
  peakRss: 5,
} as const;
const FLOAT_SLOTS = 6;

export function sharedCounters(): SharedArrayBuffer {
  return new SharedArrayBuffer(INT_SLOTS * 4 + FLOAT_SLOTS * 8);
}

export function countersView(buffer: SharedArrayBuffer): { ints: Int32Array; floats: Float64Array } {
  return {
    ints: new Int32Array(buffer, 0, INT_SLOTS),
    floats: new Float64Array(buffer, INT_SLOTS * 4, FLOAT_SLOTS),
  };
}

export interface WorkerJob {
  target: string;
  seed: number;
  /** Inputs [from, to). */
  from: number;
  to: number;
  counters: SharedArrayBuffer;
}

export interface FindingMessage {
  type: 'finding';
  kind: 'crash' | 'hang';
  index: number;
  variant: number;
  how: string;
  ms: number;
  error: string;
  stack: string;
  signature: string;
  bytes: Uint8Array;
}

/** The worker's entry point (the parent's bootstrap imports this module and calls it). */
export function fuzzWorkerMain(): void {
  const job = workerData as WorkerJob;
  const port = parentPort;
  if (!port) throw new Error('fuzzWorkerMain runs in a worker thread');
  const target = targetByName(job.target);
  const { ints, floats } = countersView(job.counters);
  for (let index = job.from; index < job.to; index++) {
    const input = generateInput(target, job.seed, index);
    Atomics.store(ints, SLOT.index, index);
    const { outcome, ms } = runConfirmed(target, input, () => {
      floats[FSLOT.startedAt] = Date.now();
      Atomics.store(ints, SLOT.running, 1);
    });
    Atomics.store(ints, SLOT.running, 0);

    const memory = process.memoryUsage();
    // This isolate's heap plus the buffers it holds: what one parse left allocated.
    const heap = memory.heapUsed + memory.external;
    if (heap > (floats[FSLOT.peakHeap] as number)) {
      floats[FSLOT.peakHeap] = heap;
      floats[FSLOT.peakHeapIndex] = index;
    }
    if (memory.rss > (floats[FSLOT.peakRss] as number)) floats[FSLOT.peakRss] = memory.rss;
    if (ms > (floats[FSLOT.slowestMs] as number)) {
      floats[FSLOT.slowestMs] = ms;
      floats[FSLOT.slowestIndex] = index;
    }
    const hang = ms > HANG_MS;
    if (hang) Atomics.add(ints, SLOT.hangs, 1);
    if (outcome.kind === 'crash') Atomics.add(ints, SLOT.crashes, 1);
    if (outcome.kind === 'crash' || hang) {
      const message: FindingMessage = {
        type: 'finding',
        kind: outcome.kind === 'crash' ? 'crash' : 'hang',
        index,
        variant: input.variant,
        how: input.how,
        ms,
        error: outcome.kind === 'crash' ? outcome.error : `ran ${Math.round(ms)} ms (${outcome.kind})`,
        stack: outcome.kind === 'crash' ? outcome.stack : '',
        signature: outcome.kind === 'crash' ? outcome.signature : `hang (${outcome.kind})`,
        bytes: input.bytes,
      };
      port.postMessage(message);
    } else if (outcome.kind === 'accepted') Atomics.add(ints, SLOT.accepted, 1);
    else Atomics.add(ints, SLOT.rejected, 1);
    Atomics.add(ints, SLOT.done, 1);
  }
  port.postMessage({ type: 'done' });
}
