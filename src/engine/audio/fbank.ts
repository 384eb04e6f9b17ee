/**
 * Kaldi log-mel filterbank features as WeSpeaker computes them
 * (torchaudio.compliance.kaldi.fbank with num_mel_bins=80, frame_length=25, frame_shift=10,
 * dither=0, window_type='hamming', use_energy=False, snip_edges=True) on 16 kHz audio.
 * See shared/docs/speaker.md. The recipe, per frame:
 *   samples * 32768 -> remove the frame's DC offset -> pre-emphasis 0.97 (first sample
 *   against itself) -> symmetric Hamming window -> zero-pad to 512 -> |FFT|^2 ->
 *   80 triangular mel filters (mel space, 20 Hz..8 kHz) -> log(max(x, FLT_EPSILON)).
 * Computation is in float64; the output is float32 like the reference.
 */
import { RealFft } from './fft';
import { applyMelFilterbank, createMelFilterbank, type MelFilterbank } from './mel';

export const FBANK_SAMPLE_RATE_HZ = 16000;
export const FBANK_MEL_BINS = 80;
export const FBANK_FRAME_SAMPLES = 400; // 25 ms
export const FBANK_SHIFT_SAMPLES = 160; // 10 ms
const FFT_SIZE = 512;
const LOW_FREQUENCY_HZ = 20;
const PREEMPHASIS = 0.97;
/** Kaldi's input scale: the models were trained on 16-bit integer sample values. */
const INT16_SCALE = 32768;
/** float32 machine epsilon, Kaldi's floor before the log. */
const LOG_FLOOR = 1.1920928955078125e-7;

export interface Fbank {
  /** frames * bins values, row-major: frame t occupies [t*bins, (t+1)*bins). */
  data: Float32Array;
  frames: number;
  bins: typeof FBANK_MEL_BINS;
}

/** Frames that snip_edges=True yields: 1 + (len - 400) // 160, or 0 when shorter than one frame. */
export function fbankFrameCount(sampleCount: number): number {
  if (sampleCount < FBANK_FRAME_SAMPLES) return 0;
  return 1 + Math.floor((sampleCount - FBANK_FRAME_SAMPLES) / FBANK_SHIFT_SAMPLES);
}

interface FbankTables {
  fft: RealFft;
  window: Float64Array;
  filterbank: MelFilterbank;
}

let tables: FbankTables | undefined;

function fbankTables(): FbankTables {
  if (!tables) {
    const window = new Float64Array(FBANK_FRAME_SAMPLES);
    // Symmetric Hamming (periodic=False in torch terms): the last sample equals the first.
    for (let n = 0; n < FBANK_FRAME_SAMPLES; n++) {
      window[n] = 0.54 - 0.46 * Math.cos((2 * Math.PI * n) / (FBANK_FRAME_SAMPLES - 1));
    }
    const filterbank = createMelFilterbank({
      fftSize: FFT_SIZE,
      sampleRateHz: FBANK_SAMPLE_RATE_HZ,
      melBinCount: FBANK_MEL_BINS,
      lowHz: LOW_FREQUENCY_HZ,
    });
    tables = { fft: new RealFft(FFT_SIZE), window, filterbank };
  }
  return tables;
}

/** Log-mel fbank (not mean-normalised) of 16 kHz mono samples in [-1, 1]. */
export function computeFbank(samples16k: Float32Array): Fbank {
  const { fft, window, filterbank } = fbankTables();
  const frames = fbankFrameCount(samples16k.length);
  const data = new Float32Array(frames * FBANK_MEL_BINS);
  const frame = new Float64Array(FBANK_FRAME_SAMPLES);
  const power = new Float64Array(fft.binCount);
  const mel = new Float64Array(FBANK_MEL_BINS);
  for (let t = 0; t < frames; t++) {
    const start = t * FBANK_SHIFT_SAMPLES;
    let sum = 0;
    for (let n = 0; n < FBANK_FRAME_SAMPLES; n++) {
      const x = samples16k[start + n]! * INT16_SCALE;
      frame[n] = x;
      sum += x;
    }
    const mean = sum / FBANK_FRAME_SAMPLES;
    for (let n = 0; n < FBANK_FRAME_SAMPLES; n++) frame[n] = frame[n]! - mean;
    // Backwards so each step still sees the previous *unfiltered* sample.
    for (let n = FBANK_FRAME_SAMPLES - 1; n > 0; n--) frame[n] = frame[n]! - PREEMPHASIS * frame[n - 1]!;
    frame[0] = frame[0]! * (1 - PREEMPHASIS);
    for (let n = 0; n < FBANK_FRAME_SAMPLES; n++) frame[n] = frame[n]! * window[n]!;
    fft.powerSpectrum(frame, power);
    applyMelFilterbank(filterbank, power, mel);
    const row = t * FBANK_MEL_BINS;
    for (let m = 0; m < FBANK_MEL_BINS; m++) data[row + m] = Math.log(Math.max(mel[m]!, LOG_FLOOR));
  }
  return { data, frames, bins: FBANK_MEL_BINS };
}

/**
 * Per-utterance cepstral mean normalisation as WeSpeaker applies it before the network:
 * subtract each bin's mean over all frames (no variance normalisation). Returns a new Fbank.
 */
export function meanNormalise(fbank: Fbank): Fbank {
  const { frames, bins } = fbank;
  const data = new Float32Array(fbank.data);
  if (frames === 0) return { data, frames, bins };
  const mean = new Float64Array(bins);
  for (let t = 0; t < frames; t++) {
    for (let m = 0; m < bins; m++) mean[m] = mean[m]! + data[t * bins + m]!;
  }
  for (let m = 0; m < bins; m++) mean[m] = mean[m]! / frames;
  for (let t = 0; t < frames; t++) {
    for (let m = 0; m < bins; m++) data[t * bins + m] = data[t * bins + m]! - mean[m]!;
  }
  return { data, frames, bins };
}
