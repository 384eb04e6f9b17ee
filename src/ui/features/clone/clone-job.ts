/**
 * The clone job's life in the UI: start, pause, resume, cancel; every worker event folded
 * into the registry (packs, plot) and, batched, into the store; every checkpoint written to
 * IndexedDB. The job lives here (module level), not in a component, so it keeps running
 * while the user works in other tabs.
 *
 * Pause and Cancel ask the worker, which stops between renderings. One rendering can take
 * seconds and an onnxruntime run cannot be interrupted, so when the run has not come back
 * within STOP_GRACE_MS the worker is ended: the page settles at once (paused or cancelled,
 * the best so far kept) and Resume goes on from the last checkpoint in a fresh worker.
 */
import * as Comlink from 'comlink';
import { SCORE_PRESETS } from '../../../engine/clone/score';
import type { SavedSearch } from '../../../engine/clone/search';
import type {
  CloneEvent,
  CloneJobRequest,
  CloneJobResult,
  CloneOutcome,
} from '../../../workers/clone-protocol';
import { newId, storageErrorMessage } from '../../db/schema';
import { studio } from '../../store/studio-store';
import { jobBusy, type CloneJobView } from '../../store/slices/clone';
import {
  cloneWorkerEpoch,
  CloneWorkerLostError,
  ensureCloneEngine,
  errorText,
  notifyClone,
  speedSettled,
  stopCloneWorker,
  withClone,
} from './clone-client';
import { idbMeasurementStore, putCheckpoint, readTargetClips, type CloneCheckpointState } from './clone-db';
import { addEvaluation, flushNow, historyUpTo, onNextFlush, packs, resetHistory } from './clone-registry';
import { selectedBudget } from './clone-settings';
import { describeScore } from './score-text';
import { clearQueuedView, queuedView, queueView, setView, updateSummary, view } from './clone-view';

/**
 * How long Pause and Cancel wait for the worker to stop by itself before ending it. The worker
 * checks for them before every rendering, so a worker between renderings answers within a
 * message round trip (a few ms); one inside a rendering (3-15 s with Kokoro on WASM, and an
 * onnxruntime run cannot be interrupted) would keep the user waiting. Ending it costs little:
 * the models load again from the browser cache on Resume, and the search goes on from its
 * last checkpoint (one every few seconds, and after every evaluation on a slow device).
 * Short enough to feel immediate, long enough not to end a worker that was about to answer.
 */
export const STOP_GRACE_MS = 400;

/** A run (start or resume) under way in the worker, and the stop asked of it, if any. */
interface RunningCall {
  stopping?: 'paused' | 'cancelled';
  /** Ends the worker when the run has not come back STOP_GRACE_MS after the first stop request. */
  deadline?: ReturnType<typeof setTimeout>;
}

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
  /** The run waiting for the worker, until it comes back or is stopped. */
  run?: RunningCall;
  /** The worker epoch (cloneWorkerEpoch) the job last ran in: only that worker keeps its session. */
  epoch?: number;
  /** Cancelled while starting (before any run reached the worker): runNewJob goes no further. */
  cancelledEarly?: boolean;
}

let active: ActiveJob | undefined;
export function activeJobId(): string | undefined {
  return active?.jobId;
}

/**
 * The view of a search evaluation seen: the search phase, the evaluations so far and, for the
 * first one seen (no start known or queued yet), where the search started.
 */
function searchReached(evaluation: number): Partial<CloneJobView> {
  return {
    phase: 'search',
    evaluations: evaluation,
    ...(view()?.searchStart === undefined && queuedView().searchStart === undefined
      ? { searchStart: evaluation - 1 }
      : {}),
  };
}

function onEvent(event: CloneEvent): void {
  const job = active;
  if (!job || event.jobId !== job.jobId) return;
  // A worker that crashed or was ended may still deliver a few events before it is gone: the
  // job stopped there, and what the page shows must not change after it says so.
  if (view()?.state === 'error' || job.epoch !== cloneWorkerEpoch()) return;
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
        ...searchReached(event.record.evaluation),
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
    case 'refused':
      queueView({
        // Over what is on screen and what is queued: a merged update replaces `refused` whole.
        refused: {
          ...view()?.refused,
          ...queuedView().refused,
          [event.phase]: { count: event.count, reason: event.reason },
        },
        // A refused candidate was spent like any evaluation, but has no evaluation event.
        ...(event.evaluation !== undefined ? searchReached(event.evaluation) : {}),
      });
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

/**
 * Starts a search for the selected target with the chosen method, weights and budget. True when
 * it started (the job is in the store at once; its run goes on in the background), false when
 * it could not (a job is busy, no target).
 */
export function startClone(): boolean {
  const state = studio.get();
  if (isBusy()) return false;
  const target = state.refTargets.find((t) => t.id === state.cloneTargetId);
  if (!target) {
    studio.set({ cloneError: 'Choose a target voice to clone first (make one in the References tab).' });
    return false;
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
  void runNewJob(newId(), target.id, settings);
  return true;
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
  const loaded = await ensureCloneEngine();
  if (job.cancelledEarly) return;
  if (!loaded) {
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
  if (active !== job || job.cancelledEarly) return;
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
  const call: RunningCall = {};
  job.run = call;
  job.epoch = cloneWorkerEpoch();
  let result: CloneJobResult;
  try {
    result = await withClone(run);
  } catch (error) {
    if (!runCameBack(job, call)) return;
    const lost = error instanceof CloneWorkerLostError;
    failJob(job, lost ? `${errorText(error)}. ${afterLoss(job)}` : errorText(error));
    return;
  }
  if (!runCameBack(job, call)) return;
  if (result.best) {
    packs.best = result.best.pack;
    job.settings.best = { score: result.best.score, evaluation: result.best.evaluation };
  }
  if (result.instant) {
    packs.instant = result.instant.pack;
    job.settings.instant = { score: result.instant.score };
  }
  if (result.nearestStock) job.settings.nearest = result.nearestStock;
  const outcome = await new Promise<CloneOutcome | undefined>((resolve) =>
    onNextFlush(() => {
      if (active !== job) return resolve(undefined);
      let outcome = result.outcome;
      if (outcome === 'paused' && view()?.state === 'cancelling') {
        // Cancel came while the pause was on its way back: the job ends here, and the worker
        // (which kept the paused job) forgets it.
        outcome = 'cancelled';
        notifyClone((remote) => remote.cancel(job.jobId));
      }
      showOutcome(job, outcome, {
        evaluations: result.evaluations,
        searchStart: result.searchStartEvaluation,
      });
      resolve(outcome);
    }),
  );
  if (outcome) await writeCheckpoint(job, outcome);
}

/** The run came back: its stop deadline is off. False when it no longer counts (a stop settled it, or another job is on). */
function runCameBack(job: ActiveJob, call: RunningCall): boolean {
  clearTimeout(call.deadline);
  if (job.run !== call) return false;
  job.run = undefined;
  return active === job;
}

/** Asks the run under way to stop, and ends the worker if it has not come back in time. */
function requestStop(job: ActiveJob, outcome: 'paused' | 'cancelled'): void {
  const call = job.run;
  if (!call) return;
  if (call.stopping !== 'cancelled') call.stopping = outcome;
  notifyClone((remote) => (outcome === 'paused' ? remote.pause(job.jobId) : remote.cancel(job.jobId)));
  // The first request's deadline stands: a Cancel after a Pause does not wait longer.
  call.deadline ??= setTimeout(() => stopNow(job, call), STOP_GRACE_MS);
}

/**
 * The worker is inside a rendering it cannot leave: end it, so the CPU is free at once, and
 * settle the job as asked. Its session goes with the worker; the checkpoint, the best so far
 * and the plot stay, and Resume goes on from the checkpoint in a fresh worker.
 */
function stopNow(job: ActiveJob, call: RunningCall): void {
  const outcome = call.stopping;
  if (active !== job || job.run !== call || !outcome) return;
  job.run = undefined;
  job.epoch = undefined;
  stopCloneWorker(
    outcome === 'paused'
      ? 'The search was paused during a rendering.'
      : 'The search was cancelled during a rendering.',
  );
  flushNow();
  showOutcome(job, outcome, undefined, true);
  void writeCheckpoint(job, outcome);
}

/** Shows how a run ended (the state, what it found) and says so in the notice, a live region. */
function showOutcome(
  job: ActiveJob,
  outcome: CloneOutcome,
  ran?: { evaluations: number; searchStart: number },
  workerEnded = false,
): void {
  setView({
    state: outcome === 'paused' ? 'paused' : outcome === 'cancelled' ? 'cancelled' : 'done',
    outcome,
    ...(ran
      ? { evaluations: Math.max(view()?.evaluations ?? 0, ran.evaluations), searchStart: ran.searchStart }
      : {}),
    ...(job.settings.best ? { best: job.settings.best } : {}),
    ...(job.settings.instant ? { instant: job.settings.instant } : {}),
    ...(job.settings.nearest
      ? { nearest: { id: job.settings.nearest.id, score: job.settings.nearest.score } }
      : {}),
  });
  updateSummary(true);
  studio.set({ cloneNotice: outcomeNotice(job, outcome, workerEnded) });
}

function outcomeNotice(job: ActiveJob, outcome: CloneOutcome, workerEnded: boolean): string {
  const best = job.settings.best;
  if (outcome === 'budget') return `Search finished${best ? `: ${describeScore(best.score)}` : ''}.`;
  if (outcome === 'cancelled') {
    if (!best && !packs.best && !packs.instant) return 'Search cancelled before it found a voice.';
    return `Search cancelled. The best voice so far is kept${best ? ` (${describeScore(best.score)})` : ''}: save it or download it.`;
  }
  if (!workerEnded) return 'Search paused. Resume goes on where it stopped.';
  const last = job.lastSaved;
  if (!last) {
    return 'Search paused (the rendering under way was stopped). It had no checkpoint yet, so Resume starts it again; what was measured so far is reused.';
  }
  const done = Math.max(0, last.saved.checkpoint.evaluations - last.searchStartEvaluation);
  return `Search paused (the rendering under way was stopped). Resume goes on from the last checkpoint, evaluation ${done} of ${job.settings.budget}, once the models have loaded again.`;
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
  if (active !== job || job.cancelledEarly) return;
  flushNow();
  setView({ state: 'error', error: message });
  void writeCheckpoint(job);
}

export function isBusy(): boolean {
  return jobBusy(view()?.state);
}

/** Pauses the running job: at once if the worker is between renderings, else within STOP_GRACE_MS. */
export function pauseClone(): void {
  const job = active;
  if (!job || view()?.state !== 'running') return;
  setView({ state: 'pausing' });
  requestStop(job, 'paused');
}

/** Continues a paused job in the worker, or (after a crash or a stop) from its last checkpoint. */
export async function resumeClone(): Promise<void> {
  const job = active;
  const current = view();
  if (!job || !current) return;
  if (current.state === 'paused' && job.epoch === cloneWorkerEpoch()) {
    setView({ state: 'running' });
    studio.set({ cloneNotice: undefined });
    await follow(job, (remote) => remote.resume(job.jobId, 0));
    return;
  }
  if (current.state === 'paused' || (current.state === 'error' && job.lastSaved)) {
    // The worker that held the job is gone: a fresh one loads the models and goes on from the
    // checkpoint (the plot too: later points would repeat), or starts again without one.
    if (job.lastSaved) {
      await runNewJob(job.jobId, job.targetId, job.settings, {
        ...job.lastSaved,
        history: historyUpTo(job.lastSaved.saved.checkpoint.evaluations),
        evaluations: job.lastSaved.saved.checkpoint.evaluations,
      });
      return;
    }
    const { best: _best, instant: _instant, nearest: _nearest, ...settings } = job.settings;
    await runNewJob(job.jobId, job.targetId, settings);
  }
}

/** Cancels the job (the best so far is kept): at once, or within STOP_GRACE_MS while a rendering runs. */
export function cancelClone(): void {
  const job = active;
  const state = view()?.state;
  if (!job) return;
  if (state === 'running' || state === 'pausing') {
    setView({ state: 'cancelling' });
    requestStop(job, 'cancelled');
    return;
  }
  notifyClone((remote) => remote.cancel(job.jobId));
  if (state === 'starting' || state === 'paused') {
    // No run is waiting to report it (a starting job stops before its run reaches the
    // worker): the job ends here, with its best kept.
    if (state === 'starting') job.cancelledEarly = true;
    showOutcome(job, 'cancelled');
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
