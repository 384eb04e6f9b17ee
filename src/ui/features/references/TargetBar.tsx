import { useEffect, useId, useRef, useState } from 'react';
import { checkTranscriptLength } from '../../../engine/reference/transcript-check';
import { useStudio } from '../../store/studio-store';
import {
  createTarget,
  deleteTarget,
  selectTarget,
  targetSpeechSeconds,
  updateTarget,
} from './reference-actions';
import { TranscriptWarning } from './TranscriptWarning';
import { openCloneFor } from '../clone/clone-settings';

/** Typing pause after which the transcript is written (it is written on blur too). */
const TRANSCRIPT_SAVE_DELAY_MS = 500;

/**
 * The target voice new clips go to: pick, create, rename, delete; and the transcript of its
 * clips (optional; cloning uses it to render the same words).
 */
export function TargetBar() {
  const targets = useStudio((s) => s.refTargets);
  const targetId = useStudio((s) => s.refTargetId);
  const clips = useStudio((s) => s.refClips);
  const loaded = useStudio((s) => s.refLoaded);
  const target = targets.find((t) => t.id === targetId);
  const [transcript, setTranscript] = useState<string>();
  const [name, setName] = useState<string>();
  const [transcriptSave, setTranscriptSave] = useState<'idle' | 'pending' | 'saved'>('idle');
  const saveTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(saveTimer.current), []);
  /** Writes the transcript now (on blur) or after a pause in typing, so a reload or a closed tab loses at most TRANSCRIPT_SAVE_DELAY_MS of it. */
  const saveTranscript = async (id: string, value: string) => {
    clearTimeout(saveTimer.current);
    saveTimer.current = undefined;
    await updateTarget(id, { transcript: value });
    if (saveTimer.current === undefined) setTranscriptSave('saved'); // else more typing is pending
  };
  const count = clips.filter((c) => c.targetId === targetId).length;
  const transcriptHelpId = useId();
  // Checked as the user types: a transcript far too short or long for the clips' speech.
  const transcriptWarning = target
    ? checkTranscriptLength(transcript ?? target.transcript, targetSpeechSeconds(clips, targetId))
    : undefined;

  return (
    <section
      aria-labelledby="target-heading"
      className="flex flex-col gap-3 rounded-lg border border-zinc-800 bg-zinc-900/60 p-4"
    >
      <div className="flex flex-wrap items-end gap-3">
        <h2 id="target-heading" className="sr-only">
          Target voice
        </h2>
        <label className="flex flex-col gap-1 text-sm">
          <span className="text-xs text-zinc-400">Target voice</span>
          <select
            value={targetId ?? ''}
            onChange={(e) => {
              selectTarget(e.target.value);
              setName(undefined);
              setTranscript(undefined);
              setTranscriptSave('idle');
            }}
            className="min-w-48 rounded border border-zinc-700 bg-zinc-950 px-2 py-1.5"
            data-testid="target-select"
          >
            {targets.length === 0 && <option value="">No voice yet: the first clip creates one</option>}
            {targets.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        </label>
        {target && (
          <label className="flex flex-col gap-1 text-sm">
            <span className="text-xs text-zinc-400">Name</span>
            <input
              value={name ?? target.name}
              onChange={(e) => setName(e.target.value)}
              onBlur={() => {
                if (name !== undefined) void updateTarget(target.id, { name });
                setName(undefined);
              }}
              onKeyDown={(e) => {
                if (e.key === 'Enter') e.currentTarget.blur();
              }}
              className="rounded border border-zinc-700 bg-zinc-950 px-2 py-1.5"
              data-testid="target-name"
            />
          </label>
        )}
        <button
          type="button"
          onClick={() => void createTarget('')}
          className="rounded border border-zinc-600 px-3 py-1.5 text-sm hover:bg-zinc-800"
          data-testid="target-new"
        >
          New voice
        </button>
        {target && count > 0 && (
          <button
            type="button"
            onClick={() => openCloneFor(target.id)}
            className="rounded border border-amber-400/70 px-3 py-1.5 text-sm text-amber-200 hover:bg-amber-400/10"
            data-testid="target-clone"
          >
            Clone this voice
          </button>
        )}
        {target && (
          <button
            type="button"
            onClick={() => void deleteTarget(target.id)}
            className="rounded border border-zinc-700 px-3 py-1.5 text-sm text-zinc-300 hover:border-red-500 hover:text-red-300"
          >
            Delete voice
          </button>
        )}
        <span className="pb-1.5 text-xs text-zinc-400">
          {target
            ? `${count} clip${count === 1 ? '' : 's'} of the same speaker; their embeddings are averaged.`
            : ''}
        </span>
      </div>
      {target && (
        <div className="flex flex-col gap-1">
          <label className="flex flex-col gap-1 text-sm">
            <span className="text-xs text-zinc-400">
              Transcript of the clips (optional: cloning renders the same words to compare)
            </span>
            <textarea
              value={transcript ?? target.transcript ?? ''}
              onChange={(e) => {
                const value = e.target.value;
                const id = target.id;
                setTranscript(value);
                setTranscriptSave('pending');
                clearTimeout(saveTimer.current);
                saveTimer.current = setTimeout(
                  () => void saveTranscript(id, value),
                  TRANSCRIPT_SAVE_DELAY_MS,
                );
              }}
              onBlur={() => {
                if (transcript !== undefined) void saveTranscript(target.id, transcript);
                setTranscript(undefined);
              }}
              rows={2}
              placeholder="What the speaker says in these clips"
              className="rounded border border-zinc-700 bg-zinc-950 px-2 py-1.5"
              data-testid="target-transcript"
              aria-describedby={transcriptWarning ? transcriptHelpId : undefined}
            />
          </label>
          {transcriptWarning && (
            <TranscriptWarning
              id={transcriptHelpId}
              warning={transcriptWarning}
              testId="target-transcript-warning"
            />
          )}
          <span aria-live="polite" className="text-xs text-zinc-400" data-testid="transcript-status">
            {transcriptSave === 'pending' ? 'Saving…' : transcriptSave === 'saved' ? 'Transcript saved' : ''}
          </span>
          <p className="text-xs text-zinc-400" data-testid="target-consent">
            {target.consentAt !== undefined
              ? `Consent to clone confirmed on ${new Date(target.consentAt).toLocaleDateString()}.`
              : 'Consent to clone: asked before the first clone of this voice.'}
          </p>
        </div>
      )}
      {targets.length === 0 && (
        <p className="text-xs text-zinc-400">
          A target voice is the speaker you want to clone. Record or upload a clip below to start one
          {loaded ? '' : ' (loading saved voices…)'}.
        </p>
      )}
    </section>
  );
}
