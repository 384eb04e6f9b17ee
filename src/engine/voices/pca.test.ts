import { describe, expect, it } from 'vitest';
import { STOCK_VOICE_NAMES, readStockVoice } from '../../test-support/shared';
import { PACK_ROWS, STYLE_DIM } from './pack';
import { fitPca, mapVoices, meanStyle, project, type PcaModel } from './pca';

const STOCK = new Map(STOCK_VOICE_NAMES.map((name) => [name, readStockVoice(name)]));
const SUMMARIES = new Map([...STOCK].map(([name, pack]) => [name, meanStyle(pack)]));

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] as number) * (b[i] as number);
  return sum;
}

/** Sample variance of the vectors along unit `axis`. */
function varianceAlong(
  vectors: readonly ArrayLike<number>[],
  axis: ArrayLike<number>,
  mean: ArrayLike<number>,
): number {
  const along = vectors.map((v) => dot(v, axis) - dot(mean, axis));
  return along.reduce((total, x) => total + x * x, 0) / (vectors.length - 1);
}

function groupMean(pca: PcaModel, predicate: (name: string) => boolean): number[] {
  const points = STOCK_VOICE_NAMES.filter(predicate).map((name) =>
    project(pca, SUMMARIES.get(name) as Float32Array),
  );
  return [0, 1].map((k) => points.reduce((total, p) => total + (p[k] as number), 0) / points.length);
}

describe('meanStyle', () => {
  it('averages the 510 rows of a pack', () => {
    const pack = STOCK.get('af_heart') as Float32Array;
    const summary = meanStyle(pack);
    expect(summary.length).toBe(STYLE_DIM);
    for (const column of [0, 127, 128, 255]) {
      let sum = 0;
      for (let row = 0; row < PACK_ROWS; row++) sum += pack[row * STYLE_DIM + column] as number;
      expect(summary[column]).toBeCloseTo(sum / PACK_ROWS, 6);
    }
  });
});

describe('fitPca on synthetic data', () => {
  // Points along x (spread ±3), y (±1) and z (±0.1): the axes are known exactly.
  const POINTS = [-3, -1, 1, 3].flatMap((x) =>
    [-1, 1].flatMap((y) => [-0.1, 0.1].map((z) => [x + 5, y - 2, z])),
  ); // offset mean

  it('finds the axes of largest spread, their variances and the mean', () => {
    const pca = fitPca(POINTS, 2);
    expect(Array.from(pca.mean)).toEqual([5, -2, 0]);
    expect(Array.from(pca.components[0] as Float64Array).map((v) => Math.abs(v))).toEqual(
      [1, 0, 0].map((v) => expect.closeTo(v, 8)),
    );
    expect(Array.from(pca.components[1] as Float64Array).map((v) => Math.abs(v))).toEqual(
      [0, 1, 0].map((v) => expect.closeTo(v, 8)),
    );
    expect(pca.variances[0]).toBeCloseTo((2 * 2 * (9 + 1 + 1 + 9)) / 15, 8);
    expect(pca.variances[1]).toBeCloseTo(16 / 15, 8);
    expect(pca.totalVariance).toBeCloseTo((80 + 16 + 0.16) / 15, 8);
    expect(project(pca, [8, 0, 0.1])).toEqual([expect.closeTo(3, 8), expect.closeTo(2, 8)]);
  });

  it.each([
    { vectors: [[1, 2]], k: 1, error: /at least 2 vectors/ },
    { vectors: [[1], [2], [3]], k: 2, error: /exceed dimension/ },
    { vectors: [[1, 2], [3]], k: 1, error: /differ in length/ },
    {
      vectors: [
        [1, 1],
        [2, 2],
        [3, 3],
      ],
      k: 2,
      error: /span fewer than 2 dimensions/,
    },
  ])('rejects $error', ({ vectors, k, error }) => {
    expect(() => fitPca(vectors, k)).toThrow(error);
  });
});

describe('fitPca on the 54 stock voices (mean over rows, 256-d)', () => {
  const vectors = [...SUMMARIES.values()];
  const pca = fitPca(vectors, 2);

  it('returns orthonormal eigenvectors of the covariance, strongest first', () => {
    const [first, second] = pca.components as [Float64Array, Float64Array];
    expect(dot(first, first)).toBeCloseTo(1, 9);
    expect(dot(second, second)).toBeCloseTo(1, 9);
    expect(dot(first, second)).toBeCloseTo(0, 9);
    expect(varianceAlong(vectors, first, pca.mean)).toBeCloseTo(pca.variances[0] as number, 9);
    expect(pca.variances[0]).toBeGreaterThan(pca.variances[1] as number);
    // No other direction (stock voice differences, coordinate axes) carries more variance than PC1.
    const probes = [
      ...Array.from({ length: STYLE_DIM }, (_, i) =>
        Float64Array.from({ length: STYLE_DIM }, (_, j) => (i === j ? 1 : 0)),
      ),
      ...vectors.slice(1).map((v) => {
        const diff = Float64Array.from(v, (x, i) => x - ((vectors[0] as Float32Array)[i] as number));
        const norm = Math.sqrt(dot(diff, diff));
        return diff.map((x) => x / norm);
      }),
    ];
    for (const probe of probes)
      expect(varianceAlong(vectors, probe, pca.mean)).toBeLessThanOrEqual(
        (pca.variances[0] as number) * (1 + 1e-9),
      );
  });

  it('mapVoices fits the same model on the packs and places each voice where project puts it', () => {
    const voices = [...STOCK].map(([id, pack]) => ({ id, pack }));
    const map = mapVoices(voices);
    expect(map.pca.mean).toEqual(pca.mean);
    expect(map.pca.components).toEqual(pca.components);
    expect(map.points.map((p) => p.id)).toEqual([...STOCK.keys()]);
    for (const point of map.points) {
      const [x, y] = project(pca, STOCK.get(point.id) as Float32Array) as [number, number];
      expect(point.x).toBeCloseTo(x, 9);
      expect(point.y).toBeCloseTo(y, 9);
    }
    // Two stock voices of different genders do not land on the same spot.
    const at = (id: string) => map.points.find((p) => p.id === id)!;
    expect(
      Math.hypot(at('af_heart').x - at('am_adam').x, at('af_heart').y - at('am_adam').y),
    ).toBeGreaterThan(0.01);
  });

  it('projects a whole pack the same as its summary', () => {
    const pack = STOCK.get('bm_lewis') as Float32Array;
    expect(project(pca, pack)).toEqual(project(pca, meanStyle(pack)));
    expect(() => project(pca, new Float32Array(10))).toThrow(/10 values/);
  });

  it('separates female from male voices along PC1 or PC2', () => {
    const CASES = [
      { label: 'English', female: /^[ab]f_/, male: /^[ab]m_/ },
      { label: 'all languages', female: /^.f_/, male: /^.m_/ },
    ];
    for (const { label, female, male } of CASES) {
      const f = groupMean(pca, (n) => female.test(n));
      const m = groupMean(pca, (n) => male.test(n));
      // Separation in standard deviations of the component.
      const separations = [0, 1].map(
        (k) => Math.abs((f[k] as number) - (m[k] as number)) / Math.sqrt(pca.variances[k] as number),
      );
      expect(Math.max(...separations), label).toBeGreaterThan(0.6);
    }
  });
});
