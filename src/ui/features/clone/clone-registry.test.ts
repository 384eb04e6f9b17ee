import { describe, expect, it } from 'vitest';
import type { EvaluationRecord } from '../../../engine/clone/search';
import { addEvaluation, historyCount, historyUpTo, resetHistory } from './clone-registry';
import { HISTORY_STRIDE, H_EVALUATION } from './plot-geometry';

function record(evaluation: number): EvaluationRecord {
  const score = {
    score: evaluation / 100,
    targetSimilarity: evaluation / 200,
    probeSimilarity: evaluation / 200,
    probeScore: evaluation / 100,
    selfSimilarity: 0.9,
    featureSimilarity: 0.8,
    complete: true,
    renders: 2,
  };
  return { evaluation, score, renders: 2 * evaluation, improved: true, best: score };
}

describe('historyUpTo', () => {
  const CASES = [
    { last: 57, rows: 3 },
    { last: 55, rows: 1 },
    { last: 54, rows: 0 },
    { last: 1000, rows: 6 },
  ];
  it.each(CASES)('keeps the evaluations up to $last: $rows rows', ({ last, rows }) => {
    resetHistory();
    for (let evaluation = 55; evaluation <= 60; evaluation++) addEvaluation(record(evaluation));
    const kept = historyUpTo(last);
    expect(kept.length).toBe(rows * HISTORY_STRIDE);
    for (let row = 0; row < rows; row++) expect(kept[row * HISTORY_STRIDE + H_EVALUATION]).toBe(55 + row);
    expect(historyCount()).toBe(6); // the live history is untouched
  });
});
