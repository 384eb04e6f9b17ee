/**
 * The instant estimate: a learned map from a speaker embedding to voice-pack coordinates
 * (basis.ts), so a reference gets a first clone after ONE embedding and no search.
 *
 * Training pairs need no outside data: (embedding of a rendering of pack p, coordinates of
 * p) for the stock voices (their renderings come free with the ranking, through the cache)
 * plus random blends of 2-3 stock voices jittered in coordinate space (one rendering each;
 * the jitter teaches the map directions the library alone does not vary along, including
 * the shared offset).
 *
 * The map is kernel ridge regression on unit embeddings: a linear kernel (ridge regression
 * with intercept) or a Gaussian kernel, kernel width and ridge strength chosen by exact
 * leave-one-out error over a small grid (closed form: residual_i = alpha_i / [(K + lambda I)^-1]_ii),
 * so nothing is tuned by hand per model. Fitting is a few Cholesky factorisations of an
 * n x n matrix (n ~ 100-300): milliseconds. The fitted map is plain JSON (cache it per model).
 */
import { throwIfAborted } from '../progress';
import { coordinatesOfPack, packFromCoordinates, type PackBasis } from './basis';
import { cholesky, choleskySolve, dot, inverseDiagonal, unit } from './linalg';
import { SeededRandom } from './random';
import type { NamedPack } from './types';

export interface InstantMapSample {
  embedding: Float32Array;
  coordinates: ArrayLike<number>;
}

export type InstantKernel = 'linear' | 'rbf';

export interface InstantMap {
  version: 1;
  kernel: InstantKernel;
  /** Gaussian kernel width (unit-embedding distance); 0 for linear. */
  lengthScale: number;
  lambda: number;
  /** Mean of the training unit embeddings (the linear kernel works on centred inputs). */
  inputMean: number[];
  /** Training unit embeddings, n x dim, flat. */
  inputs: number[];
  inputDim: number;
  /** Dual weights, n x outputs, flat. */
  alpha: number[];
  outputMean: number[];
  outputDim: number;
  /** Mean squared leave-one-out error per output (coordinate units) of the chosen setting. */
  looError: number;
}

const LENGTH_SCALE_FACTORS = [0.5, 1, 2, 4];
const LAMBDA_FACTORS = [1e-4, 1e-3, 1e-2, 1e-1, 1];

function kernelValue(
  kernel: InstantKernel,
  lengthScale: number,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
): number {
  if (kernel === 'linear') return dot(a, b);
  let squared = 0;
  for (let i = 0; i < a.length; i++) squared += ((a[i] as number) - (b[i] as number)) ** 2;
  return Math.exp(-squared / (2 * lengthScale * lengthScale));
}

function medianPairDistance(inputs: readonly Float32Array[]): number {
  const distances: number[] = [];
  for (let i = 0; i < inputs.length; i++) {
    for (let j = i + 1; j < inputs.length; j++) {
      let squared = 0;
      const a = inputs[i] as Float32Array;
      const b = inputs[j] as Float32Array;
      for (let d = 0; d < a.length; d++) squared += ((a[d] as number) - (b[d] as number)) ** 2;
      distances.push(Math.sqrt(squared));
    }
  }
  distances.sort((x, y) => x - y);
  return Math.max(distances[Math.floor(distances.length / 2)] ?? 1, 1e-6);
}

interface Fit {
  kernel: InstantKernel;
  lengthScale: number;
  lambda: number;
  alpha: Float64Array;
  looError: number;
}

function fitOne(
  kernel: InstantKernel,
  lengthScale: number,
  lambdaFactor: number,
  inputs: readonly Float32Array[],
  targets: readonly Float64Array[],
  outputDim: number,
): Fit | undefined {
  const n = inputs.length;
  const gram = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const value = kernelValue(kernel, lengthScale, inputs[i] as Float32Array, inputs[j] as Float32Array);
      gram[i * n + j] = value;
      gram[j * n + i] = value;
    }
  }
  let trace = 0;
  for (let i = 0; i < n; i++) trace += gram[i * n + i] as number;
  const lambda = lambdaFactor * Math.max(trace / n, 1e-12);
  for (let i = 0; i < n; i++) gram[i * n + i] = (gram[i * n + i] as number) + lambda;
  const factor = cholesky(gram, n);
  if (!factor) return undefined;
  const inverseDiag = inverseDiagonal(factor, n);
  const alpha = new Float64Array(n * outputDim);
  let squaredError = 0;
  for (let o = 0; o < outputDim; o++) {
    const column = choleskySolve(
      factor,
      n,
      Float64Array.from(targets, (target) => target[o] as number),
    );
    for (let i = 0; i < n; i++) {
      alpha[i * outputDim + o] = column[i] as number;
      squaredError += ((column[i] as number) / (inverseDiag[i] as number)) ** 2;
    }
  }
  return { kernel, lengthScale, lambda, alpha, looError: squaredError / (n * outputDim) };
}

/** Fits the map on samples, choosing kernel, width and ridge strength by leave-one-out error. */
export function fitInstantMap(samples: readonly InstantMapSample[]): InstantMap {
  if (samples.length < 3) throw new Error('fitInstantMap: need at least 3 samples');
  const inputDim = (samples[0] as InstantMapSample).embedding.length;
  const outputDim = (samples[0] as InstantMapSample).coordinates.length;
  const units = samples.map((sample) => unit(sample.embedding));
  const inputMean = new Float64Array(inputDim);
  for (const u of units)
    for (let d = 0; d < inputDim; d++)
      inputMean[d] = (inputMean[d] as number) + (u[d] as number) / units.length;
  const inputs = units.map((u) => Float32Array.from(u, (value, d) => value - (inputMean[d] as number)));
  const outputMean = new Float64Array(outputDim);
  for (const sample of samples)
    for (let o = 0; o < outputDim; o++)
      outputMean[o] = (outputMean[o] as number) + (sample.coordinates[o] as number) / samples.length;
  const targets = samples.map((sample) =>
    Float64Array.from(
      { length: outputDim },
      (_, o) => (sample.coordinates[o] as number) - (outputMean[o] as number),
    ),
  );

  const median = medianPairDistance(inputs);
  const settings: [InstantKernel, number][] = [
    ['linear', 0],
    ...LENGTH_SCALE_FACTORS.map((factor): [InstantKernel, number] => ['rbf', factor * median]),
  ];
  let best: Fit | undefined;
  for (const [kernel, lengthScale] of settings) {
    for (const lambdaFactor of LAMBDA_FACTORS) {
      const fit = fitOne(kernel, lengthScale, lambdaFactor, inputs, targets, outputDim);
      if (fit && (!best || fit.looError < best.looError)) best = fit;
    }
  }
  if (!best) throw new Error('fitInstantMap: no setting could be fitted');
  return {
    version: 1,
    kernel: best.kernel,
    lengthScale: best.lengthScale,
    lambda: best.lambda,
    inputMean: Array.from(inputMean),
    inputs: inputs.flatMap((input) => Array.from(input)),
    inputDim,
    alpha: Array.from(best.alpha),
    outputMean: Array.from(outputMean),
    outputDim,
    looError: best.looError,
  };
}

/** Coordinates the map predicts for a speaker embedding. */
export function predictCoordinates(map: InstantMap, embedding: ArrayLike<number>): Float64Array {
  if (embedding.length !== map.inputDim)
    throw new RangeError(`predictCoordinates: expected a ${map.inputDim}-d embedding`);
  const u = unit(embedding);
  const input = Float64Array.from(u, (value, d) => value - (map.inputMean[d] as number));
  const n = map.inputs.length / map.inputDim;
  const out = Float64Array.from(map.outputMean);
  for (let i = 0; i < n; i++) {
    const k = kernelValue(
      map.kernel,
      map.lengthScale,
      input,
      map.inputs.slice(i * map.inputDim, (i + 1) * map.inputDim),
    );
    for (let o = 0; o < map.outputDim; o++)
      out[o] = (out[o] as number) + k * (map.alpha[i * map.outputDim + o] as number);
  }
  return out;
}

export interface InstantTrainingOptions {
  basis: PackBasis;
  stock: readonly NamedPack[];
  /** Random blends to render on top of the stock voices. */
  blendCount: number;
  /** Std of the jitter added to each blend's coordinates (units of stock std). */
  jitter: number;
  seed: number;
  /** Embeds a pack (named packs may come from a cache); reports renders spent. */
  measure: (pack: Float32Array, cacheId?: string) => Promise<{ embedding: Float32Array; renders: number }>;
  signal?: AbortSignal;
  onSample?: (done: number, total: number) => void;
}

export const DEFAULT_INSTANT_TRAINING = { blendCount: 96, jitter: 0.35 } as const;

/** Renders the training set: stock voices (cacheable by id) and seeded random jittered blends. */
export async function collectInstantSamples(
  options: InstantTrainingOptions,
): Promise<{ samples: InstantMapSample[]; renders: number }> {
  const { basis, stock } = options;
  const rng = new SeededRandom(options.seed);
  const samples: InstantMapSample[] = [];
  let renders = 0;
  const total = stock.length + options.blendCount;
  for (const voice of stock) {
    throwIfAborted(options.signal);
    const measured = await options.measure(voice.pack, voice.id);
    renders += measured.renders;
    samples.push({ embedding: measured.embedding, coordinates: coordinatesOfPack(basis, voice.pack) });
    options.onSample?.(samples.length, total);
  }
  const stockCoordinates = stock.map((voice) => coordinatesOfPack(basis, voice.pack));
  for (let b = 0; b < options.blendCount; b++) {
    throwIfAborted(options.signal);
    const parts = rng.sample(stock.length, 2 + rng.int(2));
    const weights = rng.dirichlet(parts.length);
    const coordinates = new Float64Array(stockCoordinates[0]!.length);
    parts.forEach((index, p) => {
      const source = stockCoordinates[index] as Float64Array;
      for (let c = 0; c < coordinates.length; c++)
        coordinates[c] = (coordinates[c] as number) + (weights[p] as number) * (source[c] as number);
    });
    for (let c = 0; c < coordinates.length; c++)
      coordinates[c] = (coordinates[c] as number) + options.jitter * rng.gaussian();
    const measured = await options.measure(packFromCoordinates(basis, coordinates));
    renders += measured.renders;
    samples.push({ embedding: measured.embedding, coordinates });
    options.onSample?.(samples.length, total);
  }
  return { samples, renders };
}
