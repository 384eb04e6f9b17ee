import { formatSeconds } from '../../components/format';
import { useState } from 'react';
import { useStudio } from '../../store/studio-store';
import type { RefCleanOptions } from '../../store/slices/references';
import { BeforeAfter } from './BeforeAfter';
import { DraftWaveform } from './DraftWaveform';
import { discardDraft, saveDraft, setCleanOption, setRegion } from './draft-actions';

const OPTIONS: { key: keyof RefCleanOptions; label: string; hint: string }[] = [
  {
    key: 'trimSilence',
    label: 'Trim silences',
    hint: 'Silero VAD: cuts leading and trailing silence and shortens long pauses.',
  },
  {
    key: 'denoise',
    label: 'Suppress noise',
    hint: 'RNNoise: removes steady background noise. Compare before and after: it can dull a voice.',
  },
  {
    key: 'normalise',
    label: 'Normalise loudness',
    hint: 'Brings the clip to the studio level (-20 dBFS), peaks kept under -1 dBFS.',
  },
];

interface RegionFieldProps {
  label: string;
  value: number;
  max: number;
  onCommit: (value: number) => void;
  testId: string;
}

/** A seconds field that applies on Enter or when it loses focus, not on every keystroke. */
function RegionField({ label, value, max, onCommit, testId }: RegionFieldProps) {
  const [text, setText] = useState<string>();
  const apply = () => {
    if (text !== undefined && text.trim() !== '') onCommit(Number(text));
    setText(undefined);
  };
  return (
    <label className="flex items-center gap-1.5">
      <span className="text-zinc-400">{label}</span>
      <input
        type="number"
        min={0}
        max={max}
        step={0.1}
        value={text ?? value.toFixed(1)}
        onChange={(e) => setText(e.target.value)}
        onBlur={apply}
        onKeyDown={(e) => {
          if (e.key === 'Enter') apply();
        }}
        className="w-20 rounded border border-zinc-700 bg-zinc-950 px-2 py-1"
        data-testid={testId}
      />
      <span className="text-zinc-400">s</span>
    </label>
  );
}

function RegionInputs({ durationS }: { durationS: number }) {
  const region = useStudio((s) => s.refRegion);
  const start = region?.startS ?? 0;
  const end = region?.endS ?? durationS;
  const commit = (nextStart: number, nextEnd: number) => {
    if (!Number.isFinite(nextStart) || !Number.isFinite(nextEnd)) return;
    const s = Math.min(Math.max(0, nextStart), durationS);
    const e = Math.min(Math.max(s + 0.1, nextEnd), durationS);
    setRegion(s <= 0 && e >= durationS ? undefined : { startS: s, endS: e });
  };
  return (
    <fieldset className="flex flex-wrap items-center gap-3 text-sm">
      <legend className="sr-only">Region to keep</legend>
      <RegionField
        label="Keep from"
        value={start}
        max={durationS}
        onCommit={(v) => commit(v, end)}
        testId="region-start"
      />
      <RegionField
        label="to"
        value={end}
        max={durationS}
        onCommit={(v) => commit(start, v)}
        testId="region-end"
      />
      {region && (
        <button
          type="button"
          onClick={() => setRegion(undefined)}
          className="text-amber-300 underline-offset-2 hover:underline"
        >
          Keep everything
        </button>
      )}
    </fieldset>
  );
}

/** The recorded or uploaded audio before it is saved: region, clean-up options, before/after, warnings. */
export function DraftEditor() {
  const phase = useStudio((s) => s.refDraftPhase);
  const draft = useStudio((s) => s.refDraft);
  const cleaned = useStudio((s) => s.refCleaned);
  const options = useStudio((s) => s.refCleanOptions);
  const progress = useStudio((s) => s.refDraftProgress);
  const error = useStudio((s) => s.refDraftError);

  if (phase === 'empty') return null;
  const noSpeech = cleaned?.warnings.some((w) => w.kind === 'no-speech') ?? false;
  // How speech was found is a note about the clean-up, not a problem with the audio.
  const vadNote = cleaned?.warnings.find((w) => w.kind === 'vad-fallback');
  const warnings = cleaned?.warnings.filter((w) => w.kind !== 'vad-fallback') ?? [];
  const canSave = phase === 'ready' && !!cleaned && cleaned.durationS > 0 && !noSpeech;

  return (
    <section
      aria-labelledby="draft-heading"
      className="flex flex-col gap-3 rounded-lg border border-amber-400/40 bg-zinc-900/80 p-4"
      data-testid="draft"
    >
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h3 id="draft-heading" className="text-sm font-semibold text-zinc-200">
          Clean up {draft?.source === 'upload' ? `“${draft.fileName}”` : 'the recording'}
        </h3>
        {draft && (
          <span
            className="text-xs text-zinc-400"
            data-testid="draft-source-duration"
            data-seconds={draft.sourceS.toFixed(4)}
          >
            {formatSeconds(draft.sourceS)} as {draft.source === 'upload' ? 'uploaded' : 'recorded'}
          </span>
        )}
      </div>
      {phase === 'decoding' && <p role="status">Reading the audio…</p>}
      {draft && phase !== 'decoding' && (
        <>
          <DraftWaveform />
          <RegionInputs durationS={draft.ingestedS} />
          <fieldset className="flex flex-col gap-1.5 text-sm">
            <legend className="mb-1 text-xs text-zinc-400">Clean-up</legend>
            {OPTIONS.map((o) => (
              <label key={o.key} className="flex items-start gap-2">
                <input
                  type="checkbox"
                  checked={options[o.key]}
                  onChange={(e) => setCleanOption(o.key, e.target.checked)}
                  className="mt-1 accent-amber-400"
                  data-testid={`option-${o.key}`}
                />
                <span>
                  {o.label} <span className="text-xs text-zinc-400">{o.hint}</span>
                </span>
              </label>
            ))}
          </fieldset>
          <BeforeAfter />
        </>
      )}
      <div aria-live="polite" className="text-sm" data-testid="draft-status">
        {phase === 'cleaning' && <p className="text-zinc-300">{progress ?? 'Cleaning up…'}</p>}
        {phase === 'ready' && cleaned && (
          <p
            className="text-zinc-300"
            data-testid="draft-result"
            data-duration={cleaned.durationS.toFixed(4)}
            data-speech={cleaned.speechS.toFixed(4)}
            data-denoised={cleaned.denoised}
          >
            Keeps {formatSeconds(cleaned.durationS)} with {formatSeconds(cleaned.speechS)} of speech.
          </p>
        )}
      </div>
      {vadNote && phase !== 'decoding' && (
        <p
          role="note"
          className="rounded border border-zinc-600 bg-zinc-800/60 p-3 text-sm text-zinc-200"
          data-testid="vad-fallback-note"
        >
          {vadNote.message}
        </p>
      )}
      {warnings.length > 0 && phase !== 'decoding' && (
        <ul
          className="flex flex-col gap-1 rounded border border-amber-500/40 bg-amber-950/40 p-3 text-sm text-amber-100"
          data-testid="draft-warnings"
        >
          {warnings.map((w) => (
            <li key={w.kind} data-kind={w.kind}>
              {w.message}
            </li>
          ))}
        </ul>
      )}
      {error && (
        <div
          role="alert"
          className="rounded border border-red-500/50 bg-red-950/60 p-3 text-sm text-red-100"
          data-testid="draft-error"
        >
          {error}
        </div>
      )}
      <div className="flex gap-2">
        <button
          type="button"
          disabled={!canSave}
          onClick={() => void saveDraft()}
          className="rounded bg-amber-400 px-4 py-1.5 text-sm font-medium text-zinc-950 hover:bg-amber-300 disabled:opacity-40"
          data-testid="save-clip"
        >
          Save clip
        </button>
        <button
          type="button"
          onClick={discardDraft}
          className="rounded border border-zinc-600 px-3 py-1.5 text-sm hover:bg-zinc-800"
        >
          Discard
        </button>
        {phase === 'ready' && noSpeech && (
          <span className="self-center text-sm text-zinc-400">Nothing to save: no speech was found.</span>
        )}
      </div>
    </section>
  );
}
