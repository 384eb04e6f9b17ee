/**
 * The low-dimensional space Timbre's search moves in, fitted on the stock packs:
 *
 *   pack(z, y) = mean + sum_k z_k s_k u_k  +  broadcast(sum_j y_j t_j v_j)
 *
 * - u_k: principal axes of the whole flattened packs (130,560 values), so the row structure
 *   of real voices (how a style drifts with utterance length) comes along; s_k the stock
 *   voices' standard deviation along u_k.
 * - v_j: principal axes of the packs' mean styles (256 values), added to ALL 510 rows at
 *   once: a shared offset, the cheap way to leave the span of the library (a fine-tuned
 *   Kokoro broadcasts one style to every row too); t_j the stock std along v_j.
 * Coordinates are in units of the stock spread, so a step of 1 is "one typical voice-to-voice
 * difference" along any axis: an isotropic search distribution makes sense from the start.
 *
 * PCA through the Gram matrix (n x n for n packs): exact, deterministic, and cheap for 54
 * packs of 130,560 values, where power iteration over the flattened packs would be slow.
 */
import { PACK_LENGTH, PACK_ROWS, STYLE_DIM } from '../voices/pack';
import { meanStyle } from '../voices/pca';
import { cholesky, choleskySolve, dot, symmetricEigen } from './linalg';

/** Dot product specialised for Float32Array (the hot loop of the Gram matrix). */
function dotFloat32(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] as number) * (b[i] as number);
  return sum;
}

export interface PrincipalAxes {
  mean: Float32Array;
  /** Unit-length axes, strongest first. */
  axes: Float32Array[];
  /** Sample standard deviation (n - 1) of the fitted vectors along each axis. */
  stds: number[];
  /** Fraction of the total variance each axis explains. */
  explained: number[];
}

/** Top-k principal axes of equally long vectors, via the n x n Gram matrix. */
export function principalAxes(vectors: readonly Float32Array[], k: number): PrincipalAxes {
  const n = vectors.length;
  if (n < 2) throw new Error('principalAxes: need at least 2 vectors');
  const dim = (vectors[0] as Float32Array).length;
  const mean = new Float32Array(dim);
  {
    const sum = new Float64Array(dim);
    for (const vector of vectors) {
      if (vector.length !== dim) throw new Error('principalAxes: vectors differ in length');
      for (let i = 0; i < dim; i++) sum[i] = (sum[i] as number) + (vector[i] as number);
    }
    for (let i = 0; i < dim; i++) mean[i] = (sum[i] as number) / n;
  }
  const centred = vectors.map((vector) => {
    const row = new Float32Array(dim);
    for (let i = 0; i < dim; i++) row[i] = (vector[i] as number) - (mean[i] as number);
    return row;
  });
  const gram = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const value = dotFloat32(centred[i] as Float32Array, centred[j] as Float32Array);
      gram[i * n + j] = value;
      gram[j * n + i] = value;
    }
  }
  const eigen = symmetricEigen(gram, n);
  const total = eigen.values.reduce((sum, value) => sum + Math.max(value, 0), 0);
  const count = Math.min(k, n - 1);
  const axes: Float32Array[] = [];
  const stds: number[] = [];
  const explained: number[] = [];
  for (let c = 0; c < count; c++) {
    const eigenvalue = eigen.values[c] as number;
    if (!(eigenvalue > 1e-12 * total)) break;
    const weights = eigen.vectors[c] as Float64Array;
    const axis = new Float64Array(dim);
    for (let i = 0; i < n; i++) {
      const w = weights[i] as number;
      const row = centred[i] as Float32Array;
      for (let d = 0; d < dim; d++) axis[d] = (axis[d] as number) + w * (row[d] as number);
    }
    const length = Math.sqrt(dot(axis, axis));
    axes.push(Float32Array.from(axis, (value) => value / length));
    stds.push(Math.sqrt(eigenvalue / (n - 1)));
    explained.push(eigenvalue / total);
  }
  return { mean, axes, stds, explained };
}

export interface PackBasis {
  pack: PrincipalAxes;
  offset: PrincipalAxes;
}

export interface PackBasisOptions {
  /** Axes over whole packs (z). */
  packAxes: number;
  /** Principal axes of the shared row offset (y). */
  offsetAxes: number;
}

/**
 * Few pack axes (row structure), many offset axes: on the fixture, 16 + 16 stalled below what
 * the walk reaches, 8 + 48 (almost the whole 53-d span of the stock mean styles) did not.
 */
export const DEFAULT_BASIS_OPTIONS: PackBasisOptions = { packAxes: 8, offsetAxes: 48 };

export function fitPackBasis(
  packs: readonly Float32Array[],
  options: PackBasisOptions = DEFAULT_BASIS_OPTIONS,
): PackBasis {
  for (const pack of packs)
    if (pack.length !== PACK_LENGTH) throw new Error('fitPackBasis: not a voice pack');
  return {
    pack: principalAxes(packs, options.packAxes),
    offset: principalAxes(
      packs.map((pack) => meanStyle(pack)),
      options.offsetAxes,
    ),
  };
}

/**
 * The basis with its offset completed to the whole 256-d style space: after the principal
 * axes come unit axes orthogonal to them (Gram-Schmidt over e_0, e_1, ...), each scaled to
 * the typical spread of one style value across `packs`. Coordinates of the original basis
 * stay valid (the first ones, unchanged); the new ones reach voices the library's span cannot
 * express, and searches open them last.
 */
export function withComplementAxes(basis: PackBasis, packs: readonly Float32Array[]): PackBasis {
  const styles = packs.map((pack) => meanStyle(pack));
  let squares = 0;
  for (let i = 0; i < STYLE_DIM; i++) {
    let sum = 0;
    for (const style of styles) sum += style[i] as number;
    const mean = sum / styles.length;
    for (const style of styles) squares += ((style[i] as number) - mean) ** 2 / (styles.length - 1);
  }
  const spread = Math.sqrt(squares / STYLE_DIM); // RMS of the per-value std
  const offset: PrincipalAxes = {
    mean: basis.offset.mean,
    axes: [...basis.offset.axes],
    stds: [...basis.offset.stds],
    explained: [...basis.offset.explained],
  };
  const axes = offset.axes.map((axis) => Float64Array.from(axis));
  for (let index = 0; index < STYLE_DIM && axes.length < STYLE_DIM; index++) {
    const v = new Float64Array(STYLE_DIM);
    v[index] = 1;
    for (const axis of axes) {
      const along = dot(v, axis);
      for (let i = 0; i < STYLE_DIM; i++) v[i] = (v[i] as number) - along * (axis[i] as number);
    }
    const length = Math.sqrt(dot(v, v));
    if (length < 0.1) continue; // (almost) in the span already
    const axis = v.map((x) => x / length);
    axes.push(axis);
    offset.axes.push(Float32Array.from(axis));
    offset.stds.push(spread);
    offset.explained.push(0);
  }
  return { pack: basis.pack, offset };
}

/** Number of coordinates: pack axes then offset axes. */
export function basisDimension(basis: PackBasis): number {
  return basis.pack.axes.length + basis.offset.axes.length;
}

/** The pack at coordinates [z..., y...] (units of stock std). */
export function packFromCoordinates(basis: PackBasis, coordinates: ArrayLike<number>): Float32Array {
  const packCount = basis.pack.axes.length;
  if (coordinates.length !== basisDimension(basis)) {
    throw new RangeError(
      `packFromCoordinates: expected ${basisDimension(basis)} coordinates, got ${coordinates.length}`,
    );
  }
  const out = new Float32Array(basis.pack.mean);
  basis.pack.axes.forEach((axis, k) => {
    const amount = (coordinates[k] as number) * (basis.pack.stds[k] as number);
    if (amount !== 0)
      for (let i = 0; i < PACK_LENGTH; i++) out[i] = (out[i] as number) + amount * (axis[i] as number);
  });
  const offset = new Float64Array(STYLE_DIM);
  basis.offset.axes.forEach((axis, j) => {
    const amount = (coordinates[packCount + j] as number) * (basis.offset.stds[j] as number);
    for (let i = 0; i < STYLE_DIM; i++) offset[i] = (offset[i] as number) + amount * (axis[i] as number);
  });
  for (let row = 0; row < PACK_ROWS; row++) {
    const start = row * STYLE_DIM;
    for (let i = 0; i < STYLE_DIM; i++) out[start + i] = (out[start + i] as number) + (offset[i] as number);
  }
  return out;
}

/**
 * Coordinates that best describe `pack`: the least-squares fit of pack - mean by the scaled
 * pack axes and the broadcast offset axes together (they overlap: a pack axis has a mean
 * style too), so packFromCoordinates(coordinatesOfPack(p)) is the closest pack the basis
 * can express and coordinates round-trip exactly.
 */
export function coordinatesOfPack(basis: PackBasis, pack: Float32Array): Float64Array {
  const packCount = basis.pack.axes.length;
  const dim = basisDimension(basis);
  const centred = new Float32Array(pack.length);
  for (let i = 0; i < pack.length; i++) centred[i] = (pack[i] as number) - (basis.pack.mean[i] as number);
  const centredStyle = meanStyle(centred);
  // Right-hand side: <basis vector, centred pack>; a broadcast vector's dot is PACK_ROWS x its mean-style dot.
  const rhs = new Float64Array(dim);
  basis.pack.axes.forEach((axis, k) => {
    rhs[k] = (basis.pack.stds[k] as number) * dotFloat32(centred, axis);
  });
  basis.offset.axes.forEach((axis, j) => {
    rhs[packCount + j] = (basis.offset.stds[j] as number) * PACK_ROWS * dot(centredStyle, axis);
  });
  const gram = basisGram(basis);
  const factor = cholesky(gram, dim);
  if (!factor) throw new Error('coordinatesOfPack: the basis vectors are linearly dependent');
  return choleskySolve(factor, dim, rhs);
}

const gramCache = new WeakMap<PackBasis, Float64Array>();

/** Inner products of the scaled basis vectors (pack axes: orthonormal; offsets: broadcast over rows). */
function basisGram(basis: PackBasis): Float64Array {
  const cached = gramCache.get(basis);
  if (cached) return cached;
  const packCount = basis.pack.axes.length;
  const dim = basisDimension(basis);
  const gram = new Float64Array(dim * dim);
  const axisStyles = basis.pack.axes.map((axis) => meanStyle(axis));
  for (let a = 0; a < dim; a++) {
    for (let b = a; b < dim; b++) {
      let value: number;
      if (b < packCount) {
        value = a === b ? (basis.pack.stds[a] as number) ** 2 : 0; // orthonormal axes
      } else if (a < packCount) {
        const j = b - packCount;
        value =
          (basis.pack.stds[a] as number) *
          (basis.offset.stds[j] as number) *
          PACK_ROWS *
          dot(axisStyles[a] as Float32Array, basis.offset.axes[j] as Float32Array);
      } else {
        const i = a - packCount;
        const j = b - packCount;
        value =
          (basis.offset.stds[i] as number) *
          (basis.offset.stds[j] as number) *
          PACK_ROWS *
          dot(basis.offset.axes[i] as Float32Array, basis.offset.axes[j] as Float32Array);
      }
      gram[a * dim + b] = value;
      gram[b * dim + a] = value;
    }
  }
  // A whisper of ridge keeps the factorisation stable when an offset axis nearly lies in the pack span.
  for (let a = 0; a < dim; a++) gram[a * dim + a] = (gram[a * dim + a] as number) * (1 + 1e-9);
  gramCache.set(basis, gram);
  return gram;
}
