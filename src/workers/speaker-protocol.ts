/**
 * The typed contract between the UI and the speaker worker (speaker encoder + model-free
 * voice features). Types only: importing it never pulls onnxruntime-web into the UI.
 */
import type { ProgressCallback } from '../engine/progress';
import type { Backend, BackendChoice } from './protocol';

export interface SpeakerInitOptions {
  /** Model source base URL; undefined = self-hosted, then the hub (as for Kokoro). */
  modelBase?: string;
  /**
   * WeSpeaker's variant id (`fp32`, `q8`), or `ge2e` for Resemblyzer's GE2E encoder;
   * undefined = WeSpeaker, the manifest default for the backend.
   */
  variant?: string;
  backend: BackendChoice;
}

export interface SpeakerEncoderStatus {
  modelId: string;
  /** What the UI calls it: "WeSpeaker ResNet34-LM", "GE2E (Resemblyzer)", "Test fixture encoder". */
  modelName: string;
  variant: string;
  /**
   * Names exactly these weights (variant + start of the file's SHA-256): cached embeddings
   * are keyed by it, so another model source or variant never reuses them.
   */
  cacheTag: string;
  backend: Backend;
  embeddingDim: number;
  license: string;
  /** Attribution text from the manifest (the model's licence requires it). */
  credit: string;
  /** Encoders the source offers, for the picker: WeSpeaker's variants, then `ge2e` when it has one. */
  variants: { id: string; label: string; bytes: number }[];
  /** True when the models are test fixtures, not WeSpeaker. */
  fixture: boolean;
  /** Set when WebGPU was asked for but the encoder runs on WASM, and why. */
  fallbackReason?: string;
}

export interface SpeakerWorkerApi {
  /** The port to the inference worker (which owns the encoder sessions); before init. */
  connect(port: MessagePort): void;
  /** Loads (downloads, caches, compiles) the encoder; rejects with a readable message on failure. */
  init(options: SpeakerInitOptions, onProgress: ProgressCallback): Promise<SpeakerEncoderStatus>;
  /**
   * The speaker embedding of mono audio at any rate: resampled to 16 kHz, Kaldi fbank,
   * mean-normalised, encoded; long clips are embedded in windows and averaged.
   */
  embed(pcm: Float32Array, sampleRateHz: number): Promise<Float32Array>;
  /** Model-free voice features (VoiceFeatures.vector) of mono audio at any rate. */
  features(pcm: Float32Array, sampleRateHz: number): Promise<Float32Array>;
}
