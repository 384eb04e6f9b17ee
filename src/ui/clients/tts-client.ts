/**
 * The UI's handle on the TTS worker: creates it, wraps it with comlink, and writes its
 * progress into the store. The UI never touches onnxruntime itself.
 */
import * as Comlink from 'comlink';
import type { Progress } from '../../engine/progress';
import type {
  SynthesisChunk,
  SynthesisRequest,
  SynthesisSummary,
  TtsWorkerApi,
} from '../../workers/protocol';
import { askPersistenceOnce } from '../features/storage/persistence';
import { studio } from '../store/studio-store';

let worker: Worker | undefined;
let api: Comlink.Remote<TtsWorkerApi> | undefined;

export function ttsWorker(): Comlink.Remote<TtsWorkerApi> {
  if (!api) {
    worker = new Worker(new URL('../../workers/tts.worker.ts', import.meta.url), {
      type: 'module',
      name: 'kokoro',
    });
    api = Comlink.wrap<TtsWorkerApi>(worker);
  }
  return api;
}

/** Drops the worker (and its sessions) so the next init starts clean, e.g. after a settings change. */
export function restartTtsWorker(): void {
  worker?.terminate();
  worker = undefined;
  api = undefined;
}

const onProgress = (progress: Progress) => studio.set({ progress });

export async function initEngine(): Promise<void> {
  const { backend: chosen, variant, modelBase, webgpuUnreliable } = studio.get();
  // A device whose WebGPU output was corrupt before starts on WASM unless the user insists.
  const avoidWebGpu = chosen === 'auto' && webgpuUnreliable === true;
  const backend = avoidWebGpu ? 'wasm' : chosen;
  studio.set({ phase: 'loading', error: undefined, progress: undefined });
  // The first start downloads Kokoro (92-326 MB): ask the browser to keep it first (the window
  // asks; workers cannot). The worker then refuses any file that would not fit in the quota.
  askPersistenceOnce();
  try {
    const status = await ttsWorker().init(
      { backend, ...(variant ? { variant } : {}), ...(modelBase ? { modelBase } : {}) },
      Comlink.proxy(onProgress),
    );
    const reason = avoidWebGpu
      ? 'WebGPU returned corrupted audio on this device before. Choose WebGPU in Models & settings to try it again.'
      : status.fallbackReason;
    studio.set({
      phase: 'ready',
      status,
      progress: undefined,
      backendNotice: reason ? `Running on WASM: ${reason}` : undefined,
    });
  } catch (error) {
    studio.set({ phase: 'error', error: errorMessage(error) });
  }
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
