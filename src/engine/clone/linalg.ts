/**
 * Small dense linear algebra for the clone search: vectors, a symmetric eigensolver
 * (cyclic Jacobi: exact to rounding, deterministic, fine up to a few hundred dimensions)
 * and Cholesky solves. Matrices are row-major Float64Array of n*n values.
 */

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] as number) * (b[i] as number);
  return sum;
}

export function norm(a: ArrayLike<number>): number {
  return Math.sqrt(dot(a, a));
}

/** Cosine similarity in [-1, 1]; 0 when either vector is all zeros. */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`cosine: lengths differ (${a.length} vs ${b.length})`);
  const denominator = norm(a) * norm(b);
  return denominator > 0 ? dot(a, b) / denominator : 0;
}

/** `a` scaled to unit length (a copy; zeros stay zeros). */
export function unit(a: ArrayLike<number>): Float32Array {
  const length = norm(a);
  return Float32Array.from({ length: a.length }, (_, i) => (length > 0 ? (a[i] as number) / length : 0));
}

/** Mean of unit-length copies of `vectors`, scaled to unit length again (the centroid direction). */
export function centroidDirection(vectors: readonly ArrayLike<number>[]): Float32Array {
  if (vectors.length === 0) throw new Error('centroidDirection: no vectors');
  const dim = (vectors[0] as ArrayLike<number>).length;
  const sum = new Float64Array(dim);
  for (const vector of vectors) {
    const u = unit(vector);
    for (let i = 0; i < dim; i++) sum[i] = (sum[i] as number) + (u[i] as number);
  }
  return unit(sum);
}

export interface SymmetricEigen {
  /** Eigenvalues, largest first. */
  values: Float64Array;
  /** Eigenvectors as rows (vectors[k] belongs to values[k]), unit length, sign fixed. */
  vectors: Float64Array[];
}

const JACOBI_MAX_SWEEPS = 100;

/**
 * Eigen-decomposition of a symmetric n x n matrix (row-major) by cyclic Jacobi rotations.
 * Each eigenvector is oriented so its largest-magnitude entry is positive (deterministic output).
 */
export function symmetricEigen(matrix: ArrayLike<number>, n: number): SymmetricEigen {
  const a = Float64Array.from({ length: n * n }, (_, i) => matrix[i] as number);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  let scale = 0;
  for (let i = 0; i < n * n; i++) scale += (a[i] as number) ** 2;
  const tolerance = 1e-30 * Math.max(scale, 1e-300);
  for (let sweep = 0; sweep < JACOBI_MAX_SWEEPS; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += (a[p * n + q] as number) ** 2;
    if (off <= tolerance) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q] as number;
        if (Math.abs(apq) < 1e-300) continue;
        const app = a[p * n + p] as number;
        const aqq = a[q * n + q] as number;
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p] as number;
          const akq = a[k * n + q] as number;
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k] as number;
          const aqk = a[q * n + k] as number;
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p] as number;
          const vkq = v[k * n + q] as number;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (i, j) => (a[j * n + j] as number) - (a[i * n + i] as number),
  );
  const values = Float64Array.from(order, (i) => a[i * n + i] as number);
  const vectors = order.map((col) => {
    const vector = Float64Array.from({ length: n }, (_, k) => v[k * n + col] as number);
    let largest = 0;
    for (let k = 1; k < n; k++)
      if (Math.abs(vector[k] as number) > Math.abs(vector[largest] as number)) largest = k;
    if ((vector[largest] as number) < 0) for (let k = 0; k < n; k++) vector[k] = -(vector[k] as number);
    return vector;
  });
  return { values, vectors };
}

/** Lower-triangular Cholesky factor L (row-major) of a symmetric positive definite matrix, or undefined. */
export function cholesky(matrix: ArrayLike<number>, n: number): Float64Array | undefined {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = matrix[i * n + j] as number;
      for (let k = 0; k < j; k++) sum -= (l[i * n + k] as number) * (l[j * n + k] as number);
      if (i === j) {
        if (!(sum > 0)) return undefined;
        l[i * n + i] = Math.sqrt(sum);
      } else {
        l[i * n + j] = sum / (l[j * n + j] as number);
      }
    }
  }
  return l;
}

/** Solves L Lᵀ x = b for a Cholesky factor L (row-major). */
export function choleskySolve(l: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = b[i] as number;
    for (let k = 0; k < i; k++) sum -= (l[i * n + k] as number) * (y[k] as number);
    y[i] = sum / (l[i * n + i] as number);
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let sum = y[i] as number;
    for (let k = i + 1; k < n; k++) sum -= (l[k * n + i] as number) * (x[k] as number);
    x[i] = sum / (l[i * n + i] as number);
  }
  return x;
}

/** The diagonal of (L Lᵀ)⁻¹, from the Cholesky factor (for leave-one-out residuals). */
export function inverseDiagonal(l: Float64Array, n: number): Float64Array {
  const diagonal = new Float64Array(n);
  const e = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    e.fill(0);
    e[i] = 1;
    diagonal[i] = choleskySolve(l, n, e)[i] as number;
  }
  return diagonal;
}
