import { useStudio } from '../../store/studio-store';
import { lastEvaluation, usePlotSnapshot } from './clone-registry';
import {
  dotsPath,
  H_BEST_SCORE,
  H_BEST_TARGET,
  H_EVALUATION,
  H_SCORE,
  H_TARGET,
  niceTicks,
  scale,
  similarityDomain,
  stepPath,
  type Domain,
  type PlotBox,
} from './plot-geometry';

const BOX: PlotBox = { width: 640, height: 260, left: 48, right: 14, top: 12, bottom: 36 };
const SCORE_COLOUR = '#fbbf24'; // amber-400
const TARGET_COLOUR = '#38bdf8'; // sky-400

function Legend() {
  const item = (colour: string, label: string, dashed = false) => (
    <span className="flex items-center gap-1.5">
      <svg width="22" height="8" aria-hidden="true">
        <line
          x1="1"
          y1="4"
          x2="21"
          y2="4"
          stroke={colour}
          strokeWidth="2"
          strokeDasharray={dashed ? '3 3' : undefined}
        />
      </svg>
      {label}
    </span>
  );
  return (
    <div className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-zinc-400" aria-hidden="true">
      {item(SCORE_COLOUR, 'Best score so far')}
      {item(TARGET_COLOUR, 'Target similarity of the best')}
      <span className="flex items-center gap-1.5">
        <svg width="10" height="8">
          <circle cx="5" cy="4" r="2.5" fill={SCORE_COLOUR} opacity="0.45" />
        </svg>
        each candidate (score, similarity)
      </span>
      {item('#a1a1aa', 'nearest stock · instant clone', true)}
    </div>
  );
}

/** Score and target similarity against search evaluations: every candidate as a dot, the best so far as lines. */
export function ScorePlot() {
  const job = useStudio((s) => s.cloneJob);
  const summary = useStudio((s) => s.cloneSummary);
  const snapshot = usePlotSnapshot();
  if (!job) return null;
  const { history, count } = snapshot;
  const first = count > 0 ? history[H_EVALUATION]! - 1 : 0;
  const start = job.searchStart ?? first;
  const x: Domain = { min: start, max: Math.max(start + job.budget, lastEvaluation() ?? 0, start + 1) };
  const references = [job.nearest?.score.score, job.instant?.score.score].filter(
    (v): v is number => v !== undefined,
  );
  const y = similarityDomain(history, count, references);
  const plotBottom = BOX.height - BOX.bottom;
  const plotRight = BOX.width - BOX.right;
  const xTicks = niceTicks(0, x.max - x.min, 6);
  const yTicks = niceTicks(y.min, y.max, 5);
  const yOf = (v: number) => scale(v, y, plotBottom, BOX.top);

  return (
    <section
      aria-labelledby="clone-plot-heading"
      className="flex flex-col gap-2 rounded-lg border border-zinc-800 bg-zinc-900/60 p-4"
    >
      <h2 id="clone-plot-heading" className="text-sm font-semibold text-zinc-300">
        Search progress
      </h2>
      <svg
        viewBox={`0 0 ${BOX.width} ${BOX.height}`}
        className="w-full"
        role="img"
        aria-label={`Plot of score and target similarity over ${count} search evaluations. ${summary}`}
        data-testid="clone-plot"
        data-points={count}
      >
        <rect
          x={BOX.left}
          y={BOX.top}
          width={plotRight - BOX.left}
          height={plotBottom - BOX.top}
          fill="#18181b"
        />
        {yTicks.map((t) => (
          <g key={`y${t}`}>
            <line x1={BOX.left} x2={plotRight} y1={yOf(t)} y2={yOf(t)} stroke="#27272a" />
            <text x={BOX.left - 6} y={yOf(t) + 3.5} textAnchor="end" fontSize="10" fill="#a1a1aa">
              {t.toFixed(2)}
            </text>
          </g>
        ))}
        {xTicks.map((t) => {
          const px = scale(x.min + t, x, BOX.left, plotRight);
          return (
            <g key={`x${t}`}>
              <line x1={px} x2={px} y1={plotBottom} y2={plotBottom + 4} stroke="#52525b" />
              <text x={px} y={plotBottom + 15} textAnchor="middle" fontSize="10" fill="#a1a1aa">
                {t}
              </text>
            </g>
          );
        })}
        <line x1={BOX.left} x2={plotRight} y1={plotBottom} y2={plotBottom} stroke="#52525b" />
        <line x1={BOX.left} x2={BOX.left} y1={BOX.top} y2={plotBottom} stroke="#52525b" />
        <text
          x={(BOX.left + plotRight) / 2}
          y={BOX.height - 4}
          textAnchor="middle"
          fontSize="11"
          fill="#d4d4d8"
        >
          Search evaluation
        </text>
        <text
          transform={`translate(12 ${(BOX.top + plotBottom) / 2}) rotate(-90)`}
          textAnchor="middle"
          fontSize="11"
          fill="#d4d4d8"
        >
          Similarity / score
        </text>
        {references.map((v, i) => (
          <line
            key={`ref${i}`}
            x1={BOX.left}
            x2={plotRight}
            y1={yOf(v)}
            y2={yOf(v)}
            stroke="#a1a1aa"
            strokeDasharray="4 4"
            strokeWidth="1"
          />
        ))}
        <path
          d={dotsPath(history, count, H_TARGET, x, y, BOX)}
          stroke={TARGET_COLOUR}
          strokeOpacity="0.35"
          strokeWidth="3.5"
          strokeLinecap="round"
          fill="none"
        />
        <path
          d={dotsPath(history, count, H_SCORE, x, y, BOX)}
          stroke={SCORE_COLOUR}
          strokeOpacity="0.4"
          strokeWidth="3.5"
          strokeLinecap="round"
          fill="none"
        />
        <path
          d={stepPath(history, count, H_BEST_TARGET, x, y, BOX)}
          stroke={TARGET_COLOUR}
          strokeWidth="2"
          fill="none"
        />
        <path
          d={stepPath(history, count, H_BEST_SCORE, x, y, BOX)}
          stroke={SCORE_COLOUR}
          strokeWidth="2"
          fill="none"
        />
        {count === 0 && (
          <text
            x={(BOX.left + plotRight) / 2}
            y={(BOX.top + plotBottom) / 2}
            textAnchor="middle"
            fontSize="12"
            fill="#71717a"
          >
            The plot starts with the search, after ranking and the instant clone.
          </text>
        )}
      </svg>
      <Legend />
    </section>
  );
}
