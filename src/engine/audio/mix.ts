/**
 * Channel downmix, level normalisation and clipping detection for mono float PCM.
 * All functions return new arrays; inputs are never modified.
 */

/** |x| at or above this counts as clipped: int16 full scale is 32767/32768 = 0.99997. */
export const CLIP_THRESHOLD = 0.999;
const LOUDNESS_BLOCK_SECONDS = 0.4;
const LOUDNESS_HOP_SECONDS = 0.1;
/** Blocks quieter than this are silence and never count (BS.1770's absolute gate). */
const ABSOLUTE_GATE_DBFS = -70;
/** Blocks this far below the level of the non-silent blocks are pauses and do not count. */
const RELATIVE_GATE_DB = 10;

/** Average of the channels. All channels must have the same length. */
export function downmixToMono(channels: readonly Float32Array[]): Float32Array {
  const first = channels[0];
  if (!first) throw new RangeError('downmixToMono: no channels');
  const mono = new Float32Array(first.length);
  for (const channel of channels) {
    if (channel.length !== first.length) {
      throw new RangeError(`downmixToMono: channel lengths differ (${channel.length} vs ${first.length})`);
    }
  }
  if (channels.length === 1) {
    mono.set(first);
    return mono;
  }
  const scale = 1 / channels.length;
  for (let i = 0; i < mono.length; i++) {
    let sum = 0;
    for (const channel of channels) sum += channel[i]!;
    mono[i] = sum * scale;
  }
  return mono;
}

export function dbToGain(db: number): number {
  return 10 ** (db / 20);
}

export function gainToDb(gain: number): number {
  return 20 * Math.log10(gain);
}

export function peakAbs(pcm: Float32Array): number {
  let peak = 0;
  for (let i = 0; i < pcm.length; i++) peak = Math.max(peak, Math.abs(pcm[i]!));
  return peak;
}

function scaled(pcm: Float32Array, gain: number): Float32Array {
  const out = new Float32Array(pcm.length);
  for (let i = 0; i < pcm.length; i++) out[i] = pcm[i]! * gain;
  return out;
}

/** Scale so the largest |sample| is `targetPeakDbfs` (default -1 dBFS). Silence is returned as is. */
export function peakNormalise(pcm: Float32Array, targetPeakDbfs = -1): Float32Array {
  const peak = peakAbs(pcm);
  if (peak === 0) return new Float32Array(pcm);
  return scaled(pcm, dbToGain(targetPeakDbfs) / peak);
}

/** Plain RMS level of the whole signal in dBFS (a full-scale sine is -3 dBFS); -Infinity for silence. */
export function rmsDbfs(pcm: Float32Array): number {
  if (pcm.length === 0) return -Infinity;
  let sumSquares = 0;
  for (let i = 0; i < pcm.length; i++) sumSquares += pcm[i]! * pcm[i]!;
  return 10 * Math.log10(sumSquares / pcm.length);
}

/**
 * Gated loudness in dBFS, LUFS-like: mean square over 400 ms blocks (100 ms hop), keeping
 * blocks above -70 dBFS and no more than 10 dB below the mean of those, so pauses between
 * phrases do not drag the level down. Unlike LUFS there is no K-weighting filter, so the
 * number is an RMS level of the speech itself. -Infinity for silence.
 */
export function measureLoudnessDbfs(pcm: Float32Array, sampleRateHz: number): number {
  if (pcm.length === 0) return -Infinity;
  const blockSamples = Math.min(pcm.length, Math.max(1, Math.round(LOUDNESS_BLOCK_SECONDS * sampleRateHz)));
  const hopSamples = Math.max(1, Math.round(LOUDNESS_HOP_SECONDS * sampleRateHz));
  const prefixSquares = new Float64Array(pcm.length + 1);
  for (let i = 0; i < pcm.length; i++) prefixSquares[i + 1] = prefixSquares[i]! + pcm[i]! * pcm[i]!;
  const blockMeanSquares: number[] = [];
  for (let start = 0; start + blockSamples <= pcm.length; start += hopSamples) {
    blockMeanSquares.push((prefixSquares[start + blockSamples]! - prefixSquares[start]!) / blockSamples);
  }
  const absoluteGate = dbToGain(ABSOLUTE_GATE_DBFS) ** 2;
  const audible = blockMeanSquares.filter((ms) => ms > absoluteGate);
  if (audible.length === 0) return -Infinity;
  const relativeGate = mean(audible) * dbToGain(-RELATIVE_GATE_DB) ** 2;
  const speech = audible.filter((ms) => ms > relativeGate);
  return 10 * Math.log10(mean(speech.length > 0 ? speech : audible));
}

function mean(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

export interface LoudnessNormaliseOptions {
  /** Target gated loudness (see measureLoudnessDbfs). Default -20 dBFS. */
  targetDbfs?: number;
  /** The gain is reduced so the peak stays at or below this. Default -1 dBFS. No limiter is applied. */
  peakCeilingDbfs?: number;
}

/**
 * Scale to a target gated loudness, never pushing the peak above the ceiling (so a very
 * peaky recording ends up quieter than the target). Silence is returned as is.
 */
export function loudnessNormalise(
  pcm: Float32Array,
  sampleRateHz: number,
  options: LoudnessNormaliseOptions = {},
): Float32Array {
  const { targetDbfs = -20, peakCeilingDbfs = -1 } = options;
  const loudness = measureLoudnessDbfs(pcm, sampleRateHz);
  const peak = peakAbs(pcm);
  if (!Number.isFinite(loudness) || peak === 0) return new Float32Array(pcm);
  const gain = Math.min(dbToGain(targetDbfs - loudness), dbToGain(peakCeilingDbfs) / peak);
  return scaled(pcm, gain);
}

/** Fraction (0..1) of samples with |x| >= 0.999: how much of a recording hit full scale. */
export function detectClipping(pcm: Float32Array, threshold = CLIP_THRESHOLD): number {
  if (pcm.length === 0) return 0;
  let clipped = 0;
  for (let i = 0; i < pcm.length; i++) if (Math.abs(pcm[i]!) >= threshold) clipped++;
  return clipped / pcm.length;
}
