import { useEffect, useId } from 'react';
import { useStudio, studio } from '../store/studio-store';
import { ttsWorker } from '../clients/tts-client';
import { generate } from '../clients/generation';
import { formatCount } from '../../engine/count';

const ANALYSE_DEBOUNCE_MS = 300;

/** The script: text, character and token counts, and what cannot be spoken. */
export function TextPanel() {
  const id = useId();
  const text = useStudio((s) => s.text);
  const tokens = useStudio((s) => s.tokens);
  const unspeakable = useStudio((s) => s.unspeakable);
  const phase = useStudio((s) => s.phase);
  const dialect = useStudio((s) => s.dialect);

  useEffect(() => {
    if (phase !== 'ready') return;
    let cancelled = false;
    const timer = window.setTimeout(async () => {
      try {
        const analysis = await ttsWorker().analyse(text, dialect);
        if (!cancelled) studio.set({ tokens: analysis.tokens, unspeakable: analysis.unspeakable });
      } catch {
        // counts are advisory; Generate reports real errors
      }
    }, ANALYSE_DEBOUNCE_MS);
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
    };
  }, [text, dialect, phase]);

  const empty = text.trim().length === 0;
  return (
    <section aria-labelledby={`${id}-label`} className="flex flex-col gap-2">
      <label id={`${id}-label`} htmlFor={`${id}-text`} className="text-sm font-semibold text-zinc-300">
        Text to speak
      </label>
      <textarea
        id={`${id}-text`}
        data-testid="text-input"
        value={text}
        onChange={(e) => studio.set({ text: e.target.value })}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            void generate();
          }
        }}
        rows={10}
        aria-describedby={`${id}-counts ${id}-hint`}
        className="min-h-48 w-full resize-y rounded-lg border border-zinc-700 bg-zinc-900 p-3 text-base leading-relaxed text-zinc-100 placeholder:text-zinc-500"
        placeholder="Type or paste what the voice should say…"
      />
      <div className="flex flex-wrap justify-between gap-2 text-xs text-zinc-400">
        <span id={`${id}-counts`} data-testid="counts">
          {formatCount(text.length)} characters · {tokens === undefined ? '…' : formatCount(tokens)} tokens
        </span>
        <span>Ctrl+Enter to generate · Esc to stop</span>
      </div>
      <p id={`${id}-hint`} className="h-5 truncate text-sm" aria-live="polite">
        {empty && (
          <span className="text-amber-300" data-testid="empty-hint">
            Type some text to generate speech.
          </span>
        )}
        {!empty && unspeakable.length > 0 && (
          <span className="text-amber-300" data-testid="unspeakable">
            Kokoro cannot pronounce: {unspeakable.slice(0, 8).join(' ')}
            {unspeakable.length > 8 ? ` and ${unspeakable.length - 8} more` : ''}
          </span>
        )}
      </p>
    </section>
  );
}
