/**
 * The Clone tab's handle on the clone worker (Kokoro + speaker encoder + the engine's search):
 * created on first use, initialised with the user's model source and backend, and guarded so
 * that a crashed worker rejects pending calls instead of leaving them hanging. The page may end
 * the worker on purpose (stopCloneWorker: a Pause or Cancel that cannot wait for a rendering);
 * that is not a crash, and the next call starts a fresh worker.
 */
import * as Comlink from 'comlink';
import { createLoss, type Loss } from '../../../engine/loss';
import type { Progress } from '../../../engine/progress';
import type { CloneWorkerApi } from '../../../workers/clone-protocol';
import type { Dialect } from '../../../workers/protocol';
import {
  connectToInference,
  kokoroBackendChoice,
  onInferenceRestart,
  onWebGpuDropped,
} from '../../clients/tts-client';
import { jobBusy } from '../../store/slices/clone';
import { studio } from '../../store/studio-store';

/** A started clone worker as this module uses it: the comlink API and a way to end it. */
export interface CloneWorkerHandle {
  api: Comlink.Remote<CloneWorkerApi>;
  terminate(): void;
}

/** Starts a worker; `onLost` is called with a reason if it crashes (never after terminate). */
export type CloneWorkerStarter = (onLost: (message: string) => void) => CloneWorkerHandle;

/**
 * The clone worker, connected to the inference worker (which runs its renderings and
 * embeddings on the shared sessions). Ending it also tells the inference worker, so the runs
 * it had queued are dropped rather than served to a worker that is gone.
 */
const startBrowserWorker: CloneWorkerStarter = (onLost) => {
  const worker = new Worker(new URL('../../../workers/clone.worker.ts', import.meta.url), {
    type: 'module',
    name: 'clone',
  });
  worker.addEventListener('error', (event) => onLost(event.message || 'unknown error'));
  worker.addEventListener('messageerror', () => onLost('a message could not be read'));
  const api = Comlink.wrap<CloneWorkerApi>(worker);
  const inference = connectToInference('clone');
  void api.connect(Comlink.transfer(inference.port, [inference.port]));
  return {
    api,
    terminate: () => {
      worker.terminate();
      inference.disconnect();
    },
  };
};

let startWorker: CloneWorkerStarter = startBrowserWorker;
let worker: CloneWorkerHandle | undefined;
let api: Comlink.Remote<CloneWorkerApi> | undefined;
/** Rejects when the current worker crashes or is terminated (comlink calls would hang). */
let lost: Loss | undefined;
let engineLoading: Promise<boolean> | undefined;
let engineKey: string | undefined;
/** Counts the workers ended: a job's session lives only in the worker of the epoch it ran in. */
let epoch = 0;

export class CloneWorkerLostError extends Error {
  override name = 'CloneWorkerLostError';
}

/**
 * Pending calls end with this when the page ended the worker on purpose (a Pause or Cancel
 * that could not wait for a rendering): not a crash, nothing to report.
 */
export class CloneWorkerStoppedError extends Error {
  override name = 'CloneWorkerStoppedError';
}

function cloneWorkerApi(): Comlink.Remote<CloneWorkerApi> {
  if (!api) {
    const loss = createLoss();
    const onLost = (message: string) => {
      loss.reject(new CloneWorkerLostError(`The cloning worker stopped: ${message}`));
      // The next call starts a fresh worker (models load again from the browser cache).
      if (lost === loss) dropWorker();
    };
    lost = loss;
    worker = startWorker(onLost);
    api = worker.api;
  }
  return api;
}

function dropWorker(): void {
  worker?.terminate();
  if (worker) epoch++;
  worker = undefined;
  api = undefined;
  lost = undefined;
  engineLoading = undefined;
  engineKey = undefined;
  speedStale = false; // a new worker's engine is measured when it loads
  studio.set({
    cloneEnginePhase: 'idle',
    cloneEngineStatus: undefined,
    cloneSpeed: undefined,
    cloneSpeedPhase: 'idle',
  });
}

/**
 * Which worker is current: it changes each time one is ended (crash, restart, stop), so a
 * job that ran in an earlier epoch is no longer in the worker and resumes from its checkpoint.
 */
export function cloneWorkerEpoch(): number {
  return epoch;
}

/** Tests: starts workers with `starter` (undefined: the real module worker); ends the current one. */
export function setCloneWorkerStarter(starter?: CloneWorkerStarter): void {
  if (worker) restartCloneWorker('The cloning worker was replaced.');
  startWorker = starter ?? startBrowserWorker;
}

/** Calls the worker; rejects instead of hanging if the worker crashes or is restarted meanwhile. */
export function withClone<T>(call: (remote: Comlink.Remote<CloneWorkerApi>) => Promise<T>): Promise<T> {
  const remote = cloneWorkerApi();
  return Promise.race([call(remote), lost!.promise]);
}

const probeTokens = new Map<string, Promise<number>>();

/**
 * Tokens of the probe a search renders for a reference with this transcript (its first words),
 * from the worker's text frontend; remembered per text (a failure is not).
 */
export function transcriptProbeTokens(transcript: string, dialect: Dialect): Promise<number> {
  const key = `${dialect}|${transcript}`;
  let known = probeTokens.get(key);
  if (!known) {
    known = withClone((remote) => remote.transcriptProbeTokens(transcript, dialect));
    probeTokens.set(key, known);
    known.catch(() => probeTokens.delete(key));
  }
  return known;
}

/** Terminates the worker (and any job in it) so the next call starts clean. */
export function restartCloneWorker(reason = 'The cloning worker was restarted.'): void {
  lost?.reject(new CloneWorkerLostError(reason));
  dropWorker();
}

/**
 * Ends the worker at once, on purpose: an onnxruntime run cannot be interrupted, so this is
 * how a Pause or Cancel frees the CPU without waiting for the rendering under way. Pending
 * calls reject with CloneWorkerStoppedError (not reported as a crash); the next call starts a
 * fresh worker, and ensureCloneEngine loads the models again (from the browser cache).
 */
export function stopCloneWorker(reason = 'The cloning worker was stopped.'): void {
  lost?.reject(new CloneWorkerStoppedError(reason));
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
  const { modelBase, variant, cloneEncoder } = studio.get();
  // Like Speak: a device whose WebGPU audio was corrupt starts on WASM under `auto`.
  const chosen = kokoroBackendChoice();
  const key = JSON.stringify([modelBase ?? '', chosen, variant ?? '', cloneEncoder]);
  if (engineLoading && key === engineKey) {
    // Kokoro moved to WASM while a job ran: measured now, before the next job or estimate.
    if (speedStale) {
      speedStale = false;
      void engineLoading.then((ready) => (ready ? measureSpeed() : undefined));
    }
    return engineLoading;
  }
  if (engineKey !== undefined && key !== engineKey)
    restartCloneWorker('The model source, backend or speaker encoder changed.');
  engineKey = key;
  studio.set({ cloneEnginePhase: 'loading', cloneEngineError: undefined, cloneEngineProgress: undefined });
  // The same source, backend choice and Kokoro variant as Speak: the same Kokoro session.
  const options = {
    backend: chosen,
    ...(modelBase ? { modelBase } : {}),
    ...(variant ? { kokoroVariant: variant } : {}),
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
/** The engine's backend changed while a job ran: its speed is measured at the next ensureCloneEngine. */
let speedStale = false;

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
  const measuredIn = epoch;
  measuring = withClone((remote) => remote.estimateSpeed()).then(
    (speed) => {
      if (measuredIn !== epoch) return; // the worker was ended meanwhile: its engine is gone
      studio.set({ cloneSpeed: speed, cloneSpeedPhase: 'ready', cloneSpeedMeasured: { key, speed } });
    },
    () => {
      // A worker ended meanwhile (restart, stop) is no failure to measure: the next load measures.
      if (measuredIn === epoch) studio.set({ cloneSpeedPhase: 'error' });
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

// The inference worker holds this worker's models: when it restarts, so does this worker.
onInferenceRestart(() => {
  if (worker) restartCloneWorker('The models were reloaded.');
});

// Speak or the preview made the shared Kokoro session fall back to WASM: the clone's renderings
// run there now. Its card says so, its cache keys say WASM, and its speed is measured again.
onWebGpuDropped((reason) => {
  notifyClone(async (remote) => {
    const status = await remote.kokoroFellBack(reason);
    if (!status) return;
    studio.set({ cloneEngineStatus: status });
    // Not beside a running job (its renderings would slow it and be timed with it, and a
    // Pause would drop them): the next job or visit measures first.
    if (jobBusy(studio.get().cloneJob?.state)) speedStale = true;
    else await measureSpeed();
  });
});

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
