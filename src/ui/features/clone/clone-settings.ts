/** The Clone tab's choices: target, budget (with the test-only `?cloneBudget=N`), opening the tab for a target. */
import { studio } from '../../store/studio-store';
import { BUDGET_PRESETS, testBudgetPreset, type BudgetPreset } from './budget';

let testPreset: BudgetPreset | undefined | null = null;

/** The test-only preset from `?cloneBudget=N` (read once per page load), if any. */
export function urlTestBudget(): BudgetPreset | undefined {
  if (testPreset === null) {
    testPreset =
      typeof window === 'undefined'
        ? undefined
        : testBudgetPreset(new URLSearchParams(window.location.search).get('cloneBudget'));
  }
  return testPreset;
}

/** The presets on offer: the three budgets, plus the test one when the URL asks for it. */
export function budgetPresets(): readonly BudgetPreset[] {
  const test = urlTestBudget();
  return test ? [...BUDGET_PRESETS, test] : BUDGET_PRESETS;
}

export function selectedBudget(): BudgetPreset {
  const id = studio.get().cloneBudgetPreset;
  const presets = budgetPresets();
  return presets.find((p) => p.id === id) ?? presets[0]!;
}

/** "Clone this voice" from elsewhere (the References tab): select the target and open the tab. */
export function openCloneFor(targetId: string): void {
  studio.set({ cloneTargetId: targetId, tab: 'clone' });
}
