/**
 * Running RNNoise over a clip, against a frame interface (the worker supplies the WASM
 * build). RNNoise works at 48 kHz on 480-sample (10 ms) frames of 16-bit-scaled samples and
 * its output lags its input by exactly one frame, which is compensated here so the denoised
 * audio lines up with the original (before/after listening, regions, VAD segments).
 */
import { AbortedError } from '../progress';

export const RNNOISE_SAMPLE_RATE_HZ = 48000;
export const RNNOISE_FRAME_SAMPLES = 480;
/** RNNoise expects samples on the int16 scale. */
const INT16_SCALE = 32768;
/** Output frame n holds the denoised input frame n - 1. */
const RNNOISE_DELAY_FRAMES = 1;

/** Denoises one 480-sample frame in place (int16 scale); returns RNNoise's voice probability. */
export interface FrameDenoiser {
  processFrame(frame: Float32Array): number;
}

/** Denoised copy of a 48 kHz clip, the same length and aligned with it. */
export function denoise48k(
  pcm48k: Float32Array,
  denoiser: FrameDenoiser,
  signal?: AbortSignal,
): Float32Array {
  const out = new Float32Array(pcm48k.length);
  const frame = new Float32Array(RNNOISE_FRAME_SAMPLES);
  const inputFrames = Math.ceil(pcm48k.length / RNNOISE_FRAME_SAMPLES);
  for (let f = 0; f < inputFrames + RNNOISE_DELAY_FRAMES; f++) {
    if (signal?.aborted) throw new AbortedError();
    const start = f * RNNOISE_FRAME_SAMPLES;
    frame.fill(0);
    if (f < inputFrames) {
      const source = pcm48k.subarray(start, start + RNNOISE_FRAME_SAMPLES);
      for (let i = 0; i < source.length; i++) frame[i] = source[i]! * INT16_SCALE;
    }
    denoiser.processFrame(frame);
    const outStart = start - RNNOISE_DELAY_FRAMES * RNNOISE_FRAME_SAMPLES;
    if (outStart < 0) continue;
    const count = Math.min(RNNOISE_FRAME_SAMPLES, out.length - outStart);
    for (let i = 0; i < count; i++) out[outStart + i] = frame[i]! / INT16_SCALE;
  }
  return out;
}
