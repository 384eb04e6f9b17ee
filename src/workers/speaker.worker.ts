/**
 * The speaker worker: the References analysis's fbank, windows and model-free voice features,
 * and its speaker embeddings. It opens no onnxruntime session: the encoder (WeSpeaker or GE2E)
 * is the inference worker's shared session, reached over the MessagePort the UI hands to
 * `connect`, and its runs ask for 'interactive' priority (before clone evaluations). A thin
 * comlink adapter: the fbank, windows and features are engine code.
 */
import * as Comlink from 'comlink';
import { computeFbank, FBANK_SAMPLE_RATE_HZ, fbankFrameCount, meanNormalise } from '../engine/audio/fbank';
import { extractVoiceFeatures, FEATURE_SAMPLE_RATE_HZ } from '../engine/audio/features';
import { resample } from '../engine/audio/resample';
import type { ModelManifest } from '../engine/models/manifest';
import { sourceFromBase } from '../engine/models/sources';
import type { ProgressCallback } from '../engine/progress';
import { averageEmbeddings, embeddingWindows } from '../engine/reference/similarity';
import type { Progress } from '../engine/progress';
import type { Backend } from '../engine/tts/types';
import { createBrowserModelStore } from './models/model-store';
import { GE2E_EMBEDDING_DIM } from '../engine/speaker/ge2e';
import type { EncoderSessionInfo, InferencePortApi } from './inference-protocol';
import type { SpeakerEncoderStatus, SpeakerInitOptions, SpeakerWorkerApi } from './speaker-protocol';

/** The picker's id for GE2E (ort/ge2e-encoder.ts's GE2E_ENCODER_ID, not imported: that module loads onnxruntime). */
const GE2E_ENCODER_ID = 'ge2e';

/** The encoder needs a few frames at least (ResNet pooling); shorter clips are padded by repetition. */
const MIN_ENCODER_FRAMES = 50;

/** What `embed` runs: WeSpeaker (fbank windows) or GE2E (Resemblyzer's own front end). */
interface LoadedEncoder {
  embed(pcm: Float32Array, sampleRateHz: number): Promise<Float32Array>;
}

class SpeakerWorker implements SpeakerWorkerApi {
  private encoder: LoadedEncoder | undefined;
  private status: SpeakerEncoderStatus | undefined;
  private loadKey: string | undefined;
  private inference: Comlink.Remote<InferencePortApi> | undefined;

  connect(port: MessagePort): void {
    this.inference = Comlink.wrap<InferencePortApi>(port);
  }

  async init(options: SpeakerInitOptions, onProgress: ProgressCallback): Promise<SpeakerEncoderStatus> {
    const key = JSON.stringify(options);
    if (this.status && this.loadKey === key) return this.status;
    const inference = this.inference;
    if (!inference) throw new Error('The speaker worker is not connected to the inference worker.');
    const manifest = await createBrowserModelStore(sourceFromBase(options.modelBase)).loadManifest();
    // The encoder's backend follows the studio's one rule (planBackend, in the inference worker).
    const info = await inference.openEncoder(
      {
        backend: options.backend,
        ...(options.modelBase ? { modelBase: options.modelBase } : {}),
        ...(options.variant ? { variant: options.variant } : {}),
      },
      Comlink.proxy((event: Progress) => void onProgress(event)),
    );
    this.encoder = info.kind === 'ge2e' ? ge2eEmbedder(inference, info) : wespeakerEmbedder(inference, info);
    onProgress({ kind: 'done', task: 'speaker-encoder' });
    this.loadKey = key;
    this.status =
      info.kind === 'ge2e'
        ? ge2eStatusOf(manifest, info.cacheTag, info.fallbackReason)
        : statusOf(manifest, info.variant, info.variantTag, info.backend, info.fallbackReason);
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

/** The References analysis goes before clone evaluations. */
const ANALYSIS_PRIORITY = 'interactive';

/** GE2E runs whole in the inference worker (its trim, mel and partials). */
function ge2eEmbedder(inference: Comlink.Remote<InferencePortApi>, info: EncoderSessionInfo): LoadedEncoder {
  return {
    embed: (pcm, sampleRateHz) => inference.embedGe2e(info.key, pcm, sampleRateHz, ANALYSIS_PRIORITY),
  };
}

/** WeSpeaker: resampled to 16 kHz, long clips in windows (fbank, mean-normalised, here), averaged. */
function wespeakerEmbedder(
  inference: Comlink.Remote<InferencePortApi>,
  info: EncoderSessionInfo,
): LoadedEncoder {
  return {
    async embed(pcm, sampleRateHz) {
      const pcm16k = resample(pcm, sampleRateHz, FBANK_SAMPLE_RATE_HZ);
      const windows = embeddingWindows(pcm16k.length, FBANK_SAMPLE_RATE_HZ);
      const embeddings: Float32Array[] = [];
      const weights: number[] = [];
      for (const [start, end] of windows) {
        const fbank = meanNormalise(computeFbank(atLeastFrames(pcm16k.subarray(start, end))));
        embeddings.push(
          await inference.runEncoder(
            info.key,
            Comlink.transfer(fbank.data, [fbank.data.buffer]),
            fbank.frames,
            ANALYSIS_PRIORITY,
          ),
        );
        weights.push(end - start);
      }
      return embeddings.length === 1 ? embeddings[0]! : averageEmbeddings(embeddings, weights);
    },
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
