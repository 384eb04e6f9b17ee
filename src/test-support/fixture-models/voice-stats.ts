/**
 * The stock voice packs as calibration data: fixture projections are scaled so the 54 real
 * voices spread over the intended ranges (pitch, tempo, envelope) instead of all landing
 * in the middle of a sigmoid.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SHARED_DIR } from '../shared';

export const STYLE_DIM = 256;
export const HALF_DIM = 128;
export const PACK_ROWS = 510;

export interface StockVoice {
  id: string;
  gender: 'female' | 'male';
  /** Mean over the pack's 510 rows of the timbre half (style[:128]). */
  timbreMean: Float64Array;
  /** Mean over the pack's rows of the prosody half (style[128:]). */
  prosodyMean: Float64Array;
}

export function stockVoiceDir(): string {
  return join(SHARED_DIR, 'kokoro-voices');
}

/** Voice ids (file names without `.bin`) in shared/kokoro-voices, sorted. */
export function listStockVoiceIds(): string[] {
  const dir = stockVoiceDir();
  if (!existsSync(dir)) throw new Error(`Missing ${dir}: fixtures are calibrated on the stock voice packs`);
  return readdirSync(dir)
    .filter((name) => name.endsWith('.bin'))
    .map((name) => name.slice(0, -'.bin'.length))
    .sort();
}

export function readVoicePack(id: string): Float32Array {
  const bytes = readFileSync(join(stockVoiceDir(), `${id}.bin`));
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

function halfMean(pack: Float32Array, offset: number): Float64Array {
  const mean = new Float64Array(HALF_DIM);
  for (let row = 0; row < PACK_ROWS; row++) {
    for (let i = 0; i < HALF_DIM; i++) mean[i]! += pack[row * STYLE_DIM + offset + i]! / PACK_ROWS;
  }
  return mean;
}

let cached: StockVoice[] | undefined;

export function loadStockVoices(): StockVoice[] {
  cached ??= listStockVoiceIds().map((id) => {
    const pack = readVoicePack(id);
    return {
      id,
      gender: id[1] === 'm' ? 'male' : 'female',
      timbreMean: halfMean(pack, 0),
      prosodyMean: halfMean(pack, HALF_DIM),
    };
  });
  return cached;
}

/** A linear read-out `x . weights + bias` over one half of the style vector. */
export interface Projection {
  weights: Float64Array;
  bias: number;
}

/**
 * Rescales `direction` so that over `samples` the projection has mean 0 and standard
 * deviation `targetStd` (a z-score times a gain).
 */
export function calibrate(
  direction: ArrayLike<number>,
  samples: readonly Float64Array[],
  targetStd: number,
): Projection {
  const values = samples.map((x) => dot(x, direction));
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length) || 1;
  const gain = targetStd / std;
  return { weights: Float64Array.from(direction, (w) => w * gain), bias: -mean * gain };
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

/** Unit vector from the male-voice mean to the female-voice mean (female minus male). */
export function genderDirection(
  voices: readonly StockVoice[],
  pick: (v: StockVoice) => Float64Array,
): Float64Array {
  const direction = new Float64Array(HALF_DIM);
  const count = { female: 0, male: 0 };
  for (const v of voices) count[v.gender]++;
  for (const v of voices) {
    const sign = v.gender === 'female' ? 1 / count.female : -1 / count.male;
    pick(v).forEach((x, i) => (direction[i]! += sign * x));
  }
  const norm = Math.sqrt(dot(direction, direction)) || 1;
  return direction.map((x) => x / norm);
}
