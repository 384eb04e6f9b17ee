/**
 * Signal measurements used to check and calibrate the fixtures: f0 by autocorrelation,
 * spectral centroid and band energies of the loud parts. Plain TypeScript, no dependencies
 * beyond the engine's FFT.
 */
import { RealFft } from '../../engine/audio/fft';

const FRAME_SAMPLES = 1024;
const HOP_SAMPLES = 512;

function frameRms(pcm: Float32Array, start: number, length: number): number {
  let sum = 0;
  for (let i = start; i < start + length; i++) sum += pcm[i]! ** 2;
  return Math.sqrt(sum / length);
}

/** Start indices of frames whose RMS is at least `fraction` of the loudest frame's. */
export function loudFrameStarts(pcm: Float32Array, fraction = 0.5, frameSamples = FRAME_SAMPLES): number[] {
  const starts: number[] = [];
  for (let s = 0; s + frameSamples <= pcm.length; s += HOP_SAMPLES) starts.push(s);
  const rms = starts.map((s) => frameRms(pcm, s, frameSamples));
  const loudest = Math.max(0, ...rms);
  return starts.filter((_, i) => rms[i]! >= fraction * loudest && loudest > 0);
}

function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * Median f0 (Hz) over the loud frames: per frame the normalised autocorrelation between
 * minHz and maxHz, taking the shortest lag within 90 % of the best (avoids octave errors).
 */
export function estimateF0Hz(pcm: Float32Array, sampleRateHz: number, minHz = 60, maxHz = 400): number {
  const frameSamples = Math.round(sampleRateHz * 0.04);
  const minLag = Math.floor(sampleRateHz / maxHz);
  const maxLag = Math.ceil(sampleRateHz / minHz);
  const estimates: number[] = [];
  for (const start of loudFrameStarts(pcm, 0.5, frameSamples + maxLag)) {
    const scores: number[] = [];
    for (let lag = minLag; lag <= maxLag; lag++) {
      let cross = 0;
      let energyA = 0;
      let energyB = 0;
      for (let i = 0; i < frameSamples; i++) {
        const a = pcm[start + i]!;
        const b = pcm[start + i + lag]!;
        cross += a * b;
        energyA += a * a;
        energyB += b * b;
      }
      scores.push(cross / Math.sqrt(energyA * energyB + 1e-12));
    }
    const best = Math.max(...scores);
    if (best < 0.5) continue;
    // First local peak within 90 % of the best.
    for (let i = 1; i < scores.length - 1; i++) {
      if (scores[i]! >= 0.9 * best && scores[i]! >= scores[i - 1]! && scores[i]! >= scores[i + 1]!) {
        estimates.push(sampleRateHz / (minLag + i));
        break;
      }
    }
  }
  return median(estimates);
}

/** Average power spectrum (FRAME_SAMPLES-point, Hann) over the loud frames; bin k is k*SR/N Hz. */
export function averagePowerSpectrum(pcm: Float32Array): Float64Array {
  const fft = new RealFft(FRAME_SAMPLES);
  const power = new Float64Array(fft.binCount);
  const sum = new Float64Array(fft.binCount);
  const frame = new Float64Array(FRAME_SAMPLES);
  const starts = loudFrameStarts(pcm);
  for (const start of starts) {
    for (let n = 0; n < FRAME_SAMPLES; n++) {
      frame[n] = pcm[start + n]! * (0.5 - 0.5 * Math.cos((2 * Math.PI * n) / FRAME_SAMPLES));
    }
    fft.powerSpectrum(frame, power);
    for (let k = 0; k < sum.length; k++) sum[k]! += power[k]! / starts.length;
  }
  return sum;
}

/** Power-weighted mean frequency (Hz) of the loud frames. */
export function spectralCentroidHz(pcm: Float32Array, sampleRateHz: number): number {
  const spectrum = averagePowerSpectrum(pcm);
  let weighted = 0;
  let total = 0;
  spectrum.forEach((p, k) => {
    weighted += p * ((k * sampleRateHz) / FRAME_SAMPLES);
    total += p;
  });
  return weighted / total;
}

/** Fraction of loud-frame power in each band [edges[i], edges[i+1]) Hz. */
export function bandEnergyShares(
  pcm: Float32Array,
  sampleRateHz: number,
  edgesHz: readonly number[],
): number[] {
  const spectrum = averagePowerSpectrum(pcm);
  const bands = new Array<number>(edgesHz.length - 1).fill(0);
  let total = 0;
  spectrum.forEach((p, k) => {
    const hz = (k * sampleRateHz) / FRAME_SAMPLES;
    total += p;
    for (let b = 0; b < bands.length; b++) if (hz >= edgesHz[b]! && hz < edgesHz[b + 1]!) bands[b]! += p;
  });
  return bands.map((e) => e / total);
}

export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! ** 2;
    nb += b[i]! ** 2;
  }
  return dot / Math.sqrt(na * nb);
}

/**
 * Share of power above `minHz` in a 256-sample Hann frame centred on `centre`. The fixture
 * Kokoro keeps its harmonics below 10 kHz, so energy up near Nyquist there means a click.
 */
export function highBandShare(
  pcm: Float32Array,
  sampleRateHz: number,
  centre: number,
  minHz: number,
): number {
  const size = 256;
  const fft = new RealFft(size);
  const frame = new Float64Array(size);
  for (let n = 0; n < size; n++) {
    frame[n] = (pcm[centre - size / 2 + n] ?? 0) * (0.5 - 0.5 * Math.cos((2 * Math.PI * n) / size));
  }
  const power = fft.powerSpectrum(frame);
  let high = 0;
  let total = 0;
  power.forEach((p, k) => {
    total += p;
    if ((k * sampleRateHz) / size >= minHz) high += p;
  });
  return total > 0 ? high / total : 0;
}
