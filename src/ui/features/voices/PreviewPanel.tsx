import { useId } from 'react';
import type { Dialect } from '../../../workers/protocol';
import { formatSeconds } from '../../components/format';
import { studio, useStudio } from '../../store/studio-store';
import { PREVIEW_MAX_CHARS } from '../../store/slices/voices';
import { currentResultPack } from './blend-actions';
import { keyForName, nameForKey } from './pack-registry';
import {
  RESULT_SOURCE,
  invalidatePreview,
  listen,
  previewPlayer,
  replayCurrent,
  stopPreview,
} from './preview';
import { VoiceSelect } from './VoiceSelect';

function statusText(phase: string, hasResult: boolean, source: string | undefined, playing: boolean): string {
  if (phase === 'waiting' || phase === 'rendering') return 'Rendering the preview…';
  if (phase === 'error') return 'The preview could not be rendered.';
  if (!hasResult && !source) return 'Add a voice to hear the blend.';
  if (!source) return 'Ready.';
  const what = source === RESULT_SOURCE ? 'the blend' : (nameForKey(source) ?? 'a voice');
  return playing ? `Playing ${what}.` : `Ready: ${what}. Press Play to hear it.`;
}

function ABSwitch() {
  const other = useStudio((s) => s.abOther);
  const source = useStudio((s) => s.previewSource);
  const otherName = other ? (nameForKey(other) ?? '') : '';
  const onResult = source === RESULT_SOURCE;
  const onOther = source !== undefined && source === other;
  const button = (active: boolean) =>
    `rounded px-3 py-1.5 text-sm font-medium ${active ? 'bg-amber-400 text-zinc-950' : 'border border-zinc-600 text-zinc-100 hover:bg-zinc-800'}`;
  return (
    <div
      role="group"
      aria-label="Compare the blend with another voice"
      className="flex flex-wrap items-center gap-2"
    >
      <button
        type="button"
        aria-pressed={onResult}
        data-testid="ab-a"
        onClick={() => void listen('result')}
        className={button(onResult)}
      >
        A: blend
      </button>
      <button
        type="button"
        aria-pressed={onOther}
        data-testid="ab-b"
        disabled={!other}
        onClick={() => void listen('other')}
        className={`${button(onOther)} disabled:opacity-40`}
      >
        B: {otherName || 'pick a voice'}
      </button>
      <VoiceSelect
        value={otherName}
        placeholder="Voice to compare…"
        label="Voice B to compare with the blend"
        testId="ab-voice"
        onChange={(name) => {
          const key = keyForName(name);
          studio.set({ abOther: key });
          if (key) void listen('other');
        }}
      />
    </div>
  );
}

/** The live preview: the sentence, what plays, A/B, and the render status tests read. */
export function PreviewPanel() {
  const id = useId();
  const text = useStudio((s) => s.previewText);
  const dialect = useStudio((s) => s.previewDialect);
  const loop = useStudio((s) => s.previewLoop);
  const phase = useStudio((s) => s.previewPhase);
  const error = useStudio((s) => s.previewError);
  const renders = useStudio((s) => s.previewRenders);
  const checksum = useStudio((s) => s.previewChecksum);
  const level = useStudio((s) => s.previewRms);
  const seconds = useStudio((s) => s.previewSeconds);
  const source = useStudio((s) => s.previewSource);
  const playing = useStudio((s) => s.previewPlaying);
  const hasResult = useStudio((s) => s.blendChecksum !== undefined);
  const engineReady = useStudio((s) => s.phase === 'ready');

  const changeText = (value: string) => {
    studio.set({ previewText: value.slice(0, PREVIEW_MAX_CHARS) });
    invalidatePreview(currentResultPack());
  };
  return (
    <section
      aria-labelledby={`${id}-title`}
      className="flex flex-col gap-3 rounded-lg border border-zinc-800 bg-zinc-900/60 p-4"
    >
      <h2 id={`${id}-title`} className="text-sm font-semibold text-zinc-300">
        Live preview
      </h2>
      <div className="flex flex-wrap items-end gap-2">
        <div className="flex min-w-64 flex-1 flex-col gap-1">
          <label htmlFor={`${id}-text`} className="text-xs text-zinc-400">
            Preview sentence
          </label>
          <input
            id={`${id}-text`}
            data-testid="preview-text"
            value={text}
            maxLength={PREVIEW_MAX_CHARS}
            onChange={(e) => changeText(e.target.value)}
            className="rounded border border-zinc-700 bg-zinc-900 p-2 text-sm text-zinc-100"
          />
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor={`${id}-dialect`} className="text-xs text-zinc-400">
            Accent of the text
          </label>
          <select
            id={`${id}-dialect`}
            value={dialect}
            onChange={(e) => {
              studio.set({ previewDialect: e.target.value as Dialect });
              invalidatePreview(currentResultPack());
            }}
            className="rounded border border-zinc-700 bg-zinc-900 p-2 text-sm"
          >
            <option value="en-us">American English</option>
            <option value="en-gb">British English</option>
          </select>
        </div>
        <label className="flex items-center gap-2 pb-2 text-sm text-zinc-300">
          <input
            type="checkbox"
            checked={loop}
            onChange={(e) => {
              studio.set({ previewLoop: e.target.checked });
              previewPlayer.setLoop(e.target.checked);
            }}
            className="accent-amber-400"
          />
          Loop
        </label>
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <button
          type="button"
          data-testid="preview-play"
          disabled={!engineReady || renders === 0}
          onClick={playing ? stopPreview : replayCurrent}
          className="rounded border border-zinc-600 px-3 py-1.5 text-sm hover:bg-zinc-800 disabled:opacity-40"
        >
          {playing ? 'Stop' : 'Play'}
        </button>
        <ABSwitch />
      </div>
      <p
        aria-live="polite"
        data-testid="preview-status"
        data-phase={phase}
        data-renders={renders}
        data-checksum={checksum ?? ''}
        data-rms={level?.toFixed(6) ?? ''}
        data-source={source ?? ''}
        className="text-sm text-zinc-400"
      >
        {engineReady ? statusText(phase, hasResult, source, playing) : 'The voice model is loading…'}
        {seconds !== undefined && phase !== 'error' && (
          <span className="ml-2 tabular-nums text-zinc-400">{formatSeconds(seconds)}</span>
        )}
      </p>
      {error && (
        <p
          role="alert"
          data-testid="preview-error"
          className="rounded border border-red-500/50 bg-red-950/60 p-2 text-sm text-red-100"
        >
          {error}
        </p>
      )}
    </section>
  );
}
