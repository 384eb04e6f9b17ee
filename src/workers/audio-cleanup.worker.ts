/**
 * The audio clean-up worker: ingest (downmix, 5-minute limit, 24 kHz), Silero VAD through
 * onnxruntime-web, RNNoise through its WASM build, silence trimming and loudness. Both models
 * ship inside npm packages and are served by the app itself (Vite emits them as assets), so
 * clean-up works offline. The pipeline is engine code; this file only supplies the models.
 */
import * as Comlink from 'comlink';
import sileroUrl from '@ricky0123/vad-web/dist/silero_vad_v5.onnx?url';
import {
  cleanClip,
  ingestAudio,
  type CleanedClip,
  type CleanOptions,
  type IngestedAudio,
} from '../engine/reference/clean';
import { RNNOISE_FRAME_SAMPLES, type FrameDenoiser } from '../engine/reference/denoise';
import { speechProbabilities } from '../engine/reference/silero';
import type { ProgressCallback } from '../engine/progress';
import { configureOrt, createSession } from './ort/runtime';
import { OrtSileroModel } from './ort/speaker-silero';
import type { CleanupWorkerApi } from './audio-cleanup-protocol';
import type { RnnoiseModule } from '@jitsi/rnnoise-wasm/dist/rnnoise-sync.js';

let silero: Promise<OrtSileroModel> | undefined;

function loadSilero(): Promise<OrtSileroModel> {
  silero ??= (async () => {
    const response = await fetch(sileroUrl);
    if (!response.ok) throw new Error(`Could not load the voice-activity model (HTTP ${response.status}).`);
    const session = await createSession(new Uint8Array(await response.arrayBuffer()), 'wasm');
    return new OrtSileroModel(session, configureOrt());
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

  async warmUp(): Promise<void> {
    await loadSilero();
  }

  async ingest(channels: Float32Array[], sampleRateHz: number): Promise<IngestedAudio> {
    const audio = ingestAudio(channels, sampleRateHz);
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
      const [model, denoiseModule] = await Promise.all([
        loadSilero(),
        options.denoise ? loadRnnoise() : undefined,
      ]);
      const cleaned = await cleanClip(
        audio,
        options,
        {
          vadProbabilities: (pcm16k, signal) => speechProbabilities(pcm16k, model, { signal, onProgress }),
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
