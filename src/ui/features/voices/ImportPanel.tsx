import { useId, useState } from 'react';
import { VOICE_FILE_EXTENSIONS } from '../../../engine/voices/formats';
import { useStudio } from '../../store/studio-store';
import { importFiles } from './files-actions';

const ACCEPT = [...VOICE_FILE_EXTENSIONS, '.json'].join(',');

/** Voice files and recipes in: a file picker and a drop zone; problems are named per file. */
export function ImportPanel() {
  const id = useId();
  const [dragging, setDragging] = useState(false);
  const [busy, setBusy] = useState(false);
  const error = useStudio((s) => s.voicesError);
  const notice = useStudio((s) => s.voicesNotice);
  const take = (files: FileList | null) => {
    if (!files || files.length === 0) return;
    setBusy(true);
    void importFiles([...files]).finally(() => setBusy(false));
  };
  return (
    <section
      aria-labelledby={`${id}-title`}
      className="flex flex-col gap-3 rounded-lg border border-zinc-800 bg-zinc-900/60 p-4"
    >
      <h2 id={`${id}-title`} className="text-sm font-semibold text-zinc-300">
        Import
      </h2>
      <div
        data-testid="import-drop"
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          take(e.dataTransfer.files);
        }}
        className={`flex flex-col items-center gap-2 rounded-lg border-2 border-dashed p-4 text-center text-sm ${dragging ? 'border-amber-400 bg-amber-400/10' : 'border-zinc-700'}`}
      >
        <p className="text-zinc-300">Drop voice files here</p>
        <p className="text-xs text-zinc-400">
          PyTorch .pt, kokoro-js .bin, NumPy .npy, a kokoro-onnx bundle (.npz / voices-v1.0.bin) with many
          voices, or a recipe (.json).
        </p>
        <label className="cursor-pointer rounded border border-zinc-600 px-3 py-1.5 hover:bg-zinc-800 focus-within:outline focus-within:outline-2 focus-within:outline-amber-400">
          {busy ? 'Importing…' : 'Choose files…'}
          <input
            type="file"
            multiple
            accept={ACCEPT}
            data-testid="import-input"
            className="sr-only"
            onChange={(e) => {
              take(e.target.files);
              e.target.value = '';
            }}
          />
        </label>
      </div>
      <p aria-live="polite" data-testid="voices-notice" className="text-sm text-emerald-300 empty:hidden">
        {notice ?? ''}
      </p>
      {error && (
        <p
          role="alert"
          data-testid="voices-error"
          className="whitespace-pre-line rounded border border-red-500/50 bg-red-950/60 p-2 text-sm text-red-100"
        >
          {error}
        </p>
      )}
    </section>
  );
}
