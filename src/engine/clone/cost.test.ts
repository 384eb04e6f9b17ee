import { describe, expect, it } from 'vitest';
import { costForTargetProbe, estimateSetupMs, type MeasuredCost } from './cost';

/** Timed on a 40-token fixed probe: a target rendering 2 s, an evaluation (target + self) 3.8 s. */
const MEASURED: MeasuredCost = {
  stockCount: 28,
  blendCount: 48,
  msPerEvaluation: 3800,
  msPerTargetRendering: 2000,
  msPerCacheLookup: 3,
  targetProbeTokens: 40,
};

describe('costForTargetProbe', () => {
  it('is the measured cost for the fixed probe (no transcript)', () => {
    const setup = estimateSetupMs(MEASURED);
    for (const tokens of [undefined, 0, 40]) {
      expect(costForTargetProbe(MEASURED, tokens)).toEqual({
        msPerEvaluation: 3800,
        setupMsCold: setup.cold,
        setupMsWarm: setup.warm,
      });
    }
  });

  it('scales the target rendering with the transcript probe’s length, not the self rendering', () => {
    // 64 tokens: the target rendering 2 s x 64/40 = 3.2 s, the self rendering still 1.8 s.
    const cost = costForTargetProbe(MEASURED, 64);
    expect(cost.msPerEvaluation).toBeCloseTo(5000);
    // Ranking: 28 evaluations; training: 48 target renderings; the instant pack: one evaluation.
    expect(cost.setupMsCold).toBeCloseTo(28 * 5000 + 48 * 3200 + 5000);
    expect(cost.setupMsWarm).toBeCloseTo(3 * 28 * 3 + 48 * 3200 + 5000);
  });

  it('prices a short transcript below the fixed probe', () => {
    expect(costForTargetProbe(MEASURED, 20).msPerEvaluation).toBeCloseTo(3800 - 1000);
  });
});
