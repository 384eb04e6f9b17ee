/**
 * Comparing voices: cosine similarity of speaker embeddings, averaging the clips of one
 * speaker, the similarity matrix over many voices, and a speaker-verification summary
 * (do the clips of one speaker score higher with each other than with anyone else?).
 */

export function l2Norm(v: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i]! * v[i]!;
  return Math.sqrt(sum);
}

/** Cosine similarity in [-1, 1]; 0 when either vector is all zeros. */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length)
    throw new RangeError(`cosineSimilarity: lengths differ (${a.length} vs ${b.length})`);
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i]! * b[i]!;
  const norms = l2Norm(a) * l2Norm(b);
  return norms === 0 ? 0 : Math.max(-1, Math.min(1, dot / norms));
}

/**
 * The embedding of a speaker from several clips: each clip's embedding is scaled to unit
 * length (so a loud or long clip's vector magnitude does not dominate), weighted (by its
 * seconds of speech), summed and scaled to unit length again.
 */
export function averageEmbeddings(
  embeddings: readonly Float32Array[],
  weights?: readonly number[],
): Float32Array {
  const first = embeddings[0];
  if (!first) throw new RangeError('averageEmbeddings: no embeddings');
  if (weights && weights.length !== embeddings.length)
    throw new RangeError('averageEmbeddings: one weight per embedding');
  const sum = new Float64Array(first.length);
  embeddings.forEach((e, index) => {
    if (e.length !== first.length) throw new RangeError('averageEmbeddings: lengths differ');
    const norm = l2Norm(e);
    if (norm === 0) return;
    const w = Math.max(0, weights?.[index] ?? 1) / norm;
    for (let i = 0; i < e.length; i++) sum[i]! += e[i]! * w;
  });
  const norm = l2Norm(sum);
  return Float32Array.from(sum, (x) => (norm === 0 ? 0 : x / norm));
}

/** Symmetric matrix of `similarity(items[i], items[j])`, row-major, 1 on the diagonal when self-similar. */
export function similarityMatrix<T>(items: readonly T[], similarity: (a: T, b: T) => number): Float32Array {
  const n = items.length;
  const out = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const value = similarity(items[i]!, items[j]!);
      out[i * n + j] = value;
      out[j * n + i] = value;
    }
  }
  return out;
}

export interface VerificationSummary {
  /** Mean similarity of pairs from the same speaker (off-diagonal); undefined when there are none. */
  sameMean?: number;
  /** Mean similarity of pairs from different speakers; undefined when there are none. */
  differentMean?: number;
  /** Lowest same-speaker pair minus highest different-speaker pair: > 0 means perfectly separated. */
  margin?: number;
  /** Items whose best match (other than itself) belongs to its own speaker, out of those that have a same-speaker partner. */
  correctBestMatches: number;
  checkedItems: number;
}

/**
 * How well a matrix separates speakers. `groups[i]` is the speaker of item i (e.g. a target
 * id or a stock voice id); items of the same group should score higher with each other.
 */
export function verificationSummary(matrix: Float32Array, groups: readonly string[]): VerificationSummary {
  const n = groups.length;
  if (matrix.length !== n * n) throw new RangeError('verificationSummary: matrix size does not match groups');
  const same: number[] = [];
  const different: number[] = [];
  let correct = 0;
  let checked = 0;
  for (let i = 0; i < n; i++) {
    let best = -Infinity;
    let bestSame = false;
    let hasPartner = false;
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const value = matrix[i * n + j]!;
      const isSame = groups[i] === groups[j];
      hasPartner ||= isSame;
      if (j > i) (isSame ? same : different).push(value);
      if (value > best) {
        best = value;
        bestSame = isSame;
      }
    }
    if (hasPartner) {
      checked++;
      if (bestSame) correct++;
    }
  }
  const mean = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : undefined);
  return {
    sameMean: mean(same),
    differentMean: mean(different),
    margin: same.length && different.length ? Math.min(...same) - Math.max(...different) : undefined,
    correctBestMatches: correct,
    checkedItems: checked,
  };
}

/**
 * Sample ranges for embedding a long clip in windows (the encoder's cost grows with length
 * and a 5-minute clip does not need one 30 000-frame pass). Windows are `windowS` long; a
 * short remainder joins the last window rather than being embedded alone.
 */
export function embeddingWindows(
  sampleCount: number,
  sampleRateHz: number,
  windowS = 30,
  minTailS = 10,
): [number, number][] {
  const window = Math.round(windowS * sampleRateHz);
  const minTail = Math.round(minTailS * sampleRateHz);
  if (sampleCount <= window + minTail) return [[0, sampleCount]];
  const out: [number, number][] = [];
  let start = 0;
  while (sampleCount - start > window + minTail) {
    out.push([start, start + window]);
    start += window;
  }
  out.push([start, sampleCount]);
  return out;
}
