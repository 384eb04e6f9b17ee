import { describe, expect, it } from 'vitest';
import { fitInstantMap, predictCoordinates, type InstantMapSample } from './instant';
import { unit } from './linalg';
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
});
