/**
 * Search budgets and what they cost on this device. Pure (no DOM), unit-tested.
 *
 * The evaluation counts follow KVoiceWalk's scale: its walk needs thousands of steps, while
 * the model-based search gains most in its first few hundred. Quick is for a first listen,
 * Standard for a usable clone, Deep for the last few hundredths of similarity.
 */
import { costForTargetProbe } from '../../../engine/clone/cost';
import type { CloneSpeedEstimate } from '../../../workers/clone-protocol';
import type { CloneBudgetPreset } from '../../store/slices/clone';

export interface BudgetPreset {
  id: CloneBudgetPreset;
  label: string;
  evaluations: number;
  hint: string;
}

export const BUDGET_PRESETS: readonly BudgetPreset[] = [
  { id: 'quick', label: 'Quick', evaluations: 120, hint: 'a first listen' },
  { id: 'standard', label: 'Standard', evaluations: 400, hint: 'a usable clone' },
  { id: 'deep', label: 'Deep', evaluations: 1500, hint: 'the closest match' },
];

/** A test-only budget (`?cloneBudget=N`) is allowed within these bounds. */
export const TEST_BUDGET_MIN = 4;
export const TEST_BUDGET_MAX = 5000;

/** The `test` preset from a URL parameter value, or undefined when absent or out of range. */
export function testBudgetPreset(value: string | null): BudgetPreset | undefined {
  if (value === null || !/^\d+$/.test(value)) return undefined;
  const evaluations = Number(value);
  if (evaluations < TEST_BUDGET_MIN || evaluations > TEST_BUDGET_MAX) return undefined;
  return { id: 'test', label: 'Test', evaluations, hint: 'set by ?cloneBudget' };
}

/**
 * This device's speed for a target whose search renders a probe of `targetTokens` tokens (its
 * transcript's first words; undefined or 0 without a transcript: the fixed probe the speed was
 * measured on).
 */
export function speedForTargetProbe(
  speed: CloneSpeedEstimate,
  targetTokens: number | undefined,
): CloneSpeedEstimate {
  if (!targetTokens) return speed;
  return { ...speed, ...costForTargetProbe(speed, targetTokens) };
}

/** Estimated milliseconds for a budget: setup (ranking + instant map) plus the evaluations. */
export function estimateBudgetMs(speed: CloneSpeedEstimate, evaluations: number, warm: boolean): number {
  const setup = warm ? speed.setupMsWarm : speed.setupMsCold;
  return Math.max(0, setup) + Math.max(0, evaluations) * Math.max(0, speed.msPerEvaluation);
}

/** "~40 s", "~3 min", "~1 h 20 min": rounded the way people say durations. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, ms) / 1000;
  if (seconds < 1) return '<1 s';
  const shown = seconds < 10 ? Math.round(seconds) : Math.round(seconds / 5) * 5;
  if (shown < 60) return `~${shown} s`;
  const minutes = Math.max(1, Math.round(seconds / 60));
  if (minutes < 60) return `~${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes - hours * 60;
  return rest === 0 ? `~${hours} h` : `~${hours} h ${rest} min`;
}
