import { useCallback, useEffect, useRef, useState } from 'react';
import type WaveSurfer from 'wavesurfer.js';
import { wavProvenance } from '../app-info';
import { encodeWav } from '../../engine/audio/wav';
import { focusMediaElement } from '../audio/playback-focus';
import { getTake, takePcm } from '../audio/take-registry';
import { useStudio } from '../store/studio-store';
import { formatSeconds } from './format';

const PEAK_POINTS = 2000;

function peaksOf(pcm: Float32Array): Float32Array {
  const n = Math.min(PEAK_POINTS, pcm.length);
  const out = new Float32Array(n);
  const step = pcm.length / n;
  for (let i = 0; i < n; i++) {
    let peak = 0;
    const end = Math.min(pcm.length, Math.floor((i + 1) * step));
    for (let j = Math.floor(i * step); j < end; j++) peak = Math.max(peak, Math.abs(pcm[j]!));
    out[i] = peak;
  }
  return out;
}

interface RenderedTake {
  takeId: number | undefined;
  url: string;
  peaks: Float32Array;
  seconds: number;
}

/** The finished take: waveform, play/pause, download as WAV. */
export function ResultPanel() {
  const container = useRef<HTMLDivElement>(null);
  const surfer = useRef<WaveSurfer | null>(null);
  const [playing, setPlaying] = useState(false);
  const takeId = useStudio((s) => s.takeId);
  const synthesisPhase = useStudio((s) => s.synthesisPhase);
  const seconds = useStudio((s) => s.takeSeconds);
  const voiceId = useStudio((s) => s.voiceId);
  const finished = synthesisPhase === 'done' || synthesisPhase === 'cancelled';
  /** Undoes the take's hold on the output (one voice at a time), with WaveSurfer's destruction. */
  const unfocus = useRef<() => void>(undefined);

  // The waveform is made with the first take, not at start-up: WaveSurfer measures its
  // container as it is made, a layout the studio's first render need not pay for. Its code
  // (50 kB) is not in the studio's first script either: it is fetched when a take starts.
  const waveform = useCallback(async () => {
    const { default: WaveSurfer } = await import('wavesurfer.js');
    if (surfer.current || !container.current) return surfer.current;
    const ws = WaveSurfer.create({
      container: container.current,
      height: 96,
      waveColor: '#a1a1aa',
      progressColor: '#fbbf24',
      cursorColor: '#fde68a',
      normalize: true,
    });
    ws.on('play', () => setPlaying(true));
    ws.on('pause', () => setPlaying(false));
    ws.on('finish', () => setPlaying(false));
    // One voice at a time: the take's <audio> claims the output as it plays; any other player
    // starting (a new take's live playback, the blend preview, an A/B row) pauses it.
    const media = ws.getMediaElement();
    if (media) unfocus.current = focusMediaElement(media);
    surfer.current = ws;
    return ws;
  }, []);
  /** What WaveSurfer holds or is loading: a take is loaded once, by the drawing or by Play, whichever asks first. */
  const loading = useRef<{ url: string; done: Promise<WaveSurfer | null> }>(undefined);
  useEffect(
    () => () => {
      unfocus.current?.();
      surfer.current?.destroy();
      surfer.current = null;
      loading.current = undefined;
    },
    [],
  );

  // The WAV (object URL) and waveform peaks of a finished take, revoked when replaced. Made in
  // tasks of their own after the take finishes, not in the render that says "Done": encoding a
  // paragraph's WAV and drawing its waveform in one go held the main thread for 60-80 ms.
  const [rendered, setRendered] = useState<RenderedTake>();
  useEffect(() => {
    if (!finished) return;
    let url: string | undefined;
    const encoding = window.setTimeout(() => {
      const take = getTake(takeId);
      if (!take) return;
      const pcm = takePcm(take);
      if (pcm.length === 0) return;
      const voice = take.voiceId ?? 'af_heart';
      const wav = encodeWav(
        pcm,
        take.sampleRateHz,
        wavProvenance({ kind: 'stock', id: voice }, `Timbre take (${voice})`),
      );
      url = URL.createObjectURL(new Blob([wav as Uint8Array<ArrayBuffer>], { type: 'audio/wav' }));
      setRendered({ takeId, url, peaks: peaksOf(pcm), seconds: pcm.length / take.sampleRateHz });
    }, 0);
    return () => {
      window.clearTimeout(encoding);
      if (url) URL.revokeObjectURL(url);
    };
  }, [takeId, finished]);
  const current = finished && rendered?.takeId === takeId ? rendered : undefined;

  useEffect(() => {
    // Fetched while the take is made, so the waveform is drawn at once when it ends.
    if (synthesisPhase === 'generating') void import('wavesurfer.js').catch(() => undefined);
  }, [synthesisPhase]);

  /** The URL of the take on show: a load or a play for another (replaced, its URL revoked) stops short. */
  const shownUrl = useRef<string>(undefined);
  useEffect(() => {
    shownUrl.current = current?.url;
  }, [current]);
  /** A failed play, kept with its take's URL: it is not shown beside another take. */
  const [playError, setPlayError] = useState<{ url: string; message: string }>();
  const load = useCallback(
    (take: RenderedTake): Promise<WaveSurfer | null> => {
      if (loading.current?.url === take.url) return loading.current.done;
      const done = waveform().then(async (ws) => {
        // A take replaced while WaveSurfer's code arrived is not loaded (its URL is revoked).
        if (!ws || shownUrl.current !== take.url) return null;
        await ws.load(take.url, [take.peaks], take.seconds);
        return ws;
      });
      loading.current = { url: take.url, done };
      // A failed or skipped load is tried again by the next ask.
      const forget = (): void => {
        if (loading.current?.done === done) loading.current = undefined;
      };
      done.then((ws) => (ws ? undefined : forget()), forget);
      return done;
    },
    [waveform],
  );
  useEffect(() => {
    if (!current) return;
    // Without the waveform's code (offline before it was ever cached) the WAV still downloads.
    const drawing = window.setTimeout(() => void load(current).catch(() => undefined), 0);
    return () => window.clearTimeout(drawing);
  }, [current, load]);
  const wavUrl = current?.url;
  // Play works as soon as it is enabled: before the waveform is drawn (its code still on the
  // way), it loads the take itself, then plays. What to do is decided at the click: two clicks
  // while the take loads both mean "play".
  const playPause = (): void => {
    if (!current) return;
    const take = current;
    const wantPlay = !playing;
    setPlayError(undefined);
    load(take)
      .then(async (ws) => {
        if (shownUrl.current !== take.url) return; // replaced meanwhile: nothing to play
        if (!ws) throw new Error('the player did not start');
        if (!wantPlay) {
          ws.pause();
          return;
        }
        // The take's <audio> claims the output as it starts: the live playback, still on its
        // last parts when synthesis is done, ends then.
        await ws.play();
      })
      .catch((error: unknown) => {
        if (shownUrl.current !== take.url) return;
        setPlayError({
          url: take.url,
          message: `Could not play the take (${error instanceof Error ? error.message : String(error)}). The WAV download still works.`,
        });
      });
  };

  return (
    <section
      aria-label="Result"
      className="flex flex-col gap-3 rounded-lg border border-zinc-800 bg-zinc-900/60 p-4"
    >
      <div className="flex items-center justify-between">
        <h2 className="text-sm font-semibold text-zinc-300">Result</h2>
        <span className="text-xs text-zinc-400" data-testid="take-duration">
          {seconds > 0 ? formatSeconds(seconds) : 'nothing yet'}
        </span>
      </div>
      <div
        ref={container}
        data-testid="waveform"
        className="min-h-24"
        aria-label="Waveform of the generated speech"
        role="img"
      />
      <div className="flex gap-2">
        <button
          type="button"
          disabled={!wavUrl || !finished}
          onClick={playPause}
          className="rounded border border-zinc-600 px-3 py-1.5 text-sm hover:bg-zinc-800 disabled:opacity-40"
        >
          {playing ? 'Pause' : 'Play'}
        </button>
        {wavUrl && finished ? (
          <a
            href={wavUrl}
            download={`timbre-${voiceId}.wav`}
            data-testid="download-wav"
            className="rounded bg-zinc-100 px-3 py-1.5 text-sm font-medium text-zinc-900 hover:bg-white"
          >
            Download WAV
          </a>
        ) : (
          <span className="px-1 py-1.5 text-sm text-zinc-400">
            The WAV download appears when speech is ready.
          </span>
        )}
      </div>
      {playError && playError.url === wavUrl ? (
        <p role="alert" className="text-sm text-red-300">
          {playError.message}
        </p>
      ) : null}
    </section>
  );
}
