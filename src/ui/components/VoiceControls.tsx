import { useId, useMemo } from 'react';
import { SPEED_MAX, SPEED_MIN, studio, useStudio } from '../store/studio-store';
import { dialectForVoice, groupVoices } from './voices';

export function VoiceControls() {
  const id = useId();
  const voices = useStudio((s) => s.status?.manifest.voices);
  const voiceId = useStudio((s) => s.voiceId);
  const speed = useStudio((s) => s.speed);
  const groups = useMemo(() => groupVoices(voices ?? []), [voices]);

  return (
    <section aria-label="Voice" className="flex flex-col gap-4">
      <div className="flex flex-col gap-1">
        <label htmlFor={`${id}-voice`} className="text-sm font-semibold text-zinc-300">
          Voice
        </label>
        <select
          id={`${id}-voice`}
          data-testid="voice-picker"
          value={voiceId}
          disabled={!voices}
          onChange={(e) => studio.set({ voiceId: e.target.value, dialect: dialectForVoice(e.target.value) })}
          className="rounded-lg border border-zinc-700 bg-zinc-900 p-2 text-zinc-100"
        >
          {!voices && <option value={voiceId}>{voiceId}</option>}
          {groups.map((g) => (
            <optgroup key={g.label} label={g.label}>
              {g.voices.map((v) => (
                <option key={v.id} value={v.id}>
                  {v.name}
                  {v.grade ? ` (grade ${v.grade})` : ''} · {v.id}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
        <p className="text-xs text-zinc-400">
          Grades are from Kokoro's voice table; non-English voices read English text with an accent.
        </p>
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor={`${id}-speed`} className="flex justify-between text-sm font-semibold text-zinc-300">
          <span>Speed</span>
          <output htmlFor={`${id}-speed`}>{speed.toFixed(2)}×</output>
        </label>
        <input
          id={`${id}-speed`}
          data-testid="speed"
          type="range"
          min={SPEED_MIN}
          max={SPEED_MAX}
          step={0.05}
          value={speed}
          onChange={(e) => studio.set({ speed: Number(e.target.value) })}
          className="accent-amber-400"
        />
      </div>
    </section>
  );
}
