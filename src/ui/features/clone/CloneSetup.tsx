import { useEffect, useId, useRef, useState } from 'react';
import { formatSeconds } from '../../components/format';
import { studio, useStudio } from '../../store/studio-store';
import { jobBusy, type CloneBudgetPreset } from '../../store/slices/clone';
import type { ScorePreset } from '../../../engine/clone/score';
import type { CloneMethod } from '../../../workers/clone-protocol';
import { MIN_SPEECH_S } from '../../../engine/reference/clip-policy';
import { checkTranscriptLength } from '../../../engine/reference/transcript-check';
import { BUDGET_PRESETS, estimateBudgetMs, formatDuration, type BudgetPreset } from './budget';
import { useTargetSpeed } from './use-target-speed';
import { startClone } from './clone-job';
import { budgetPresets, selectedBudget } from './clone-settings';
import { selectTarget, targetSpeechSeconds, updateTarget } from '../references/reference-actions';
import { TranscriptWarning, warningBox } from '../references/TranscriptWarning';

/** The Quick budget, the smallest: a search this short needs no confirmation, whatever the input. */
const QUICK_PRESET = BUDGET_PRESETS.find((p) => p.id === 'quick')!;

/**
 * Seconds of speech, floored to a tenth as the clip's short-speech warning has them: 2.96 s
 * reads "2.9 s", not a "3.0 s" that would contradict "less than 3 s".
 */
function speechSeconds(seconds: number): string {
  return formatSeconds(Math.floor(seconds * 10) / 10);
}

const METHODS: readonly { id: CloneMethod; label: string; hint: string }[] = [
  { id: 'timbre', label: 'Timbre search', hint: 'learns which way to move from every score (recommended)' },
  { id: 'walk', label: 'KVoiceWalk baseline', hint: 'random walk with greedy acceptance, for comparison' },
];

const WEIGHTS: readonly { id: ScorePreset; label: string; hint: string }[] = [
  { id: 'kvoicewalk', label: 'KVoiceWalk (balanced)', hint: 'target 0.48 · stability 0.50 · features 0.02' },
  { id: 'target-first', label: 'Target first', hint: 'target 0.80 · stability 0.15 · features 0.05' },
];

const radioCard =
  'flex cursor-pointer flex-col gap-0.5 rounded border px-3 py-2 text-sm has-[:checked]:border-amber-400 has-[:checked]:bg-amber-400/10 has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-amber-300';

function BudgetEstimate({ evaluations }: { evaluations: number }) {
  const speed = useTargetSpeed();
  const speedPhase = useStudio((s) => s.cloneSpeedPhase);
  const enginePhase = useStudio((s) => s.cloneEnginePhase);
  let text: string;
  if (speed) text = formatDuration(estimateBudgetMs(speed, evaluations, false));
  else if (speedPhase === 'measuring') text = 'measuring…';
  else if (speedPhase === 'error') text = 'time unknown';
  else if (enginePhase === 'loading') text = 'measuring after the models load…';
  else text = 'time unknown until the models load';
  return (
    <span className="text-xs text-zinc-400" data-testid="budget-estimate">
      {text}
    </span>
  );
}

/**
 * Consent: the first clone of a target asks the user to confirm they are the speaker or have
 * the speaker's permission; the answer is stored with the target and shown from then on.
 */
function ConsentField({
  consentAt,
  onChange,
}: {
  consentAt: number | undefined;
  onChange: (agreed: boolean) => void;
}) {
  if (consentAt !== undefined) {
    return (
      <p className="text-xs text-emerald-300" data-testid="clone-consent-given">
        Consent confirmed on {new Date(consentAt).toLocaleDateString()}: you are the speaker, or have their
        permission.
      </p>
    );
  }
  return (
    <label className="flex items-start gap-2 rounded border border-amber-500/40 bg-amber-950/40 p-3 text-sm">
      <input
        type="checkbox"
        onChange={(e) => onChange(e.target.checked)}
        className="mt-0.5 accent-amber-400"
        data-testid="clone-consent"
      />
      <span>
        I am the person speaking in these clips, or I have their permission to clone their voice. Cloning
        someone's voice without consent can harm them; Timbre marks every file it makes as synthetic.
      </span>
    </label>
  );
}

/**
 * Stores the consent (first clone of a target), then starts the job. True when it started
 * (the job replaces this form), false when it did not (no consent, the write failed, refused).
 */
async function startWithConsent(targetId: string | undefined, agreed: boolean): Promise<boolean> {
  const target = studio.get().refTargets.find((t) => t.id === targetId);
  if (!target) return false;
  if (target.consentAt === undefined) {
    if (!agreed) return false;
    if (!(await updateTarget(target.id, { consentAt: Date.now() }))) return false;
  }
  return startClone();
}

/** Opens the References tab on this target, where its clips and transcript are edited. */
function openReferencesFor(targetId: string): void {
  selectTarget(targetId);
  studio.set({ tab: 'references' });
}

const inlineButton = 'text-amber-300 underline hover:text-amber-200';

/**
 * Asked when Start would run more than the smallest budget on under MIN_SPEECH_S of speech:
 * the clone will be rough however long the search, so a long one mostly costs time. Focus goes
 * to the safe choice (Back); entering the group reads its title and warning. Escape is Back too.
 */
function ShortSpeechConfirm({
  id,
  seconds,
  budget,
  onStart,
  onQuick,
  onBack,
}: {
  id: string;
  seconds: number;
  budget: BudgetPreset;
  onStart: () => void;
  onQuick: () => void;
  onBack: () => void;
}) {
  const speed = useTargetSpeed();
  const backRef = useRef<HTMLButtonElement>(null);
  useEffect(() => backRef.current?.focus(), []);
  const time = speed ? `, ${formatDuration(estimateBudgetMs(speed, budget.evaluations, false))}` : '';
  return (
    <div
      id={id}
      role="group"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-text`}
      data-testid="clone-short-confirm"
      onKeyDown={(event) => {
        if (event.key !== 'Escape') return;
        event.preventDefault();
        event.stopPropagation();
        onBack();
      }}
      className={`${warningBox} flex flex-col gap-2 text-sm`}
    >
      <p id={`${id}-title`} className="font-semibold">
        Warning: only {speechSeconds(seconds)} of speech
      </p>
      <p id={`${id}-text`}>
        A {budget.label} search ({budget.evaluations} evaluations{time}) cannot make up for it: from less than{' '}
        {MIN_SPEECH_S} s of speech the clone will be rough however long it searches. Add clips in References
        first, or start with a {QUICK_PRESET.label} search.
      </p>
      <div className="flex flex-wrap gap-2">
        <button
          type="button"
          onClick={onStart}
          className="rounded border border-amber-400/70 px-3 py-1 text-amber-100 hover:bg-amber-400/10"
          data-testid="clone-short-start"
        >
          Start the {budget.label} search anyway
        </button>
        <button
          type="button"
          onClick={onQuick}
          className="rounded bg-amber-400 px-3 py-1 font-semibold text-zinc-950 hover:bg-amber-300"
          data-testid="clone-short-quick"
        >
          Start a {QUICK_PRESET.label} search instead
        </button>
        <button
          ref={backRef}
          type="button"
          onClick={onBack}
          className="rounded border border-zinc-600 px-3 py-1 text-zinc-100 hover:bg-zinc-800"
          data-testid="clone-short-back"
        >
          Back
        </button>
      </div>
    </div>
  );
}

/** What to clone and how hard to search: target, method, score weights, budget, Start. */
export function CloneSetup() {
  const targets = useStudio((s) => s.refTargets);
  const clips = useStudio((s) => s.refClips);
  const loaded = useStudio((s) => s.refLoaded);
  const targetId = useStudio((s) => s.cloneTargetId);
  const method = useStudio((s) => s.cloneMethod);
  const preset = useStudio((s) => s.cloneScorePreset);
  const budget = useStudio((s) => s.cloneBudgetPreset);
  const busy = useStudio((s) => jobBusy(s.cloneJob?.state));
  const enginePhase = useStudio((s) => s.cloneEnginePhase);
  const target = targets.find((t) => t.id === targetId);
  const targetClips = clips.filter((c) => c.targetId === targetId);
  const seconds = targetSpeechSeconds(clips, targetId);
  const presets = budgetPresets();
  // Ticked for this target only: switching targets asks again.
  const [agreedFor, setAgreedFor] = useState<string>();
  const agreed = target !== undefined && agreedFor === target.id;
  const domId = useId();
  const startRef = useRef<HTMLButtonElement>(null);
  const hasSpeech = target !== undefined && targetClips.length > 0;
  // Bad input: too little speech, or a transcript whose length does not fit the speech.
  const shortSpeech = hasSpeech && seconds < MIN_SPEECH_S;
  const transcriptWarning = hasSpeech ? checkTranscriptLength(target.transcript, seconds) : undefined;
  const selected = selectedBudget();
  const canStart =
    !busy &&
    target !== undefined &&
    targetClips.length > 0 &&
    enginePhase !== 'error' &&
    (target.consentAt !== undefined || agreed);
  const needsConfirm = shortSpeech && selected.evaluations > QUICK_PRESET.evaluations;
  // The question is for this target; any change that makes it moot (a smaller budget, more
  // speech, a job started, consent taken back) takes it back.
  const [confirmFor, setConfirmFor] = useState<string>();
  const asking = needsConfirm && canStart && confirmFor === target.id;
  if (!asking && confirmFor !== undefined) setConfirmFor(undefined); // not to come back with the budget
  const shortId = `${domId}-short`;
  const transcriptId = `${domId}-transcript`;
  const confirmId = `${domId}-confirm`;
  const describedBy = [shortSpeech ? shortId : '', transcriptWarning ? transcriptId : '']
    .filter(Boolean)
    .join(' ');

  const start = (preset?: BudgetPreset) => {
    if (!target) return;
    setConfirmFor(undefined);
    if (preset) studio.set({ cloneBudgetPreset: preset.id });
    void startWithConsent(target.id, agreed).then((started) => {
      // A started job replaces this form with its progress; otherwise the user stays at Start
      // (the question, where focus was, is gone).
      if (!started) startRef.current?.focus();
    });
  };

  return (
    <section
      aria-labelledby="clone-setup-heading"
      className="flex flex-col gap-4 rounded-lg border border-zinc-800 bg-zinc-900/60 p-4"
      data-testid="clone-setup"
    >
      <h2 id="clone-setup-heading" className="text-sm font-semibold text-zinc-300">
        Clone a voice
      </h2>
      <div className="flex flex-wrap items-end gap-3">
        <label className="flex flex-col gap-1 text-sm">
          <span className="text-xs text-zinc-400">Target voice</span>
          <select
            value={target ? target.id : ''}
            onChange={(e) => studio.set({ cloneTargetId: e.target.value || undefined })}
            disabled={busy}
            className="min-w-56 rounded border border-zinc-700 bg-zinc-950 px-2 py-1.5"
            data-testid="clone-target"
          >
            <option value="">
              {targets.length === 0
                ? loaded
                  ? 'No target voices yet'
                  : 'Loading…'
                : 'Choose a target voice'}
            </option>
            {targets.map((t) => {
              const own = clips.filter((c) => c.targetId === t.id);
              return (
                <option key={t.id} value={t.id}>
                  {t.name} ({own.length} clip{own.length === 1 ? '' : 's'})
                </option>
              );
            })}
          </select>
        </label>
        {target && (
          <p className="pb-1.5 text-xs text-zinc-400" data-testid="clone-target-info">
            {targetClips.length} clip{targetClips.length === 1 ? '' : 's'} · {speechSeconds(seconds)} of
            speech
            {target.transcript ? ' · transcript given' : ' · no transcript (a fixed sentence is compared)'}
          </p>
        )}
      </div>
      {loaded && targets.length === 0 && (
        <p className="text-sm text-zinc-400">
          Record or upload the speaker you want to clone in the{' '}
          <button
            type="button"
            className="text-amber-300 underline"
            onClick={() => studio.set({ tab: 'references' })}
          >
            References tab
          </button>
          , then come back here.
        </p>
      )}
      {shortSpeech && (
        <p id={shortId} className={warningBox} data-testid="clone-short-speech">
          <strong>Warning: only {speechSeconds(seconds)} of speech.</strong> From less than {MIN_SPEECH_S} s
          the clone will be rough, however long the search.{' '}
          <button type="button" className={inlineButton} onClick={() => openReferencesFor(target.id)}>
            Add clips in References
          </button>{' '}
          (10 to 30 s of clear speech works best).
        </p>
      )}
      {transcriptWarning && target && (
        <TranscriptWarning id={transcriptId} warning={transcriptWarning} testId="clone-transcript-warning">
          <button type="button" className={inlineButton} onClick={() => openReferencesFor(target.id)}>
            Edit it in References
          </button>
        </TranscriptWarning>
      )}

      <div className="grid gap-4 md:grid-cols-2">
        <fieldset className="flex flex-col gap-1.5" disabled={busy}>
          <legend className="mb-1 text-xs text-zinc-400">Method</legend>
          {METHODS.map((m) => (
            <label key={m.id} className={`${radioCard} border-zinc-700`}>
              <span className="flex items-center gap-2">
                <input
                  type="radio"
                  name="clone-method"
                  value={m.id}
                  checked={method === m.id}
                  onChange={() => studio.set({ cloneMethod: m.id })}
                  className="accent-amber-400"
                  data-testid={`clone-method-${m.id}`}
                />
                {m.label}
              </span>
              <span className="pl-5 text-xs text-zinc-400">{m.hint}</span>
            </label>
          ))}
        </fieldset>
        <fieldset className="flex flex-col gap-1.5" disabled={busy}>
          <legend className="mb-1 text-xs text-zinc-400">Score weights</legend>
          {WEIGHTS.map((w) => (
            <label key={w.id} className={`${radioCard} border-zinc-700`}>
              <span className="flex items-center gap-2">
                <input
                  type="radio"
                  name="clone-weights"
                  value={w.id}
                  checked={preset === w.id}
                  onChange={() => studio.set({ cloneScorePreset: w.id })}
                  className="accent-amber-400"
                  data-testid={`clone-weights-${w.id}`}
                />
                {w.label}
              </span>
              <span className="pl-5 text-xs text-zinc-400">{w.hint}</span>
            </label>
          ))}
        </fieldset>
      </div>

      <fieldset className="flex flex-col gap-1.5" disabled={busy}>
        <legend className="mb-1 text-xs text-zinc-400">
          Budget (search evaluations; estimated time measured on this device)
        </legend>
        <div className="grid gap-2 sm:grid-cols-3 lg:grid-cols-4">
          {presets.map((p) => (
            <label key={p.id} className={`${radioCard} border-zinc-700`}>
              <span className="flex items-center gap-2">
                <input
                  type="radio"
                  name="clone-budget"
                  value={p.id}
                  checked={budget === p.id}
                  onChange={() => studio.set({ cloneBudgetPreset: p.id as CloneBudgetPreset })}
                  className="accent-amber-400"
                  data-testid={`clone-budget-${p.id}`}
                />
                <span className="font-medium">{p.label}</span>
                <span className="text-xs text-zinc-400">{p.evaluations}</span>
              </span>
              <span className="pl-5 text-xs text-zinc-400">{p.hint}</span>
              <span className="pl-5">
                <BudgetEstimate evaluations={p.evaluations} />
              </span>
            </label>
          ))}
        </div>
      </fieldset>

      {target && (
        <ConsentField
          key={target.id}
          consentAt={target.consentAt}
          onChange={(checked) => setAgreedFor(checked ? target.id : undefined)}
        />
      )}

      <div className="flex flex-wrap items-center gap-3">
        <button
          ref={startRef}
          type="button"
          onClick={() => {
            if (needsConfirm && target) setConfirmFor(target.id);
            else start();
          }}
          aria-describedby={describedBy || undefined}
          aria-expanded={needsConfirm ? asking : undefined}
          aria-controls={asking ? confirmId : undefined}
          disabled={!canStart}
          className="rounded bg-amber-400 px-4 py-2 text-sm font-semibold text-zinc-950 hover:bg-amber-300 disabled:opacity-40"
          data-testid="clone-start"
        >
          Clone this voice
        </button>
        {target && targetClips.length === 0 && (
          <span className="text-xs text-zinc-400">“{target.name}” has no clips yet.</span>
        )}
      </div>
      {asking && (
        <ShortSpeechConfirm
          id={confirmId}
          seconds={seconds}
          budget={selected}
          onStart={() => start()}
          onQuick={() => start(QUICK_PRESET)}
          onBack={() => {
            setConfirmFor(undefined);
            startRef.current?.focus();
          }}
        />
      )}
    </section>
  );
}
