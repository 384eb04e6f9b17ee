/**
 * The map behind the instant estimate (instant.ts): kernel ridge regression from unit speaker
 * embeddings to voice-pack coordinates (linear or Gaussian kernel), sample weights optional.
 * Kernel width and ridge strength are chosen by exact weighted leave-one-out error over a
 * small grid (residual_i = alpha_i / [(K + lambda I)^-1]_ii), so nothing is tuned by hand per
 * model. A fit is a few Cholesky factorisations of an n x n matrix (n <= ~64).
 */
import { cholesky, choleskySolve, cosine, dot, inverseDiagonal, unit } from './linalg';

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
  /** (Weighted) mean of the training unit embeddings (the linear kernel works on centred inputs). */
  inputMean: number[];
  /** Training unit embeddings minus inputMean, n x dim, flat. */
  inputs: number[];
  inputDim: number;
  /** Dual weights, n x outputs, flat. */
  alpha: number[];
  outputMean: number[];
  outputDim: number;
  /** Weighted mean squared leave-one-out error per output (coordinate units) of the chosen setting. */
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

/**
 * Weighted kernel ridge: with s = sqrt(w), solve (S K S + lambda I) c = S Y and alpha = S c,
 * i.e. minimise sum_i w_i |y_i - f(x_i)|^2 + lambda |f|^2.
 */
function fitOne(
  kernel: InstantKernel,
  lengthScale: number,
  lambdaFactor: number,
  inputs: readonly Float32Array[],
  targets: readonly Float64Array[],
  roots: Float64Array,
  outputDim: number,
): Fit | undefined {
  const n = inputs.length;
  const gram = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const value =
        (roots[i] as number) *
        (roots[j] as number) *
        kernelValue(kernel, lengthScale, inputs[i] as Float32Array, inputs[j] as Float32Array);
      gram[i * n + j] = value;
      gram[j * n + i] = value;
    }
  }
  let trace = 0;
  for (let i = 0; i < n; i++) trace += gram[i * n + i] as number;
  let counted = 0;
  for (const root of roots) if (root > 0) counted++;
  const lambda = lambdaFactor * Math.max(trace / counted, 1e-12);
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
      Float64Array.from(targets, (target, i) => (roots[i] as number) * (target[o] as number)),
    );
    for (let i = 0; i < n; i++) {
      alpha[i * outputDim + o] = (roots[i] as number) * (column[i] as number);
      // The scaled problem's LOO residual is sqrt(w_i) x the weighted one.
      squaredError += ((column[i] as number) / (inverseDiag[i] as number)) ** 2;
    }
  }
  let weightSum = 0;
  for (const root of roots) weightSum += root * root;
  return { kernel, lengthScale, lambda, alpha, looError: squaredError / (weightSum * outputDim) };
}

export interface InstantFitOptions {
  /** Per-sample weights >= 0 (default all 1); see localWeights. */
  weights?: readonly number[];
}

/** Fits the map on samples, choosing kernel, width and ridge strength by leave-one-out error. */
export function fitInstantMap(
  samples: readonly InstantMapSample[],
  options: InstantFitOptions = {},
): InstantMap {
  if (samples.length < 3) throw new Error('fitInstantMap: need at least 3 samples');
  const weights = options.weights ?? samples.map(() => 1);
  if (weights.length !== samples.length || weights.some((w) => !(w >= 0)) || !weights.some((w) => w > 0))
    throw new RangeError('fitInstantMap: one weight >= 0 per sample, not all zero');
  const weightSum = weights.reduce((sum, w) => sum + w, 0);
  const share = weights.map((w) => w / weightSum);
  const inputDim = (samples[0] as InstantMapSample).embedding.length;
  const outputDim = (samples[0] as InstantMapSample).coordinates.length;
  const units = samples.map((sample) => unit(sample.embedding));
  const inputMean = new Float64Array(inputDim);
  units.forEach((u, i) => {
    for (let d = 0; d < inputDim; d++)
      inputMean[d] = (inputMean[d] as number) + (share[i] as number) * (u[d] as number);
  });
  const inputs = units.map((u) => Float32Array.from(u, (value, d) => value - (inputMean[d] as number)));
  const outputMean = new Float64Array(outputDim);
  samples.forEach((sample, i) => {
    for (let o = 0; o < outputDim; o++)
      outputMean[o] = (outputMean[o] as number) + (share[i] as number) * (sample.coordinates[o] as number);
  });
  const targets = samples.map((sample) =>
    Float64Array.from(
      { length: outputDim },
      (_, o) => (sample.coordinates[o] as number) - (outputMean[o] as number),
    ),
  );
  // Weights scaled to mean 1 over the samples that count, so the ridge grid means the same
  // for any weighting (and a sample of weight 0 changes nothing).
  const counted = weights.filter((w) => w > 0).length;
  const roots = Float64Array.from(share, (s) => Math.sqrt(s * counted));

  const median = medianPairDistance(inputs.filter((_, i) => (weights[i] as number) > 0));
  const settings: [InstantKernel, number][] = [
    ['linear', 0],
    ...LENGTH_SCALE_FACTORS.map((factor): [InstantKernel, number] => ['rbf', factor * median]),
  ];
  let best: Fit | undefined;
  for (const [kernel, lengthScale] of settings) {
    for (const lambdaFactor of LAMBDA_FACTORS) {
      const fit = fitOne(kernel, lengthScale, lambdaFactor, inputs, targets, roots, outputDim);
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

/** The width of localWeights: the cosine distance of the LOCAL_NEIGHBOURS-th nearest sample. */
export const LOCAL_NEIGHBOURS = 10;

/**
 * Weights that make a fit local around `reference`: exp(-(d_i - d_min) / tau) for cosine
 * distances d_i, tau the LOCAL_NEIGHBOURS-th smallest distance (the nearest sample weighs 1,
 * samples about ten neighbours out weigh ~1/e or less).
 */
export function localWeights(
  embeddings: readonly ArrayLike<number>[],
  reference: ArrayLike<number>,
): number[] {
  const distances = embeddings.map((embedding) => 1 - cosine(embedding, reference));
  const sorted = [...distances].sort((a, b) => a - b);
  const nearest = sorted[0] ?? 0;
  const tau = Math.max(sorted[Math.min(LOCAL_NEIGHBOURS, sorted.length) - 1] ?? 0, 1e-6);
  return distances.map((d) => Math.exp(-(d - nearest) / tau));
}
