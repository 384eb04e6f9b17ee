import type { CandidateScore } from '../../../engine/clone/score';
import { inMeasureOf, SCORE_MEASURE } from '../../../engine/clone/search';
import { studio, useStudio } from '../../store/studio-store';
import { listen, stopListening, type ListenKey } from './clone-audio';
import { formatSimilarity } from './score-text';

interface Row {
  key: ListenKey;
  label: string;
  detail?: string;
  score?: CandidateScore;
  available: boolean;
}

/** Reference, nearest stock voice, instant clone and searched clone side by side, each playable. */
export function ABPanel() {
  const job = useStudio((s) => s.cloneJob);
  const text = useStudio((s) => s.cloneListenText);
  const playing = useStudio((s) => s.clonePlaying);
  const rendering = useStudio((s) => s.cloneRendering);
  const ttsReady = useStudio((s) => s.phase === 'ready');
  if (!job) return null;
  // Every row in the measure the job's search maximises (its best is kept in it): the walk's
  // is KVoiceWalk's, the target probe's alone; Timbre's and CMA-ES's pool both renderings.
  const probeOnly = SCORE_MEASURE[job.method] === 'probe';
  const measured = (score: CandidateScore) => inMeasureOf(job.method, score);
  const nearestScore = job.nearest ? measured(job.nearest.score) : undefined;
  const instantScore = job.instant ? measured(job.instant.score) : undefined;
  const rows: Row[] = [
    { key: 'reference', label: 'Reference', detail: `${job.targetName} as recorded`, available: true },
    {
      key: 'nearest',
      label: 'Nearest stock voice',
      ...(job.nearest && nearestScore ? { detail: job.nearest.id, score: nearestScore } : {}),
      available: job.nearest !== undefined,
    },
    {
      key: 'instant',
      label: 'Instant clone',
      detail: 'mapped from the speaker embedding, before the search',
      ...(instantScore ? { score: instantScore } : {}),
      available: job.instant !== undefined,
    },
    {
      key: 'best',
      label: 'Searched clone',
      ...(job.best
        ? {
            detail:
              job.searchStart !== undefined
                ? `found at evaluation ${Math.max(0, job.best.evaluation - job.searchStart)}`
                : 'best so far',
            score: job.best.score,
          }
        : {}),
      available: job.best !== undefined,
    },
  ];

  return (
    <section
      aria-labelledby="clone-ab-heading"
      className="flex flex-col gap-3 rounded-lg border border-zinc-800 bg-zinc-900/60 p-4"
    >
      <h2 id="clone-ab-heading" className="text-sm font-semibold text-zinc-300">
        Compare
      </h2>
      <label className="flex flex-col gap-1 text-sm">
        <span className="text-xs text-zinc-400">Sentence the Kokoro voices speak</span>
        <input
          value={text}
          maxLength={300}
          onChange={(e) => studio.set({ cloneListenText: e.target.value })}
          className="rounded border border-zinc-700 bg-zinc-950 px-2 py-1.5"
          data-testid="clone-listen-text"
        />
      </label>
      <table className="w-full text-left text-sm" data-testid="clone-ab">
        <thead className="text-xs text-zinc-400">
          <tr>
            <th scope="col" className="py-1 font-normal">
              <span className="sr-only">Play</span>
            </th>
            <th scope="col" className="py-1 font-normal">
              Voice
            </th>
            <th scope="col" className="whitespace-nowrap py-1 pl-3 text-right font-normal">
              <abbr title="Target similarity" className="no-underline">
                Target sim.
              </abbr>
            </th>
            <th scope="col" className="py-1 pl-3 text-right font-normal">
              Score
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const active = playing === row.key || rendering === row.key;
            const needsKokoro = row.key !== 'reference';
            return (
              <tr key={row.key} className="border-t border-zinc-800" data-testid={`clone-ab-${row.key}`}>
                <td className="w-10 py-1.5">
                  <button
                    type="button"
                    aria-label={`${active ? 'Stop' : 'Play'} ${row.label}`}
                    aria-pressed={active}
                    disabled={!row.available || (needsKokoro && !ttsReady)}
                    onClick={() => (active ? stopListening() : void listen(row.key))}
                    className="flex h-7 w-7 items-center justify-center rounded-full border border-zinc-600 text-xs hover:bg-zinc-800 disabled:opacity-40"
                    data-testid={`clone-ab-play-${row.key}`}
                  >
                    {rendering === row.key ? '…' : playing === row.key ? '■' : '▶'}
                  </button>
                </td>
                <td className="py-1.5">
                  <span className="text-zinc-100">{row.label}</span>
                  {row.detail && <span className="ml-2 text-xs text-zinc-400">{row.detail}</span>}
                </td>
                <td className="py-1.5 pl-3 text-right font-mono" data-testid="clone-ab-target">
                  {formatSimilarity(row.score?.targetSimilarity)}
                </td>
                <td
                  className="py-1.5 pl-3 text-right font-mono"
                  data-testid="clone-ab-score"
                  data-value={row.score?.score ?? ''}
                >
                  {formatSimilarity(row.score?.score)}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {job.nearest && instantScore && nearestScore && instantScore.score < nearestScore.score && (
        <p className="text-xs text-amber-300" data-testid="clone-instant-below-stock">
          The instant clone scored below the nearest stock voice ({job.nearest.id}).{' '}
          {job.method === 'timbre'
            ? `The search also starts from ${job.nearest.id} and the mean of the top ten, and goes on from whichever scores best.`
            : 'The KVoiceWalk search does not use it: it starts from the top-ranked stock voices.'}
        </p>
      )}
      <p className="text-xs text-zinc-400">
        {probeOnly
          ? "Target similarity is the speaker encoder's cosine between a voice speaking the reference text and the reference itself (KVoiceWalk's measure)"
          : "Target similarity is the speaker encoder's cosine between the reference and a voice speaking the reference text and a second sentence (both renderings' embeddings averaged: steadier than one)"}
        ; the score also weighs stability across sentences and voice features.
      </p>
    </section>
  );
}
