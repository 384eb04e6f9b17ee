import { describe, expect, it } from 'vitest';
import {
  BUDGET_PRESETS,
  estimateBudgetMs,
  formatDuration,
  speedForTargetProbe,
  testBudgetPreset,
} from './budget';

const SPEED = {
  msPerEvaluation: 1500,
  setupMsCold: 60_000,
  setupMsWarm: 5_000,
  msPerTargetRendering: 1000,
  targetProbeTokens: 32,
  stockCount: 10,
  blendCount: 20,
  msPerCacheLookup: 3,
};

describe('budget presets', () => {
  it('grow from quick to deep', () => {
    const counts = BUDGET_PRESETS.map((p) => p.evaluations);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(new Set(counts).size).toBe(counts.length);
  });

  const ESTIMATES = [
    { evaluations: 0, warm: false, ms: 60_000 },
    { evaluations: 120, warm: false, ms: 60_000 + 180_000 },
    { evaluations: 120, warm: true, ms: 5_000 + 180_000 },
    { evaluations: -5, warm: true, ms: 5_000 },
  ];
  it.each(ESTIMATES)(
    'estimates $evaluations evaluations (warm $warm) as $ms ms',
    ({ evaluations, warm, ms }) => {
      expect(estimateBudgetMs(SPEED, evaluations, warm)).toBe(ms);
    },
  );

  it('prices a budget for the target probe a transcript makes: longer probes cost more', () => {
    const fixed = estimateBudgetMs(speedForTargetProbe(SPEED, undefined), 120, false);
    const transcript = speedForTargetProbe(SPEED, 64);
    // The target rendering doubles (32 -> 64 tokens): 1.5 s -> 2.5 s per evaluation.
    expect(transcript.msPerEvaluation).toBe(2500);
    expect(estimateBudgetMs(transcript, 120, false)).toBeGreaterThan(fixed);
    expect(estimateBudgetMs(transcript, 120, false)).toBe(transcript.setupMsCold + 120 * 2500);
  });

  const URL_VALUES = [
    { value: null, evaluations: undefined },
    { value: '30', evaluations: 30 },
    { value: '3', evaluations: undefined },
    { value: '12abc', evaluations: undefined },
    { value: '99999', evaluations: undefined },
  ];
  it.each(URL_VALUES)('?cloneBudget=$value gives $evaluations', ({ value, evaluations }) => {
    expect(testBudgetPreset(value)?.evaluations).toBe(evaluations);
  });
});

describe('formatDuration', () => {
  const CASES = [
    { ms: 400, text: '<1 s' },
    { ms: 4_400, text: '~4 s' },
    { ms: 43_000, text: '~45 s' },
    { ms: 58_000, text: '~1 min' },
    { ms: 185_000, text: '~3 min' },
    { ms: 3_600_000, text: '~1 h' },
    { ms: 4_800_000, text: '~1 h 20 min' },
  ];
  it.each(CASES)('$ms ms reads $text', ({ ms, text }) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
