import { formatBytes } from '../../components/format';
import { ProgressBar } from '../../components/ProgressBar';
import { useStudio } from '../../store/studio-store';
import { formatDuration } from './budget';
import { ensureCloneEngine, retryCloneEngine } from './clone-client';
import { useTargetSpeed } from './use-target-speed';
import { studio } from '../../store/studio-store';
import { jobBusy, type CloneEncoderChoice } from '../../store/slices/clone';

/** Picks the judge; the models load again (a running job keeps its own, so the picker is locked then). */
function chooseEncoder(choice: CloneEncoderChoice): void {
  studio.set({ cloneEncoder: choice });
  void ensureCloneEngine();
}

/** The clone worker's models: loading progress, what runs where, this device's speed, errors with a retry. */
export function CloneEngineCard() {
  const phase = useStudio((s) => s.cloneEnginePhase);
  const status = useStudio((s) => s.cloneEngineStatus);
  const progress = useStudio((s) => s.cloneEngineProgress);
  const error = useStudio((s) => s.cloneEngineError);
  const speed = useTargetSpeed();
  const speedPhase = useStudio((s) => s.cloneSpeedPhase);
  const encoder = useStudio((s) => s.cloneEncoder);
  const busy = useStudio((s) => jobBusy(s.cloneJob?.state));

  let text: string | undefined;
  let fraction: number | undefined;
  if (phase === 'loading') {
    text = 'Loading Kokoro and the speaker encoder…';
    if (progress?.kind === 'download') {
      fraction = progress.totalBytes > 0 ? progress.loadedBytes / progress.totalBytes : undefined;
      text = progress.fromCache
        ? `Loaded ${progress.file} from the browser cache`
        : `Downloading ${progress.file}: ${formatBytes(progress.loadedBytes)} of ${formatBytes(progress.totalBytes)}`;
    } else if (progress?.kind === 'compile') {
      text = `Starting ${progress.model} on ${progress.backend.toUpperCase()}…`;
    }
  }

  return (
    <section
      aria-labelledby="clone-engine-heading"
      className="flex flex-col gap-3 rounded-lg border border-zinc-800 bg-zinc-900/60 p-4 text-sm"
    >
      <h3 id="clone-engine-heading" className="font-semibold text-zinc-300">
        Cloning models
      </h3>
      <div aria-live="polite" data-testid="clone-engine" data-phase={phase}>
        {phase === 'idle' && <p className="text-zinc-400">Load when you open this tab.</p>}
        {text && <p className="text-zinc-300">{text}</p>}
        {phase === 'ready' && status && (
          <div className="flex flex-col gap-1 text-zinc-300">
            <p>
              {status.fixture ? 'Test fixture models' : 'Kokoro-82M'} ·{' '}
              {status.encoderVariant === 'ge2e' ? 'GE2E' : status.fixture ? 'encoder' : 'WeSpeaker'} ·{' '}
              {status.backend.toUpperCase()}
            </p>
            <p className="text-xs text-zinc-400">
              Kokoro {status.kokoroVariant} · encoder {status.encoderVariant}
              {status.fallbackReason ? ` · ${status.fallbackReason}` : ''}
            </p>
            <p className="text-xs text-zinc-400" data-testid="clone-speed">
              {speed
                ? `One evaluation takes ${speed.msPerEvaluation < 1000 ? `${Math.round(speed.msPerEvaluation)} ms` : formatDuration(speed.msPerEvaluation)} here (${speed.pricedFor === 'transcript' ? 'this target: the first words of its transcript' : 'the fixed probe sentence'}); preparing a search ${formatDuration(speed.setupMsCold)}.`
                : speedPhase === 'measuring'
                  ? 'Measuring this device’s speed…'
                  : speedPhase === 'error'
                    ? 'Could not measure this device’s speed.'
                    : ''}
            </p>
          </div>
        )}
      </div>
      {phase === 'loading' && <ProgressBar fraction={fraction} label="Cloning models download" />}
      {phase === 'error' && (
        <div
          role="alert"
          className="rounded border border-red-500/50 bg-red-950/60 p-3 text-red-100"
          data-testid="clone-engine-error"
        >
          <p>
            The cloning models (Kokoro and the speaker encoder) could not be loaded, so no search can run.
            Check the model source under Models &amp; settings, then try again. Your clips and saved voices
            are untouched.
          </p>
          <p className="mt-1 whitespace-pre-wrap break-words text-xs [overflow-wrap:anywhere]">{error}</p>
          <button
            type="button"
            onClick={() => void retryCloneEngine()}
            className="mt-2 rounded bg-red-700 px-3 py-1 text-xs font-medium hover:bg-red-600"
            data-testid="clone-engine-retry"
          >
            Try again
          </button>
        </div>
      )}
      <label className="flex flex-col gap-1">
        <span className="text-xs text-zinc-400">Judge (speaker encoder)</span>
        <select
          value={encoder}
          disabled={busy || phase === 'loading'}
          onChange={(e) => chooseEncoder(e.target.value as CloneEncoderChoice)}
          className="rounded border border-zinc-700 bg-zinc-950 px-2 py-1.5"
          data-testid="clone-encoder"
          aria-describedby="clone-encoder-help"
        >
          <option value="wespeaker">WeSpeaker ResNet34-LM (default)</option>
          <option value="ge2e">GE2E (Resemblyzer)</option>
        </select>
        <span id="clone-encoder-help" className="text-xs text-zinc-400">
          {busy
            ? 'A running clone keeps its judge; pause or cancel it to change.'
            : 'GE2E scores the way KVoiceWalk reports; WeSpeaker is the studio’s default.'}
        </span>
      </label>
      <p className="text-xs text-zinc-400">
        Cloning searches Kokoro’s voice space for the pack whose speech the speaker encoder finds closest to
        the reference. It runs in a background worker: other tabs stay usable, and progress is saved every few
        seconds.
      </p>
    </section>
  );
}
