import { describe, expect, it } from 'vitest';
import { randomNamedPacks, styleRowEmbedding } from '../../test-support/clone-fixtures';
import { basisDimension, fitPackBasis, packFromCoordinates } from './basis';
import {
  collectInstantSamples,
  estimateInstant,
  fitInstantMap,
  localWeights,
  packCacheId,
  predictCoordinates,
  type InstantMapSample,
  type InstantTrainingOptions,
} from './instant';
import { cosine, unit } from './linalg';
import { SeededRandom } from './random';

const EMBEDDING_DIM = 16;
const OUTPUT_DIM = 3;

/** Unit embeddings whose direction encodes the coordinates (plus noise), like renderings of voices. */
function samplesFrom(
  encode: (c: number[]) => number[],
  count: number,
  seed: number,
  noise = 0,
): InstantMapSample[] {
  const rng = new SeededRandom(seed);
  return Array.from({ length: count }, () => {
    const coordinates = Array.from({ length: OUTPUT_DIM }, () => rng.gaussian());
    const embedding = unit(encode(coordinates).map((v) => v + noise * rng.gaussian()));
    return { embedding, coordinates };
  });
}

const mixing = (() => {
  const rng = new SeededRandom(99);
  return Array.from({ length: EMBEDDING_DIM }, () =>
    Array.from({ length: OUTPUT_DIM }, () => rng.gaussian()),
  );
})();
const linearEncode = (c: number[]) =>
  mixing.map((row, d) => 3 + 0.3 * row.reduce((s, w, k) => s + w * c[k]!, 0) + 0.01 * d);
const curvedEncode = (c: number[]) =>
  linearEncode(c).map((v, d) => v + 0.3 * Math.tanh(2 * c[d % OUTPUT_DIM]!) ** 2);

const CASES = [
  { name: 'a linear relation', encode: linearEncode, noise: 0, maxError: 0.05 },
  { name: 'a linear relation with noisy embeddings', encode: linearEncode, noise: 0.01, maxError: 0.35 },
  { name: 'a curved relation', encode: curvedEncode, noise: 0, maxError: 0.35 },
];

function rmsError(map: ReturnType<typeof fitInstantMap>, test: InstantMapSample[]): number {
  let squared = 0;
  for (const sample of test) {
    const predicted = predictCoordinates(map, sample.embedding);
    for (let o = 0; o < OUTPUT_DIM; o++) squared += (predicted[o]! - (sample.coordinates[o] as number)) ** 2;
  }
  return Math.sqrt(squared / (test.length * OUTPUT_DIM));
}

describe('instant map (kernel ridge, leave-one-out selection)', () => {
  it.each(CASES)('recovers coordinates from embeddings for $name', ({ encode, noise, maxError }) => {
    const map = fitInstantMap(samplesFrom(encode, 150, 1, noise));
    const error = rmsError(map, samplesFrom(encode, 40, 2, noise));
    expect(error).toBeLessThan(maxError);
    expect(error).toBeLessThan(0.5 * 1); // far better than predicting the mean (error ~ 1)
  });

  it('ignores the embedding scale (inputs are unit-normalised)', () => {
    const map = fitInstantMap(samplesFrom(linearEncode, 60, 3));
    const embedding = unit(linearEncode([0.5, -0.2, 1]));
    expect(
      predictCoordinates(
        map,
        embedding.map((v) => 7 * v),
      ),
    ).toEqual(predictCoordinates(map, embedding));
  });

  it('predicts the same after a JSON round-trip', () => {
    const map = fitInstantMap(samplesFrom(curvedEncode, 60, 4));
    const copy = JSON.parse(JSON.stringify(map)) as typeof map;
    const embedding = unit(curvedEncode([1, 0, -1]));
    expect(predictCoordinates(copy, embedding)).toEqual(predictCoordinates(map, embedding));
  });

  it('needs a few samples', () => {
    expect(() => fitInstantMap(samplesFrom(linearEncode, 2, 5))).toThrow();
  });

  it.each([
    { name: 'a linear relation', encode: linearEncode },
    { name: 'a curved relation', encode: curvedEncode },
  ])('does not count a sample of weight 0 ($name)', ({ encode }) => {
    const kept = samplesFrom(encode, 40, 6);
    const ignored = samplesFrom(encode, 10, 7).map((s) => ({
      ...s,
      coordinates: Array.from(s.coordinates, (c) => 5 - c),
    }));
    const weighted = fitInstantMap([...kept, ...ignored], {
      weights: [...kept.map(() => 1), ...ignored.map(() => 0)],
    });
    const plain = fitInstantMap(kept);
    for (const probe of samplesFrom(encode, 5, 8)) {
      const a = predictCoordinates(weighted, probe.embedding);
      const b = predictCoordinates(plain, probe.embedding);
      for (let o = 0; o < OUTPUT_DIM; o++) expect(a[o]).toBeCloseTo(b[o]!, 8);
    }
  });

  it('rejects weights that do not fit the samples', () => {
    const samples = samplesFrom(linearEncode, 5, 9);
    expect(() => fitInstantMap(samples, { weights: [1, 1, 1] })).toThrow(RangeError);
    expect(() => fitInstantMap(samples, { weights: [1, 1, 1, 1, -1] })).toThrow(RangeError);
    expect(() => fitInstantMap(samples, { weights: [0, 0, 0, 0, 0] })).toThrow(RangeError);
  });
});

describe('localWeights and packCacheId', () => {
  it('weighs the sample nearest the reference 1 and farther ones less, whatever their scale', () => {
    const reference = [1, 0, 0];
    const angles = [0.3, 0.1, 0.5, 0.2, 0.9];
    const embeddings = angles.map((a, i) => [Math.cos(a) * (i + 1), Math.sin(a) * (i + 1), 0]);
    const weights = localWeights(embeddings, reference);
    expect(weights[1]).toBe(1);
    const byAngle = angles.map((a, i) => ({ a, w: weights[i]! })).sort((x, y) => x.a - y.a);
    for (let i = 1; i < byAngle.length; i++) expect(byAngle[i]!.w).toBeLessThan(byAngle[i - 1]!.w);
    expect(Math.min(...weights)).toBeGreaterThan(0);
  });

  it('names a pack by its exact contents', () => {
    const [pack] = randomNamedPacks(1, 3).map((v) => v.pack);
    const copy = new Float32Array(pack!);
    expect(packCacheId(copy)).toBe(packCacheId(pack!));
    copy[70_000] = copy[70_000]! + 1e-6;
    expect(packCacheId(copy)).not.toBe(packCacheId(pack!));
    const view = new Float32Array(pack!.length + 4);
    view.set(pack!, 4);
    expect(packCacheId(view.subarray(4))).toBe(packCacheId(pack!));
  });
});

/**
 * A small library whose basis spans it exactly, a smooth fake "rendering" (12 values of the
 * probe's style row, squashed) and a hidden voice blended from three of the stock voices.
 */
const STOCK = randomNamedPacks(12, 11);
const BASIS = fitPackBasis(
  STOCK.map((v) => v.pack),
  { packAxes: 11, offsetAxes: 3 },
);
const PROBE = { id: 'target', tokenIds: Array.from({ length: 12 }, (_, i) => 50 + i) };
const embed = (pack: Float32Array) => styleRowEmbedding('self')(pack, PROBE);
const HIDDEN = STOCK[2]!.pack.map((v, i) => 0.5 * v + 0.3 * STOCK[7]!.pack[i]! + 0.2 * STOCK[9]!.pack[i]!);
const REFERENCE = embed(HIDDEN);

function training(blendCount: number, seed = 4) {
  const ids: string[] = [];
  const options: InstantTrainingOptions = {
    basis: BASIS,
    stock: STOCK,
    blendCount,
    jitter: 0.2,
    seed,
    measure: (pack, cacheId) => {
      ids.push(cacheId);
      return Promise.resolve({ embedding: embed(pack), renders: 1 });
    },
  };
  return { options, ids };
}

const similarity = (sample: InstantMapSample) => cosine(sample.embedding, REFERENCE);
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

describe('instant training and estimate', () => {
  it('without a reference: seeded blends named by content (the same set every time), no stock voices', async () => {
    const first = training(8);
    const again = training(8);
    const other = training(8, 5);
    const { samples, renders } = await collectInstantSamples(first.options);
    await collectInstantSamples(again.options);
    await collectInstantSamples(other.options);
    expect(samples).toHaveLength(8);
    expect(renders).toBe(8);
    expect(first.ids).toEqual(again.ids);
    expect(first.ids.every((id) => id.startsWith('instant-'))).toBe(true);
    expect(new Set(first.ids).size).toBe(8);
    expect(other.ids.some((id) => first.ids.includes(id))).toBe(false);
    for (const [i, sample] of samples.entries())
      expect(packCacheId(packFromCoordinates(BASIS, sample.coordinates))).toBe(first.ids[i]);
  });

  it('with a reference: measures the stock voices by id, then renders nearer the reference', async () => {
    const local = training(24);
    const { samples } = await collectInstantSamples({ ...local.options, reference: REFERENCE });
    const { samples: global } = await collectInstantSamples(training(24).options);
    expect(local.ids.slice(0, STOCK.length)).toEqual(STOCK.map((v) => v.id));
    expect(samples).toHaveLength(24);
    expect(samples[0]!.coordinates).toHaveLength(basisDimension(BASIS));
    // The first round blends the voices nearest the reference: nearer than blends of any voices.
    expect(mean(samples.slice(0, 16).map(similarity))).toBeGreaterThan(mean(global.map(similarity)));
    // The rendered predictions (the last third) come nearer than the first round's blends.
    expect(Math.max(...samples.slice(16).map(similarity))).toBeGreaterThan(
      Math.max(...samples.slice(0, 16).map(similarity)),
    );
  });

  it("with the ranking's similarities: no stock voice measured again, the same training", async () => {
    const measured = training(24);
    const known = training(24);
    const stockSimilarities = STOCK.map((v) => cosine(embed(v.pack), REFERENCE));
    const a = await collectInstantSamples({ ...measured.options, reference: REFERENCE });
    const b = await collectInstantSamples({ ...known.options, reference: REFERENCE, stockSimilarities });
    expect(known.ids.some((id) => STOCK.some((v) => v.id === id))).toBe(false);
    expect(known.ids).toEqual(measured.ids.slice(STOCK.length));
    expect(b.samples.map((sample) => sample.coordinates)).toEqual(
      a.samples.map((sample) => sample.coordinates),
    );
    await expect(
      collectInstantSamples({ ...known.options, reference: REFERENCE, stockSimilarities: [0.5] }),
    ).rejects.toThrow(RangeError);
  });

  it('estimateInstant: the best rendered candidate, more like the reference than every stock voice', async () => {
    const { options } = training(24);
    const estimate = await estimateInstant({ ...options, reference: REFERENCE });
    const stockBest = Math.max(...STOCK.map((v) => cosine(embed(v.pack), REFERENCE)));
    expect(estimate.renders).toBe(24);
    expect(estimate.similarity).toBeCloseTo(
      cosine(embed(packFromCoordinates(BASIS, estimate.coordinates)), REFERENCE),
      6,
    );
    expect(estimate.similarity!).toBeGreaterThan(stockBest);
    expect(estimate.map.inputDim).toBe(REFERENCE.length);
  });

  it('estimateInstant with a map fitted before: its prediction, nothing rendered', async () => {
    const first = await estimateInstant({ ...training(12).options, reference: REFERENCE });
    const { options, ids } = training(12);
    const again = await estimateInstant({ ...options, reference: REFERENCE, map: first.map });
    expect(ids).toEqual([]);
    expect(again.renders).toBe(0);
    expect(again.similarity).toBeUndefined();
    expect(again.coordinates).toEqual(predictCoordinates(first.map, REFERENCE));
  });

  it('needs at least 3 renderings and a library', async () => {
    await expect(collectInstantSamples(training(2).options)).rejects.toThrow(RangeError);
    await expect(collectInstantSamples({ ...training(8).options, stock: [] })).rejects.toThrow(RangeError);
  });
});
