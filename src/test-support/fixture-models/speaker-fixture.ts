/**
 * The fixture speaker encoder: WeSpeaker ResNet34-LM's I/O contract (input_features
 * float32 [1, T, 80] mean-normalised log-mel fbank -> last_hidden_state float32 [1, 256])
 * with an embedding that follows the voice (spectral envelope and pitch), not the words.
 *
 * The caller removes each bin's mean over time, so what is left of the envelope is its
 * contrast with the pauses. The graph takes the speech frames (within a margin of the
 * loudest), their mean log-mel profile and their spread per bin, smooths both across bins
 * (so a few percent of pitch movement does not reshuffle resolved harmonics), turns each
 * into a unit-norm shape, subtracts the average shape of the stock voices (like a trained
 * network's normalisation statistics; see speaker-calibration.ts) and sends the result
 * through a fixed seeded projection and tanh.
 */
import { readFileSync } from 'node:fs';
import { GraphBuilder } from '../../engine/onnx/graph';
import { DataType } from '../../engine/onnx/onnx-proto';
import { SeededRandom } from './prng';

export const ENCODER_MEL_BINS = 80;
export const ENCODER_EMBEDDING_DIM = 256;
/** Bins 0..59 (up to ~3.9 kHz): every fixture voice has harmonics there whatever its pitch. */
export const ENCODER_USED_BINS = 60;
const FEATURE_DIM = 2 * ENCODER_USED_BINS;
/** Frames within this many nats (mean over bins) of the loudest frame count as speech. */
const SPEECH_MARGIN_NATS = 8;
/** Gaussian smoothing across mel bins (std in bins). */
const SMOOTHING_BINS = 1;
/** Weight of the spread shape relative to the mean shape. */
export const SPREAD_WEIGHT = 0.5;
/** Typical std of a projected component going into tanh (tanh stays near its linear range). */
const PROJECTION_GAIN = 0.8;
/** Shared bias relative to PROJECTION_GAIN: lifts different voices to mostly cos >= 0, like real encoders. */
const SHARED_BIAS_RATIO = 0.75;
const SEED = 0x5e5e5e;

/** Average speech-mean and spread shapes over renderings of the stock voices. */
export interface SpeakerCalibration {
  meanShape: number[];
  spreadShape: number[];
  /** Typical norm of the centred feature vector (scales the projection so tanh sees PROJECTION_GAIN). */
  featureNorm: number;
}

export const SPEAKER_CALIBRATION_URL = new URL('./speaker-calibration.json', import.meta.url);

export function readSpeakerCalibration(): SpeakerCalibration {
  return JSON.parse(readFileSync(SPEAKER_CALIBRATION_URL, 'utf8')) as SpeakerCalibration;
}

export type EncoderFixtureVariant = 'fp32' | 'q8';
export const ENCODER_FIXTURE_VARIANTS: readonly EncoderFixtureVariant[] = ['fp32', 'q8'];

export interface FixtureEncoderOptions {
  /** `q8` stores the projection as int8 + DequantizeLinear. Default fp32. */
  variant?: EncoderFixtureVariant;
}

export function buildFixtureEncoder(options: FixtureEncoderOptions = {}): Uint8Array {
  return buildEncoderGraph({ ...options, calibration: readSpeakerCalibration() }).encode({
    docString:
      'Timbre test fixture, NOT WeSpeaker ResNet34-LM: fbank statistics through a fixed random projection ' +
      '(written by scripts/make-fixtures.ts).',
    metadata: { timbre_fixture: 'true', model: 'speaker-encoder', variant: options.variant ?? 'fp32' },
  });
}

/** Centred over the bin axis, unit L2 norm. */
function unitShape(g: GraphBuilder, profile: string): string {
  const centred = g.sub(profile, g.reduce('ReduceMean', profile, [1], true));
  const norm = g.op('Sqrt', [
    g.add(g.reduce('ReduceSum', g.mul(centred, centred), [1], true), g.scalar(1e-12)),
  ]);
  return g.div(centred, norm);
}

function smoothingMatrix(bins: number, stdBins: number): Float32Array {
  const matrix = new Float32Array(bins * bins);
  for (let j = 0; j < bins; j++) {
    let total = 0;
    for (let i = 0; i < bins; i++) total += Math.exp(-0.5 * ((i - j) / stdBins) ** 2);
    for (let i = 0; i < bins; i++) matrix[i * bins + j] = Math.exp(-0.5 * ((i - j) / stdBins) ** 2) / total;
  }
  return matrix;
}

export interface EncoderGraphOptions extends FixtureEncoderOptions {
  /** Without calibration the graph outputs the raw shapes (`shapes`, [1, 120]) for calibrating. */
  calibration?: SpeakerCalibration;
}

export function buildEncoderGraph(options: EncoderGraphOptions = {}): GraphBuilder {
  const rng = new SeededRandom(SEED);
  const g = new GraphBuilder('timbre_fixture_speaker_encoder');
  const features = g.input('input_features', DataType.FLOAT, [1, 'num_frames', ENCODER_MEL_BINS]);
  const x = g.slice(g.reshape(features, [-1, ENCODER_MEL_BINS]), 1, 0, ENCODER_USED_BINS); // [T, B]

  const loudness = g.reduce('ReduceMean', x, [1], true); // [T, 1]
  const loudest = g.reduce('ReduceMax', loudness, [0], true);
  const speech = g.op('Sigmoid', [
    g.mul(g.add(g.sub(loudness, loudest), g.scalar(SPEECH_MARGIN_NATS)), g.scalar(2)),
  ]); // [T, 1]
  const speechTotal = g.add(g.reduce('ReduceSum', speech, [0], true), g.scalar(1e-6));
  const speechMean = g.div(g.reduce('ReduceSum', g.mul(x, speech), [0], true), speechTotal); // [1, B]
  const deviation = g.sub(x, speechMean);
  const variance = g.div(
    g.reduce('ReduceSum', g.mul(g.mul(deviation, deviation), speech), [0], true),
    speechTotal,
  );
  const speechSpread = g.op('Sqrt', [g.add(variance, g.scalar(1e-6))]); // [1, B]

  const smoothing = g.float(
    smoothingMatrix(ENCODER_USED_BINS, SMOOTHING_BINS),
    [ENCODER_USED_BINS, ENCODER_USED_BINS],
    'bin_smoothing',
  );
  const meanShape = unitShape(g, g.matmul(speechMean, smoothing));
  const spreadShape = unitShape(g, g.matmul(speechSpread, smoothing));
  const calibration = options.calibration;
  if (!calibration) {
    g.output(g.op('Concat', [meanShape, spreadShape], { axis: 1 }), 'shapes', DataType.FLOAT, [
      1,
      FEATURE_DIM,
    ]);
    return g;
  }
  const centredMean = g.sub(
    meanShape,
    g.float(calibration.meanShape, [1, ENCODER_USED_BINS], 'stock_mean_shape'),
  );
  const centredSpread = g.sub(
    spreadShape,
    g.float(calibration.spreadShape, [1, ENCODER_USED_BINS], 'stock_spread_shape'),
  );
  const stats = g.op('Concat', [centredMean, g.mul(centredSpread, g.scalar(SPREAD_WEIGHT))], { axis: 1 }); // [1, 2B]

  const projection = rng.gaussians(
    FEATURE_DIM * ENCODER_EMBEDDING_DIM,
    PROJECTION_GAIN / Math.max(calibration.featureNorm, 1e-3),
  );
  const sharedBias = rng.gaussians(ENCODER_EMBEDDING_DIM, PROJECTION_GAIN * SHARED_BIAS_RATIO);
  const weights = g.weights(
    projection,
    [FEATURE_DIM, ENCODER_EMBEDDING_DIM],
    'projection',
    options.variant ?? 'fp32',
  );
  const embedding = g.op('Tanh', [
    g.add(g.matmul(stats, weights), g.float(sharedBias, [ENCODER_EMBEDDING_DIM], 'shared_bias')),
  ]);
  g.output(embedding, 'last_hidden_state', DataType.FLOAT, [1, ENCODER_EMBEDDING_DIM]);
  return g;
}
