import { formatBytes } from '../../components/format';
import { ProgressBar } from '../../components/ProgressBar';
import { useStudio } from '../../store/studio-store';
import type { CloneJobView } from '../../store/slices/clone';
import type { CloneRefusalPhase } from '../../../workers/clone-protocol';
import { formatDuration } from './budget';
import { listen, stopListening } from './clone-audio';
import { canResumeAfterError, cancelClone, closeJob, pauseClone, resumeClone } from './clone-job';
import { summaryText } from './clone-view';
import { PHASE_LABELS } from './score-text';

const STATE_LABELS: Record<CloneJobView['state'], string> = {
  starting: 'Starting',
  running: 'Running',
  pausing: 'Pausing…',
  paused: 'Paused',
  cancelling: 'Cancelling…',
  done: 'Finished',
  cancelled: 'Cancelled',
  error: 'Stopped',
};

const button =
  'rounded border border-zinc-600 px-3 py-1.5 text-sm hover:bg-zinc-800 focus-visible:outline focus-visible:outline-2 focus-visible:outline-amber-300 disabled:opacity-40';

/** The phase, its progress bar and the time left. */
function phaseProgress(
  job: CloneJobView,
  engineProgress: ReturnType<typeof useStudio.getState>['cloneEngineProgress'],
) {
  // Paused, pausing or stopped before the search began: the count still belongs to the
  // preparation ("Ranking…: 12 of 28"), not to a search at evaluation 0.
  const preparing = job.phase !== 'search';
  if (job.searchStart !== undefined && !preparing) {
    const done = Math.max(0, job.evaluations - job.searchStart);
    return {
      label: `${PHASE_LABELS.search}: evaluation ${done} of ${job.budget}`,
      fraction: Math.min(1, done / job.budget),
      done,
    };
  }
  if (job.phase === 'loading' || job.state === 'starting') {
    if (engineProgress?.kind === 'download' && engineProgress.totalBytes > 0) {
      return {
        label: engineProgress.fromCache
          ? `${PHASE_LABELS.loading} from the browser cache`
          : `${PHASE_LABELS.loading}: ${formatBytes(engineProgress.loadedBytes)} of ${formatBytes(engineProgress.totalBytes)}`,
        fraction: engineProgress.loadedBytes / engineProgress.totalBytes,
      };
    }
    return { label: `${PHASE_LABELS.loading}…`, fraction: undefined };
  }
  const total = job.phaseTotal;
  return {
    label:
      total > 0 ? `${PHASE_LABELS[job.phase]}: ${job.phaseDone} of ${total}` : `${PHASE_LABELS[job.phase]}…`,
    fraction: total > 0 ? job.phaseDone / total : undefined,
  };
}

/** "2 candidates were" / "1 candidate was". */
function counted(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? `${one} was` : `${many} were`}`;
}

/** How each phase's refusals read, in the order the phases run. */
const REFUSALS: Record<CloneRefusalPhase, { one: string; many: string; what: string; goesOn?: string }> = {
  ranking: { one: 'stock voice', many: 'stock voices', what: 'left out of the ranking' },
  instant: { one: 'rendering', many: 'renderings', what: 'left out of the instant estimate' },
  search: { one: 'candidate', many: 'candidates', what: 'refused', goesOn: 'The search goes on.' },
};

/**
 * One line per phase where the worker left unusable renderings out (Kokoro returned NaN or
 * silence even on WASM): how many, why, and (while the job runs) that it goes on.
 */
function refusalLines(job: CloneJobView): { phase: CloneRefusalPhase; text: string }[] {
  const running = job.state === 'running';
  return (Object.keys(REFUSALS) as CloneRefusalPhase[]).flatMap((phase) => {
    const note = job.refused?.[phase];
    if (!note) return [];
    const { one, many, what, goesOn } = REFUSALS[phase];
    const text = `${counted(note.count, one, many)} ${what}: ${note.reason}.${running && goesOn ? ` ${goesOn}` : ''}`;
    return [{ phase, text }];
  });
}

/** The running job: phase and progress, Pause / Resume / Cancel, listen to the best so far. */
export function JobProgress() {
  const job = useStudio((s) => s.cloneJob);
  const engineProgress = useStudio((s) => s.cloneEngineProgress);
  const summary = useStudio((s) => s.cloneSummary);
  const playing = useStudio((s) => s.clonePlaying);
  const rendering = useStudio((s) => s.cloneRendering);
  const ttsReady = useStudio((s) => s.phase === 'ready');
  if (!job) return null;
  const progress = phaseProgress(job, engineProgress);
  const running = job.state === 'running' || job.state === 'starting';
  const left =
    job.state === 'running' && job.msPerEvaluation && progress.done !== undefined
      ? formatDuration((job.budget - progress.done) * job.msPerEvaluation)
      : undefined;
  const listening = playing === 'best' || rendering === 'best';

  return (
    <section
      aria-labelledby="clone-job-heading"
      className="flex flex-col gap-3 rounded-lg border border-zinc-800 bg-zinc-900/60 p-4"
      data-testid="clone-job"
      data-state={job.state}
      data-evaluations={job.evaluations}
      data-search-start={job.searchStart ?? ''}
    >
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="clone-job-heading" className="text-sm font-semibold text-zinc-300">
          Cloning “{job.targetName}” · {job.method === 'timbre' ? 'Timbre search' : 'KVoiceWalk'}
          {job.resumed ? ' · resumed' : ''}
        </h2>
        <span className="text-xs text-zinc-400" data-testid="clone-job-state">
          {STATE_LABELS[job.state]}
          {left ? ` · about ${left.replace('~', '')} left` : ''}
        </span>
      </div>
      <p className="text-sm text-zinc-300" data-testid="clone-phase" data-phase={job.phase}>
        {progress.label}
      </p>
      <ProgressBar
        fraction={progress.fraction}
        label="Cloning progress"
        valueText={progress.label}
        muted={job.state === 'paused'}
        testId="clone-progress"
      />
      <p className="text-xs text-zinc-400" data-testid="clone-summary">
        {summaryText(job)}
      </p>
      {/* The job's live region (not the tab's only one: ClonePanel's clone-notice and the engine
          card have theirs): screen readers hear the summary (at most every few seconds) and each
          refusal line as it appears or its count changes. */}
      <div aria-live="polite" className="flex flex-col gap-1">
        <p className="sr-only">{summary}</p>
        {refusalLines(job).map((line) => (
          <p
            key={line.phase}
            className="text-xs text-amber-200"
            data-testid="clone-refused"
            data-phase={line.phase}
          >
            {line.text}
          </p>
        ))}
      </div>
      {job.error && (
        <div
          role="alert"
          className="rounded border border-red-500/50 bg-red-950/60 p-3 text-sm text-red-100"
          data-testid="clone-job-error"
        >
          {job.error}
        </div>
      )}
      <div className="flex flex-wrap gap-2">
        {(running || job.state === 'pausing') && (
          <button
            type="button"
            className={button}
            onClick={pauseClone}
            disabled={job.state !== 'running'}
            data-testid="clone-pause"
          >
            Pause
          </button>
        )}
        {(job.state === 'paused' || (job.state === 'error' && canResumeAfterError())) && (
          <button
            type="button"
            className={`${button} border-amber-400 text-amber-200`}
            onClick={() => void resumeClone()}
            data-testid="clone-resume"
          >
            Resume
          </button>
        )}
        {(running || job.state === 'paused' || job.state === 'pausing') && (
          <button type="button" className={button} onClick={cancelClone} data-testid="clone-cancel">
            Cancel
          </button>
        )}
        <button
          type="button"
          className={button}
          onClick={() => (listening ? stopListening() : void listen('best'))}
          disabled={!job.best || !ttsReady}
          aria-pressed={listening}
          data-testid="clone-listen-best"
        >
          {rendering === 'best' ? 'Rendering…' : playing === 'best' ? 'Stop' : 'Listen to the best so far'}
        </button>
        {(job.state === 'done' || job.state === 'cancelled' || job.state === 'error') && (
          <button type="button" className={`${button} ml-auto`} onClick={closeJob} data-testid="clone-new">
            New clone
          </button>
        )}
      </div>
    </section>
  );
}
