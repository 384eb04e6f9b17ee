import { useEffect, useRef, useState } from 'react';
import { formatSeconds } from '../../components/format';
import { useTabVisible } from '../../components/Tabs';
import { focusMediaElement } from '../../audio/playback-focus';
import { useStudio } from '../../store/studio-store';
import type { RefAnalysis, RefClip } from '../../store/slices/references';
import { wavUrl } from './audio-url';
import { readClip } from './reference-db';
import { deleteClip, errorText, renameClip } from './reference-actions';

function AnalysisBadge({ analysis }: { analysis: RefAnalysis | undefined }) {
  const state = analysis?.state ?? 'pending';
  const text =
    state === 'embedded'
      ? `Embedded (${analysis?.state === 'embedded' ? analysis.encoderVariant : ''})`
      : state === 'features'
        ? 'Voice features only (no encoder)'
        : state === 'error'
          ? 'Analysis failed'
          : 'Analysing…';
  const colour =
    state === 'embedded'
      ? 'bg-emerald-900 text-emerald-100'
      : state === 'error'
        ? 'bg-red-900 text-red-100'
        : 'bg-zinc-800 text-zinc-300';
  return (
    <span
      className={`rounded px-1.5 py-0.5 text-xs ${colour}`}
      data-testid="clip-status"
      data-state={state}
      title={analysis?.state === 'error' ? analysis.message : undefined}
    >
      {text}
    </span>
  );
}

/** One saved clip: name (editable), facts, warnings, play, delete. */
export function ClipRow({ clip }: { clip: RefClip }) {
  const analysis = useStudio((s) => s.refAnalysis[clip.id]);
  const [name, setName] = useState<string>();
  const [playing, setPlaying] = useState(false);
  const [playError, setPlayError] = useState<string>();
  const audio = useRef<HTMLAudioElement | null>(null);
  const unfocus = useRef<() => void>(undefined);
  const visible = useTabVisible();

  // The tab stays mounted while another is shown: stop playing when it goes out of sight.
  useEffect(() => {
    if (!visible) audio.current?.pause();
  }, [visible]);

  useEffect(
    () => () => {
      const element = audio.current;
      if (!element) return;
      element.pause();
      unfocus.current?.();
      URL.revokeObjectURL(element.src);
    },
    [],
  );

  const togglePlay = async () => {
    if (playing) {
      audio.current?.pause();
      return;
    }
    try {
      if (!audio.current) {
        const record = await readClip(clip.id);
        if (!record) throw new Error('the clip is no longer saved');
        const element = new Audio(wavUrl(record.pcm, record.sampleRateHz));
        element.onpause = () => setPlaying(false);
        element.onended = () => setPlaying(false);
        unfocus.current = focusMediaElement(element); // one voice at a time
        audio.current = element;
      }
      await audio.current.play();
      setPlaying(true);
      setPlayError(undefined);
    } catch (error) {
      // Another player started before this one did (one voice at a time): not a failure.
      if (error instanceof DOMException && error.name === 'AbortError') return;
      setPlayError(`Could not play: ${errorText(error)}`);
    }
  };

  return (
    <li
      className="flex flex-col gap-2 rounded border border-zinc-800 bg-zinc-950/50 p-3"
      data-testid="clip-row"
      data-clip-id={clip.id}
    >
      <div className="flex flex-wrap items-center gap-2">
        <input
          aria-label="Clip name"
          value={name ?? clip.name}
          onChange={(e) => setName(e.target.value)}
          onBlur={() => {
            if (name !== undefined) void renameClip(clip.id, name);
            setName(undefined);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') e.currentTarget.blur();
            if (e.key === 'Escape') setName(undefined);
          }}
          className="min-w-0 flex-1 rounded border border-transparent bg-transparent px-1 py-0.5 font-medium hover:border-zinc-700 focus:border-zinc-600"
          data-testid="clip-name"
        />
        <span
          className="text-xs text-zinc-400"
          data-testid="clip-duration"
          data-seconds={clip.durationS.toFixed(4)}
        >
          {formatSeconds(clip.durationS)}
          {clip.speechS !== undefined ? ` · ${formatSeconds(clip.speechS)} speech` : ''} · {clip.source}
        </span>
        <AnalysisBadge analysis={analysis} />
        <button
          type="button"
          onClick={() => void togglePlay()}
          aria-label={`${playing ? 'Pause' : 'Play'} ${clip.name}`}
          className="rounded border border-zinc-600 px-2.5 py-1 text-sm hover:bg-zinc-800"
        >
          {playing ? 'Pause' : 'Play'}
        </button>
        <button
          type="button"
          onClick={() => void deleteClip(clip.id)}
          aria-label={`Delete ${clip.name}`}
          className="rounded border border-zinc-700 px-2.5 py-1 text-sm text-zinc-300 hover:border-red-500 hover:text-red-300"
          data-testid="clip-delete"
        >
          Delete
        </button>
      </div>
      {clip.warnings.length > 0 && (
        <ul className="flex flex-col gap-0.5 text-xs text-amber-200" data-testid="clip-warnings">
          {clip.warnings.map((w) => (
            <li key={w}>⚠ {w}</li>
          ))}
        </ul>
      )}
      {analysis?.state === 'error' && <p className="text-xs text-red-300">{analysis.message}</p>}
      {playError && <p className="text-xs text-red-300">{playError}</p>}
    </li>
  );
}
