/**
 * Resemblyzer's GE2E encoder in a worker: `pretrained.pt` through the model store (cache,
 * hash check, progress), its weights read by the safe checkpoint reader (nothing in the file
 * runs), an ONNX graph built from them and run on WASM, and libfvad for `preprocess_wav`'s
 * silence trim. The inference worker loads it here (once, for References and Clone alike).
 *
 * Always WASM: the graph is three LSTMs over 160 frames (1.4 M parameters), which WebGPU's
 * execution provider does not implement (ORT would run it on the CPU anyway, with copies).
 */
import fvadWasmUrl from '@echogarden/fvad-wasm/fvad.wasm?url';
import type { ModelManifest, ModelFile } from '../../engine/models/manifest';
import type { ProgressCallback } from '../../engine/progress';
import { buildGe2eModel, embedUtterance, preprocessWav, readGe2eWeights } from '../../engine/speaker/ge2e';
import { createWebRtcVad, type WebRtcVad } from '../audio/webrtc-vad';
import type { ModelStore } from '../models/model-store';
import { loadedOrt, createSession } from './runtime';
import { createGe2eRunner } from './ge2e-runner';
import { sessionScheduler, type ScheduleOptions } from './session-scheduler';
import type { TensorConstructor } from './kokoro-runner';

/** The picker's id for GE2E (beside WeSpeaker's variant ids). */
export const GE2E_ENCODER_ID = 'ge2e';

export interface Ge2eEncoder {
  readonly backend: 'wasm';
  /** Names exactly these weights: `ge2e-<first 12 hex of SHA-256>`. */
  readonly cacheTag: string;
  readonly file: ModelFile;
  /**
   * `embed_utterance(preprocess_wav(pcm, rate))`: an L2-normalised embedding of 256. Its runs
   * go through the session scheduler with `options` (priority, signal).
   */
  embed(pcm: Float32Array, sampleRateHz: number, options?: ScheduleOptions): Promise<Float32Array>;
  release(): Promise<void>;
}

export function ge2eCacheTag(file: ModelFile): string {
  return `${GE2E_ENCODER_ID}-${(file.sha256 ?? `${file.bytes}b`).slice(0, 12)}`;
}

/** Loads GE2E from the manifest's `ge2eEncoder`; a clear error when the source has none. */
export async function loadGe2eEncoder(
  store: ModelStore,
  manifest: ModelManifest,
  onProgress: ProgressCallback,
): Promise<Ge2eEncoder> {
  const spec = manifest.ge2eEncoder;
  if (!spec)
    throw new Error(
      'This model source offers no GE2E encoder (its manifest has no "ge2eEncoder"). Pick WeSpeaker, or use a source that has it.',
    );
  const bytes = await store.getFile(spec.file, onProgress);
  const weights = readGe2eWeights(spec.file.path, bytes);
  onProgress({ kind: 'compile', model: 'GE2E encoder', backend: 'wasm' });
  const session = await createSession(buildGe2eModel(weights), 'wasm');
  let vad: WebRtcVad;
  try {
    vad = await createWebRtcVad({ wasmUrl: fvadWasmUrl });
  } catch (error) {
    await session.release().catch(() => undefined);
    throw error;
  }
  const Tensor = loadedOrt().Tensor as unknown as TensorConstructor;
  return {
    backend: 'wasm',
    cacheTag: ge2eCacheTag(spec.file),
    file: spec.file,
    async embed(pcm, sampleRateHz, options = {}) {
      const wav = preprocessWav(pcm, sampleRateHz, vad);
      if (wav.length === 0)
        throw new Error('There is no speech to embed (the clip is silent after trimming).');
      return embedUtterance(wav, createGe2eRunner(session, Tensor, options));
    },
    async release() {
      vad.dispose();
      // After the runs already queued (the session scheduler), like the other sessions.
      await sessionScheduler.schedule(() => session.release(), { priority: 'background' });
    },
  };
}
