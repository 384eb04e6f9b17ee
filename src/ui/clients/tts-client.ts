/**
 * The UI's handle on the inference worker (tts.worker.ts: Speak, the preview, and every
 * model session of the studio): creates it, wraps it with comlink, writes its progress into
 * the store, and connects the other workers to it (connectToInference). The UI never touches
 * onnxruntime itself.
 */
import * as Comlink from 'comlink';
import { createLoss, type Loss } from '../../engine/loss';
import type { Progress } from '../../engine/progress';
import type {
  BackendChoice,
  SynthesisChunk,
  SynthesisRequest,
  SynthesisSummary,
  TtsWorkerApi,
} from '../../workers/protocol';
import { warmPlaybackContext } from '../audio/playback-context';
import { askPersistenceOnce } from '../features/storage/persistence';
import { studio, type StudioState } from '../store/studio-store';

/**
 * The backend Kokoro is asked for: the user's choice, except that under 'auto' a device whose
 * WebGPU audio was corrupt before starts on WASM (Speak and the clone alike).
 */
export function kokoroBackendChoice(
  state: Pick<StudioState, 'backend' | 'webgpuUnreliable'> = studio.get(),
): BackendChoice {
  return state.backend === 'auto' && state.webgpuUnreliable === true ? 'wasm' : state.backend;
}

let worker: Worker | undefined;
let api: Comlink.Remote<TtsWorkerApi> | undefined;
/** Rejects every pending call to `worker` when it is lost or ended on purpose. */
let workerLoss: Loss | undefined;

/** The inference worker stopped by itself (its script failed, an uncaught error): calls fail with this. */
export class InferenceWorkerLostError extends Error {
  override name = 'InferenceWorkerLostError';
}

/** The inference worker was ended on purpose (restartTtsWorker: a settings change): its pending calls fail with this. */
export class InferenceWorkerRestartedError extends Error {
  override name = 'InferenceWorkerRestartedError';
}

/**
 * `remote` whose every call also rejects when `loss` does: a worker that died never answers,
 * and a comlink call to it would wait forever (the page stuck at "Loading…").
 */
function racingLoss<T extends object>(remote: T, loss: Loss): T {
  return new Proxy(remote, {
    get(target, property) {
      const member = Reflect.get(target, property) as unknown;
      if (typeof property === 'symbol' || typeof member !== 'function') return member;
      return (...args: unknown[]) =>
        Promise.race([(member as (...a: unknown[]) => Promise<unknown>)(...args), loss.promise]);
    },
  });
}

/**
 * Set when a worker was lost before it ever answered: the workers connected to it still hold
 * ports to it, and are reconnected when the next one starts (not at once, which would start
 * worker after worker while the script cannot load).
 */
let staleClients = false;

export function ttsWorker(): Comlink.Remote<TtsWorkerApi> {
  if (!api) {
    const created = new Worker(new URL('../../workers/tts.worker.ts', import.meta.url), {
      type: 'module',
      name: 'kokoro',
    });
    const loss = createLoss();
    let answered = false;
    // An error before the worker ever answered is its script failing (a missing chunk offline,
    // a broken deploy): it will never answer, so calls fail now, the studio says so (its Try
    // again starts a new worker). After it has answered, an error event is an uncaught error
    // in a handler: the worker lives on, and every call still reports its own failure.
    created.addEventListener('error', (event) => {
      if (answered) {
        console.error('The voice engine reported an error:', event.message);
        return;
      }
      const message = `The voice engine stopped: ${event.message || 'its script could not run'}. Try again to restart it.`;
      loss.reject(new InferenceWorkerLostError(message));
      if (worker !== created) return;
      created.terminate();
      worker = undefined;
      api = undefined;
      workerLoss = undefined;
      staleClients = true;
      studio.set({ phase: 'error', error: message });
    });
    worker = created;
    workerLoss = loss;
    api = racingLoss(Comlink.wrap<TtsWorkerApi>(created), loss);
    // First, before any session: which onnxruntime build the worker loads (a settings change
    // restarts it). Its answer also shows the worker runs.
    api.chooseRuntime(kokoroBackendChoice()).then(
      () => (answered = true),
      () => undefined,
    );
    if (staleClients) {
      staleClients = false;
      queueMicrotask(notifyRestart);
    }
  }
  return api;
}

/** Called when the inference worker is ended: the workers connected to it must start again. */
const restartListeners = new Set<() => void>();

/** `listener` runs each time the inference worker is restarted; returns an unsubscribe. */
export function onInferenceRestart(listener: () => void): () => void {
  restartListeners.add(listener);
  return () => restartListeners.delete(listener);
}

/**
 * Drops the worker (and its sessions) so the next init starts clean, e.g. after a settings
 * change; the workers connected to it (clone, speaker) are dropped too, and start again on
 * their next use.
 */
export function restartTtsWorker(): void {
  worker?.terminate();
  // A terminated worker never answers: what was waiting on it (a generation, a preview, a
  // load) ends now with a reason instead of waiting forever.
  workerLoss?.reject(
    new InferenceWorkerRestartedError(
      'Stopped: the voice engine restarted with the new settings. Try again when it is ready.',
    ),
  );
  worker = undefined;
  api = undefined;
  workerLoss = undefined;
  notifyRestart();
}

/** Tells the workers connected to the inference worker that it is a new one. */
function notifyRestart(): void {
  for (const listener of [...restartListeners]) listener();
}

let nextClient = 1;

/**
 * A port to the inference worker for another worker (`kind` names it): the inference worker
 * serves that worker's model runs on the other end (workers/inference-protocol.ts). Give the
 * port to that worker's `connect` (with Comlink.transfer) and call `disconnect` when it ends:
 * its queued runs are cancelled and the sessions only it held released.
 */
export function connectToInference(kind: string): { port: MessagePort; disconnect(): void } {
  const channel = new MessageChannel();
  const clientId = `${kind}-${nextClient++}`;
  const inference = ttsWorker();
  inference.connect(Comlink.transfer(channel.port1, [channel.port1]), clientId).catch(() => undefined);
  return {
    port: channel.port2,
    disconnect: () => {
      // Only the worker this port belongs to: a restarted inference worker never knew it.
      if (api === inference) void inference.disconnect(clientId).catch(() => undefined);
    },
  };
}

const onProgress = (progress: Progress) => studio.set({ progress });

export async function initEngine(): Promise<void> {
  const { backend: chosen, variant, modelBase } = studio.get();
  // A device whose WebGPU output was corrupt before starts on WASM unless the user insists.
  const backend = kokoroBackendChoice();
  const avoidWebGpu = backend !== chosen;
  studio.set({ phase: 'loading', error: undefined, progress: undefined });
  // The first start downloads Kokoro (92-326 MB): ask the browser to keep it first (the window
  // asks; workers cannot). The worker then refuses any file that would not fit in the quota.
  askPersistenceOnce();
  const remote = ttsWorker();
  // Whether the studio's phase is still this load's to set: a restart (a settings change)
  // while it loads ends this load and begins another, whose outcome the studio shows.
  const current = () => api === remote;
  try {
    const status = await remote.init(
      { backend, ...(variant ? { variant } : {}), ...(modelBase ? { modelBase } : {}) },
      Comlink.proxy(onProgress),
      Comlink.proxy(noteWebGpuDropped),
    );
    const reason = avoidWebGpu
      ? 'WebGPU returned corrupted audio on this device before. Choose WebGPU in Models & settings to try it again.'
      : status.fallbackReason;
    if (!current()) return;
    studio.set({
      phase: 'ready',
      status,
      progress: undefined,
      backendNotice: reason ? `Running on WASM: ${reason}` : undefined,
    });
    // Speak is possible now: the first Play should not wait for the audio output to start.
    warmPlaybackContext();
  } catch (error) {
    if (current()) studio.set({ phase: 'error', error: errorMessage(error) });
  }
}

/**
 * Kokoro fell back from WebGPU to WASM in the middle of a run (Speak or the preview: the
 * inference worker replaced the shared session, so every feature now runs on WASM; it says so
 * through init's onFallback): the studio says so, shows WASM as the backend, and starts on WASM
 * next time under 'auto'.
 */
export function noteWebGpuDropped(reason: string): void {
  const { status } = studio.get();
  studio.set({
    backendNotice: `WebGPU was dropped on this device: ${reason}. Timbre now runs on WASM.`,
    webgpuUnreliable: true,
    ...(status ? { status: { ...status, backend: 'wasm', fallbackReason: reason } } : {}),
  });
  for (const listener of [...webGpuDroppedListeners]) listener(reason);
}

const webGpuDroppedListeners = new Set<(reason: string) => void>();

/** `listener` runs when Kokoro's shared session fell back to WASM (the clone worker's renderings moved with it). */
export function onWebGpuDropped(listener: (reason: string) => void): () => void {
  webGpuDroppedListeners.add(listener);
  return () => webGpuDroppedListeners.delete(listener);
}

export function synthesize(
  request: SynthesisRequest,
  onChunk: (chunk: SynthesisChunk) => void,
): Promise<SynthesisSummary> {
  return ttsWorker().synthesize(request, Comlink.proxy(onChunk), Comlink.proxy(onProgress));
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
