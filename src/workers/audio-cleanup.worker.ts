/**
 * The audio clean-up worker: ingest (downmix, 5-minute limit, 24 kHz), Silero VAD, RNNoise
 * through its WASM build (single-threaded: `rnnoise-sync.js` has no pthreads), silence
 * trimming and loudness. Silero runs in the inference worker (the one owner of onnxruntime
 * sessions and of the WASM thread pool), reached over the MessagePort the UI hands to
 * `connect`, at 'interactive' priority. Both models ship inside npm packages and are served by
 * the app itself (Vite emits them as assets), so clean-up works offline. The pipeline is
 * engine code; this file only supplies the models.
 */
import * as Comlink from 'comlink';
import { createLoss, type Loss } from '../engine/loss';
import {
  cleanClip,
  ingestAudio,
  VadLoadError,
  type CleanedClip,
  type CleanOptions,
  type IngestedAudio,
} from '../engine/reference/clean';
import { RNNOISE_FRAME_SAMPLES, type FrameDenoiser } from '../engine/reference/denoise';
import { speechProbabilities, type SileroModel } from '../engine/reference/silero';
import type { ProgressCallback } from '../engine/progress';
import type { CleanupWorkerApi } from './audio-cleanup-protocol';
import type { InferencePortApi } from './inference-protocol';
import type { RnnoiseModule } from '@jitsi/rnnoise-wasm/dist/rnnoise-sync.js';

let inference: Comlink.Remote<InferencePortApi> | undefined;
let silero: Promise<SileroModel> | undefined;
/**
 * Rejects when the port is replaced (the inference worker restarted: another model source or
 * backend). A call on the old port would never be answered, so every call races this: a
 * clean-up under way then falls back to the energy detector and says why, instead of hanging.
 */
let connectionLost: Loss | undefined;

function answered<T>(call: Promise<T>, lost: Promise<never>): Promise<T> {
  return Promise.race([call, lost]);
}

/**
 * Silero in the inference worker, loaded once; a failure is not cached (the next clean-up
 * tries again) and is a VadLoadError with a short reason, so clean-up falls back to the energy
 * detector and says why.
 */
function loadSilero(): Promise<SileroModel> {
  silero ??= (async () => {
    const remote = inference;
    const lost = connectionLost?.promise;
    if (!remote || !lost) throw new VadLoadError('not connected to the inference worker');
    try {
      await answered(remote.openVad(), lost);
    } catch (error) {
      throw new VadLoadError(error instanceof Error ? error.message : String(error));
    }
    return {
      step: (input: Float32Array, state: Float32Array, lanes: number) =>
        answered(remote.runVad(input, state, lanes, 'interactive'), lost),
    };
  })();
  silero.catch(() => (silero = undefined));
  return silero;
}

let rnnoise: Promise<RnnoiseModule> | undefined;

/** RNNoise 0.2 (the async build in the package is 0.1, which barely denoises); loaded on first use. */
function loadRnnoise(): Promise<RnnoiseModule> {
  rnnoise ??= import('@jitsi/rnnoise-wasm/dist/rnnoise-sync.js').then(async (m) => m.default());
  rnnoise.catch(() => (rnnoise = undefined));
  return rnnoise;
}

function denoiserOf(module: RnnoiseModule): FrameDenoiser & { dispose(): void } {
  const state = module._rnnoise_create();
  const ptr = module._malloc(RNNOISE_FRAME_SAMPLES * 4);
  return {
    processFrame(frame) {
      // HEAPF32 is re-read every call: it is replaced when WASM memory grows.
      module.HEAPF32.set(frame, ptr >> 2);
      const voice = module._rnnoise_process_frame(state, ptr, ptr);
      frame.set(module.HEAPF32.subarray(ptr >> 2, (ptr >> 2) + RNNOISE_FRAME_SAMPLES));
      return voice;
    },
    dispose() {
      module._free(ptr);
      module._rnnoise_destroy(state);
    },
  };
}

class CleanupWorker implements CleanupWorkerApi {
  private requests = new Map<number, AbortController>();

  connect(port: MessagePort): void {
    connectionLost?.reject(new Error('the inference worker restarted'));
    connectionLost = createLoss();
    inference = Comlink.wrap<InferencePortApi>(port);
    silero = undefined; // a new inference worker: load Silero there again
  }

  async warmUp(): Promise<void> {
    await loadSilero();
  }

  async ingest(channels: Float32Array[], sampleRateHz: number, sourceS?: number): Promise<IngestedAudio> {
    const audio = ingestAudio(channels, sampleRateHz, sourceS);
    return Comlink.transfer(audio, [audio.pcm.buffer]);
  }

  async clean(
    requestId: number,
    audio: IngestedAudio,
    options: CleanOptions,
    onProgress: ProgressCallback,
  ): Promise<CleanedClip> {
    const controller = new AbortController();
    this.requests.set(requestId, controller);
    try {
      // Both models load side by side. A Silero failure surfaces inside vadProbabilities,
      // where cleanClip falls back to the energy detector.
      const sileroModel = loadSilero();
      sileroModel.catch(() => undefined);
      const denoiseModule = options.denoise ? await loadRnnoise() : undefined;
      const cleaned = await cleanClip(
        audio,
        options,
        {
          vadProbabilities: async (pcm16k, signal) =>
            speechProbabilities(pcm16k, await sileroModel, { signal, onProgress }),
          ...(denoiseModule ? { createDenoiser: () => denoiserOf(denoiseModule) } : {}),
        },
        controller.signal,
      );
      return Comlink.transfer(cleaned, [cleaned.pcm.buffer]);
    } finally {
      this.requests.delete(requestId);
    }
  }

  cancel(requestId: number): void {
    this.requests.get(requestId)?.abort();
  }
}

Comlink.expose(new CleanupWorker());
