import { useId, useState } from 'react';
import { NORMALISE_MODES, type Normalise } from '../../../engine/voices/arithmetic';
import type { VoicePart } from '../../../engine/voices/pack';
import { useStudio } from '../../store/studio-store';
import type { BlendRow } from '../../store/slices/voices';
import {
  COEFFICIENT_MAX,
  COEFFICIENT_MIN,
  COEFFICIENT_STEP,
  addRow,
  clearRows,
  removeRow,
  setBlendPart,
  setNormalise,
  timbreOfProsodyOf,
  updateRow,
} from './blend-actions';
import { ExpressionField } from './ExpressionField';
import { VoiceSelect } from './VoiceSelect';

export const PART_LABELS: Record<VoicePart, string> = {
  both: 'Both halves',
  timbre: 'Timbre',
  prosody: 'Prosody',
};
const PARTS: readonly VoicePart[] = ['both', 'timbre', 'prosody'];
const NORMALISE_LABELS: Record<Normalise, string> = {
  none: 'None (plain sum)',
  'sum-to-one': 'Weights sum to one',
  'base-norm': "Keep the base voice's norm",
};

function CoefficientRow({ row, index }: { row: BlendRow; index: number }) {
  const id = useId();
  const label = `Coefficient of ${row.voice}`;
  const clamp = (value: number) => Math.min(COEFFICIENT_MAX, Math.max(COEFFICIENT_MIN, value));
  return (
    <li
      data-testid="blend-row"
      data-voice={row.voice}
      className="grid grid-cols-[minmax(0,11rem)_minmax(0,1fr)_5rem_7rem_auto] items-center gap-2"
    >
      <VoiceSelect
        value={row.voice}
        label={`Voice of row ${index + 1}`}
        testId="blend-row-voice"
        onChange={(voice) => updateRow(row.id, { voice })}
      />
      <input
        id={`${id}-slider`}
        type="range"
        min={COEFFICIENT_MIN}
        max={COEFFICIENT_MAX}
        step={COEFFICIENT_STEP}
        value={row.coefficient}
        aria-label={`${label} (slider)`}
        data-testid="blend-row-slider"
        onChange={(e) => updateRow(row.id, { coefficient: Number(e.target.value) })}
        className="accent-amber-400"
      />
      <input
        type="number"
        min={COEFFICIENT_MIN}
        max={COEFFICIENT_MAX}
        step={COEFFICIENT_STEP}
        value={row.coefficient}
        aria-label={label}
        data-testid="blend-row-number"
        onChange={(e) => {
          const value = e.target.valueAsNumber;
          if (Number.isFinite(value)) updateRow(row.id, { coefficient: clamp(value) });
        }}
        className="w-full rounded border border-zinc-700 bg-zinc-900 p-1 text-right text-sm tabular-nums"
      />
      <select
        aria-label={`Half of ${row.voice} to use`}
        data-testid="blend-row-part"
        value={row.part}
        onChange={(e) => updateRow(row.id, { part: e.target.value as VoicePart })}
        className="rounded border border-zinc-700 bg-zinc-900 p-1.5 text-sm"
      >
        {PARTS.map((part) => (
          <option key={part} value={part}>
            {PART_LABELS[part]}
          </option>
        ))}
      </select>
      <button
        type="button"
        aria-label={`Remove ${row.voice}`}
        data-testid="blend-row-remove"
        onClick={() => removeRow(row.id)}
        className="rounded px-2 py-1 text-zinc-400 hover:bg-zinc-800 hover:text-zinc-100"
      >
        ✕
      </button>
    </li>
  );
}

function TimbreProsodyHelper() {
  const [a, setA] = useState('af_heart');
  const [b, setB] = useState('am_adam');
  return (
    <div
      className="flex flex-wrap items-center gap-2 text-sm text-zinc-300"
      role="group"
      aria-label="Timbre of one voice with the prosody of another"
    >
      <span>Timbre of</span>
      <VoiceSelect value={a} onChange={setA} label="Voice giving the timbre" testId="helper-timbre" />
      <span>+ prosody of</span>
      <VoiceSelect value={b} onChange={setB} label="Voice giving the prosody" testId="helper-prosody" />
      <button
        type="button"
        data-testid="helper-apply"
        onClick={() => timbreOfProsodyOf(a, b)}
        className="rounded border border-amber-400/60 px-2.5 py-1 text-amber-200 hover:bg-amber-400/10"
      >
        Use
      </button>
    </div>
  );
}

/** Rows of (voice, coefficient, half), the same blend as text, normalisation and the half it acts on. */
export function ArithmeticPanel() {
  const rows = useStudio((s) => s.blendRows);
  const normalise = useStudio((s) => s.blendNormalise);
  const part = useStudio((s) => s.blendPart);
  const error = useStudio((s) => s.blendError);
  const id = useId();
  return (
    <section
      aria-labelledby={`${id}-title`}
      className="flex flex-col gap-4 rounded-lg border border-zinc-800 bg-zinc-900/60 p-4"
    >
      <div className="flex items-center justify-between">
        <h2 id={`${id}-title`} className="text-sm font-semibold text-zinc-300">
          Voice arithmetic
        </h2>
        {rows.length > 0 && (
          <button type="button" onClick={clearRows} className="text-xs text-zinc-400 hover:text-zinc-100">
            Clear
          </button>
        )}
      </div>
      {rows.length === 0 ? (
        <p className="text-sm text-zinc-400" data-testid="blend-empty">
          Add voices and move their sliders, or type an expression like{' '}
          <code className="text-amber-200">af_bella - 0.5*af_sky + am_adam</code>.
        </p>
      ) : (
        <ol className="flex flex-col gap-2" aria-label="Voices in the blend">
          {rows.map((row, index) => (
            <CoefficientRow key={row.id} row={row} index={index} />
          ))}
        </ol>
      )}
      <div>
        <button
          type="button"
          data-testid="blend-add-row"
          onClick={() => addRow()}
          className="rounded border border-zinc-600 px-3 py-1.5 text-sm hover:bg-zinc-800"
        >
          + Add voice
        </button>
      </div>
      <ExpressionField />
      <div className="grid gap-4 sm:grid-cols-2">
        <fieldset className="flex flex-col gap-1 text-sm">
          <legend className="mb-1 font-semibold text-zinc-300">Normalisation</legend>
          {NORMALISE_MODES.map((mode) => (
            <label key={mode} className="flex items-center gap-2 text-zinc-300">
              <input
                type="radio"
                name={`${id}-normalise`}
                value={mode}
                checked={normalise === mode}
                onChange={() => setNormalise(mode)}
                className="accent-amber-400"
              />
              {NORMALISE_LABELS[mode]}
            </label>
          ))}
        </fieldset>
        <fieldset className="flex flex-col gap-1 text-sm">
          <legend className="mb-1 font-semibold text-zinc-300">Apply the blend to</legend>
          {PARTS.map((p) => (
            <label key={p} className="flex items-center gap-2 text-zinc-300">
              <input
                type="radio"
                name={`${id}-part`}
                value={p}
                checked={part === p}
                onChange={() => setBlendPart(p)}
                className="accent-amber-400"
              />
              {p === 'both'
                ? 'Both halves'
                : p === 'timbre'
                  ? 'Timbre only (first 128 values)'
                  : 'Prosody only (last 128 values)'}
            </label>
          ))}
        </fieldset>
      </div>
      <TimbreProsodyHelper />
      {error && (
        <p
          role="alert"
          data-testid="blend-error"
          className="rounded border border-red-500/50 bg-red-950/60 p-2 text-sm text-red-100"
        >
          {error}
        </p>
      )}
    </section>
  );
}
