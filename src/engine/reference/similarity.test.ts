import { describe, expect, it } from 'vitest';
import {
  averageEmbeddings,
  cosineSimilarity,
  embeddingWindows,
  similarityMatrix,
  verificationSummary,
} from './similarity';

const v = (...xs: number[]) => Float32Array.from(xs);

describe('cosineSimilarity', () => {
  const CASES = [
    { name: 'identical', a: v(1, 2, 3), b: v(1, 2, 3), cos: 1 },
    { name: 'scaled', a: v(1, 2, 3), b: v(2, 4, 6), cos: 1 },
    { name: 'orthogonal', a: v(1, 0), b: v(0, 1), cos: 0 },
    { name: 'opposite', a: v(1, -1), b: v(-1, 1), cos: -1 },
    { name: '45 degrees', a: v(1, 0), b: v(1, 1), cos: Math.SQRT1_2 },
    { name: 'zero vector', a: v(0, 0), b: v(1, 1), cos: 0 },
  ];
  it.each(CASES)('$name', ({ a, b, cos }) => expect(cosineSimilarity(a, b)).toBeCloseTo(cos, 6));
  it('rejects vectors of different lengths', () =>
    expect(() => cosineSimilarity(v(1), v(1, 2))).toThrow(RangeError));
});

describe('averageEmbeddings', () => {
  it('normalises each clip first, so a loud vector does not dominate', () => {
    const avg = averageEmbeddings([v(100, 0), v(0, 1)]);
    expect(avg[0]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(avg[1]).toBeCloseTo(Math.SQRT1_2, 6);
  });
  it('weights clips (e.g. by seconds of speech) and returns a unit vector', () => {
    const avg = averageEmbeddings([v(1, 0), v(0, 1)], [3, 1]);
    expect(avg[0]! / avg[1]!).toBeCloseTo(3, 5);
    expect(Math.hypot(avg[0]!, avg[1]!)).toBeCloseTo(1, 6);
  });
  it('rejects an empty list and mismatched weights', () => {
    expect(() => averageEmbeddings([])).toThrow(RangeError);
    expect(() => averageEmbeddings([v(1)], [1, 2])).toThrow(RangeError);
  });
});

describe('similarityMatrix and verificationSummary', () => {
  // Two speakers, two clips each, plus a third voice: same speaker close, others apart.
  const items = [v(1, 0.1, 0), v(1, -0.1, 0), v(0, 1, 0.1), v(0.1, 1, 0), v(0, 0, 1)];
  const groups = ['ann', 'ann', 'bob', 'bob', 'stock'];
  const matrix = similarityMatrix(items, cosineSimilarity);

  it('is symmetric with ones on the diagonal', () => {
    const n = items.length;
    for (let i = 0; i < n; i++) {
      expect(matrix[i * n + i]).toBeCloseTo(1, 6);
      for (let j = 0; j < n; j++) expect(matrix[i * n + j]).toBe(matrix[j * n + i]);
    }
  });

  it('shows same-speaker pairs standing out', () => {
    const summary = verificationSummary(matrix, groups);
    expect(summary.sameMean).toBeGreaterThan(0.9);
    expect(summary.differentMean).toBeLessThan(0.2);
    expect(summary.margin).toBeGreaterThan(0.5);
    expect(summary).toMatchObject({ correctBestMatches: 4, checkedItems: 4 });
  });

  it('counts a clip whose best match is another speaker as a miss', () => {
    const confused = verificationSummary(matrix, ['ann', 'bob', 'ann', 'bob', 'stock']);
    expect(confused.correctBestMatches).toBe(0);
    expect(confused.margin).toBeLessThan(0);
  });

  it('has no same-speaker statistics when every item is its own speaker', () => {
    const summary = verificationSummary(matrix, ['a', 'b', 'c', 'd', 'e']);
    expect(summary.sameMean).toBeUndefined();
    expect(summary.margin).toBeUndefined();
    expect(summary.checkedItems).toBe(0);
  });
});

describe('embeddingWindows', () => {
  const CASES = [
    { name: 'short clip: one window', samples: 20, windows: [[0, 20]] },
    { name: 'window plus a short tail: one window', samples: 35, windows: [[0, 35]] },
    {
      name: 'long tail gets its own window',
      samples: 45,
      windows: [
        [0, 30],
        [30, 45],
      ],
    },
    {
      name: 'several windows, short tail joins the last',
      samples: 95,
      windows: [
        [0, 30],
        [30, 60],
        [60, 95],
      ],
    },
  ];
  it.each(CASES)('$name', ({ samples, windows }) => {
    expect(embeddingWindows(samples, 1, 30, 10)).toEqual(windows);
  });
});
