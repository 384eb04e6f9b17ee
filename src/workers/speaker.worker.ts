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
import { OrtSpeakerEncoder } from './ort/speaker-encoder';
import { configureOrt } from './ort/runtime';
import type { SpeakerEncoderStatus, SpeakerInitOptions, SpeakerWorkerApi } from './speaker-protocol';

/** The encoder needs a few frames at least (ResNet pooling); shorter clips are padded by repetition. */
const MIN_ENCODER_FRAMES = 50;

class SpeakerWorker implements SpeakerWorkerApi {
  private encoder: OrtSpeakerEncoder | undefined;
  private status: SpeakerEncoderStatus | undefined;
  private loadKey: string | undefined;

  async init(options: SpeakerInitOptions, onProgress: ProgressCallback): Promise<SpeakerEncoderStatus> {
    const key = JSON.stringify(options);
    if (this.status && this.loadKey === key) return this.status;
    const store = createBrowserModelStore(sourceFromBase(options.modelBase));
    const manifest = await store.loadManifest();
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
      async (session, backend) => new OrtSpeakerEncoder(backend, variant.id, session, configureOrt()),
      {
        compileName: 'Speaker encoder',
        webGpuFailure: (message) => `WebGPU could not start the encoder (${message})`,
      },
    );
    await this.encoder?.release();
    this.encoder = loaded.value;
    onProgress({ kind: 'done', task: 'speaker-encoder' });
    this.loadKey = key;
    const fallbackReason = loaded.fallbackReason ?? plan.fallbackReason;
    this.status = statusOf(manifest, variant.id, variantTag(variant), loaded.backend, fallbackReason);
    return this.status;
  }

  async embed(pcm: Float32Array, sampleRateHz: number): Promise<Float32Array> {
    const encoder = this.encoder;
    if (!encoder) throw new Error('The speaker encoder is not loaded.');
    const pcm16k = resample(pcm, sampleRateHz, FBANK_SAMPLE_RATE_HZ);
    const windows = embeddingWindows(pcm16k.length, FBANK_SAMPLE_RATE_HZ);
    const embeddings: Float32Array[] = [];
    const weights: number[] = [];
    for (const [start, end] of windows) {
      const fbank = meanNormalise(computeFbank(atLeastFrames(pcm16k.subarray(start, end))));
      embeddings.push(await encoder.embed(fbank));
      weights.push(end - start);
    }
    const result = embeddings.length === 1 ? embeddings[0]! : averageEmbeddings(embeddings, weights);
    return Comlink.transfer(result, [result.buffer]);
  }

  async features(pcm: Float32Array, sampleRateHz: number): Promise<Float32Array> {
    const pcm24k = resample(pcm, sampleRateHz, FEATURE_SAMPLE_RATE_HZ);
    const vector = new Float32Array(extractVoiceFeatures(pcm24k).vector);
    return Comlink.transfer(vector, [vector.buffer]);
  }
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
    variant,
    cacheTag,
    backend,
    embeddingDim: spec.embeddingDim,
    license: spec.license,
    credit: spec.credit,
    variants: spec.variants.map((v) => ({ id: v.id, label: v.label, bytes: v.bytes })),
    fixture: manifest.fixture === true,
    ...(fallbackReason ? { fallbackReason } : {}),
  };
}

Comlink.expose(new SpeakerWorker());
