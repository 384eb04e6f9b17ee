/**
 * The clone job's life in the UI: start, pause, resume, cancel; every worker event folded
 * into the registry (packs, plot) and, batched, into the store; every checkpoint written to
 * IndexedDB. The job lives here (module level), not in a component, so it keeps running
 * while the user works in other tabs.
 */
import * as Comlink from 'comlink';
import { SCORE_PRESETS } from '../../../engine/clone/score';
import type { SavedSearch } from '../../../engine/clone/search';
import type { CloneEvent, CloneJobRequest, CloneJobResult } from '../../../workers/clone-protocol';
import { newId, storageErrorMessage } from '../../db/schema';
import { studio } from '../../store/studio-store';
import { jobBusy } from '../../store/slices/clone';
import {
  CloneWorkerLostError,
  ensureCloneEngine,
  errorText,
  notifyClone,
  speedSettled,
  withClone,
} from './clone-client';
import { idbMeasurementStore, putCheckpoint, readTargetClips, type CloneCheckpointState } from './clone-db';
import { addEvaluation, flushNow, historyUpTo, onNextFlush, packs, resetHistory } from './clone-registry';
import { selectedBudget } from './clone-settings';
import { describeScore } from './score-text';
import { clearQueuedView, queuedView, queueView, setView, updateSummary, view } from './clone-view';

/** What the UI keeps about the job beside the store's view. */
interface ActiveJob {
  jobId: string;
  settings: Omit<
    CloneCheckpointState,
    'checkpoint' | 'hasSearchBest' | 'searchStartEvaluation' | 'history' | 'outcome'
  >;
  targetId: string;
  lastSaved?: { saved: SavedSearch; searchStartEvaluation: number };
  /** Serialises checkpoint writes so an older one never lands after a newer one. */
  writes: Promise<void>;
  /** Timing of this run's search evaluations, for the time left. */
  runStartedAt?: number;
  runStartEvaluation?: number;
}

let active: ActiveJob | undefined;
export function activeJobId(): string | undefined {
  return active?.jobId;
}

function onEvent(event: CloneEvent): void {
  const job = active;
  if (!job || event.jobId !== job.jobId) return;
  // A worker that crashed may still deliver a few events before it is gone: the job stopped
  // at the error, and what the page shows must not change after it says so.
  if (view()?.state === 'error') return;
  switch (event.kind) {
    case 'phase':
      queueView({ phase: event.phase, phaseDone: event.done, phaseTotal: event.total });
      break;
    case 'ranking': {
      const nearest = event.voices[0];
      if (nearest) queueView({ nearest: { id: nearest.id, score: nearest.score } });
      job.settings.nearest = nearest;
      break;
    }
    case 'instant':
      packs.instant = event.pack;
      job.settings.instant = { score: event.score };
      queueView({ instant: { score: event.score } });
      break;
    case 'evaluation': {
      addEvaluation(event.record);
      const now = performance.now();
      if (job.runStartedAt === undefined) {
        job.runStartedAt = now;
        job.runStartEvaluation = event.record.evaluation;
      }
      const counted = event.record.evaluation - job.runStartEvaluation!;
      queueView({
        phase: 'search',
        evaluations: event.record.evaluation,
        ...(view()?.searchStart === undefined && queuedView().searchStart === undefined
          ? { searchStart: event.record.evaluation - 1 }
          : {}),
        ...(counted >= 3 ? { msPerEvaluation: (now - job.runStartedAt) / counted } : {}),
      });
      break;
    }
    case 'best':
      packs.best = event.pack;
      job.settings.best = { score: event.score, evaluation: event.evaluation };
      queueView({ best: { score: event.score, evaluation: event.evaluation } });
      break;
    case 'checkpoint':
      job.lastSaved = { saved: event.saved, searchStartEvaluation: event.searchStartEvaluation };
      queueView({ searchStart: event.searchStartEvaluation });
      writeCheckpoint(job);
      break;
  }
}

/** Writes the job's last checkpoint (with the plot and the outcome, if any) to IndexedDB. */
function writeCheckpoint(job: ActiveJob, outcome?: CloneCheckpointState['outcome']): Promise<void> {
  const last = job.lastSaved;
  if (!last) return job.writes;
  const best = last.saved.bestPack ?? packs.best ?? packs.instant ?? new Float32Array(0);
  const state: CloneCheckpointState = {
    ...job.settings,
    checkpoint: last.saved.checkpoint,
    hasSearchBest: last.saved.bestPack !== null,
    searchStartEvaluation: last.searchStartEvaluation,
    // The plot as far as the checkpoint: a resumed search repeats what came after it.
    history: historyUpTo(last.saved.checkpoint.evaluations),
    ...(outcome ? { outcome } : {}),
  };
  const record = {
    id: job.jobId,
    targetId: job.targetId,
    method: job.settings.method,
    updatedAt: Date.now(),
    evaluations: last.saved.checkpoint.evaluations,
    bestScore: last.saved.checkpoint.best?.score.score ?? job.settings.instant?.score.score ?? 0,
    best,
    state,
  };
  job.writes = job.writes.then(() =>
    putCheckpoint(record).catch((error: unknown) => {
      // The search goes on; the best voice is still in memory and can be saved or downloaded.
      studio.set({ cloneError: storageErrorMessage(error, 'the search checkpoint') });
    }),
  );
  return job.writes;
}

/** Starts a search for the selected target with the chosen method, weights and budget. */
export async function startClone(): Promise<void> {
  const state = studio.get();
  if (isBusy()) return;
  const target = state.refTargets.find((t) => t.id === state.cloneTargetId);
  if (!target) {
    studio.set({ cloneError: 'Choose a target voice to clone first (make one in the References tab).' });
    return;
  }
  const budget = selectedBudget().evaluations;
  const settings: ActiveJob['settings'] = {
    version: 1,
    targetName: target.name,
    method: state.cloneMethod,
    scorePreset: state.cloneScorePreset,
    weights: { ...SCORE_PRESETS[state.cloneScorePreset] },
    budget,
    seed: crypto.getRandomValues(new Uint32Array(1))[0]!,
    dialect: state.dialect,
    ...(target.transcript?.trim() ? { transcript: target.transcript.trim() } : {}),
  };
  await runNewJob(newId(), target.id, settings);
}

/** Starts (or, with `resumeFrom`, continues from a checkpoint) a job in the worker. */
export async function runNewJob(
  jobId: string,
  targetId: string,
  settings: ActiveJob['settings'],
  restored?: {
    saved: SavedSearch;
    searchStartEvaluation: number;
    history: Float32Array;
    evaluations: number;
  },
): Promise<void> {
  const previous = active;
  if (previous && previous.jobId !== jobId && view()?.state === 'paused') {
    // A paused search left for a new one stays in IndexedDB, offered for later.
    notifyClone((remote) => remote.cancel(previous.jobId));
  }
  const job: ActiveJob = {
    jobId,
    targetId,
    settings,
    writes: Promise.resolve(),
    ...(restored ? { lastSaved: restored } : {}),
  };
  active = job;
  clearQueuedView();
  resetHistory(restored?.history);
  if (!restored) {
    delete packs.best;
    delete packs.instant;
  }
  studio.set({
    cloneError: undefined,
    cloneNotice: undefined,
    cloneOffers: studio.get().cloneOffers.filter((o) => o.jobId !== jobId),
    cloneJob: {
      jobId,
      targetId,
      targetName: settings.targetName,
      method: settings.method,
      scorePreset: settings.scorePreset,
      budget: settings.budget,
      state: 'starting',
      phase: 'loading',
      phaseDone: 0,
      phaseTotal: 0,
      evaluations: restored?.evaluations ?? 0,
      ...(restored ? { searchStart: restored.searchStartEvaluation } : {}),
      ...(settings.best ? { best: settings.best } : {}),
      ...(settings.nearest ? { nearest: { id: settings.nearest.id, score: settings.nearest.score } } : {}),
      ...(settings.instant ? { instant: settings.instant } : {}),
      resumed: restored !== undefined,
    },
  });
  updateSummary(true);
  if (!(await ensureCloneEngine())) {
    failJob(
      job,
      'The cloning models could not be loaded (see above). Nothing was lost: try again once they load.',
    );
    return;
  }
  await speedSettled();
  let clips;
  try {
    clips = await readTargetClips(targetId);
  } catch (error) {
    failJob(job, `Could not read the target's clips: ${errorText(error)}`);
    return;
  }
  if (clips.length === 0) {
    failJob(
      job,
      `“${settings.targetName}” has no clips. Record or upload at least one clip with speech in the References tab, then start again.`,
    );
    return;
  }
  const request: CloneJobRequest = {
    jobId,
    targetId,
    clips: clips.map((c) => ({ pcm: c.pcm, sampleRateHz: c.sampleRateHz })),
    dialect: settings.dialect,
    method: settings.method,
    weights: settings.weights,
    budget: settings.budget,
    seed: settings.seed,
    ...(settings.transcript ? { transcript: settings.transcript } : {}),
    ...(restored
      ? { resumeFrom: restored.saved, searchStartEvaluation: restored.searchStartEvaluation }
      : {}),
  };
  const buffers = clips.map((c) => c.pcm.buffer as ArrayBuffer);
  setView({ state: 'running' });
  await follow(job, (remote) =>
    remote.startJob(
      Comlink.transfer(request, buffers),
      Comlink.proxy(onEvent),
      Comlink.proxy(idbMeasurementStore()),
    ),
  );
}

type Remote = Parameters<Parameters<typeof withClone>[0]>[0];

/** Waits for a run (start or resume) and records how it ended. */
async function follow(job: ActiveJob, run: (remote: Remote) => Promise<CloneJobResult>): Promise<void> {
  job.runStartedAt = undefined;
  let result: CloneJobResult;
  try {
    result = await withClone(run);
  } catch (error) {
    if (active !== job) return;
    const lost = error instanceof CloneWorkerLostError;
    failJob(job, lost ? `${errorText(error)}. ${afterLoss(job)}` : errorText(error));
    return;
  }
  if (active !== job) return;
  if (result.best) {
    packs.best = result.best.pack;
    job.settings.best = { score: result.best.score, evaluation: result.best.evaluation };
  }
  if (result.instant) {
    packs.instant = result.instant.pack;
    job.settings.instant = { score: result.instant.score };
  }
  if (result.nearestStock) job.settings.nearest = result.nearestStock;
  onNextFlush(() => {
    if (active !== job) return;
    setView({
      state: result.outcome === 'paused' ? 'paused' : result.outcome === 'cancelled' ? 'cancelled' : 'done',
      outcome: result.outcome,
      evaluations: Math.max(view()?.evaluations ?? 0, result.evaluations),
      searchStart: result.searchStartEvaluation,
      ...(job.settings.best ? { best: job.settings.best } : {}),
      ...(job.settings.instant ? { instant: job.settings.instant } : {}),
      ...(job.settings.nearest
        ? { nearest: { id: job.settings.nearest.id, score: job.settings.nearest.score } }
        : {}),
    });
    updateSummary(true);
    if (result.outcome !== 'paused') {
      const best = job.settings.best;
      studio.set({
        cloneNotice:
          result.outcome === 'cancelled'
            ? `Search cancelled. The best voice so far is kept${best ? ` (${describeScore(best.score)})` : ''}: save it or download it.`
            : `Search finished${best ? `: ${describeScore(best.score)}` : ''}.`,
      });
    }
  });
  await writeCheckpoint(job, result.outcome);
}

/** What is left after the worker was lost mid-run, and what the user can do with it. */
function afterLoss(job: ActiveJob): string {
  const resume = job.lastSaved ? 'resume the search from its last checkpoint' : undefined;
  if (packs.best) {
    return `The best voice found so far is kept: save it under “Keep the clone”${resume ? `, or ${resume}` : ''}.`;
  }
  return resume
    ? `Nothing was lost: ${resume}.`
    : 'Nothing was found yet: start a new clone to search again.';
}

/** True when a stopped job has a checkpoint to go on from (Resume after a crash). */
export function canResumeAfterError(): boolean {
  return active?.lastSaved !== undefined;
}

function failJob(job: ActiveJob, message: string): void {
  if (active !== job) return;
  flushNow();
  setView({ state: 'error', error: message });
  void writeCheckpoint(job);
}

export { jobBusy };

export function isBusy(): boolean {
  return jobBusy(view()?.state);
}

export function pauseClone(): void {
  const job = active;
  if (!job || view()?.state !== 'running') return;
  setView({ state: 'pausing' });
  notifyClone((remote) => remote.pause(job.jobId));
}

/** Continues a paused job in the worker, or (after a crash) from its last checkpoint. */
export async function resumeClone(): Promise<void> {
  const job = active;
  const current = view();
  if (!job || !current) return;
  if (current.state === 'paused') {
    setView({ state: 'running' });
    await follow(job, (remote) => remote.resume(job.jobId, 0));
    return;
  }
  if (current.state === 'error' && job.lastSaved) {
    // The search goes on from the checkpoint, so the plot does too (later points would repeat).
    await runNewJob(job.jobId, job.targetId, job.settings, {
      ...job.lastSaved,
      history: historyUpTo(job.lastSaved.saved.checkpoint.evaluations),
      evaluations: job.lastSaved.saved.checkpoint.evaluations,
    });
  }
}

export function cancelClone(): void {
  const job = active;
  const state = view()?.state;
  if (!job) return;
  notifyClone((remote) => remote.cancel(job.jobId));
  if (state === 'running' || state === 'pausing' || state === 'starting') {
    setView({ state: 'cancelling' });
    return;
  }
  if (state === 'paused') {
    // No run is waiting to report it: the job ends here, with its best kept.
    setView({ state: 'cancelled', outcome: 'cancelled' });
    studio.set({ cloneNotice: 'Search cancelled. The best voice so far is kept: save it or download it.' });
    void writeCheckpoint(job, 'cancelled');
  }
}

/** Forgets the finished job on screen (its checkpoint stays until saved or discarded). */
export function closeJob(): void {
  const job = active;
  if (isBusy()) return;
  if (job && view()?.state === 'paused') notifyClone((remote) => remote.cancel(job.jobId));
  active = undefined;
  studio.set({ cloneJob: undefined, cloneSummary: '', cloneNotice: undefined });
}

/** The active job's settings (for saving: method, target). */
export function activeSettings(): ActiveJob['settings'] | undefined {
  return active?.settings;
}
