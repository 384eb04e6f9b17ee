/**
 * Live preview: the preview sentence is prepared once in the TTS worker (tokens kept there),
 * then rendered with each new blend through the PreviewScheduler (debounced, stale renders
 * cancelled) and swapped in by the crossfading player. Renders of other voices are cached,
 * so A/B switching and Play buttons answer at once the second time.
 */
import { float32Checksum, rms } from '../../../engine/voices/checksum';
import { PreviewScheduler } from '../../../engine/voices/preview-scheduler';
import type { PreviewPrepared } from '../../../workers/protocol';
import { claimedSince, playbackClaims } from '../../audio/playback-focus';
import { errorMessage, ttsWorker } from '../../clients/tts-client';
import { studio } from '../../store/studio-store';
import { ensureStockPacks, nameForKey, packForKey, parseVoiceKey } from './pack-registry';
import { PreviewPlayer } from './preview-player';

export const RESULT_SOURCE = 'result';
const MAX_CACHED_RENDERS = 24;

export interface PreviewJob {
  /** 'result' or a voice key. */
  source: string;
  pack: Float32Array;
  /** False when the render was not asked for by the user (a reload): render, but stay quiet. */
  play: boolean;
  /** `playbackClaims()` when it was asked for: a player the user started since keeps the output. */
  since: number;
}

interface Rendered {
  pcm: Float32Array;
  sampleRateHz: number;
}

export const previewPlayer = new PreviewPlayer();
previewPlayer.onPlayingChange((playing) => studio.set({ previewPlaying: playing }));

let prepared: { key: string; worker: object; promise: Promise<PreviewPrepared> } | undefined;
const renders = new Map<string, Rendered>();
let resultRender: Rendered | undefined;
let playingRender: Rendered | undefined;
let nextWorkerRequestId = 1;
const workerIds = new Map<number, number>();
let directToken = 0;

/** The preview text's id in the worker, prepared again when the text, dialect or worker changed. */
function ensurePrepared(): Promise<PreviewPrepared> {
  const { previewText, previewDialect } = studio.get();
  const key = `${previewDialect}\n${previewText}`;
  const worker = ttsWorker();
  if (prepared && prepared.key === key && prepared.worker === worker) return prepared.promise;
  if (!previewText.trim()) return Promise.reject(new Error('Type a preview sentence first.'));
  const promise = worker.preparePreview(previewText, previewDialect);
  prepared = { key, worker, promise };
  promise.catch(() => {
    if (prepared?.promise === promise) prepared = undefined;
  });
  return promise;
}

function cacheKey(previewId: number, pack: Float32Array): string {
  return `${previewId}|${studio.get().speed}|${float32Checksum(pack)}`;
}

function remember(key: string, render: Rendered): void {
  renders.set(key, render);
  while (renders.size > MAX_CACHED_RENDERS) renders.delete(renders.keys().next().value as string);
}

/** The preview sentence spoken with `pack`, from the cache or the worker; undefined when cancelled. */
async function renderOnce(pack: Float32Array, requestId: number): Promise<Rendered | undefined> {
  const { previewId } = await ensurePrepared();
  const key = cacheKey(previewId, pack);
  const cached = renders.get(key);
  if (cached) return cached;
  studio.set({ previewPhase: 'rendering' });
  const result = await ttsWorker().renderPreview({ requestId, previewId, pack, speed: studio.get().speed });
  if (result.cancelled) return undefined;
  const rendered = { pcm: result.pcm, sampleRateHz: result.sampleRateHz };
  remember(key, rendered);
  return rendered;
}

const scheduler = new PreviewScheduler<PreviewJob, Rendered>({
  render: async (job, id) => {
    const requestId = nextWorkerRequestId++;
    workerIds.set(id, requestId);
    try {
      return await renderOnce(job.pack, requestId);
    } finally {
      workerIds.delete(id);
    }
  },
  cancel: (id) => {
    const requestId = workerIds.get(id);
    if (requestId !== undefined)
      ttsWorker()
        .cancelPreview(requestId)
        .catch(() => undefined);
  },
  onResult: (render, job) => {
    if (job.source === RESULT_SOURCE) resultRender = render;
    if (job.source === RESULT_SOURCE && studio.get().previewSource !== RESULT_SOURCE && directToken > 0) {
      // The user is listening to another voice on purpose: keep it; the result waits for A.
      return;
    }
    void deliver(render, job.source, job.play, job.since);
  },
  onError: (error) => studio.set({ previewPhase: 'error', previewError: errorMessage(error) }),
  onBusyChange: (busy) => {
    const phase = studio.get().previewPhase;
    if (busy && phase !== 'rendering') studio.set({ previewPhase: 'waiting' });
    if (!busy && (phase === 'waiting' || phase === 'rendering')) studio.set({ previewPhase: 'ready' });
  },
});

/**
 * Shows a render and plays it. `since`: the render was asked for earlier (a slider moved, a
 * voice's Play): if the user started another player since, it is shown but not played over it.
 */
async function deliver(render: Rendered, source: string, play = true, since?: number): Promise<void> {
  const keepPosition = previewPlayer.isPlaying;
  playingRender = render;
  performance.mark('timbre:preview-rendered');
  studio.set({
    previewRenders: studio.get().previewRenders + 1,
    previewChecksum: float32Checksum(render.pcm),
    previewRms: rms(render.pcm),
    previewSeconds: render.pcm.length / render.sampleRateHz,
    previewSource: source,
    previewPhase: scheduler.busy ? studio.get().previewPhase : 'ready',
    previewError: undefined,
  });
  if (!play || (since !== undefined && claimedSince(since, previewPlayer.focus))) return;
  try {
    await previewPlayer.play(render.pcm, render.sampleRateHz, {
      loop: studio.get().previewLoop,
      keepPosition,
    });
  } catch (error) {
    studio.set({ previewError: `Could not play the preview: ${errorMessage(error)}` });
  }
}

/** A new blend result: render and play it (debounced; older renders are dropped). */
export function previewResult(pack: Float32Array, play = true): void {
  directToken = 0;
  studio.set({ previewError: undefined });
  scheduler.schedule({ source: RESULT_SOURCE, pack, play, since: playbackClaims() });
}

/** The blend cannot be heard right now (no rows, or an error): stop waiting for it. */
export function clearResultPreview(): void {
  resultRender = undefined;
}

/** The preview text, dialect or speed changed: everything cached is stale. */
export function invalidatePreview(resultPack: Float32Array | undefined): void {
  prepared = undefined;
  renders.clear();
  resultRender = undefined;
  if (resultPack) previewResult(resultPack);
}

/** Plays a library or stock voice (by key) speaking the preview sentence. */
export async function playVoice(key: string): Promise<void> {
  const token = ++directToken;
  const since = playbackClaims();
  studio.set({ previewError: undefined });
  try {
    const parsed = parseVoiceKey(key);
    if (parsed?.kind === 'stock') await ensureStockPacks([parsed.id]);
    const pack = packForKey(key);
    if (!pack) throw new Error(`The voice ${nameForKey(key) ?? key} is not available.`);
    const requestId = nextWorkerRequestId++;
    const rendered = await renderOnce(pack, requestId);
    if (token !== directToken || !rendered) return;
    await deliver(rendered, key, true, since);
  } catch (error) {
    if (token === directToken) studio.set({ previewPhase: 'error', previewError: errorMessage(error) });
  }
}

/** A/B: hear the result (A) or the comparison voice (B), from the same position. */
export async function listen(side: 'result' | 'other'): Promise<void> {
  if (side === 'result') {
    directToken = 0;
    if (resultRender) await deliver(resultRender, RESULT_SOURCE);
    else scheduler.flush();
    return;
  }
  const other = studio.get().abOther;
  if (other) await playVoice(other);
}

export function replayCurrent(): void {
  const render = playingRender;
  if (render) void deliver(render, studio.get().previewSource ?? RESULT_SOURCE);
}

export function stopPreview(): void {
  previewPlayer.stop();
}

/** The audio heard last (for the WAV download). */
export function currentPreviewAudio(): Rendered | undefined {
  return playingRender;
}

/** Render statistics, exposed for tests and the benchmark's UI twin. */
export function previewStats() {
  return scheduler.stats;
}
