/**
 * A 2-D map of voices: principal components fitted on the stock voices.
 *
 * Each pack is summarised by its mean over the 510 rows (a 256-d "average style"): rows of
 * one pack vary far less than voices differ (row-to-row std 0.038 vs 0.14 across voices), so
 * the mean keeps what tells voices apart, and fitting on 256-d vectors takes milliseconds.
 * fitPca works for any dimension though (it never forms the covariance matrix), so flattened
 * packs can be mapped too if ever needed.
 *
 * Components come from power iteration with deflation (re-orthogonalising against the
 * components found so far); the start vector is the sample farthest from the mean, so the
 * result is deterministic. Each component is oriented so its largest-magnitude entry is positive.
 */
import { PACK_LENGTH, PACK_ROWS, STYLE_DIM, assertPackLength } from './pack';

export interface PcaModel {
  /** Mean of the fitted vectors. */
  mean: Float64Array;
  /** Unit-length principal axes, strongest first. */
  components: Float64Array[];
  /** Variance of the fitted vectors along each component (sample variance, n - 1). */
  variances: number[];
  /** Total variance of the fitted vectors (sum over dimensions), for explained-variance ratios. */
  totalVariance: number;
}

const MAX_ITERATIONS = 2000;
/** Stop when the axis moves less than this (L2) between iterations. */
const CONVERGENCE = 1e-10;
/** Relative size below which what is left of the data counts as zero. */
const RANK_TOLERANCE = 1e-9;

/** The mean over the 510 rows of a pack: a 256-d summary used for the map. */
export function meanStyle(pack: ArrayLike<number>): Float32Array {
  assertPackLength(pack, 'meanStyle');
  const sum = new Float64Array(STYLE_DIM);
  for (let start = 0; start < pack.length; start += sum.length) {
    for (let i = 0; i < sum.length; i++) sum[i] = (sum[i] as number) + (pack[start + i] as number);
  }
  return Float32Array.from(sum, (value) => value / PACK_ROWS);
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] as number) * (b[i] as number);
  return sum;
}

function normalise(v: Float64Array): number {
  const norm = Math.sqrt(dot(v, v));
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) / norm;
  return norm;
}

function orthogonalise(v: Float64Array, basis: readonly Float64Array[]): void {
  for (const axis of basis) {
    const along = dot(v, axis);
    for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) - along * (axis[i] as number);
  }
}

/** Covariance times v without forming the covariance: Xᵀ(Xv) / (n - 1) over centred rows X. */
function covarianceTimes(centred: readonly Float64Array[], v: Float64Array): Float64Array {
  const out = new Float64Array(v.length);
  for (const row of centred) {
    const weight = dot(row, v);
    for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) + weight * (row[i] as number);
  }
  const scale = 1 / (centred.length - 1);
  for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) * scale;
  return out;
}

function orient(axis: Float64Array): void {
  let largest = 0;
  for (let i = 0; i < axis.length; i++)
    if (Math.abs(axis[i] as number) > Math.abs(axis[largest] as number)) largest = i;
  if ((axis[largest] as number) < 0) for (let i = 0; i < axis.length; i++) axis[i] = -(axis[i] as number);
}

/** Fits the top `k` principal components of `vectors` (all the same length, at least k + 1 of them). */
export function fitPca(vectors: readonly ArrayLike<number>[], k = 2): PcaModel {
  const n = vectors.length;
  if (n < k + 1) throw new Error(`fitPca: need at least ${k + 1} vectors for ${k} components, got ${n}`);
  const dim = (vectors[0] as ArrayLike<number>).length;
  if (k > dim) throw new Error(`fitPca: ${k} components exceed dimension ${dim}`);
  const mean = new Float64Array(dim);
  for (const vector of vectors) {
    if (vector.length !== dim)
      throw new Error(`fitPca: vectors differ in length (${vector.length} vs ${dim})`);
    for (let i = 0; i < dim; i++) mean[i] = (mean[i] as number) + (vector[i] as number) / n;
  }
  const centred = vectors.map((vector) =>
    Float64Array.from({ length: dim }, (_, i) => (vector[i] as number) - (mean[i] as number)),
  );
  const totalVariance = centred.reduce((total, row) => total + dot(row, row), 0) / (n - 1);
  // Residuals this small (relative to the data) are rounding noise, not another dimension.
  const negligible = RANK_TOLERANCE * Math.sqrt(Math.max(...centred.map((row) => dot(row, row))));

  const components: Float64Array[] = [];
  const variances: number[] = [];
  for (let c = 0; c < k; c++) {
    // Start from the sample with most variance left after removing the axes found so far.
    let axis: Float64Array = new Float64Array(dim);
    let bestNorm = -1;
    for (const row of centred) {
      const candidate = Float64Array.from(row);
      orthogonalise(candidate, components);
      const norm = Math.sqrt(dot(candidate, candidate));
      if (norm > bestNorm) [axis, bestNorm] = [candidate, norm];
    }
    if (normalise(axis) <= negligible) throw new Error(`fitPca: the vectors span fewer than ${k} dimensions`);
    for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
      const next = covarianceTimes(centred, axis);
      orthogonalise(next, components);
      if (normalise(next) === 0) break;
      let moved = 0;
      for (let i = 0; i < dim; i++) moved += ((next[i] as number) - (axis[i] as number)) ** 2;
      axis = next;
      if (Math.sqrt(moved) < CONVERGENCE) break;
    }
    orient(axis);
    components.push(axis);
    variances.push(dot(axis, covarianceTimes(centred, axis)));
  }
  return { mean, components, variances, totalVariance };
}

/**
 * Coordinates of `vector` on the model's components. A whole pack is accepted when the model
 * was fitted on 256-d summaries: it is reduced with meanStyle first.
 */
export function project(pca: PcaModel, vector: ArrayLike<number>): number[] {
  let values: ArrayLike<number> = vector;
  if (vector.length === PACK_LENGTH && pca.mean.length === STYLE_DIM) values = meanStyle(vector);
  if (values.length !== pca.mean.length) {
    throw new Error(`project: vector has ${values.length} values, the model ${pca.mean.length}`);
  }
  return pca.components.map((axis) => {
    let sum = 0;
    for (let i = 0; i < axis.length; i++)
      sum += ((values[i] as number) - (pca.mean[i] as number)) * (axis[i] as number);
    return sum;
  });
}

/** The stock voices' map: the model fitted on them and each voice's coordinates on it. */
export interface VoiceMapModel {
  pca: PcaModel;
  points: { id: string; x: number; y: number }[];
}

/** Fits the 2-D map on `voices` (each pack summarised by meanStyle) and places each of them on it. */
export function mapVoices(voices: readonly { id: string; pack: ArrayLike<number> }[]): VoiceMapModel {
  const styles = voices.map((voice) => meanStyle(voice.pack));
  const pca = fitPca(styles, 2);
  const points = voices.map((voice, i) => {
    const [x, y] = project(pca, styles[i] as Float32Array) as [number, number];
    return { id: voice.id, x, y };
  });
  return { pca, points };
}
