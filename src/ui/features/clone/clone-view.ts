/**
 * The job's view in the store: fast worker events are merged and land with the plot's next
 * flush (at most ten times a second); the screen-reader summary is throttled further.
 */
import { studio } from '../../store/studio-store';
import type { CloneJobView } from '../../store/slices/clone';
import { onNextFlush } from './clone-registry';
import { PHASE_LABELS } from './score-text';

let pendingView: Partial<CloneJobView> = {};
let summaryUpdatedAt = 0;
/** Screen readers hear the progress at most this often. */
const SUMMARY_INTERVAL_MS = 4000;

export function view(): CloneJobView | undefined {
  return studio.get().cloneJob;
}

export function setView(patch: Partial<CloneJobView>): void {
  const current = view();
  if (current) studio.set({ cloneJob: { ...current, ...patch } });
}

/** Fast event streams are merged and land in the store with the plot's next flush. */
export function queueView(patch: Partial<CloneJobView>): void {
  const first = Object.keys(pendingView).length === 0;
  pendingView = { ...pendingView, ...patch };
  if (first) onNextFlush(applyQueuedView);
}

function applyQueuedView(): void {
  const patch = pendingView;
  pendingView = {};
  setView(patch);
  updateSummary(false);
}

export function updateSummary(force: boolean): void {
  const job = view();
  if (!job) return;
  const now = performance.now();
  if (!force && now - summaryUpdatedAt < SUMMARY_INTERVAL_MS) return;
  summaryUpdatedAt = now;
  studio.set({ cloneSummary: summaryText(job) });
}

export function summaryText(job: CloneJobView): string {
  if (job.searchStart === undefined) return `Preparing the search: ${PHASE_LABELS[job.phase].toLowerCase()}…`;
  const done = Math.max(0, job.evaluations - job.searchStart);
  const best = job.best
    ? ` · best score ${job.best.score.score.toFixed(3)} · target similarity ${job.best.score.targetSimilarity.toFixed(3)}`
    : '';
  return `Evaluation ${done} of ${job.budget}${best}`;
}

/** Drops merged updates not applied yet (a new job starts). */
export function clearQueuedView(): void {
  pendingView = {};
}

/** A merged update not applied yet (the first evaluation's search start). */
export function queuedView(): Partial<CloneJobView> {
  return pendingView;
}
