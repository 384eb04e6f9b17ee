import type { ClonePhaseName } from '../../../workers/clone-protocol';
import type { CandidateScore } from '../../../engine/clone/score';

/** "score 0.812 · target 0.903", for notices and labels. */
export function describeScore(score: CandidateScore): string {
  return `score ${score.score.toFixed(3)} · target similarity ${score.targetSimilarity.toFixed(3)}`;
}

/** Three decimals, or a dash when unknown. */
export function formatSimilarity(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(3);
}

export const PHASE_LABELS: Record<ClonePhaseName, string> = {
  loading: 'Loading the models',
  reference: 'Measuring the reference',
  ranking: 'Ranking the stock voices',
  instant: 'Fitting the instant clone',
  search: 'Searching',
};
