/**
 * Model-free voice descriptors at 24 kHz (Kokoro's output rate): pitch, MFCC statistics,
 * spectral shape, level and zero-crossing rate. They are the "does it sound like the same
 * kind of voice" check that KVoiceWalk adds next to the neural speaker embedding.
 *
 * Only active frames count: frames lying wholly in sound, i.e. every 10 ms block they
 * cover is within 40 dB of the loudest block and above -60 dBFS. So the amount of silence
 * around a take does not change its timbre, and the frames straddling an onset (half
 * silence, half sound: a broadband click in the spectrum) do not skew the statistics. Spectral features follow
 * librosa's definitions (centroid/bandwidth/rolloff on the magnitude spectrum, flatness on
 * the power spectrum); MFCCs use the Kaldi-style mel filterbank of this module (40 bands,
 * 20 Hz-12 kHz, dB, orthonormal DCT-II), so their values are not librosa's.
 */
import { RealFft } from './fft';
import { applyMelFilterbank, createMelFilterbank } from './mel';
import { trackPitch } from './pitch';
import { toComparisonVector } from './feature-similarity';

export { featureSimilarity, VOICE_FEATURE_NAMES } from './feature-similarity';

export const FEATURE_SAMPLE_RATE_HZ = 24000;
export const MFCC_COUNT = 13;
const FRAME_SAMPLES = 1024; // 43 ms
const HOP_SAMPLES = 240; // 10 ms, the same hop as the pitch track
const MEL_BANDS = 40;
const MEL_LOW_HZ = 20;
const ROLLOFF_FRACTION = 0.85;
const ACTIVE_RANGE_DB = 40;
const ACTIVE_FLOOR_DBFS = -60;
const POWER_FLOOR = 1e-10;

export interface VoiceFeatures {
  /** Median f0 over voiced frames; 0 when nothing is voiced. */
  f0MedianHz: number;
  /** Spread of f0 (90th minus 10th percentile) in semitones; 0 when fewer than 2 voiced frames. */
  f0RangeSemitones: number;
  /** Voiced frames / active frames. */
  voicedFraction: number;
  mfccMean: Float32Array;
  mfccStd: Float32Array;
  spectralCentroidHz: number;
  spectralBandwidthHz: number;
  spectralRolloffHz: number;
  /** Wiener entropy in (0, 1]: ~0 for pure tones, 1 for white noise. */
  spectralFlatness: number;
  /** Level of the active frames in dBFS; -Infinity for silence. */
  rmsDbfs: number;
  /** Sign changes per sample over the active frames. */
  zeroCrossingRate: number;
  /** Frames (10 ms hop) that passed the activity gate; 0 means the input was silent. */
  activeFrames: number;
  /**
   * All of the above in their comparison domain (log frequencies, dB, each divided by a fixed
   * "clearly different" scale; see feature-similarity.ts), named by VOICE_FEATURE_NAMES.
   */
  vector: Float32Array;
}

interface FrameStats {
  meanSquare: number;
  centroidHz: number;
  bandwidthHz: number;
  rolloffHz: number;
  flatness: number;
  zeroCrossingRate: number;
  mfcc: Float64Array;
}

let analysisTables:
  | { fft: RealFft; window: Float64Array; mel: ReturnType<typeof createMelFilterbank>; dct: Float64Array }
  | undefined;

function tables(): NonNullable<typeof analysisTables> {
  if (!analysisTables) {
    const window = Float64Array.from(
      { length: FRAME_SAMPLES },
      (_, n) => 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / FRAME_SAMPLES),
    );
    const mel = createMelFilterbank({
      fftSize: FRAME_SAMPLES,
      sampleRateHz: FEATURE_SAMPLE_RATE_HZ,
      melBinCount: MEL_BANDS,
      lowHz: MEL_LOW_HZ,
    });
    // Orthonormal DCT-II rows for the first MFCC_COUNT coefficients.
    const dct = new Float64Array(MFCC_COUNT * MEL_BANDS);
    for (let k = 0; k < MFCC_COUNT; k++) {
      const scale = Math.sqrt((k === 0 ? 1 : 2) / MEL_BANDS);
      for (let n = 0; n < MEL_BANDS; n++)
        dct[k * MEL_BANDS + n] = scale * Math.cos((Math.PI * k * (2 * n + 1)) / (2 * MEL_BANDS));
    }
    analysisTables = { fft: new RealFft(FRAME_SAMPLES), window, mel, dct };
  }
  return analysisTables;
}

interface FrameBuffers {
  frame: Float64Array;
  power: Float64Array;
  magnitude: Float64Array;
  mel: Float64Array;
}

function analyseFrame(pcm: Float32Array, start: number, buffers: FrameBuffers): FrameStats {
  const { fft, window, mel: filterbank, dct } = tables();
  const { frame, power, magnitude, mel } = buffers;
  let sumSquares = 0;
  let crossings = 0;
  for (let n = 0; n < FRAME_SAMPLES; n++) {
    const x = pcm[start + n] ?? 0;
    sumSquares += x * x;
    if (n > 0 && x >= 0 !== (pcm[start + n - 1] ?? 0) >= 0) crossings++;
    frame[n] = x * window[n]!;
  }
  fft.powerSpectrum(frame, power);
  const binHz = FEATURE_SAMPLE_RATE_HZ / FRAME_SAMPLES;
  let magnitudeSum = 0;
  let weightedHz = 0;
  let logPowerSum = 0;
  let powerSum = 0;
  for (let k = 0; k < power.length; k++) {
    const p = power[k]!;
    const m = Math.sqrt(p);
    magnitude[k] = m;
    magnitudeSum += m;
    weightedHz += m * k * binHz;
    const floored = Math.max(p, POWER_FLOOR);
    logPowerSum += Math.log(floored);
    powerSum += floored;
  }
  const centroidHz = magnitudeSum > 0 ? weightedHz / magnitudeSum : 0;
  let spread = 0;
  let cumulative = 0;
  let rolloffHz = -1;
  for (let k = 0; k < power.length; k++) {
    const m = magnitude[k]!;
    spread += m * (k * binHz - centroidHz) ** 2;
    cumulative += m;
    if (rolloffHz < 0 && cumulative >= ROLLOFF_FRACTION * magnitudeSum) rolloffHz = k * binHz;
  }
  applyMelFilterbank(filterbank, power, mel);
  for (let m = 0; m < MEL_BANDS; m++) mel[m] = 10 * Math.log10(Math.max(mel[m]!, POWER_FLOOR));
  const mfcc = new Float64Array(MFCC_COUNT);
  for (let k = 0; k < MFCC_COUNT; k++) {
    let c = 0;
    for (let m = 0; m < MEL_BANDS; m++) c += dct[k * MEL_BANDS + m]! * mel[m]!;
    mfcc[k] = c;
  }
  return {
    meanSquare: sumSquares / FRAME_SAMPLES,
    centroidHz,
    bandwidthHz: magnitudeSum > 0 ? Math.sqrt(spread / magnitudeSum) : 0,
    rolloffHz: Math.max(rolloffHz, 0),
    flatness: Math.exp(logPowerSum / power.length) / (powerSum / power.length),
    zeroCrossingRate: crossings / (FRAME_SAMPLES - 1),
    mfcc,
  };
}

/** Voice descriptors of 24 kHz mono PCM. Silent input yields activeFrames = 0 and neutral values. */
export function extractVoiceFeatures(pcm24k: Float32Array): VoiceFeatures {
  const frameCount =
    pcm24k.length <= FRAME_SAMPLES ? 1 : 1 + Math.floor((pcm24k.length - FRAME_SAMPLES) / HOP_SAMPLES);
  const buffers: FrameBuffers = {
    frame: new Float64Array(FRAME_SAMPLES),
    power: new Float64Array(FRAME_SAMPLES / 2 + 1),
    magnitude: new Float64Array(FRAME_SAMPLES / 2 + 1),
    mel: new Float64Array(MEL_BANDS),
  };
  const activeIndices = activeFrameIndices(pcm24k, frameCount);
  const active = activeIndices.map((t) => analyseFrame(pcm24k, t * HOP_SAMPLES, buffers));

  const pitch = trackPitch(pcm24k, FEATURE_SAMPLE_RATE_HZ);
  const voicedF0 = activeIndices.map((i) => pitch.f0Hz[i] ?? 0).filter((f0) => f0 > 0);
  voicedF0.sort((a, b) => a - b);

  const mfccMean = new Float32Array(MFCC_COUNT);
  const mfccStd = new Float32Array(MFCC_COUNT);
  for (let k = 0; k < MFCC_COUNT; k++) {
    const values = active.map((f) => f.mfcc[k]!);
    mfccMean[k] = mean(values);
    mfccStd[k] = Math.sqrt(mean(values.map((v) => (v - mfccMean[k]!) ** 2)));
  }
  const meanSquare = mean(active.map((f) => f.meanSquare));
  const features: Omit<VoiceFeatures, 'vector'> = {
    f0MedianHz: percentile(voicedF0, 0.5),
    f0RangeSemitones:
      voicedF0.length < 2 ? 0 : 12 * Math.log2(percentile(voicedF0, 0.9) / percentile(voicedF0, 0.1)),
    voicedFraction: active.length > 0 ? voicedF0.length / active.length : 0,
    mfccMean,
    mfccStd,
    spectralCentroidHz: mean(active.map((f) => f.centroidHz)),
    spectralBandwidthHz: mean(active.map((f) => f.bandwidthHz)),
    spectralRolloffHz: mean(active.map((f) => f.rolloffHz)),
    spectralFlatness: mean(active.map((f) => f.flatness)),
    rmsDbfs: active.length > 0 ? 10 * Math.log10(meanSquare) : -Infinity,
    zeroCrossingRate: mean(active.map((f) => f.zeroCrossingRate)),
    activeFrames: active.length,
  };
  return { ...features, vector: toComparisonVector(features) };
}

/** Frames whose every 10 ms block is loud enough (see the module comment). */
function activeFrameIndices(pcm: Float32Array, frameCount: number): number[] {
  const blockCount = Math.floor(pcm.length / HOP_SAMPLES);
  const blockDb = new Float64Array(blockCount);
  let loudestDb = -Infinity;
  for (let b = 0; b < blockCount; b++) {
    let sumSquares = 0;
    for (let n = b * HOP_SAMPLES; n < (b + 1) * HOP_SAMPLES; n++) sumSquares += pcm[n]! * pcm[n]!;
    blockDb[b] = 10 * Math.log10(sumSquares / HOP_SAMPLES);
    loudestDb = Math.max(loudestDb, blockDb[b]!);
  }
  const gateDb = Math.max(ACTIVE_FLOOR_DBFS, loudestDb - ACTIVE_RANGE_DB);
  const blocksPerFrame = Math.ceil(FRAME_SAMPLES / HOP_SAMPLES);
  const active: number[] = [];
  for (let t = 0; t < frameCount; t++) {
    let loud = t + blocksPerFrame <= blockCount; // a frame running past the end is not wholly in sound
    for (let b = t; loud && b < t + blocksPerFrame; b++) loud = blockDb[b]! >= gateDb;
    if (loud) active.push(t);
  }
  return active;
}

function mean(values: readonly number[]): number {
  if (values.length === 0) return 0;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Linear-interpolated percentile of ascending `sorted`; 0 for an empty list. */
function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return 0;
  const position = fraction * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.min(sorted.length - 1, lower + 1);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (position - lower);
}
