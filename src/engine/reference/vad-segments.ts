/**
 * Voice activity segmentation: per-frame speech probabilities (from Silero VAD) -> speech
 * segments in seconds. Hysteresis between an onset threshold and a lower offset threshold
 * keeps a segment alive through the brief dips inside words; a segment ends only after
 * `minSilenceS` of low probability, is dropped when shorter than `minSpeechS`, and is padded
 * on both sides so word onsets and releases (quiet fricatives, plosive bursts) survive.
 */

export interface SpeechSegment {
  startS: number;
  endS: number;
}

export interface VadSegmentOptions {
  /** Duration of one probability frame (Silero v5 at 16 kHz: 512 samples = 32 ms). */
  frameS: number;
  /** Probability at or above which speech starts. */
  threshold: number;
  /** Probability below which speech may end (lower than `threshold`: hysteresis). */
  negativeThreshold: number;
  /** Segments shorter than this (before padding) are noise bursts, not speech. */
  minSpeechS: number;
  /** Pauses shorter than this do not split a segment. */
  minSilenceS: number;
  /** Added before and after each segment (clamped to the audio; overlaps merge). */
  padS: number;
}

export const SILERO_FRAME_S = 512 / 16000;

export const DEFAULT_VAD_SEGMENT_OPTIONS: VadSegmentOptions = {
  frameS: SILERO_FRAME_S,
  threshold: 0.5,
  negativeThreshold: 0.35,
  minSpeechS: 0.25,
  minSilenceS: 0.3,
  padS: 0.1,
};

/** Speech segments, sorted and non-overlapping, within [0, durationS]. */
export function speechSegments(
  probabilities: ArrayLike<number>,
  durationS: number,
  options: Partial<VadSegmentOptions> = {},
): SpeechSegment[] {
  const o = { ...DEFAULT_VAD_SEGMENT_OPTIONS, ...options };
  if (!(o.negativeThreshold <= o.threshold)) {
    throw new RangeError('speechSegments: negativeThreshold must not exceed threshold');
  }
  const raw: SpeechSegment[] = [];
  let startFrame = -1;
  let silenceStartFrame = -1;
  const push = (start: number, end: number) => {
    const startS = start * o.frameS;
    const endS = Math.min(end * o.frameS, durationS);
    if (endS - startS >= o.minSpeechS) raw.push({ startS, endS });
  };
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i]!;
    if (p >= o.threshold) {
      silenceStartFrame = -1;
      if (startFrame < 0) startFrame = i;
    } else if (startFrame >= 0 && p < o.negativeThreshold) {
      if (silenceStartFrame < 0) silenceStartFrame = i;
      if ((i + 1 - silenceStartFrame) * o.frameS >= o.minSilenceS) {
        push(startFrame, silenceStartFrame);
        startFrame = -1;
        silenceStartFrame = -1;
      }
    }
  }
  if (startFrame >= 0) push(startFrame, silenceStartFrame >= 0 ? silenceStartFrame : probabilities.length);
  return padAndMerge(raw, o.padS, durationS);
}

function padAndMerge(segments: readonly SpeechSegment[], padS: number, durationS: number): SpeechSegment[] {
  const out: SpeechSegment[] = [];
  for (const s of segments) {
    const startS = Math.max(0, s.startS - padS);
    const endS = Math.min(durationS, s.endS + padS);
    const last = out[out.length - 1];
    if (last && startS <= last.endS) last.endS = Math.max(last.endS, endS);
    else out.push({ startS, endS });
  }
  return out;
}

/** Total seconds covered by the segments. */
export function totalSpeechSeconds(segments: readonly SpeechSegment[]): number {
  let sum = 0;
  for (const s of segments) sum += s.endS - s.startS;
  return sum;
}

export interface TrimOptions {
  /** Pauses between kept segments are shortened to at most this (a natural breath, not a cut). */
  maxGapS: number;
}

export const DEFAULT_TRIM_OPTIONS: TrimOptions = { maxGapS: 0.3 };

/** Fade at every cut so joins do not click (5 ms is inaudible as a fade, long enough for a click). */
const JOIN_FADE_S = 0.005;

/**
 * The audio with silences removed: leading and trailing silence dropped, pauses between
 * segments shortened to `maxGapS` (the first part of each pause is kept, so the room tone
 * after a word stays continuous). Returns a new array; empty when there are no segments.
 */
export function trimToSegments(
  pcm: Float32Array,
  sampleRateHz: number,
  segments: readonly SpeechSegment[],
  options: Partial<TrimOptions> = {},
): Float32Array {
  const { maxGapS } = { ...DEFAULT_TRIM_OPTIONS, ...options };
  const ranges: [number, number][] = [];
  const toSample = (s: number) => Math.min(pcm.length, Math.max(0, Math.round(s * sampleRateHz)));
  segments.forEach((segment, index) => {
    const start = toSample(segment.startS);
    const end = toSample(segment.endS);
    const next = segments[index + 1];
    const gapEnd = next ? Math.min(toSample(next.startS), end + Math.round(maxGapS * sampleRateHz)) : end;
    if (gapEnd > start) ranges.push([start, gapEnd]);
  });
  let length = 0;
  for (const [a, b] of ranges) length += b - a;
  const out = new Float32Array(length);
  const fadeSamples = Math.round(JOIN_FADE_S * sampleRateHz);
  let offset = 0;
  for (const [a, b] of ranges) {
    out.set(pcm.subarray(a, b), offset);
    const isCutStart = a > 0;
    const isCutEnd = b < pcm.length;
    const n = Math.min(fadeSamples, Math.floor((b - a) / 2));
    for (let i = 0; i < n; i++) {
      const gain = i / n;
      if (isCutStart) out[offset + i]! *= gain;
      if (isCutEnd) out[offset + (b - a) - 1 - i]! *= gain;
    }
    offset += b - a;
  }
  return out;
}
