/**
 * The one place onnxruntime-web is loaded and configured, only in the inference worker (the
 * one realm that opens sessions): its thread pool is the studio's WASM thread budget
 * (thread-budget.ts). Threads only when the page is cross-origin isolated (SharedArrayBuffer);
 * otherwise single-threaded WASM. Also the worker's one WebGPU adapter probe, with a time limit.
 *
 * Which build: onnxruntime-web's WebGPU build carries a 28 MB WebAssembly module, its WASM-only
 * build a 14 MB one. Compiling the module is the studio's highest memory moment (bench:memory:
 * ~1.2 GB RSS for a few seconds with the WebGPU build), so a worker whose Kokoro will run on
 * WASM anyway loads the WASM-only build (`chooseOrtBuild`, told once by the worker). A worker
 * never loads both: a WebGPU session asked of the WASM-only build fails like any WebGPU
 * failure, and the caller's WASM fallback takes over.
 */
import type * as Ort from 'onnxruntime-web';
import type { Backend } from '../../engine/tts/types';
import { TimeoutError, withTimeout } from '../../engine/timeout';
import { ortThreadCount } from './thread-budget';

type OrtModule = typeof Ort;

/** Which onnxruntime-web build this worker loaded. */
export type OrtBuild = 'webgpu' | 'wasm';

let building: Promise<OrtModule> | undefined;
let loaded: { ort: OrtModule; build: OrtBuild } | undefined;
/** The build chosen (kept when loading it failed: the next session tries the same build again). */
let chosen: boolean | undefined;

/**
 * Picks this worker's onnxruntime build, once (later calls change nothing): the WebGPU build
 * when `needsWebGpu` resolves true (or fails), the WASM-only build otherwise. Without a call,
 * the first session loads the WebGPU build.
 */
export function chooseOrtBuild(needsWebGpu: boolean | Promise<boolean>): Promise<OrtModule> {
  if (building) {
    void Promise.resolve(needsWebGpu).catch(() => undefined); // the choice was made: this answer is not needed
  } else {
    building = (chosen !== undefined ? Promise.resolve(chosen) : Promise.resolve(needsWebGpu))
      .catch(() => true)
      .then(async (webgpu) => {
        chosen = webgpu;
        const build: OrtBuild = webgpu ? 'webgpu' : 'wasm';
        const ort: OrtModule = webgpu
          ? await import('onnxruntime-web')
          : await import('onnxruntime-web/wasm');
        ort.env.wasm.numThreads = ortThreadCount(
          self.navigator.hardwareConcurrency,
          self.crossOriginIsolated,
        );
        ort.env.logLevel = 'error';
        loaded = { ort, build };
        return ort;
      });
    // A build that failed to load (a network error) is loaded again by the next session.
    building.catch(() => {
      building = undefined;
    });
  }
  return building;
}

/** This worker's onnxruntime, loaded (by the WebGPU build when no build was chosen). */
export function loadOrt(): Promise<OrtModule> {
  return chooseOrtBuild(true);
}

/** The build loaded, or undefined before the first session. */
export function ortBuild(): OrtBuild | undefined {
  return loaded?.build;
}

/** The loaded onnxruntime (its Tensor class); only after a session was created. */
export function loadedOrt(): OrtModule {
  if (!loaded) throw new Error('onnxruntime is not loaded yet: create a session first.');
  return loaded.ort;
}

/**
 * How long the adapter probe waits for `requestAdapter()`. It normally answers in
 * milliseconds, but Chromium with SwiftShader on a loaded machine has stalled for 30-60 s,
 * leaving the page at "Preparing the voice model…"; after this the worker runs on WASM.
 */
export const WEBGPU_PROBE_TIMEOUT_MS = 4_000;

export interface GpuLike {
  requestAdapter(): Promise<unknown>;
}

/** What asking for a WebGPU adapter gave: the adapter, or why there is none. */
export type WebGpuProbe =
  { kind: 'adapter'; adapter: object } | { kind: 'absent' | 'timed-out' | 'failed'; reason: string };

/**
 * Asks `gpu` for an adapter at most `timeoutMs`. `reason` (when there is none) is a phrase a
 * fallback message can start with: "… , so Kokoro runs on the CPU."
 */
export async function probeWebGpu(
  gpu: GpuLike | undefined,
  timeoutMs: number = WEBGPU_PROBE_TIMEOUT_MS,
): Promise<WebGpuProbe> {
  const absent = { kind: 'absent', reason: 'this browser or device offers no WebGPU adapter' } as const;
  if (!gpu) return absent;
  try {
    const adapter = await withTimeout(gpu.requestAdapter(), timeoutMs);
    return typeof adapter === 'object' && adapter !== null ? { kind: 'adapter', adapter } : absent;
  } catch (error) {
    if (error instanceof TimeoutError) {
      return { kind: 'timed-out', reason: `WebGPU did not answer within ${formatSeconds(timeoutMs)}` };
    }
    return { kind: 'failed', reason: `WebGPU gave no adapter (${errorText(error)})` };
  }
}

/**
 * The question asked in a throwaway worker. Chromium can block the whole thread that asks for
 * an adapter while its GPU process is busy (seen here: 30-60 s, timers included, after a long
 * SwiftShader synthesis in another tab), so a time limit in the asking thread would not fire.
 * Only plain facts come back: the adapter itself cannot be posted.
 */
const PROBE_WORKER_SOURCE = `
const gpu = self.navigator.gpu;
if (!gpu) postMessage({ kind: 'absent' });
else
  gpu.requestAdapter().then(
    (a) =>
      postMessage(
        a
          ? {
              kind: 'adapter',
              adapter: {
                info: {
                  isFallbackAdapter: (a.info && a.info.isFallbackAdapter) || a.isFallbackAdapter === true,
                  architecture: a.info ? a.info.architecture : undefined,
                },
              },
            }
          : { kind: 'absent' },
      ),
    (e) => postMessage({ kind: 'failed', message: String((e && e.message) || e) }),
  );
`;

type ProbeAnswer =
  { kind: 'adapter'; adapter: object } | { kind: 'absent' } | { kind: 'failed'; message: string };

/**
 * `gpu.requestAdapter()` asked from a worker of its own (answers with the adapter's facts);
 * asked here after all when that worker cannot start. `dispose` ends the worker.
 */
function gpuInOwnWorker(gpu: GpuLike): GpuLike & { dispose(): void } {
  let worker: Worker | undefined;
  let url: string | undefined;
  const dispose = () => {
    worker?.terminate();
    if (url) URL.revokeObjectURL(url);
    worker = undefined;
    url = undefined;
  };
  const requestAdapter = () =>
    new Promise<unknown>((resolve, reject) => {
      try {
        url = URL.createObjectURL(new Blob([PROBE_WORKER_SOURCE], { type: 'text/javascript' }));
        worker = new Worker(url);
      } catch {
        dispose();
        resolve(gpu.requestAdapter());
        return;
      }
      worker.onmessage = (event: MessageEvent<ProbeAnswer>) => {
        dispose();
        const answer = event.data;
        if (answer.kind === 'failed') reject(new Error(answer.message));
        else resolve(answer.kind === 'adapter' ? answer.adapter : null);
      };
      worker.onerror = (event) => {
        event.preventDefault(); // handled here: not an uncaught error of the inference worker
        dispose();
        resolve(gpu.requestAdapter());
      };
    });
  return { requestAdapter, dispose };
}

let workerProbe: Promise<WebGpuProbe> | undefined;

/** This worker's adapter probe: asked once, and every later caller gets the same answer. */
export function webGpuProbe(): Promise<WebGpuProbe> {
  if (!workerProbe) {
    const gpu = (self.navigator as unknown as { gpu?: GpuLike }).gpu;
    const isolated = gpu && typeof Worker !== 'undefined' ? gpuInOwnWorker(gpu) : undefined;
    workerProbe = probeWebGpu(isolated ?? gpu).finally(() => isolated?.dispose());
  }
  return workerProbe;
}

/** "4 s", "2.5 s", "0.25 s". */
function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(2))} s`;
}

/** The message of anything thrown. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Why a WebGPU session was refused: this worker loaded the WASM-only build. */
export const WASM_ONLY_BUILD_REASON =
  'this studio loaded its CPU-only runtime, since the models were set to run on WASM';

/** ES2024's `ArrayBuffer.prototype.transfer`, where the runtime has it (Chromium 114+, Node 21+). */
interface TransferableBuffer {
  transfer?: (newLength?: number) => ArrayBuffer;
  detached?: boolean;
}

/**
 * Frees a model's bytes now. onnxruntime-web copies a model into its WebAssembly memory to
 * create a session, so the JS copy is dead weight after: the size of the model (92 MB for the
 * int8 Kokoro) held until the worker's next garbage collection, which on the real-model bench
 * came ten seconds after loading, past the page's peak. `transfer(0)` detaches the buffer and
 * releases its memory at once (measured in Chromium: 400 MB returned to the system at once;
 * dropping the reference returned nothing within the half second). Every view of the buffer is
 * empty after. A runtime without `transfer` leaves it to the collector.
 */
export function freeModelBytes(bytes: Uint8Array): void {
  const buffer = bytes.buffer as ArrayBufferLike & TransferableBuffer;
  if (typeof buffer.transfer === 'function' && !buffer.detached) buffer.transfer(0);
}

/**
 * A session of `bytes` on `backend`. It takes the bytes: they are freed once the session is
 * made, or failed (freeModelBytes), so a caller never reads them after.
 */
export async function createSession(bytes: Uint8Array, backend: Backend): Promise<Ort.InferenceSession> {
  try {
    const runtime = await loadOrt();
    if (backend === 'webgpu' && ortBuild() === 'wasm') throw new Error(WASM_ONLY_BUILD_REASON);
    return await runtime.InferenceSession.create(bytes, {
      executionProviders: [backend],
      graphOptimizationLevel: 'all',
    });
  } finally {
    try {
      freeModelBytes(bytes);
    } catch {
      // not ours to free after all: the collector takes it, and the session's outcome stands
    }
  }
}
