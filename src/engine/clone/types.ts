/**
 * The interfaces zero-shot cloning works against. The engine never runs a model itself:
 * a Renderer turns (voice pack, probe sentence) into 24 kHz audio and an Embedder turns
 * 16 kHz audio into a speaker embedding. Workers implement them over onnxruntime-web;
 * benchmarks and tests over onnxruntime-node (bench/support).
 */
import type { VoiceFeatures } from '../audio/features';

/** A fixed sentence the candidate voices speak, already turned into Kokoro tokens. */
export interface Probe {
  /** Short stable name, part of cache keys (e.g. 'self-1' or 'transcript'). */
  id: string;
  /** Kokoro token ids WITHOUT the pads. */
  tokenIds: readonly number[];
}

/** Speaks a probe with a whole voice pack (the style row follows from the token count). */
export interface Renderer {
  /** Model + variant, e.g. 'kokoro-q8'; part of cache keys. */
  readonly variant: string;
  render(pack: Float32Array, probe: Probe, signal?: AbortSignal): Promise<Float32Array>;
}

/** Speaker embedding of 16 kHz mono audio. */
export interface Embedder {
  /** Encoder + variant, e.g. 'wespeaker-fp32'; part of cache keys. */
  readonly variant: string;
  embed(pcm16k: Float32Array, signal?: AbortSignal): Promise<Float32Array>;
}

/**
 * What the speaker encoder network itself runs: mean-normalised fbank features
 * [1, frames, 80] -> embedding [256]. createFbankEmbedder (render.ts) adds the fbank.
 */
export interface EncoderRunner {
  run(features: Float32Array, frames: number): Promise<Float32Array>;
}

/** One rendering of a probe reduced to what scoring needs (what the rendering cache stores). */
export interface Measurement {
  embedding: Float32Array;
  /** Present when the rendering's voice features were asked for (target probe only). */
  features?: VoiceFeatures;
}

/** A stock (or any named) voice pack. */
export interface NamedPack {
  id: string;
  pack: Float32Array;
}
