/**
 * Resemblyzer's GE2E speaker encoder (KVoiceWalk's judge), ported: its audio front end
 * (`preprocess_wav`: resampling, volume normalisation, webrtcvad silence trim), its 40-band
 * power mel spectrogram (librosa's), `embed_utterance`'s partials and averaging, the weights
 * read from its own `pretrained.pt` (no code in the file runs), and an ONNX graph built from
 * them (LSTM 40 -> 256 x 3 layers, Linear 256 -> 256, ReLU, L2 normalisation), which a worker
 * or Node runs with onnxruntime. Constants are Resemblyzer 0.1.4's `hparams.py`.
 */
import { resample } from '../audio/resample';
import { GraphBuilder } from '../onnx/graph';
import { DataType } from '../onnx/onnx-proto';
import { readTorchCheckpoint } from '../voices/formats/checkpoint';
import { isTensor, type PickleValue, type TensorRef } from '../voices/formats/pickle';

export const GE2E_SAMPLE_RATE_HZ = 16_000;
export const GE2E_MEL_BINS = 40;
export const GE2E_EMBEDDING_DIM = 256;
export const GE2E_PARTIAL_FRAMES = 160;
const N_FFT = 400; // 25 ms
const HOP = 160; // 10 ms
const HIDDEN = 256;
const LAYERS = 3;
const VAD_WINDOW_SAMPLES = 480; // 30 ms
const VAD_MOVING_AVERAGE_WIDTH = 8;
const VAD_MAX_SILENCE = 6;
const TARGET_DBFS = -30;
const INT16_MAX = 32767;
const PARTIAL_RATE = 1.3;
const MIN_COVERAGE = 0.75;

export class Ge2eWeightsError extends Error {
  override readonly name = 'Ge2eWeightsError';
}

export interface LstmLayerWeights {
  inputSize: number;
  /** [4 * 256, inputSize], PyTorch's gate order i, f, g, o. */
  weightIh: Float32Array;
  /** [4 * 256, 256]. */
  weightHh: Float32Array;
  biasIh: Float32Array;
  biasHh: Float32Array;
}

export interface Ge2eWeights {
  layers: LstmLayerWeights[];
  /** [256, 256] (out, in). */
  linearWeight: Float32Array;
  linearBias: Float32Array;
}

/**
 * The encoder's weights from Resemblyzer's `pretrained.pt` (`{"model_state": state_dict, ...}`;
 * a bare state dict is accepted too). Extra keys (GE2E's similarity weight and bias, the
 * optimizer state) are ignored, as `load_state_dict(strict=False)` does; a missing key or a
 * wrong shape is refused.
 */
export function readGe2eWeights(fileName: string, bytes: Uint8Array): Ge2eWeights {
  let checkpoint;
  try {
    checkpoint = readTorchCheckpoint(fileName, bytes);
  } catch (error) {
    throw new Ge2eWeightsError(
      `${fileName} is not Resemblyzer's encoder checkpoint: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const root = checkpoint.root;
  const state: PickleValue | undefined =
    root instanceof Map && root.has('model_state') ? root.get('model_state') : root;
  if (!(state instanceof Map))
    throw new Ge2eWeightsError(`${fileName} holds no model state (expected a dict with "model_state").`);
  const tensor = (key: string, shape: readonly number[]): Float32Array => {
    const value = state.get(key);
    if (!isTensor(value))
      throw new Ge2eWeightsError(`${fileName} has no tensor "${key}": not Resemblyzer's GE2E encoder.`);
    const ref = value as TensorRef;
    if (ref.size.length !== shape.length || ref.size.some((d, i) => d !== shape[i]))
      throw new Ge2eWeightsError(
        `${fileName}: "${key}" has shape [${ref.size.join(', ')}], expected [${shape.join(', ')}]: not Resemblyzer's GE2E encoder.`,
      );
    const data = checkpoint.tensor(ref);
    for (const v of data)
      if (!Number.isFinite(v))
        throw new Ge2eWeightsError(`${fileName}: "${key}" holds NaN or infinite values.`);
    return data;
  };
  const layers: LstmLayerWeights[] = [];
  for (let l = 0; l < LAYERS; l++) {
    const inputSize = l === 0 ? GE2E_MEL_BINS : HIDDEN;
    layers.push({
      inputSize,
      weightIh: tensor(`lstm.weight_ih_l${l}`, [4 * HIDDEN, inputSize]),
      weightHh: tensor(`lstm.weight_hh_l${l}`, [4 * HIDDEN, HIDDEN]),
      biasIh: tensor(`lstm.bias_ih_l${l}`, [4 * HIDDEN]),
      biasHh: tensor(`lstm.bias_hh_l${l}`, [4 * HIDDEN]),
    });
  }
  return {
    layers,
    linearWeight: tensor('linear.weight', [GE2E_EMBEDDING_DIM, HIDDEN]),
    linearBias: tensor('linear.bias', [GE2E_EMBEDDING_DIM]),
  };
}

/** PyTorch's gate blocks (i, f, g, o) reordered to ONNX's (i, o, f, c); `cols` values per row. */
function onnxGateOrder(values: Float32Array, cols: number): Float32Array {
  const block = HIDDEN * cols;
  const out = new Float32Array(values.length);
  const order = [0, 3, 1, 2]; // ONNX gate k takes PyTorch gate order[k]
  order.forEach((from, to) => out.set(values.subarray(from * block, (from + 1) * block), to * block));
  return out;
}

/** Name of the graph's input: mel frames, float32 [batch, frames, 40]. */
export const GE2E_INPUT = 'mels';
/** Name of the graph's output: L2-normalised embeddings, float32 [batch, 256]. */
export const GE2E_OUTPUT = 'embeds';

/** An ONNX model computing Resemblyzer's `VoiceEncoder.forward` with these weights. */
export function buildGe2eModel(weights: Ge2eWeights): Uint8Array {
  const g = new GraphBuilder('ge2e');
  const mels = g.input(GE2E_INPUT, DataType.FLOAT, ['batch', 'frames', GE2E_MEL_BINS]);
  let sequence = g.op('Transpose', [mels], { perm: [1, 0, 2] }); // [frames, batch, 40]
  let lastHidden = '';
  weights.layers.forEach((layer, l) => {
    const w = g.float(
      onnxGateOrder(layer.weightIh, layer.inputSize),
      [1, 4 * HIDDEN, layer.inputSize],
      `w${l}`,
    );
    const r = g.float(onnxGateOrder(layer.weightHh, HIDDEN), [1, 4 * HIDDEN, HIDDEN], `r${l}`);
    const bias = new Float32Array(8 * HIDDEN);
    bias.set(onnxGateOrder(layer.biasIh, 1), 0);
    bias.set(onnxGateOrder(layer.biasHh, 1), 4 * HIDDEN);
    const b = g.float(bias, [1, 8 * HIDDEN], `b${l}`);
    const [y, yH] = g.opN('LSTM', [sequence, w, r, b], 2, { hidden_size: HIDDEN }, `lstm${l}`);
    sequence = g.op('Squeeze', [y as string, g.int64([1])]); // [frames, batch, 256]
    lastHidden = g.op('Squeeze', [yH as string, g.int64([0])]); // [batch, 256]
  });
  const transposed = new Float32Array(HIDDEN * GE2E_EMBEDDING_DIM);
  for (let o = 0; o < GE2E_EMBEDDING_DIM; o++)
    for (let i = 0; i < HIDDEN; i++)
      transposed[i * GE2E_EMBEDDING_DIM + o] = weights.linearWeight[o * HIDDEN + i] as number;
  const linear = g.add(
    g.matmul(lastHidden, g.float(transposed, [HIDDEN, GE2E_EMBEDDING_DIM], 'linear_w')),
    g.float(weights.linearBias, [GE2E_EMBEDDING_DIM], 'linear_b'),
  );
  const relu = g.op('Relu', [linear]);
  const norm = g.op('Max', [g.op('ReduceL2', [relu], { axes: [1], keepdims: 1 }), g.scalar(1e-12)]);
  g.output(g.div(relu, norm), GE2E_OUTPUT, DataType.FLOAT, ['batch', GE2E_EMBEDDING_DIM]);
  return g.encode({
    docString:
      "Resemblyzer's GE2E voice encoder (LSTM 3 x 256, Linear 256, ReLU, L2 norm), built from pretrained.pt by Timbre.",
    metadata: { source: 'resemble-ai/Resemblyzer 0.1.4 pretrained.pt' },
    producerName: 'timbre',
  });
}

/** numpy's round (half to even). */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** WebRTC's VAD (mode 3) on 16 kHz int16 windows; reset before each utterance, as Resemblyzer makes a new one each time. */
export interface FrameVad {
  reset(): void;
  isSpeech(window: Int16Array): boolean;
}

/** `normalize_volume(wav, -30, increase_only=True)`. */
export function normaliseVolume(wav: Float32Array): Float32Array {
  let sum = 0;
  for (const v of wav) sum += (v * INT16_MAX) ** 2;
  const rms = Math.sqrt(sum / Math.max(1, wav.length));
  const dbfs = 20 * Math.log10(rms / INT16_MAX);
  const change = TARGET_DBFS - dbfs;
  if (!(change > 0) || !Number.isFinite(change)) return wav;
  const gain = 10 ** (change / 20);
  return Float32Array.from(wav, (v) => v * gain);
}

/** `trim_long_silences`: silences longer than ~6 VAD windows go; what is kept is contiguous speech with margins. */
export function trimLongSilences(wav: Float32Array, vad: FrameVad): Float32Array {
  vad.reset();
  const usable = wav.length - (wav.length % VAD_WINDOW_SAMPLES);
  const windows = usable / VAD_WINDOW_SAMPLES;
  const flags = new Float64Array(windows);
  const frame = new Int16Array(VAD_WINDOW_SAMPLES);
  for (let w = 0; w < windows; w++) {
    for (let i = 0; i < VAD_WINDOW_SAMPLES; i++) {
      // np.round(x).astype(np.int16): half to even, then wrap-around outside int16.
      const q = roundHalfEven((wav[w * VAD_WINDOW_SAMPLES + i] as number) * INT16_MAX);
      frame[i] = ((((q + 32768) % 65536) + 65536) % 65536) - 32768;
    }
    flags[w] = vad.isSpeech(frame) ? 1 : 0;
  }
  // moving_average(flags, 8): zero-padded 3 before, 4 after, then rounded (half to even).
  const width = VAD_MOVING_AVERAGE_WIDTH;
  const before = Math.floor((width - 1) / 2);
  const mask = new Uint8Array(windows);
  for (let w = 0; w < windows; w++) {
    let sum = 0;
    for (let k = w - before; k < w - before + width; k++)
      if (k >= 0 && k < windows) sum += flags[k] as number;
    mask[w] = roundHalfEven(sum / width) !== 0 ? 1 : 0;
  }
  // binary_dilation with ones(7): a window is kept when any within 3 either side is voiced.
  const reach = Math.floor((VAD_MAX_SILENCE + 1) / 2);
  const kept: number[] = [];
  for (let w = 0; w < windows; w++) {
    let on = false;
    for (let k = Math.max(0, w - reach); k <= Math.min(windows - 1, w + reach) && !on; k++)
      on = mask[k] === 1;
    if (on) kept.push(w);
  }
  const out = new Float32Array(kept.length * VAD_WINDOW_SAMPLES);
  kept.forEach((w, i) =>
    out.set(wav.subarray(w * VAD_WINDOW_SAMPLES, (w + 1) * VAD_WINDOW_SAMPLES), i * VAD_WINDOW_SAMPLES),
  );
  return out;
}

/** `preprocess_wav(wav, source_sr)`: 16 kHz, volume up to -30 dBFS, long silences trimmed. */
export function preprocessWav(pcm: Float32Array, sampleRateHz: number, vad: FrameVad): Float32Array {
  const wav = sampleRateHz === GE2E_SAMPLE_RATE_HZ ? pcm : resample(pcm, sampleRateHz, GE2E_SAMPLE_RATE_HZ);
  return trimLongSilences(normaliseVolume(wav), vad);
}

// librosa.filters.mel(sr=16000, n_fft=400, n_mels=40): Slaney mel scale and area normalisation.
function hzToMelSlaney(hz: number): number {
  const fSp = 200 / 3;
  const minLogHz = 1000;
  const minLogMel = minLogHz / fSp;
  const logStep = Math.log(6.4) / 27;
  return hz >= minLogHz ? minLogMel + Math.log(hz / minLogHz) / logStep : hz / fSp;
}
function melToHzSlaney(mel: number): number {
  const fSp = 200 / 3;
  const minLogHz = 1000;
  const minLogMel = minLogHz / fSp;
  const logStep = Math.log(6.4) / 27;
  return mel >= minLogMel ? minLogHz * Math.exp(logStep * (mel - minLogMel)) : fSp * mel;
}

const BINS = N_FFT / 2 + 1;
let melWeights: Float64Array | undefined;
function melFilterbank(): Float64Array {
  if (melWeights) return melWeights;
  const weights = new Float64Array(GE2E_MEL_BINS * BINS);
  const fftFreqs = Array.from({ length: BINS }, (_, k) => (k * GE2E_SAMPLE_RATE_HZ) / N_FFT);
  const minMel = hzToMelSlaney(0);
  const maxMel = hzToMelSlaney(GE2E_SAMPLE_RATE_HZ / 2);
  const melF = Array.from({ length: GE2E_MEL_BINS + 2 }, (_, i) =>
    melToHzSlaney(minMel + ((maxMel - minMel) * i) / (GE2E_MEL_BINS + 1)),
  );
  for (let m = 0; m < GE2E_MEL_BINS; m++) {
    const lower = melF[m] as number;
    const centre = melF[m + 1] as number;
    const upper = melF[m + 2] as number;
    const enorm = 2 / (upper - lower);
    for (let k = 0; k < BINS; k++) {
      const f = fftFreqs[k] as number;
      const rising = (f - lower) / (centre - lower);
      const falling = (upper - f) / (upper - centre);
      weights[m * BINS + k] = Math.max(0, Math.min(rising, falling)) * enorm;
    }
  }
  melWeights = weights;
  return weights;
}

let dftTables: { cos: Float64Array; sin: Float64Array; window: Float64Array } | undefined;
function tables() {
  if (dftTables) return dftTables;
  const cos = new Float64Array(BINS * N_FFT);
  const sin = new Float64Array(BINS * N_FFT);
  for (let k = 0; k < BINS; k++)
    for (let n = 0; n < N_FFT; n++) {
      const angle = (2 * Math.PI * ((k * n) % N_FFT)) / N_FFT;
      cos[k * N_FFT + n] = Math.cos(angle);
      sin[k * N_FFT + n] = Math.sin(angle);
    }
  // scipy.signal.get_window('hann', 400, fftbins=True): periodic Hann.
  const window = Float64Array.from(
    { length: N_FFT },
    (_, n) => 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / N_FFT),
  );
  dftTables = { cos, sin, window };
  return dftTables;
}

/**
 * `librosa.feature.melspectrogram(y, sr=16000, n_fft=400, hop_length=160, n_mels=40)`: centred
 * frames (zero padding), periodic Hann window, power spectrum, Slaney mel. Frames x 40.
 */
export function ge2eMelSpectrogram(wav: Float32Array): { data: Float32Array; frames: number } {
  const frames = 1 + Math.floor(wav.length / HOP);
  const { cos, sin, window } = tables();
  const mel = melFilterbank();
  const out = new Float32Array(frames * GE2E_MEL_BINS);
  const segment = new Float64Array(N_FFT);
  const power = new Float64Array(BINS);
  const half = N_FFT / 2;
  for (let t = 0; t < frames; t++) {
    const start = t * HOP - half;
    for (let n = 0; n < N_FFT; n++) {
      const i = start + n;
      segment[n] = i >= 0 && i < wav.length ? (wav[i] as number) * (window[n] as number) : 0;
    }
    for (let k = 0; k < BINS; k++) {
      let re = 0;
      let im = 0;
      const row = k * N_FFT;
      for (let n = 0; n < N_FFT; n++) {
        const x = segment[n] as number;
        re += x * (cos[row + n] as number);
        im -= x * (sin[row + n] as number);
      }
      power[k] = re * re + im * im;
    }
    for (let m = 0; m < GE2E_MEL_BINS; m++) {
      let sum = 0;
      const row = m * BINS;
      for (let k = 0; k < BINS; k++) sum += (mel[row + k] as number) * (power[k] as number);
      out[t * GE2E_MEL_BINS + m] = sum;
    }
  }
  return { data: out, frames };
}

/** `compute_partial_slices(n_samples, rate=1.3, min_coverage=0.75)`: mel frame starts of the partials. */
export function partialStarts(sampleCount: number): { starts: number[]; paddedSamples: number } {
  const frameCount = Math.ceil((sampleCount + 1) / HOP);
  const frameStep = Math.round(GE2E_SAMPLE_RATE_HZ / PARTIAL_RATE / HOP);
  const steps = Math.max(1, frameCount - GE2E_PARTIAL_FRAMES + frameStep + 1);
  const starts: number[] = [];
  for (let i = 0; i < steps; i += frameStep) starts.push(i);
  const last = starts[starts.length - 1] as number;
  const coverage = (sampleCount - last * HOP) / (GE2E_PARTIAL_FRAMES * HOP);
  if (coverage < MIN_COVERAGE && starts.length > 1) starts.pop();
  const lastStart = starts[starts.length - 1] as number;
  return { starts, paddedSamples: (lastStart + GE2E_PARTIAL_FRAMES) * HOP };
}

/** Runs the encoder graph on `batch` partials of 160 frames: [batch, 160, 40] in, [batch, 256] out. */
export type Ge2eRunner = (mels: Float32Array, batch: number) => Promise<Float32Array>;

/**
 * `embed_utterance(wav)` of an already preprocessed 16 kHz wav: partials of 1.6 s every
 * 0.77 s, zero-padded to cover the last one, the mean of their embeddings, L2-normalised.
 */
export async function embedUtterance(wav: Float32Array, run: Ge2eRunner): Promise<Float32Array> {
  const { starts, paddedSamples } = partialStarts(wav.length);
  let padded = wav;
  if (paddedSamples >= wav.length) {
    padded = new Float32Array(paddedSamples);
    padded.set(wav);
  }
  const mel = ge2eMelSpectrogram(padded);
  const batch = starts.length;
  const input = new Float32Array(batch * GE2E_PARTIAL_FRAMES * GE2E_MEL_BINS);
  starts.forEach((start, b) => {
    const from = start * GE2E_MEL_BINS;
    input.set(
      mel.data.subarray(from, from + GE2E_PARTIAL_FRAMES * GE2E_MEL_BINS),
      b * GE2E_PARTIAL_FRAMES * GE2E_MEL_BINS,
    );
  });
  const partials = await run(input, batch);
  const mean = new Float64Array(GE2E_EMBEDDING_DIM);
  for (let b = 0; b < batch; b++)
    for (let d = 0; d < GE2E_EMBEDDING_DIM; d++)
      mean[d] = (mean[d] as number) + (partials[b * GE2E_EMBEDDING_DIM + d] as number) / batch;
  let norm = 0;
  for (const v of mean) norm += v * v;
  norm = Math.sqrt(norm) || 1;
  return Float32Array.from(mean, (v) => v / norm);
}
