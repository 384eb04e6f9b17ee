/**
 * The one place onnxruntime-web is configured. Threads only when the page is
 * cross-origin isolated (SharedArrayBuffer); otherwise single-threaded WASM.
 */
import * as ort from 'onnxruntime-web';
import type { Backend } from '../../engine/tts/types';

let configured = false;

export function configureOrt(): typeof ort {
  if (!configured) {
    const cores = self.navigator.hardwareConcurrency || 2;
    ort.env.wasm.numThreads = self.crossOriginIsolated ? Math.max(1, Math.min(4, cores - 1)) : 1;
    ort.env.logLevel = 'error';
    configured = true;
  }
  return ort;
}

interface GpuLike {
  requestAdapter(): Promise<unknown>;
}

/** True when this worker can get a WebGPU adapter at all. */
export async function hasWebGpuAdapter(): Promise<boolean> {
  const gpu = (self.navigator as unknown as { gpu?: GpuLike }).gpu;
  if (!gpu) return false;
  try {
    return (await gpu.requestAdapter()) != null;
  } catch {
    return false;
  }
}

export async function createSession(bytes: Uint8Array, backend: Backend): Promise<ort.InferenceSession> {
  const runtime = configureOrt();
  return runtime.InferenceSession.create(bytes, {
    executionProviders: [backend],
    graphOptimizationLevel: 'all',
  });
}

/** Serialises calls: an ORT session runs one inference at a time. */
export class RunQueue {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
