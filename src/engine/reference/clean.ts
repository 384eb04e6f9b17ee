/**
 * The reference-clip pipeline: any decoded audio -> mono 24 kHz (at most 5 minutes) ->
 * the region the user keeps -> optional noise suppression -> VAD -> silences trimmed ->
 * loudness normalised, with the warnings the user should see. The models (Silero VAD,
 * RNNoise) are injected, so the pipeline is tested in Node and run in a worker unchanged.
 */
import { detectClipping, downmixToMono, loudnessNormalise } from '../audio/mix';
import { resample } from '../audio/resample';
import { AbortedError, throwIfAborted } from '../progress';
import {
  CLIP_SAMPLE_RATE_HZ,
  clipWarnings,
  ENCODER_SAMPLE_RATE_HZ,
  truncateToMax,
  vadFallbackWarning,
  type ClipWarning,
} from './clip-policy';
import { denoise48k, RNNOISE_SAMPLE_RATE_HZ, type FrameDenoiser } from './denoise';
import { energySpeechProbabilities } from './energy-vad';
import {
  speechSegments,
  totalSpeechSeconds,
  trimToSegments,
  type SpeechSegment,
  type VadSegmentOptions,
} from './vad-segments';

export interface IngestedAudio {
  /** Mono at CLIP_SAMPLE_RATE_HZ, at most MAX_CLIP_S long. */
  pcm: Float32Array;
  /** Duration of the audio as given, before truncation. */
  sourceS: number;
  truncated: boolean;
  /** Share of full-scale samples in the kept part, measured before any resampling. */
  clippingFraction: number;
}

/**
 * Downmix, keep the first 5 minutes, measure clipping, resample to 24 kHz. `sourceS` is the
 * file's length when only its start was decoded (a long WAV is never decoded whole).
 */
export function ingestAudio(
  channels: readonly Float32Array[],
  sampleRateHz: number,
  sourceS?: number,
): IngestedAudio {
  const mono = downmixToMono(channels);
  const decodedS = mono.length / sampleRateHz;
  const { pcm: kept, truncated } = truncateToMax(mono, sampleRateHz);
  return {
    pcm: resample(kept, sampleRateHz, CLIP_SAMPLE_RATE_HZ),
    sourceS: Math.max(decodedS, sourceS ?? 0),
    truncated: truncated || (sourceS ?? 0) > decodedS,
    clippingFraction: detectClipping(kept),
  };
}

export interface KeepRegion {
  startS: number;
  endS: number;
}

export interface CleanOptions {
  /** Part of the ingested audio to keep; the whole clip when undefined. */
  region?: KeepRegion;
  /** Remove leading/trailing silence and shorten long pauses (Silero VAD). */
  trimSilence: boolean;
  /** RNNoise noise suppression. */
  denoise: boolean;
  /** Loudness normalisation to the studio's level. */
  normalise: boolean;
  vad?: Partial<VadSegmentOptions>;
}

export const DEFAULT_CLEAN_OPTIONS: CleanOptions = { trimSilence: true, denoise: false, normalise: true };

/**
 * Thrown by a `vadProbabilities` implementation whose model could not be loaded; `reason` is
 * the short cause shown to the user. Any other error counts as a failure to run.
 */
export class VadLoadError extends Error {
  override name = 'VadLoadError';
  constructor(readonly reason: string) {
    super(`The voice-activity model could not be loaded: ${reason}`);
  }
}

export interface CleanDependencies {
  /**
   * Silero speech probabilities of a 16 kHz clip (see speechProbabilities). When it fails
   * (other than by cancellation), the energy detector stands in and the clip says so.
   */
  vadProbabilities(pcm16k: Float32Array, signal?: AbortSignal): Promise<Float32Array>;
  /** A fresh RNNoise state; needed only when `denoise` is asked for. */
  createDenoiser?(): FrameDenoiser & { dispose?(): void };
}

export interface CleanedClip {
  /** The clip to keep, mono at CLIP_SAMPLE_RATE_HZ. */
  pcm: Float32Array;
  /** Speech found in the region (seconds from the region start, padded). */
  segments: SpeechSegment[];
  /** Seconds of speech (unpadded VAD segments). */
  speechS: number;
  durationS: number;
  warnings: ClipWarning[];
}

/** Clamps a region to the audio; undefined or empty regions mean everything. */
export function clampRegion(region: KeepRegion | undefined, durationS: number): KeepRegion {
  if (!region) return { startS: 0, endS: durationS };
  const startS = Math.min(Math.max(0, region.startS), durationS);
  const endS = Math.min(Math.max(startS, region.endS), durationS);
  return endS > startS ? { startS, endS } : { startS: 0, endS: durationS };
}

export async function cleanClip(
  audio: IngestedAudio,
  options: CleanOptions,
  deps: CleanDependencies,
  signal?: AbortSignal,
): Promise<CleanedClip> {
  const rate = CLIP_SAMPLE_RATE_HZ;
  const region = clampRegion(options.region, audio.pcm.length / rate);
  let pcm: Float32Array = audio.pcm.slice(Math.round(region.startS * rate), Math.round(region.endS * rate));

  if (options.denoise) {
    if (!deps.createDenoiser) throw new Error('Noise suppression is not available.');
    const denoiser = deps.createDenoiser();
    try {
      const denoised = denoise48k(resample(pcm, rate, RNNOISE_SAMPLE_RATE_HZ), denoiser, signal);
      pcm = resample(denoised, RNNOISE_SAMPLE_RATE_HZ, rate);
    } finally {
      denoiser.dispose?.();
    }
  }
  throwIfAborted(signal);

  const durationS = pcm.length / rate;
  const { probabilities, fallback } = await detectSpeech(
    resample(pcm, rate, ENCODER_SAMPLE_RATE_HZ),
    deps,
    signal,
  );
  const segments = speechSegments(probabilities, durationS, options.vad);
  const speechS = totalSpeechSeconds(speechSegments(probabilities, durationS, { ...options.vad, padS: 0 }));
  throwIfAborted(signal);

  if (options.trimSilence) pcm = trimToSegments(pcm, rate, segments);
  if (options.normalise && pcm.length > 0) pcm = loudnessNormalise(pcm, rate);
  const warnings = clipWarnings({
    sourceS: audio.sourceS,
    speechS,
    clippingFraction: audio.clippingFraction,
  });
  if (fallback) warnings.push(fallback);
  return { pcm, segments, speechS, durationS: pcm.length / rate, warnings };
}

/** Silero when it works; otherwise the energy detector, with the note that says why. */
async function detectSpeech(
  pcm16k: Float32Array,
  deps: CleanDependencies,
  signal: AbortSignal | undefined,
): Promise<{ probabilities: Float32Array; fallback?: ClipWarning }> {
  try {
    return { probabilities: await deps.vadProbabilities(pcm16k, signal) };
  } catch (error) {
    if (error instanceof AbortedError || signal?.aborted) throw error;
    const fallback =
      error instanceof VadLoadError
        ? vadFallbackWarning('load', error.reason)
        : vadFallbackWarning('run', error instanceof Error ? error.message : String(error));
    return { probabilities: energySpeechProbabilities(pcm16k), fallback };
  }
}
