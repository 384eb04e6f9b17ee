import { useEffect, useId, useState } from 'react';
import { BUILT_IN_DIRECTION_NAMES } from '../../../engine/voices/directions';
import { useStudio } from '../../store/studio-store';
import { recomputeBlend, setDirectionAmount } from './blend-actions';
import {
  BUILT_IN_LABELS,
  DIRECTION_MAX,
  DIRECTION_MIN,
  deleteDirection,
  ensureBuiltInDirections,
  saveDirection,
} from './directions-actions';
import { VoiceSelect } from './VoiceSelect';

const DIRECTION_STEP = 0.05;

function DirectionSlider({ name, onDelete }: { name: string; onDelete?: () => void }) {
  const id = useId();
  const amount = useStudio((s) => s.directionAmounts[name] ?? 0);
  const label = BUILT_IN_LABELS[name];
  const title = label ? `${label.title}: ${label.negative} ↔ ${label.positive}` : name;
  return (
    <li
      className="grid grid-cols-[minmax(0,12rem)_minmax(0,1fr)_4rem_auto] items-center gap-2 text-sm"
      data-testid="direction"
      data-direction={name}
    >
      <label htmlFor={`${id}-amount`} className="truncate text-zinc-300" title={title}>
        {title}
      </label>
      <input
        id={`${id}-amount`}
        type="range"
        min={DIRECTION_MIN}
        max={DIRECTION_MAX}
        step={DIRECTION_STEP}
        value={amount}
        aria-valuetext={
          label
            ? `${amount.toFixed(2)} (${amount < 0 ? `toward ${label.negative}` : amount > 0 ? `toward ${label.positive}` : 'unchanged'})`
            : amount.toFixed(2)
        }
        onChange={(e) => setDirectionAmount(name, Number(e.target.value))}
        className="accent-amber-400"
      />
      <output htmlFor={`${id}-amount`} className="text-right tabular-nums text-zinc-400">
        {amount.toFixed(2)}
      </output>
      <div className="flex gap-1">
        <button
          type="button"
          aria-label={`Reset ${title}`}
          disabled={amount === 0}
          onClick={() => setDirectionAmount(name, 0)}
          className="rounded px-1.5 text-xs text-zinc-400 hover:bg-zinc-800 disabled:opacity-30"
        >
          Reset
        </button>
        {onDelete && (
          <button
            type="button"
            aria-label={`Delete direction ${name}`}
            onClick={onDelete}
            className="rounded px-1.5 text-xs text-zinc-400 hover:bg-zinc-800"
          >
            ✕
          </button>
        )}
      </div>
    </li>
  );
}

function NewDirectionForm() {
  const [name, setName] = useState('');
  const [a, setA] = useState('af_bella');
  const [b, setB] = useState('af_sky');
  const [problem, setProblem] = useState<string>();
  const id = useId();
  return (
    <form
      className="flex flex-wrap items-end gap-2 text-sm"
      aria-label="Save a direction"
      onSubmit={(e) => {
        e.preventDefault();
        void saveDirection(name, a, b).then((p) => {
          setProblem(p);
          if (!p) setName('');
        });
      }}
    >
      <div className="flex flex-col gap-1">
        <label htmlFor={`${id}-name`} className="text-xs text-zinc-400">
          New direction
        </label>
        <input
          id={`${id}-name`}
          data-testid="direction-name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder="e.g. brighter"
          aria-invalid={problem ? true : undefined}
          className="w-36 rounded border border-zinc-700 bg-zinc-900 p-1.5"
        />
      </div>
      <span className="pb-2 text-zinc-400">=</span>
      <VoiceSelect value={a} onChange={setA} label="Direction toward this voice" testId="direction-a" />
      <span className="pb-2 text-zinc-400">−</span>
      <VoiceSelect value={b} onChange={setB} label="Direction away from this voice" testId="direction-b" />
      <button
        type="submit"
        data-testid="direction-save"
        className="rounded border border-zinc-600 px-3 py-1.5 hover:bg-zinc-800"
      >
        Save direction
      </button>
      {problem && (
        <p role="alert" className="w-full text-red-200">
          {problem}
        </p>
      )}
    </form>
  );
}

/** Sliders that move the blend along directions: built-in group means and the user's saved A − B. */
export function DirectionsPanel() {
  const user = useStudio((s) => s.userDirections);
  const phase = useStudio((s) => s.phase);
  const [problem, setProblem] = useState<string>();
  const [ready, setReady] = useState(false);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (phase !== 'ready') return;
    let live = true;
    ensureBuiltInDirections().then(
      () => live && setReady(true),
      (error: unknown) =>
        live &&
        setProblem(
          `The built-in directions need the English stock voices: ${error instanceof Error ? error.message : String(error)}`,
        ),
    );
    return () => {
      live = false;
    };
  }, [phase, attempt]);
  return (
    <section
      aria-label="Directions"
      className="flex flex-col gap-3 rounded-lg border border-zinc-800 bg-zinc-900/60 p-4"
    >
      <h2 className="text-sm font-semibold text-zinc-300">Directions</h2>
      <p className="text-xs text-zinc-400">
        Move the blend along the difference between two groups of voices, or between any two voices you pick.
        {!ready && !problem && ' Loading the English stock voices…'}
      </p>
      <ul className="flex flex-col gap-2">
        {BUILT_IN_DIRECTION_NAMES.map((name) => (
          <DirectionSlider key={name} name={name} />
        ))}
        {user.map((d) => (
          <DirectionSlider
            key={d.id}
            name={d.name}
            onDelete={() => void deleteDirection(d.id).then(() => recomputeBlend())}
          />
        ))}
      </ul>
      {problem && (
        <div role="alert" className="flex flex-wrap items-center gap-2 text-sm text-red-200">
          <p>{problem}</p>
          <button
            type="button"
            onClick={() => {
              setProblem(undefined);
              setAttempt((n) => n + 1);
            }}
            className="rounded border border-red-400/60 px-2 py-0.5 text-red-100 hover:bg-red-950"
          >
            Try again
          </button>
        </div>
      )}
      <NewDirectionForm />
    </section>
  );
}
