import { useId, useState } from 'react';
import type { VoiceExportFormat } from '../../../engine/voices/formats';
import { studio, useStudio } from '../../store/studio-store';
import { downloadClone, saveClone } from './clone-results';

const FORMATS: readonly { id: VoiceExportFormat; label: string }[] = [
  { id: 'bin', label: '.bin (raw float32, kokoro-js)' },
  { id: 'pt', label: '.pt (PyTorch)' },
  { id: 'npy', label: '.npy (NumPy)' },
];

/** Keep the searched clone: save it in the voice library (with its scores and origin) or download it. */
export function SavePanel() {
  const id = useId();
  const job = useStudio((s) => s.cloneJob);
  // The name typed for this job; a new job starts from "<target> clone" again.
  const [edited, setEdited] = useState<{ jobId: string; name: string }>();
  const [format, setFormat] = useState<VoiceExportFormat>('bin');
  const [busy, setBusy] = useState(false);
  if (!job) return null;
  const name = edited?.jobId === job.jobId ? edited.name : `${job.targetName} clone`;
  const setName = (value: string) => setEdited({ jobId: job.jobId, name: value });
  const ready = job.best !== undefined;
  const fileName = name.trim() || 'clone';
  return (
    <section
      aria-labelledby={`${id}-title`}
      className="flex flex-col gap-3 rounded-lg border border-zinc-800 bg-zinc-900/60 p-4"
    >
      <h2 id={`${id}-title`} className="text-sm font-semibold text-zinc-300">
        Keep the clone
      </h2>
      <form
        className="flex flex-wrap items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          setBusy(true);
          void saveClone(name).finally(() => setBusy(false));
        }}
      >
        <div className="flex flex-col gap-1">
          <label htmlFor={`${id}-name`} className="text-xs text-zinc-400">
            Name
          </label>
          <input
            id={`${id}-name`}
            value={name}
            onChange={(e) => setName(e.target.value)}
            className="w-56 rounded border border-zinc-700 bg-zinc-950 p-1.5 text-sm"
            data-testid="clone-save-name"
          />
        </div>
        <button
          type="submit"
          disabled={!ready || busy}
          className="rounded bg-amber-400 px-4 py-1.5 text-sm font-semibold text-zinc-950 hover:bg-amber-300 disabled:opacity-40"
          data-testid="clone-save"
        >
          {job.savedVoiceId ? 'Save again' : 'Save to library'}
        </button>
        {job.savedVoiceId && (
          <button
            type="button"
            onClick={() => studio.set({ tab: 'voices', voiceSelected: `user:${job.savedVoiceId}` })}
            className="px-2 py-1.5 text-sm text-amber-300 underline"
            data-testid="clone-open-library"
          >
            Open in Voices
          </button>
        )}
      </form>
      <div className="flex flex-wrap items-end gap-2">
        <label className="flex flex-col gap-1 text-sm">
          <span className="text-xs text-zinc-400">File format</span>
          <select
            value={format}
            onChange={(e) => setFormat(e.target.value as VoiceExportFormat)}
            className="rounded border border-zinc-700 bg-zinc-950 px-2 py-1.5"
            data-testid="clone-download-format"
          >
            {FORMATS.map((f) => (
              <option key={f.id} value={f.id}>
                {f.label}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          disabled={!ready}
          onClick={() => downloadClone('best', format, fileName)}
          className="rounded border border-zinc-600 px-3 py-1.5 text-sm hover:bg-zinc-800 disabled:opacity-40"
          data-testid="clone-download"
        >
          Download {fileName}.{format}
        </button>
      </div>
      {!ready && (
        <p className="text-xs text-zinc-400">Saving and downloading open once the search has a best voice.</p>
      )}
      {ready && job.state !== 'done' && job.state !== 'cancelled' && job.state !== 'error' && (
        <p className="text-xs text-zinc-400">You can keep the best so far at any time; the search goes on.</p>
      )}
    </section>
  );
}
