/**
 * Model-free voice similarity on stored feature vectors. IndexedDB keeps only
 * VoiceFeatures.vector (the comparison-domain values), and featureSimilarity reads nothing
 * else, so a stored vector is compared by wrapping it back into that shape.
 */
import { featureSimilarity, VOICE_FEATURE_NAMES, type VoiceFeatures } from '../audio/features';

/** Similarity in (0, 1] of two stored feature vectors (VoiceFeatures.vector). */
export function featureVectorSimilarity(a: Float32Array, b: Float32Array): number {
  return featureSimilarity(asFeatures(a), asFeatures(b));
}

/** Averages the feature vectors of several clips of one speaker, weighted (e.g. by seconds of speech). */
export function averageFeatureVectors(
  vectors: readonly Float32Array[],
  weights?: readonly number[],
): Float32Array {
  const first = vectors[0];
  if (!first) throw new RangeError('averageFeatureVectors: no vectors');
  const sum = new Float64Array(first.length);
  let total = 0;
  vectors.forEach((v, index) => {
    const w = Math.max(0, weights?.[index] ?? 1);
    total += w;
    for (let i = 0; i < v.length; i++) sum[i]! += v[i]! * w;
  });
  return Float32Array.from(sum, (x) => (total === 0 ? 0 : x / total));
}

function asFeatures(vector: Float32Array): VoiceFeatures {
  if (vector.length !== VOICE_FEATURE_NAMES.length) {
    throw new RangeError(
      `Stored voice features have ${vector.length} values, expected ${VOICE_FEATURE_NAMES.length}`,
    );
  }
  // Only `vector` is read by featureSimilarity; the scalar fields are not stored.
  return { vector } as VoiceFeatures;
}
