/**
 * The instant estimate: a learned map from a speaker embedding to voice-pack coordinates
 * (basis.ts), fitted on renderings made on the spot, whose prediction for the reference is
 * the first clone (no search) and the search's start.
 *
 * Training pairs are (embedding of a rendering of pack(c), c) for coordinates c in the basis,
 * so every pair is exact. The stock voices themselves are NOT pairs: a stock pack is not in
 * the basis (8 pack axes + offset), its coordinates are a least-squares projection that can
 * sound quite different (cosine 0.38-0.998 to the original on the fixture), and fitting their
 * embeddings to those coordinates taught the map wrong answers (bench/instant.ts).
 *
 * - Without the reference: jittered random blends of 2-3 stock voices (the same set for every
 *   reference, so a cache keeps it across jobs of the same text).
 * - With the reference (`estimateInstant`): LOCAL training. Blends of the ANCHOR_COUNT stock
 *   voices most like the reference (their renderings come free with the ranking), then rounds
 *   that fit the map around the reference and render its prediction, which becomes a training
 *   pair too: each round's map knows more about the neighbourhood of the answer. The estimate
 *   is the rendered candidate most like the reference (usually a late prediction).
 *
 * The map is kernel ridge regression on unit embeddings (linear or Gaussian kernel), sample
 * weights optional; kernel width and ridge strength are chosen by exact weighted leave-one-out
 * error over a small grid (residual_i = alpha_i / [(K + lambda I)^-1]_ii), so nothing is tuned
 * by hand per model. A fit is a few Cholesky factorisations of an n x n matrix (n <= ~64).
 */
import { throwIfAborted } from '../progress';
import { coordinatesOfPack, packFromCoordinates, type PackBasis } from './basis';
import { cholesky, choleskySolve, cosine, dot, inverseDiagonal, unit } from './linalg';
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

/** A cache name for a pack from its exact contents (two 32-bit hashes of its float bits). */
export function packCacheId(pack: Float32Array): string {
  const words = new Uint32Array(pack.buffer, pack.byteOffset, pack.length);
  let a = 0x811c9dc5;
  let b = 0x2545f491;
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as number;
    a = Math.imul(a ^ word, 0x01000193) >>> 0;
    b = Math.imul(b ^ word, 0x5bd1e995) >>> 0;
    b = (b ^ (b >>> 15)) >>> 0;
  }
  return `instant-${a.toString(16).padStart(8, '0')}${b.toString(16).padStart(8, '0')}`;
}

export interface InstantTrainingOptions {
  basis: PackBasis;
  stock: readonly NamedPack[];
  /** Renderings to make: blends, and with a reference the rendered predictions too (at least 3). */
  blendCount: number;
  /** Std of the jitter added to each blend's coordinates (units of stock std). */
  jitter: number;
  seed: number;
  /**
   * Embeds a pack on the target probe; reports renders spent. Every pack comes with a cache
   * name: a stock voice's id, else packCacheId (its contents), so a cache can never hand a
   * blend's embedding to a different pack.
   */
  measure: (pack: Float32Array, cacheId: string) => Promise<{ embedding: Float32Array; renders: number }>;
  /** The reference embedding: the training is then local to it (see the file comment). */
  reference?: ArrayLike<number>;
  signal?: AbortSignal;
  /** Progress over stock.length + blendCount steps (stock voices come from the ranking's cache). */
  onSample?: (done: number, total: number) => void;
}

/** Measured on the hidden targets of bench/instant.ts (fixture models): see bench/README.md. */
export const DEFAULT_INSTANT_TRAINING = { blendCount: 48, jitter: 0.2 } as const;

/** Local training: blends of this many stock voices nearest the reference... */
export const ANCHOR_COUNT = 8;
/** ...make this share of the renderings; map predictions rendered one by one make the rest. */
const FIRST_ROUND_SHARE = 2 / 3;

/** A jittered Dirichlet blend of 2-3 of `sources` (coordinates). */
function randomBlend(rng: SeededRandom, sources: readonly Float64Array[], jitter: number): Float64Array {
  const parts = rng.sample(sources.length, 2 + rng.int(2));
  const weights = rng.dirichlet(parts.length);
  const coordinates = new Float64Array((sources[0] as Float64Array).length);
  parts.forEach((index, p) => {
    const source = sources[index] as Float64Array;
    for (let c = 0; c < coordinates.length; c++)
      coordinates[c] = (coordinates[c] as number) + (weights[p] as number) * (source[c] as number);
  });
  for (let c = 0; c < coordinates.length; c++)
    coordinates[c] = (coordinates[c] as number) + jitter * rng.gaussian();
  return coordinates;
}

/**
 * Renders the training set: seeded random blends, of the whole library without a reference,
 * of the stock voices nearest it (then rendered map predictions) with one. Only rendered
 * packs of the basis are samples (see the file comment).
 */
export async function collectInstantSamples(
  options: InstantTrainingOptions,
): Promise<{ samples: InstantMapSample[]; renders: number }> {
  const { basis, stock, blendCount, reference } = options;
  if (!(blendCount >= 3)) throw new RangeError('collectInstantSamples: need at least 3 renderings');
  if (stock.length === 0) throw new RangeError('collectInstantSamples: no stock voices');
  const rng = new SeededRandom(options.seed);
  const total = stock.length + blendCount;
  let sourceVoices = stock;
  if (reference) {
    const similarities: number[] = [];
    for (const voice of stock) {
      throwIfAborted(options.signal);
      similarities.push(cosine((await options.measure(voice.pack, voice.id)).embedding, reference));
      options.onSample?.(similarities.length, total);
    }
    const order = similarities
      .map((_, i) => i)
      .sort((a, b) => (similarities[b] as number) - (similarities[a] as number));
    sourceVoices = order.slice(0, ANCHOR_COUNT).map((i) => stock[i] as NamedPack);
  } else {
    options.onSample?.(stock.length, total); // nothing to measure: stock voices are not samples
  }
  const sources = sourceVoices.map((voice) => coordinatesOfPack(basis, voice.pack));
  const samples: InstantMapSample[] = [];
  let renders = 0;
  const add = async (coordinates: Float64Array) => {
    throwIfAborted(options.signal);
    const pack = packFromCoordinates(basis, coordinates);
    const measured = await options.measure(pack, packCacheId(pack));
    renders += measured.renders;
    samples.push({ embedding: measured.embedding, coordinates });
    options.onSample?.(stock.length + samples.length, total);
  };
  const firstRound = reference ? Math.max(3, Math.round(FIRST_ROUND_SHARE * blendCount)) : blendCount;
  for (let b = 0; b < firstRound; b++) await add(randomBlend(rng, sources, options.jitter));
  while (reference && samples.length < blendCount) {
    const weights = localWeights(
      samples.map((sample) => sample.embedding),
      reference,
    );
    await add(predictCoordinates(fitInstantMap(samples, { weights }), reference));
  }
  return { samples, renders };
}

export interface InstantResult {
  map: InstantMap;
  coordinates: Float64Array;
  /** Renderings the training needed (0 with a given map or a warm cache). */
  renders: number;
  /** Target similarity of the estimate's rendering; undefined with a given map (nothing rendered). */
  similarity: number | undefined;
}

/**
 * The instant estimate for `reference`: local training, then the rendered candidate (blend or
 * map prediction) most like the reference. With `map` (fitted before) it is that map's
 * prediction, and nothing is rendered.
 */
export async function estimateInstant(
  options: InstantTrainingOptions & { reference: ArrayLike<number>; map?: InstantMap },
): Promise<InstantResult> {
  const { reference } = options;
  if (options.map) {
    return {
      map: options.map,
      coordinates: predictCoordinates(options.map, reference),
      renders: 0,
      similarity: undefined,
    };
  }
  const { samples, renders } = await collectInstantSamples(options);
  const embeddings = samples.map((sample) => sample.embedding);
  const map = fitInstantMap(samples, { weights: localWeights(embeddings, reference) });
  const similarities = embeddings.map((embedding) => cosine(embedding, reference));
  const best = similarities.indexOf(Math.max(...similarities));
  return {
    map,
    coordinates: Float64Array.from((samples[best] as InstantMapSample).coordinates),
    renders,
    similarity: similarities[best],
  };
}
