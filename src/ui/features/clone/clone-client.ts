/**
 * The Clone tab's handle on the clone worker (Kokoro + speaker encoder + the engine's search):
 * created on first use, initialised with the user's model source and backend, and guarded so
 * that a crashed worker rejects pending calls instead of leaving them hanging.
 */
import * as Comlink from 'comlink';
import type { Progress } from '../../../engine/progress';
import type { CloneWorkerApi } from '../../../workers/clone-protocol';
import { studio } from '../../store/studio-store';

let worker: Worker | undefined;
let api: Comlink.Remote<CloneWorkerApi> | undefined;
/** Rejects when the current worker crashes or is terminated (comlink calls would hang). */
let lost: { promise: Promise<never>; reject: (error: Error) => void } | undefined;
let engineLoading: Promise<boolean> | undefined;
let engineKey: string | undefined;

export class CloneWorkerLostError extends Error {
  override name = 'CloneWorkerLostError';
}

function deferredLoss(): NonNullable<typeof lost> {
  let reject: (error: Error) => void = () => undefined;
  const promise = new Promise<never>((_, r) => (reject = r));
  promise.catch(() => undefined); // only callers racing against it care
  return { promise, reject };
}

function cloneWorkerApi(): Comlink.Remote<CloneWorkerApi> {
  if (!api) {
    worker = new Worker(new URL('../../../workers/clone.worker.ts', import.meta.url), {
      type: 'module',
      name: 'clone',
    });
    const loss = deferredLoss();
    const onLost = (message: string) => {
      loss.reject(new CloneWorkerLostError(`The cloning worker stopped: ${message}`));
      // The next call starts a fresh worker (models load again from the browser cache).
      if (lost === loss) dropWorker();
    };
    worker.addEventListener('error', (event) => onLost(event.message || 'unknown error'));
    worker.addEventListener('messageerror', () => onLost('a message could not be read'));
    lost = loss;
    api = Comlink.wrap<CloneWorkerApi>(worker);
  }
  return api;
}

function dropWorker(): void {
  worker?.terminate();
  worker = undefined;
  api = undefined;
  lost = undefined;
  engineLoading = undefined;
  engineKey = undefined;
  studio.set({
    cloneEnginePhase: 'idle',
    cloneEngineStatus: undefined,
    cloneSpeed: undefined,
    cloneSpeedPhase: 'idle',
  });
}

/** Calls the worker; rejects instead of hanging if the worker crashes or is restarted meanwhile. */
export function withClone<T>(call: (remote: Comlink.Remote<CloneWorkerApi>) => Promise<T>): Promise<T> {
  const remote = cloneWorkerApi();
  return Promise.race([call(remote), lost!.promise]);
}

/** Terminates the worker (and any job in it) so the next call starts clean. */
export function restartCloneWorker(reason = 'The cloning worker was restarted.'): void {
  lost?.reject(new CloneWorkerLostError(reason));
  dropWorker();
}

/** Fire-and-forget calls (pause, cancel) that must not throw when the worker is gone. */
export function notifyClone(call: (remote: Comlink.Remote<CloneWorkerApi>) => Promise<unknown> | void): void {
  if (!api) return;
  void Promise.resolve(call(api)).catch(() => undefined);
}

const onProgress = (progress: Progress) => studio.set({ cloneEngineProgress: progress });

/**
 * Loads Kokoro and the speaker encoder in the clone worker once per (model source, backend),
 * then measures this device's speed for the budget estimates. Resolves false on failure (the
 * error is in the store).
 */
export function ensureCloneEngine(): Promise<boolean> {
  const { modelBase, backend, webgpuUnreliable, cloneEncoder } = studio.get();
  // Like the TTS worker: a device whose WebGPU audio was corrupt starts on WASM under `auto`.
  const chosen = backend === 'auto' && webgpuUnreliable === true ? 'wasm' : backend;
  const key = JSON.stringify([modelBase ?? '', chosen, cloneEncoder]);
  if (engineLoading && key === engineKey) return engineLoading;
  if (engineKey !== undefined && key !== engineKey)
    restartCloneWorker('The model source, backend or speaker encoder changed.');
  engineKey = key;
  studio.set({ cloneEnginePhase: 'loading', cloneEngineError: undefined, cloneEngineProgress: undefined });
  const options = {
    backend: chosen,
    ...(modelBase ? { modelBase } : {}),
    ...(cloneEncoder === 'ge2e' ? { encoderVariant: 'ge2e' } : {}),
  };
  const loading = withClone((remote) => remote.init(options, Comlink.proxy(onProgress))).then(
    (status) => {
      if (engineLoading !== loading) return false;
      studio.set({ cloneEnginePhase: 'ready', cloneEngineStatus: status, cloneEngineProgress: undefined });
      void measureSpeed();
      return true;
    },
    (error: unknown) => {
      if (engineLoading !== loading) return false;
      engineLoading = undefined; // Try again starts over
      studio.set({
        cloneEnginePhase: 'error',
        cloneEngineError: errorText(error),
        cloneEngineProgress: undefined,
      });
      return false;
    },
  );
  engineLoading = loading;
  return loading;
}

let measuring: Promise<void> = Promise.resolve();

function measureSpeed(): Promise<void> {
  const { cloneSpeedPhase, cloneSpeedMeasured, cloneEngineStatus } = studio.get();
  if (cloneSpeedPhase === 'measuring') return measuring;
  // Measured before with the same models on the same backend: no need to spend renderings again.
  const key = cloneEngineStatus ? `${cloneEngineStatus.cacheTag}|${cloneEngineStatus.backend}` : '';
  if (cloneSpeedMeasured && cloneSpeedMeasured.key === key) {
    studio.set({ cloneSpeed: cloneSpeedMeasured.speed, cloneSpeedPhase: 'ready' });
    return measuring;
  }
  studio.set({ cloneSpeedPhase: 'measuring' });
  measuring = withClone((remote) => remote.estimateSpeed()).then(
    (speed) => {
      studio.set({ cloneSpeed: speed, cloneSpeedPhase: 'ready', cloneSpeedMeasured: { key, speed } });
    },
    () => {
      studio.set({ cloneSpeedPhase: 'error' });
    },
  );
  return measuring;
}

/** Resolves when no speed measurement is running (a job waits for it: the worker runs one thing at a time). */
export function speedSettled(): Promise<void> {
  return measuring;
}

/** After a failure: a fresh worker, models loaded again. */
export function retryCloneEngine(): Promise<boolean> {
  restartCloneWorker('Loading the models again.');
  return ensureCloneEngine();
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
