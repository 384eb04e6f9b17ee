import { useRef, useState, type DragEvent } from 'react';
import { useStudio } from '../../store/studio-store';
import { ACCEPTED_AUDIO, decodeAudioFile, SUPPORTED_FORMATS_TEXT } from './decode-audio';
import { startDraft } from './draft-actions';
import { errorText } from './reference-actions';

/** Upload a clip: drag and drop or the file picker. A bad file changes nothing but shows why. */
export function UploadZone() {
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const [error, setError] = useState<string>();
  const [reading, setReading] = useState<string>();
  const recording = useStudio((s) => s.refRecording);

  const accept = async (file: File | undefined) => {
    if (!file) return;
    setError(undefined);
    setReading(file.name);
    try {
      const decoded = await decodeAudioFile(file);
      await startDraft(decoded, 'upload', file.name);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setReading(undefined);
      if (input.current) input.current.value = '';
    }
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    void accept(event.dataTransfer.files[0]);
  };

  return (
    <section
      aria-labelledby="upload-heading"
      className="flex flex-col gap-3 rounded-lg border border-zinc-800 bg-zinc-900/60 p-4"
    >
      <h3 id="upload-heading" className="text-sm font-semibold text-zinc-300">
        Upload
      </h3>
      <div
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        className={`flex min-h-40 flex-1 flex-col items-center justify-center gap-2 rounded border-2 border-dashed p-4 text-center text-sm ${dragging ? 'border-amber-400 bg-amber-400/10' : 'border-zinc-700'}`}
        data-testid="upload-drop"
      >
        <p className="text-zinc-300">Drop an audio file here, or</p>
        <button
          type="button"
          disabled={recording || reading !== undefined}
          onClick={() => input.current?.click()}
          className="rounded border border-zinc-600 px-3 py-1.5 hover:bg-zinc-800 disabled:opacity-50"
        >
          Choose a file…
        </button>
        <input
          ref={input}
          type="file"
          accept={ACCEPTED_AUDIO}
          aria-label="Audio file to upload"
          className="sr-only"
          data-testid="upload-input"
          onChange={(e) => void accept(e.target.files?.[0])}
        />
        <p className="text-xs text-zinc-400">
          {SUPPORTED_FORMATS_TEXT}; any sample rate, mono or stereo. Up to 5 minutes are kept.
        </p>
        {reading && (
          <p role="status" className="text-xs text-zinc-300">
            Reading {reading}…
          </p>
        )}
      </div>
      {error && (
        <div
          role="alert"
          className="rounded border border-red-500/50 bg-red-950/60 p-3 text-sm text-red-100"
          data-testid="upload-error"
        >
          {error}
        </div>
      )}
    </section>
  );
}
