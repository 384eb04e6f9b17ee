import { useStudio } from '../store/studio-store';
import { ProgressBar } from './ProgressBar';
import { formatBytes } from './format';
import { initEngine } from '../clients/tts-client';
import { useTabVisible } from './Tabs';

/** Model loading state: a progress bar while downloading or compiling, errors with a retry. */
export function ModelStatus() {
  const phase = useStudio((s) => s.phase);
  const progress = useStudio((s) => s.progress);
  const error = useStudio((s) => s.error);
  // Speak and Voices both show it and stay mounted: only the visible tab's copy renders (ids stay unique).
  const visible = useTabVisible();
  if (!visible) return null;

  if (phase === 'error') {
    return (
      <div
        role="alert"
        className="rounded-lg border border-red-500/50 bg-red-950/60 p-4 text-sm"
        data-testid="model-error"
      >
        <p className="font-semibold text-red-200">The voice model could not be loaded.</p>
        <p className="mt-1 whitespace-pre-wrap text-red-100">{error}</p>
        <button
          type="button"
          onClick={() => void initEngine()}
          className="mt-3 rounded bg-red-700 px-3 py-1 font-medium hover:bg-red-600"
        >
          Try again
        </button>
      </div>
    );
  }
  if (phase !== 'loading') return null;

  let label = 'Preparing the voice model…';
  let value: number | undefined;
  if (progress?.kind === 'download') {
    const { loadedBytes, totalBytes, file, fromCache } = progress;
    value = totalBytes > 0 ? loadedBytes / totalBytes : undefined;
    label = fromCache
      ? `Loaded ${file} from the browser cache`
      : `Downloading ${file}: ${formatBytes(loadedBytes)} of ${formatBytes(totalBytes)}`;
  } else if (progress?.kind === 'compile') {
    label = `Starting ${progress.model} on ${progress.backend.toUpperCase()}…`;
  }
  return (
    <div className="rounded-lg border border-zinc-700 bg-zinc-900 p-3 text-sm" data-testid="model-progress">
      <p id="model-progress-label" aria-live="polite">
        {label}
      </p>
      <ProgressBar fraction={value} labelledBy="model-progress-label" className="mt-2" />
    </div>
  );
}
