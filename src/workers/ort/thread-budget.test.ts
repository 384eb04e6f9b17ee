import { describe, expect, it } from 'vitest';
import { MAX_ORT_THREADS, ortThreadCount, wasmThreadsAtOnce } from './thread-budget';

const CASES: { cores: number | undefined; isolated: boolean; threads: number }[] = [
  { cores: 1, isolated: true, threads: 1 },
  { cores: 2, isolated: true, threads: 1 },
  { cores: 3, isolated: true, threads: 2 },
  { cores: 4, isolated: true, threads: 3 },
  { cores: 5, isolated: true, threads: 4 },
  { cores: 16, isolated: true, threads: MAX_ORT_THREADS },
  { cores: 0, isolated: true, threads: 1 }, // unknown: assumed 2
  { cores: undefined, isolated: true, threads: 1 },
  { cores: Number.NaN, isolated: true, threads: 1 },
  { cores: 16, isolated: false, threads: 1 }, // no SharedArrayBuffer, no threads
];

describe('the WASM thread budget', () => {
  for (const { cores, isolated, threads } of CASES) {
    it(`${cores} cores, ${isolated ? 'isolated' : 'not isolated'}: ${threads} onnxruntime thread(s)`, () => {
      expect(ortThreadCount(cores, isolated)).toBe(threads);
    });
  }

  it('never exceeds the cores, with the one single-threaded WASM module beside onnxruntime', () => {
    for (let cores = 2; cores <= 64; cores++) {
      expect(wasmThreadsAtOnce(cores, true)).toBeLessThanOrEqual(cores);
      expect(wasmThreadsAtOnce(cores, false)).toBeLessThanOrEqual(cores);
    }
  });
});
