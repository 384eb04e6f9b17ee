/**
 * The speaker worker: the speaker encoder from the manifest (through the same model store,
 * cache and progress as Kokoro) and the model-free voice features. A thin comlink adapter:
 * the fbank, windows and features are engine code.
 */
import * as Comlink from 'comlink';
import { computeFbank, FBANK_SAMPLE_RATE_HZ, fbankFrameCount, meanNormalise } from '../engine/audio/fbank';
import { extractVoiceFeatures, FEATURE_SAMPLE_RATE_HZ } from '../engine/audio/features';
import { resample } from '../engine/audio/resample';
import type { ModelManifest } from '../engine/models/manifest';
import { sourceFromBase } from '../engine/models/sources';
import type { ProgressCallback } from '../engine/progress';
import { averageEmbeddings, embeddingWindows } from '../engine/reference/similarity';
import type { Backend } from '../engine/tts/types';
import { loadVariantSession, planBackend, variantTag, type BackendPlan } from './models/load-sessions';
import { createBrowserModelStore } from './models/model-store';
import { GE2E_EMBEDDING_DIM } from '../engine/speaker/ge2e';
import { GE2E_ENCODER_ID, loadGe2eEncoder } from './ort/ge2e-encoder';
import { OrtSpeakerEncoder } from './ort/speaker-encoder';
import { configureOrt } from './ort/runtime';
import type { SpeakerEncoderStatus, SpeakerInitOptions, SpeakerWorkerApi } from './speaker-protocol';

/** The encoder needs a few frames at least (ResNet pooling); shorter clips are padded by repetition. */
const MIN_ENCODER_FRAMES = 50;

/** What `embed` runs: WeSpeaker (fbank windows) or GE2E (Resemblyzer's own front end). */
interface LoadedEncoder {
  embed(pcm: Float32Array, sampleRateHz: number): Promise<Float32Array>;
  release(): Promise<void>;
}

class SpeakerWorker implements SpeakerWorkerApi {
  private encoder: LoadedEncoder | undefined;
  private status: SpeakerEncoderStatus | undefined;
  private loadKey: string | undefined;

  async init(options: SpeakerInitOptions, onProgress: ProgressCallback): Promise<SpeakerEncoderStatus> {
    const key = JSON.stringify(options);
    if (this.status && this.loadKey === key) return this.status;
    const store = createBrowserModelStore(sourceFromBase(options.modelBase));
    const manifest = await store.loadManifest();
    if (options.variant === GE2E_ENCODER_ID) {
      const ge2e = await loadGe2eEncoder(store, manifest, onProgress);
      await this.encoder?.release();
      this.encoder = ge2e;
      onProgress({ kind: 'done', task: 'speaker-encoder' });
      this.loadKey = key;
      // GE2E always runs on WASM: say so when WebGPU was asked for.
      const reason =
        options.backend === 'webgpu' ? 'GE2E runs on WASM: WebGPU has no LSTM kernels' : undefined;
      this.status = ge2eStatusOf(manifest, ge2e.cacheTag, reason);
      return this.status;
    }
    const spec = manifest.speakerEncoder;
    // For the encoder 'auto' means WASM: only an explicit 'webgpu' asks for an adapter, so a
    // WASM load never waits for the probe. The UI shows the reasons in parentheses (no period).
    const plan: Pick<BackendPlan, 'backend' | 'fallbackReason'> =
      options.backend === 'webgpu'
        ? await planBackend('webgpu', { noAdapterReason: (reason) => reason })
        : { backend: 'wasm' };
    const variantId = options.variant ?? spec.defaultVariant[plan.backend];
    const variant = spec.variants.find((v) => v.id === variantId);
    if (!variant) throw new Error(`The manifest has no speaker-encoder variant "${variantId}".`);
    const loaded = await loadVariantSession(
      store,
      variant,
      plan.backend,
      'the encoder',
      onProgress,
      async (session, backend) =>
        new OrtSpeakerEncoder(backend, variant.id, session, configureOrt(), spec.embeddingDim),
      {
        compileName: 'Speaker encoder',
        webGpuFailure: (message) => `WebGPU could not start the encoder (${message})`,
      },
    );
    await this.encoder?.release();
    this.encoder = wespeakerEmbedder(loaded.value);
    onProgress({ kind: 'done', task: 'speaker-encoder' });
    this.loadKey = key;
    const fallbackReason = loaded.fallbackReason ?? plan.fallbackReason;
    this.status = statusOf(manifest, variant.id, variantTag(variant), loaded.backend, fallbackReason);
    return this.status;
  }

  async embed(pcm: Float32Array, sampleRateHz: number): Promise<Float32Array> {
    const encoder = this.encoder;
    if (!encoder) throw new Error('The speaker encoder is not loaded.');
    const result = await encoder.embed(pcm, sampleRateHz);
    return Comlink.transfer(result, [result.buffer]);
  }

  async features(pcm: Float32Array, sampleRateHz: number): Promise<Float32Array> {
    const pcm24k = resample(pcm, sampleRateHz, FEATURE_SAMPLE_RATE_HZ);
    const vector = new Float32Array(extractVoiceFeatures(pcm24k).vector);
    return Comlink.transfer(vector, [vector.buffer]);
  }
}

/** WeSpeaker: resampled to 16 kHz, long clips in windows (fbank, mean-normalised), averaged. */
function wespeakerEmbedder(encoder: OrtSpeakerEncoder): LoadedEncoder {
  return {
    async embed(pcm, sampleRateHz) {
      const pcm16k = resample(pcm, sampleRateHz, FBANK_SAMPLE_RATE_HZ);
      const windows = embeddingWindows(pcm16k.length, FBANK_SAMPLE_RATE_HZ);
      const embeddings: Float32Array[] = [];
      const weights: number[] = [];
      for (const [start, end] of windows) {
        const fbank = meanNormalise(computeFbank(atLeastFrames(pcm16k.subarray(start, end))));
        embeddings.push(await encoder.embed(fbank));
        weights.push(end - start);
      }
      return embeddings.length === 1 ? embeddings[0]! : averageEmbeddings(embeddings, weights);
    },
    release: () => encoder.release(),
  };
}

/** Very short audio is repeated until the encoder gets MIN_ENCODER_FRAMES frames. */
function atLeastFrames(pcm16k: Float32Array): Float32Array {
  if (pcm16k.length === 0) throw new Error('There is no audio to embed.');
  if (fbankFrameCount(pcm16k.length) >= MIN_ENCODER_FRAMES) return pcm16k;
  const needed = 400 + 160 * (MIN_ENCODER_FRAMES - 1);
  const out = new Float32Array(needed);
  for (let i = 0; i < needed; i++) out[i] = pcm16k[i % pcm16k.length]!;
  return out;
}

/** The encoders a source offers, for the picker: WeSpeaker's variants, then GE2E when the manifest has it. */
function pickerVariants(manifest: ModelManifest): SpeakerEncoderStatus['variants'] {
  const variants = manifest.speakerEncoder.variants.map((v) => ({
    id: v.id,
    label: `WeSpeaker ${v.label}`,
    bytes: v.bytes,
  }));
  const ge2e = manifest.ge2eEncoder;
  if (ge2e)
    variants.push({
      id: GE2E_ENCODER_ID,
      label: 'GE2E (Resemblyzer)',
      bytes: ge2e.file.bytes,
    });
  return variants;
}

function ge2eStatusOf(
  manifest: ModelManifest,
  cacheTag: string,
  fallbackReason: string | undefined,
): SpeakerEncoderStatus {
  const spec = manifest.ge2eEncoder!;
  return {
    modelId: spec.id,
    modelName: 'GE2E (Resemblyzer)',
    variant: GE2E_ENCODER_ID,
    cacheTag,
    backend: 'wasm',
    embeddingDim: GE2E_EMBEDDING_DIM,
    license: spec.license,
    credit: spec.credit,
    variants: pickerVariants(manifest),
    fixture: manifest.fixture === true,
    ...(fallbackReason ? { fallbackReason } : {}),
  };
}

function statusOf(
  manifest: ModelManifest,
  variant: string,
  cacheTag: string,
  backend: Backend,
  fallbackReason: string | undefined,
): SpeakerEncoderStatus {
  const spec = manifest.speakerEncoder;
  return {
    modelId: spec.id,
    modelName: manifest.fixture === true ? 'Test fixture encoder' : 'WeSpeaker ResNet34-LM',
    variant,
    cacheTag,
    backend,
    embeddingDim: spec.embeddingDim,
    license: spec.license,
    credit: spec.credit,
    variants: pickerVariants(manifest),
    fixture: manifest.fixture === true,
    ...(fallbackReason ? { fallbackReason } : {}),
  };
}

Comlink.expose(new SpeakerWorker());
