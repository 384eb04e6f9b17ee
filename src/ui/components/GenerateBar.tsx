import { useEffect } from 'react';
import { useStudio } from '../store/studio-store';
import { generate, stop } from '../clients/generation';
import { useTabVisible } from './Tabs';

/**
 * The words being played, under the progress bar. Its box keeps one height (two lines, the rest
 * cut with an ellipsis) whether or not a part is playing, so nothing moves while playback starts,
 * changes part or ends: Stop stays where the pointer is.
 */
function NowSpeaking() {
  const speaking = useStudio((s) => s.speaking);
  return (
    <div className="mt-2 h-14 rounded bg-zinc-900 p-2">
      <p
        data-testid="now-speaking"
        data-speaking={speaking ? 'true' : 'false'}
        className="line-clamp-2 text-sm leading-5 text-zinc-300"
      >
        {speaking ? (
          <>
            <span className="text-zinc-400">Now speaking: </span>
            {speaking.words}
          </>
        ) : (
          <span className="text-zinc-500">Nothing playing.</span>
        )}
      </p>
    </div>
  );
}

export function GenerateBar() {
  const phase = useStudio((s) => s.phase);
  const synthesisPhase = useStudio((s) => s.synthesisPhase);
  const empty = useStudio((s) => s.text.trim().length === 0);
  const done = useStudio((s) => s.chunksDone);
  const total = useStudio((s) => s.chunksTotal);
  const error = useStudio((s) => s.synthesisError);
  const generating = synthesisPhase === 'generating';
  const visible = useTabVisible();

  useEffect(() => {
    // Escape stops synthesis only while the Speak tab is shown (other tabs use Escape themselves).
    if (!visible) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') stop();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [visible]);

  const disabledReason =
    phase !== 'ready' ? 'The voice model is not ready yet.' : empty ? 'Type some text first.' : undefined;
  return (
    <section aria-label="Generate" className="flex flex-col gap-3">
      <div className="flex items-center gap-3">
        <button
          type="button"
          data-testid="generate"
          onClick={() => void generate()}
          disabled={generating || disabledReason !== undefined}
          title={disabledReason}
          className="min-w-44 rounded-lg bg-amber-400 px-5 py-2.5 font-semibold text-zinc-950 hover:bg-amber-300 disabled:cursor-not-allowed disabled:opacity-40"
        >
          {generating ? 'Generating…' : 'Generate'}
        </button>
        <button
          type="button"
          data-testid="stop"
          onClick={stop}
          className="rounded-lg border border-zinc-600 px-4 py-2.5 font-medium text-zinc-100 hover:bg-zinc-800"
        >
          Stop
        </button>
        {disabledReason && !generating && <span className="text-sm text-zinc-400">{disabledReason}</span>}
      </div>
      {(generating || total > 0) && (
        <div>
          <p className="text-sm text-zinc-300" aria-live="polite" data-testid="synthesis-status">
            {generating
              ? `Synthesising part ${Math.min(done + 1, Math.max(total, 1))}${total ? ` of ${total}` : ''}…`
              : synthesisPhase === 'cancelled'
                ? `Stopped after ${done} of ${total} parts.`
                : synthesisPhase === 'done'
                  ? `Done: ${total} part${total === 1 ? '' : 's'}.`
                  : ''}
          </p>
          <div
            role="progressbar"
            aria-label="Synthesis progress"
            aria-valuemin={0}
            aria-valuemax={total || 1}
            aria-valuenow={done}
            className="mt-1 h-1.5 overflow-hidden rounded bg-zinc-800"
          >
            <div className="h-full bg-amber-400" style={{ width: `${total ? (100 * done) / total : 0}%` }} />
          </div>
          <NowSpeaking />
        </div>
      )}
      {error && (
        <p
          role="alert"
          data-testid="synthesis-error"
          className="rounded border border-red-500/50 bg-red-950/60 p-3 text-sm text-red-100"
        >
          {error}
        </p>
      )}
    </section>
  );
}
