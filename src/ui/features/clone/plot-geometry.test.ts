import { describe, expect, it } from 'vitest';
import {
  dotsPath,
  HISTORY_STRIDE,
  H_SCORE,
  niceTicks,
  similarityDomain,
  stepPath,
  H_BEST_SCORE,
} from './plot-geometry';

const BOX = { width: 110, height: 110, left: 10, right: 0, top: 0, bottom: 10 };

/** Rows of [evaluation, score, target, best score, best target]. */
function historyOf(rows: number[][]): Float32Array {
  return new Float32Array(rows.flat());
}

describe('niceTicks', () => {
  const CASES = [
    { min: 0, max: 120, wanted: 6, ticks: [0, 20, 40, 60, 80, 100, 120] },
    { min: 0.55, max: 1, wanted: 5, ticks: [0.6, 0.7, 0.8, 0.9, 1] },
    { min: 0, max: 30, wanted: 6, ticks: [0, 5, 10, 15, 20, 25, 30] },
    { min: 2, max: 2, wanted: 5, ticks: [2] },
  ];
  it.each(CASES)('[$min, $max] in about $wanted steps', ({ min, max, wanted, ticks }) => {
    expect(niceTicks(min, max, wanted)).toEqual(ticks);
  });
});

describe('similarityDomain', () => {
  it('starts a little below the lowest value, ignoring early exits (score 0)', () => {
    const history = historyOf([
      [1, 0, 0.71, 0, 0],
      [2, 0.83, 0.8, 0.83, 0.8],
    ]);
    expect(similarityDomain(history, 2)).toEqual({ min: 0.65, max: 1 });
  });
  it('includes reference lines and never goes below 0', () => {
    expect(similarityDomain(new Float32Array(0), 0, [0.01])).toEqual({ min: 0, max: 1 });
    expect(similarityDomain(new Float32Array(0), 0, [0.9])).toEqual({ min: 0.85, max: 1 });
  });
  it('spans 0 to 1 before anything is plotted', () => {
    expect(similarityDomain(new Float32Array(10), 0)).toEqual({ min: 0, max: 1 });
  });
});

describe('paths', () => {
  const history = historyOf([
    [1, 0.5, 0.6, 0.5, 0.6],
    [2, 0, 0.4, 0.5, 0.6],
    [3, 1, 0.9, 1, 0.9],
  ]);
  const x = { min: 0, max: 4 };
  const y = { min: 0, max: 1 };

  it('draws one dot per complete candidate and skips early exits', () => {
    const path = dotsPath(history, 3, H_SCORE, x, y, BOX);
    expect(path.match(/M/g)).toHaveLength(2);
    expect(path).toBe('M35.0 50.0h0M85.0 0.0h0');
  });

  it('draws the best so far as a step line', () => {
    expect(stepPath(history, 3, H_BEST_SCORE, x, y, BOX)).toBe('M35.0 50.0H60.0V50.0H85.0V0.0');
  });

  it('only reads the rows counted', () => {
    expect(history.length / HISTORY_STRIDE).toBe(3);
    expect(dotsPath(history, 1, H_SCORE, x, y, BOX)).toBe('M35.0 50.0h0');
  });
});
