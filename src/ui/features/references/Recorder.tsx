import { useRef } from 'react';
import { MAX_RECORDING_S } from '../../../engine/reference/clip-policy';
import { useTabBadge } from '../../components/Tabs';
import { studio, useStudio } from '../../store/studio-store';
import { LevelMeter } from './LevelMeter';
import { useRecorder } from './use-recorder';

function clock(seconds: number): string {
  const whole = Math.floor(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

/** Record a clip: device picker, browser-processing toggle, live waveform, level meter, timer. */
export function Recorder() {
  const waveform = useRef<HTMLDivElement>(null);
  const recorder = useRecorder(waveform);
  const recording = useStudio((s) => s.refRecording);
  const deviceId = useStudio((s) => s.refMicDeviceId);
  const processing = useStudio((s) => s.refBrowserProcessing);
  const micError = useStudio((s) => s.refMicError);
  // The tab stays mounted when the user looks at another one, so the take keeps recording;
  // its tab label says so meanwhile.
  useTabBadge(recording ? 'Recording' : undefined);

  return (
    <section
      aria-labelledby="record-heading"
      className="flex flex-col gap-3 rounded-lg border border-zinc-800 bg-zinc-900/60 p-4"
    >
      <h3 id="record-heading" className="text-sm font-semibold text-zinc-300">
        Record
      </h3>
      <div className="flex flex-wrap items-end gap-3 text-sm">
        <label className="flex flex-col gap-1">
          <span className="text-xs text-zinc-400">Microphone</span>
          <select
            value={deviceId ?? ''}
            disabled={recording}
            onChange={(e) => studio.set({ refMicDeviceId: e.target.value || undefined })}
            className="max-w-64 rounded border border-zinc-700 bg-zinc-950 px-2 py-1.5"
            data-testid="mic-select"
          >
            <option value="">System default</option>
            {recorder.devices.map((d) => (
              <option key={d.deviceId} value={d.deviceId}>
                {d.label}
              </option>
            ))}
          </select>
        </label>
        <label className="flex items-center gap-2 pb-1.5">
          <input
            type="checkbox"
            checked={processing}
            disabled={recording}
            onChange={(e) => studio.set({ refBrowserProcessing: e.target.checked })}
            className="accent-amber-400"
          />
          <span>Browser voice processing</span>
        </label>
      </div>
      <p className="text-xs text-zinc-400">
        Echo cancellation, noise suppression and automatic gain are off by default: they change the timbre of
        a voice.
      </p>
      <div
        ref={waveform}
        role="img"
        aria-label={recording ? 'Live waveform of the microphone' : 'Waveform (shown while recording)'}
        className="min-h-[72px] rounded bg-zinc-950"
        data-testid="record-waveform"
      />
      <LevelMeter levelDb={recorder.levelDb} clipped={recorder.clipped} active={recording} />
      <div className="flex items-center gap-3">
        {recording ? (
          <button
            type="button"
            onClick={recorder.stop}
            className="rounded bg-red-600 px-4 py-1.5 text-sm font-medium text-white hover:bg-red-500"
            data-testid="record-stop"
          >
            Stop
          </button>
        ) : (
          <button
            type="button"
            onClick={() => void recorder.start()}
            disabled={recorder.busy}
            className="rounded bg-amber-400 px-4 py-1.5 text-sm font-medium text-zinc-950 hover:bg-amber-300 disabled:opacity-50"
            data-testid="record-start"
          >
            Record
          </button>
        )}
        <span
          role="timer"
          aria-label="Recording time"
          className="font-mono text-sm tabular-nums text-zinc-300"
          data-testid="record-timer"
        >
          {clock(recording ? recorder.elapsedS : 0)} / {clock(MAX_RECORDING_S)}
        </span>
        <span className="text-xs text-zinc-400">Stops by itself at {MAX_RECORDING_S} s.</span>
      </div>
      {micError && (
        <div
          role="alert"
          className="rounded border border-red-500/50 bg-red-950/60 p-3 text-sm text-red-100"
          data-testid="mic-error"
        >
          {micError}
        </div>
      )}
    </section>
  );
}
