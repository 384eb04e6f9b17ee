/**
 * Speaker embeddings and voice features of clips: loads the encoder (through the model
 * store, honouring the user's model source), computes what is missing, caches it per clip in
 * IndexedDB. When the encoder cannot load, clips still get model-free features.
 */
import * as Comlink from 'comlink';
import type { Progress } from '../../../engine/progress';
import { storageErrorMessage } from '../../db/schema';
import { studio } from '../../store/studio-store';
import type { RefAnalysis } from '../../store/slices/references';
import { embeddingKey, featuresKey, getEmbedding, putEmbedding, readClip } from './reference-db';
import { restartSpeakerWorker, withSpeaker } from './workers';
import { onInferenceRestart } from '../../clients/tts-client';
import { errorText } from './reference-actions';

let encoderLoading: Promise<boolean> | undefined;
let encoderKey: string | undefined;
let queue: Promise<unknown> = Promise.resolve();

const onEncoderProgress = (progress: Progress) => studio.set({ refEncoderProgress: progress });

// The encoder is the inference worker's session: when that worker restarts (another model
// source, backend or variant), the speaker worker starts again and the encoder loads again.
// Always: a speaker worker made before its encoder was asked for (the clip's features come
// first) holds a port to the old worker too, and a call on it would never be answered.
onInferenceRestart(() => {
  encoderLoading = undefined;
  encoderKey = undefined;
  restartSpeakerWorker();
});

/** Loads the encoder once per (model source, backend, variant); resolves false when it cannot. */
export function ensureEncoder(): Promise<boolean> {
  const { modelBase, backend, refEncoderVariant } = studio.get();
  const key = JSON.stringify([modelBase ?? '', backend, refEncoderVariant ?? '']);
  if (encoderLoading && key === encoderKey) return encoderLoading;
  if (encoderKey !== undefined && key !== encoderKey) restartSpeakerWorker();
  encoderKey = key;
  studio.set({ refEncoderPhase: 'loading', refEncoderError: undefined, refEncoderProgress: undefined });
  const options = {
    backend,
    ...(modelBase ? { modelBase } : {}),
    ...(refEncoderVariant ? { variant: refEncoderVariant } : {}),
  };
  const loading = withSpeaker((api) => api.init(options, Comlink.proxy(onEncoderProgress))).then(
    (status) => {
      if (encoderLoading !== loading) return false; // superseded by another variant or source
      studio.set({
        refEncoderPhase: 'ready',
        refEncoderStatus: status,
        refEncoderProgress: undefined,
        refEncoderCacheTag: status.cacheTag,
      });
      void analysePending(); // clips shown from the cache of another encoder are redone
      return true;
    },
    (error: unknown) => {
      if (encoderLoading !== loading) return false;
      // Clips shown as embedded from the cache cannot be compared by the encoder now.
      const analysis = Object.fromEntries(
        Object.entries(studio.get().refAnalysis).map(([id, a]) => [
          id,
          a.state === 'embedded' ? ({ state: 'features' } as const) : a,
        ]),
      );
      studio.set({
        refEncoderPhase: 'error',
        refEncoderError: errorText(error),
        refEncoderProgress: undefined,
        refAnalysis: analysis,
      });
      return false;
    },
  );
  encoderLoading = loading;
  return loading;
}

/** Switches the encoder variant: every clip is embedded again with the new one (cached per variant). */
export function setEncoderVariant(variant: string | undefined): void {
  studio.set({ refEncoderVariant: variant, refComparison: undefined });
  void ensureEncoder(); // at once, with or without clips: the card shows what loaded
  void analysePending(true);
}

/** Tries the encoder again after a failure (e.g. the model source was fixed). */
export function retryEncoder(): void {
  encoderLoading = undefined;
  encoderKey = undefined;
  restartSpeakerWorker();
  void analysePending(true);
}

function setAnalysis(clipId: string, analysis: RefAnalysis): void {
  studio.set({ refAnalysis: { ...studio.get().refAnalysis, [clipId]: analysis } });
}

/** The clip's features (cached), computing them if needed. */
export async function clipFeatures(clipId: string): Promise<Float32Array | undefined> {
  const cached = await getEmbedding(featuresKey(clipId));
  if (cached?.features) return cached.features;
  const clip = await readClip(clipId);
  if (!clip) return undefined;
  const features = await withSpeaker((api) =>
    api.features(Comlink.transfer(clip.pcm, [clip.pcm.buffer]), clip.sampleRateHz),
  );
  await putEmbedding({
    key: featuresKey(clipId),
    createdAt: Date.now(),
    vector: new Float32Array(0),
    features,
  });
  return features;
}

/** The clip's embedding for the loaded encoder (cached), or undefined when the encoder is unavailable. */
export async function clipEmbedding(clipId: string): Promise<Float32Array | undefined> {
  if (!(await ensureEncoder())) return undefined;
  const tag = studio.get().refEncoderStatus?.cacheTag;
  if (!tag) return undefined;
  const key = embeddingKey(clipId, tag);
  const cached = await getEmbedding(key);
  if (cached) return cached.vector;
  const clip = await readClip(clipId);
  if (!clip) return undefined;
  const vector = await withSpeaker((api) =>
    api.embed(Comlink.transfer(clip.pcm, [clip.pcm.buffer]), clip.sampleRateHz),
  );
  await putEmbedding({ key, createdAt: Date.now(), vector });
  return vector;
}

/** Features, then the embedding, of one clip; runs after any analysis already queued. */
export function analyseClip(clipId: string): Promise<void> {
  const task = queue.then(async () => {
    if (!studio.get().refClips.some((c) => c.id === clipId)) return;
    setAnalysis(clipId, { state: 'pending' });
    try {
      await clipFeatures(clipId);
      const embedding = await clipEmbedding(clipId);
      const status = studio.get().refEncoderStatus;
      setAnalysis(
        clipId,
        embedding && status
          ? { state: 'embedded', encoderVariant: status.variant, cacheTag: status.cacheTag }
          : { state: 'features' },
      );
    } catch (error) {
      const message =
        error instanceof DOMException && error.name === 'QuotaExceededError'
          ? storageErrorMessage(error, 'the embedding')
          : errorText(error);
      setAnalysis(clipId, { state: 'error', message });
    }
  });
  queue = task.catch(() => undefined);
  return task;
}

/** Analyses every clip not yet analysed with the current encoder (all of them when `all`). */
export async function analysePending(all = false): Promise<void> {
  const { refClips, refAnalysis, refEncoderStatus, refEncoderCacheTag } = studio.get();
  const tag = refEncoderStatus?.cacheTag ?? refEncoderCacheTag;
  const todo = refClips.filter((c) => {
    const a = refAnalysis[c.id];
    if (all || !a || a.state === 'pending' || a.state === 'error') return true;
    return a.state === 'embedded' && a.cacheTag !== tag;
  });
  const queued: string[] = [];
  for (const clip of todo) {
    // Before the encoder has loaded again, show what the cache holds for the one loaded last.
    if (!all && !refEncoderStatus && tag && (await getEmbedding(embeddingKey(clip.id, tag)))) {
      setAnalysis(clip.id, { state: 'embedded', encoderVariant: tag.split('-')[0] ?? tag, cacheTag: tag });
    } else {
      queued.push(clip.id);
    }
  }
  await Promise.all(queued.map((id) => analyseClip(id)));
}
