/**
 * CMA-ES (full covariance), written from Hansen's tutorial ("The CMA Evolution Strategy: A
 * Tutorial", 2016) with its default parameters, for MAXIMISING a fitness. The whole state is
 * plain numbers (JSON round-trips it exactly); the eigen-decomposition of C is recomputed
 * from C when needed (deterministic), so it never has to be stored.
 */
import { symmetricEigen } from './linalg';
import type { SeededRandom } from './random';

export interface CmaState {
  dim: number;
  lambda: number;
  mean: number[];
  sigma: number;
  /** Covariance, dim x dim, row-major. */
  covariance: number[];
  pathC: number[];
  pathSigma: number[];
  generation: number;
}

interface CmaConstants {
  mu: number;
  weights: number[];
  muEff: number;
  cc: number;
  cs: number;
  c1: number;
  cmu: number;
  damps: number;
  chiN: number;
}

export function defaultLambda(dim: number): number {
  return 4 + Math.floor(3 * Math.log(dim));
}

function constants(dim: number, lambda: number): CmaConstants {
  const mu = Math.floor(lambda / 2);
  const raw = Array.from({ length: mu }, (_, i) => Math.log(mu + 0.5) - Math.log(i + 1));
  const total = raw.reduce((a, b) => a + b, 0);
  const weights = raw.map((w) => w / total);
  const muEff = 1 / weights.reduce((sum, w) => sum + w * w, 0);
  const cc = (4 + muEff / dim) / (dim + 4 + (2 * muEff) / dim);
  const cs = (muEff + 2) / (dim + muEff + 5);
  const c1 = 2 / ((dim + 1.3) ** 2 + muEff);
  const cmu = Math.min(1 - c1, (2 * (muEff - 2 + 1 / muEff)) / ((dim + 2) ** 2 + muEff));
  const damps = 1 + 2 * Math.max(0, Math.sqrt((muEff - 1) / (dim + 1)) - 1) + cs;
  const chiN = Math.sqrt(dim) * (1 - 1 / (4 * dim) + 1 / (21 * dim * dim));
  return { mu, weights, muEff, cc, cs, c1, cmu, damps, chiN };
}

export function initialCmaState(
  mean: ArrayLike<number>,
  sigma: number,
  lambda = defaultLambda(mean.length),
): CmaState {
  const dim = mean.length;
  if (dim < 1 || !(sigma > 0) || lambda < 2)
    throw new RangeError('initialCmaState: bad dimension, sigma or lambda');
  const covariance = new Array<number>(dim * dim).fill(0);
  for (let i = 0; i < dim; i++) covariance[i * dim + i] = 1;
  return {
    dim,
    lambda,
    mean: Array.from(mean),
    sigma,
    covariance,
    pathC: new Array<number>(dim).fill(0),
    pathSigma: new Array<number>(dim).fill(0),
    generation: 0,
  };
}

/** B * diag(D) where C = B diag(D^2) B^T; rows of `axes` are eigenvectors. */
function decompose(state: CmaState): { axes: Float64Array[]; scales: Float64Array } {
  const eigen = symmetricEigen(state.covariance, state.dim);
  return {
    axes: eigen.vectors,
    scales: Float64Array.from(eigen.values, (v) => Math.sqrt(Math.max(v, 1e-20))),
  };
}

/** Draws a generation of `lambda` points (advances `rng`). */
export function sampleGeneration(state: CmaState, rng: SeededRandom): Float64Array[] {
  const { axes, scales } = decompose(state);
  const z = new Float64Array(state.dim);
  return Array.from({ length: state.lambda }, () => {
    rng.fillGaussian(z);
    const point = Float64Array.from(state.mean);
    axes.forEach((axis, k) => {
      const amount = state.sigma * (scales[k] as number) * (z[k] as number);
      for (let i = 0; i < state.dim; i++) point[i] = (point[i] as number) + amount * (axis[i] as number);
    });
    return point;
  });
}

/** The updated state after a generation (points as sampled, fitness higher = better). */
export function updateCma(
  state: CmaState,
  points: readonly ArrayLike<number>[],
  fitness: readonly number[],
): CmaState {
  const { dim, lambda } = state;
  if (points.length !== lambda || fitness.length !== lambda)
    throw new RangeError('updateCma: need lambda points and fitness values');
  const k = constants(dim, lambda);
  const order = Array.from({ length: lambda }, (_, i) => i).sort(
    (a, b) => (fitness[b] as number) - (fitness[a] as number) || a - b,
  );
  const steps = order
    .slice(0, k.mu)
    .map((index) =>
      Float64Array.from(
        { length: dim },
        (_, i) => ((points[index] as ArrayLike<number>)[i]! - (state.mean[i] as number)) / state.sigma,
      ),
    );
  const stepMean = new Float64Array(dim);
  steps.forEach((y, r) => {
    for (let i = 0; i < dim; i++)
      stepMean[i] = (stepMean[i] as number) + (k.weights[r] as number) * (y[i] as number);
  });
  const mean = state.mean.map((m, i) => m + state.sigma * (stepMean[i] as number));

  // C^-1/2 * stepMean through the eigen-decomposition.
  const { axes, scales } = decompose(state);
  const whitened = new Float64Array(dim);
  axes.forEach((axis, a) => {
    let along = 0;
    for (let i = 0; i < dim; i++) along += (axis[i] as number) * (stepMean[i] as number);
    along /= scales[a] as number;
    for (let i = 0; i < dim; i++) whitened[i] = (whitened[i] as number) + along * (axis[i] as number);
  });
  const sigmaGain = Math.sqrt(k.cs * (2 - k.cs) * k.muEff);
  const pathSigma = state.pathSigma.map((p, i) => (1 - k.cs) * p + sigmaGain * (whitened[i] as number));
  const pathSigmaNorm = Math.sqrt(pathSigma.reduce((sum, p) => sum + p * p, 0));
  const generation = state.generation + 1;
  const hSigma =
    pathSigmaNorm / Math.sqrt(1 - (1 - k.cs) ** (2 * generation)) / k.chiN < 1.4 + 2 / (dim + 1) ? 1 : 0;
  const cGain = Math.sqrt(k.cc * (2 - k.cc) * k.muEff);
  const pathC = state.pathC.map((p, i) => (1 - k.cc) * p + hSigma * cGain * (stepMean[i] as number));

  const decay = 1 - k.c1 - k.cmu + (1 - hSigma) * k.c1 * k.cc * (2 - k.cc);
  const covariance = state.covariance.map((c, index) => {
    const i = Math.floor(index / dim);
    const j = index % dim;
    let rankMu = 0;
    steps.forEach((y, r) => {
      rankMu += (k.weights[r] as number) * (y[i] as number) * (y[j] as number);
    });
    return decay * c + k.c1 * (pathC[i] as number) * (pathC[j] as number) + k.cmu * rankMu;
  });
  const sigma = state.sigma * Math.exp((k.cs / k.damps) * (pathSigmaNorm / k.chiN - 1));
  return { dim, lambda, mean, sigma, covariance, pathC, pathSigma, generation };
}

/** sigma times the largest axis length: how far the search still reaches. */
export function searchReach(state: CmaState): number {
  let largest = 0;
  for (let i = 0; i < state.dim; i++)
    largest = Math.max(largest, state.covariance[i * state.dim + i] as number);
  return state.sigma * Math.sqrt(largest);
}
