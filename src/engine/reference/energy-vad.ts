/**
 * The fallback voice-activity detector, for when Silero cannot load or run: speech is where
 * the audio is loud. Each frame's RMS level is compared with two references measured on the
 * clip itself: its loud frames (a high percentile, so one click does not set the scale) and
 * its noise floor (a low percentile). Speech starts above an onset level and ends only below a
 * lower offset level (hysteresis), so the dips inside words do not chop a segment.
 *
 * The output has Silero's shape (one value per 32 ms frame of 16 kHz audio, 0 or 1), so the
 * same speechSegments() rules (minimum speech, minimum silence, padding) and the same
 * trimming apply to both detectors.
 */
import { SILERO_FRAME_SAMPLES } from './silero';

export interface EnergyVadOptions {
  /** Samples per frame; Silero's frame by default so the segment options fit both. */
  frameSamples: number;
  /** Percentile (0..1) of frame levels taken as the clip's loud level. */
  loudPercentile: number;
  /** Percentile (0..1) of frame levels taken as the noise floor. */
  floorPercentile: number;
  /** Speech starts at most this far below the loud level... */
  onsetBelowLoudDb: number;
  /** ...and at least this far above the noise floor. */
  onsetAboveFloorDb: number;
  /** Speech ends this far below the onset level (hysteresis)... */
  hysteresisDb: number;
  /** ...but never closer than this to the noise floor. */
  offsetAboveFloorDb: number;
  /** A clip whose loud level is below this is silence (dBFS). */
  minLoudDbfs: number;
  /** Loud and floor levels closer than this: a steady sound (hum, fan, noise), not speech. */
  minContrastDb: number;
}

export const DEFAULT_ENERGY_VAD_OPTIONS: EnergyVadOptions = {
  frameSamples: SILERO_FRAME_SAMPLES,
  loudPercentile: 0.97,
  floorPercentile: 0.1,
  onsetBelowLoudDb: 30,
  onsetAboveFloorDb: 9,
  hysteresisDb: 6,
  offsetAboveFloorDb: 3,
  minLoudDbfs: -60,
  minContrastDb: 10,
};

/** Level of digital silence, so log10 never sees zero. */
const SILENCE_DBFS = -120;

/** The levels the detector decided with (for tests and diagnostics). */
export interface EnergyVadLevels {
  loudDb: number;
  floorDb: number;
  onsetDb: number;
  offsetDb: number;
}

/** RMS level of each frame in dBFS; the last, partial frame is measured over what it has. */
export function frameLevelsDb(pcm: Float32Array, frameSamples: number): Float32Array {
  const frames = Math.ceil(pcm.length / frameSamples);
  const out = new Float32Array(frames);
  for (let f = 0; f < frames; f++) {
    const start = f * frameSamples;
    const end = Math.min(pcm.length, start + frameSamples);
    let sum = 0;
    for (let i = start; i < end; i++) sum += pcm[i]! * pcm[i]!;
    const meanSquare = sum / (end - start);
    out[f] = meanSquare > 0 ? Math.max(SILENCE_DBFS, 10 * Math.log10(meanSquare)) : SILENCE_DBFS;
  }
  return out;
}

function percentile(sorted: Float32Array, p: number): number {
  if (sorted.length === 0) return SILENCE_DBFS;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.round(p * (sorted.length - 1))));
  return sorted[index]!;
}

/**
 * Onset and offset levels for a clip's frame levels, or undefined when the clip holds no
 * speech at all (too quiet, or a steady sound without the rise and fall of speech).
 */
export function energyVadLevels(
  levelsDb: Float32Array,
  options: Partial<EnergyVadOptions> = {},
): EnergyVadLevels | undefined {
  const o = { ...DEFAULT_ENERGY_VAD_OPTIONS, ...options };
  const sorted = levelsDb.slice().sort();
  const loudDb = percentile(sorted, o.loudPercentile);
  const floorDb = percentile(sorted, o.floorPercentile);
  if (loudDb < o.minLoudDbfs || loudDb - floorDb < o.minContrastDb) return undefined;
  const onsetDb = Math.max(loudDb - o.onsetBelowLoudDb, floorDb + o.onsetAboveFloorDb);
  const offsetDb = Math.max(onsetDb - o.hysteresisDb, floorDb + o.offsetAboveFloorDb);
  return { loudDb, floorDb, onsetDb, offsetDb };
}

/**
 * Speech (1) or not (0) for each frame of `pcm` (16 kHz for the default 512-sample frame):
 * ceil(length / frameSamples) values, ready for speechSegments().
 */
export function energySpeechProbabilities(
  pcm: Float32Array,
  options: Partial<EnergyVadOptions> = {},
): Float32Array {
  const o = { ...DEFAULT_ENERGY_VAD_OPTIONS, ...options };
  const levels = frameLevelsDb(pcm, o.frameSamples);
  const out = new Float32Array(levels.length);
  const thresholds = energyVadLevels(levels, o);
  if (!thresholds) return out;
  let speaking = false;
  for (let f = 0; f < levels.length; f++) {
    const db = levels[f]!;
    if (!speaking && db >= thresholds.onsetDb) speaking = true;
    else if (speaking && db < thresholds.offsetDb) speaking = false;
    out[f] = speaking ? 1 : 0;
  }
  return out;
}
