import { useId, useState } from 'react';
import type { VoiceExportFormat } from '../../../engine/voices/formats';
import { useStudio } from '../../store/studio-store';
import { downloadCurrentRecipe, downloadPreviewWav, downloadResult, saveResult } from './files-actions';

const FORMATS: readonly VoiceExportFormat[] = ['pt', 'bin', 'npy'];

/** Keep the blend: save it in the library, or download it as a voice file, a recipe, or audio. */
export function SaveResultPanel() {
  const id = useId();
  const checksum = useStudio((s) => s.blendChecksum);
  const renders = useStudio((s) => s.previewRenders);
  const [name, setName] = useState('');
  const [tags, setTags] = useState('');
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  const fileName = name.trim() || 'blend';
  return (
    <section
      aria-labelledby={`${id}-title`}
      className="flex flex-col gap-3 rounded-lg border border-zinc-800 bg-zinc-900/60 p-4"
    >
      <div className="flex items-center justify-between gap-2">
        <h2 id={`${id}-title`} className="text-sm font-semibold text-zinc-300">
          Keep the blend
        </h2>
        <span
          className="font-mono text-xs text-zinc-400"
          data-testid="result-checksum"
          title="Fingerprint of the blended voice pack"
        >
          {checksum ?? 'no blend yet'}
        </span>
      </div>
      <form
        className="flex flex-wrap items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          setBusy(true);
          void saveResult(name.trim(), tags).then((p) => {
            setBusy(false);
            setProblem(p);
            if (!p) {
              setName('');
              setTags('');
            }
          });
        }}
      >
        <div className="flex flex-col gap-1">
          <label htmlFor={`${id}-name`} className="text-xs text-zinc-400">
            Name
          </label>
          <input
            id={`${id}-name`}
            data-testid="save-name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? `${id}-problem` : undefined}
            className="w-48 rounded border border-zinc-700 bg-zinc-900 p-1.5 text-sm"
          />
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor={`${id}-tags`} className="text-xs text-zinc-400">
            Tags (comma-separated)
          </label>
          <input
            id={`${id}-tags`}
            data-testid="save-tags"
            value={tags}
            onChange={(e) => setTags(e.target.value)}
            className="w-48 rounded border border-zinc-700 bg-zinc-900 p-1.5 text-sm"
          />
        </div>
        <button
          type="submit"
          data-testid="save-result"
          disabled={!checksum || busy}
          className="rounded bg-amber-400 px-4 py-1.5 text-sm font-semibold text-zinc-950 hover:bg-amber-300 disabled:opacity-40"
        >
          Save to library
        </button>
      </form>
      {problem && (
        <p id={`${id}-problem`} role="alert" data-testid="save-error" className="text-sm text-red-200">
          {problem}
        </p>
      )}
      <div className="flex flex-wrap items-center gap-2 text-sm" role="group" aria-label="Download the blend">
        <span className="text-zinc-400">Download:</span>
        {FORMATS.map((format) => (
          <button
            key={format}
            type="button"
            disabled={!checksum}
            data-testid={`result-download-${format}`}
            onClick={() => downloadResult(format, fileName)}
            className="rounded border border-zinc-600 px-2 py-1 hover:bg-zinc-800 disabled:opacity-40"
          >
            .{format}
          </button>
        ))}
        <button
          type="button"
          disabled={!checksum}
          data-testid="result-download-recipe"
          onClick={() => downloadCurrentRecipe(fileName)}
          className="rounded border border-zinc-600 px-2 py-1 hover:bg-zinc-800 disabled:opacity-40"
        >
          Recipe (JSON)
        </button>
        <button
          type="button"
          disabled={renders === 0}
          data-testid="preview-download-wav"
          onClick={() => downloadPreviewWav(fileName)}
          className="rounded border border-zinc-600 px-2 py-1 hover:bg-zinc-800 disabled:opacity-40"
        >
          Preview (WAV)
        </button>
      </div>
    </section>
  );
}
