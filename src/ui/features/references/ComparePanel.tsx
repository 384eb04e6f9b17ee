import { useMemo, useState } from 'react';
import { verificationSummary } from '../../../engine/reference/similarity';
import { useStudio } from '../../store/studio-store';
import type { RefComparison, RefMeasure } from '../../store/slices/references';
import { runComparison, toggleCompareVoice } from './compare-actions';
import { SimilarityTable } from './SimilarityTable';

function Summary({ comparison }: { comparison: RefComparison }) {
  // Averaged voices are left out: a clip always resembles an average it is part of.
  const summary = useMemo(() => {
    const keep = comparison.items.flatMap((item, i) => (item.kind === 'target' ? [] : [i]));
    const n = comparison.items.length;
    const matrix = Float32Array.from(keep.flatMap((i) => keep.map((j) => comparison.values[i * n + j] ?? 0)));
    return verificationSummary(
      matrix,
      keep.map((i) => comparison.items[i]!.group),
    );
  }, [comparison]);
  const f = (x: number | undefined) => (x === undefined ? '—' : x.toFixed(2));
  if (summary.sameMean === undefined) {
    return (
      <p className="text-xs text-zinc-400">
        Add a second clip of the same speaker to see whether same-speaker pairs stand out.
      </p>
    );
  }
  const separated = (summary.margin ?? -1) > 0;
  return (
    <p className="text-sm text-zinc-300" data-testid="verification-summary">
      Same speaker: mean {f(summary.sameMean)} · different speakers: mean {f(summary.differentMean)} ·{' '}
      {summary.correctBestMatches} of {summary.checkedItems} clips match their own speaker best.{' '}
      <span className={separated ? 'text-emerald-300' : 'text-amber-300'}>
        {separated
          ? 'Same-speaker pairs stand out.'
          : 'Some different-speaker pairs score as high as same-speaker ones.'}
      </span>
    </p>
  );
}

/** Pick any two items of the matrix and read their similarity. */
function PairPicker({ comparison }: { comparison: RefComparison }) {
  const { items, values } = comparison;
  const [a, setA] = useState(0);
  const [b, setB] = useState(Math.min(1, items.length - 1));
  const value = values[Math.min(a, items.length - 1) * items.length + Math.min(b, items.length - 1)];
  const select = (label: string, index: number, onChange: (i: number) => void) => (
    <label className="flex items-center gap-1.5">
      <span className="sr-only">{label}</span>
      <select
        value={index}
        onChange={(e) => onChange(Number(e.target.value))}
        className="max-w-48 rounded border border-zinc-700 bg-zinc-950 px-2 py-1"
      >
        {items.map((item, i) => (
          <option key={item.key} value={i}>
            {item.label}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <div className="flex flex-wrap items-center gap-2 text-sm">
      <span className="text-zinc-400">Compare</span>
      {select('First voice or clip', a, setA)}
      <span className="text-zinc-400">with</span>
      {select('Second voice or clip', b, setB)}
      <output className="rounded bg-zinc-800 px-2 py-1 font-mono tabular-nums" data-testid="pair-similarity">
        {value === undefined ? '—' : value.toFixed(3)}
      </output>
    </div>
  );
}

/** Compare clips, target voices and library voices: a speaker-verification style matrix. */
export function ComparePanel() {
  const comparison = useStudio((s) => s.refComparison);
  const phase = useStudio((s) => s.refComparePhase);
  const status = useStudio((s) => s.refCompareStatus);
  const error = useStudio((s) => s.refCompareError);
  const chosen = useStudio((s) => s.refCompareVoices);
  const stockVoices = useStudio((s) => s.status?.manifest.voices);
  const encoderPhase = useStudio((s) => s.refEncoderPhase);
  const clipCount = useStudio((s) => s.refClips.length);
  const [measure, setMeasure] = useState<RefMeasure>('encoder');

  return (
    <section
      aria-labelledby="compare-heading"
      className="flex flex-col gap-3 rounded-lg border border-zinc-800 bg-zinc-900/60 p-4"
    >
      <h3 id="compare-heading" className="text-sm font-semibold text-zinc-300">
        Compare voices
      </h3>
      <div className="flex flex-wrap items-start gap-4 text-sm">
        <fieldset className="flex flex-col gap-1">
          <legend className="mb-1 text-xs text-zinc-400">Measure</legend>
          <label className="flex items-center gap-2">
            <input
              type="radio"
              name="ref-measure"
              checked={measure === 'encoder'}
              onChange={() => setMeasure('encoder')}
              className="accent-amber-400"
            />
            Speaker encoder (cosine){encoderPhase === 'error' ? ' — unavailable' : ''}
          </label>
          <label className="flex items-center gap-2">
            <input
              type="radio"
              name="ref-measure"
              checked={measure === 'features'}
              onChange={() => setMeasure('features')}
              className="accent-amber-400"
            />
            Voice features (no model)
          </label>
        </fieldset>
        <details className="min-w-56 flex-1">
          <summary className="cursor-pointer text-xs text-zinc-400">
            Library voices to include ({chosen.length})
          </summary>
          <div className="mt-2 grid max-h-48 grid-cols-2 gap-x-3 gap-y-1 overflow-y-auto sm:grid-cols-3">
            {(stockVoices ?? []).map((v) => (
              <label key={v.id} className="flex items-center gap-1.5 text-xs">
                <input
                  type="checkbox"
                  checked={chosen.includes(v.id)}
                  onChange={(e) => toggleCompareVoice(v.id, e.target.checked)}
                  className="accent-amber-400"
                />
                {v.id}
              </label>
            ))}
            {!stockVoices && (
              <p className="col-span-full text-xs text-zinc-400">The list appears when Kokoro has loaded.</p>
            )}
          </div>
        </details>
        <button
          type="button"
          disabled={phase === 'running' || clipCount === 0}
          onClick={() => void runComparison(measure)}
          className="rounded bg-amber-400 px-4 py-1.5 font-medium text-zinc-950 hover:bg-amber-300 disabled:opacity-40"
          data-testid="compare-run"
        >
          {phase === 'running' ? 'Comparing…' : 'Compare'}
        </button>
      </div>
      <div aria-live="polite" className="text-xs text-zinc-400" data-testid="compare-status">
        {status}
      </div>
      {error && (
        <div role="alert" className="rounded border border-red-500/50 bg-red-950/60 p-3 text-sm text-red-100">
          {error}
        </div>
      )}
      {comparison && (
        <>
          {comparison.fallbackReason && (
            <p
              className="rounded border border-sky-800 bg-sky-950/60 p-2 text-sm text-sky-100"
              data-testid="compare-fallback"
            >
              Showing voice-feature similarity (no model) because {comparison.fallbackReason}.
            </p>
          )}
          <SimilarityTable comparison={comparison} />
          <Summary comparison={comparison} />
          {comparison.items.length >= 2 && (
            <PairPicker key={comparison.items.map((i) => i.key).join()} comparison={comparison} />
          )}
        </>
      )}
    </section>
  );
}
