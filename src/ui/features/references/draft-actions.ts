/**
 * Recorded or uploaded audio on its way to becoming a clip: ingest (worker), clean-up with
 * the user's region and options (worker), then save to IndexedDB.
 */
import * as Comlink from 'comlink';
import { CLIP_SAMPLE_RATE_HZ } from '../../../engine/reference/clip-policy';
import type { Progress } from '../../../engine/progress';
import { newId, storageErrorMessage, type ClipRecord, type TargetRecord } from '../../db/schema';
import { studio } from '../../store/studio-store';
import type { RefCleanOptions, RefClip } from '../../store/slices/references';
import type { DecodedChannels } from './decode-audio';
import { clearDraft, draftAudio, draftCleaned, setDraftAudio, setDraftCleaned } from './draft-registry';
import { putClip } from './reference-db';
import { cleanupWorker } from './workers';
import { analyseClip } from './analysis-actions';
import { errorText, toRefClip } from './reference-actions';

let cleanRequest = 0;

function progressText(progress: Progress): string | undefined {
  if (progress.kind === 'run' && progress.task === 'vad') {
    return `Finding speech… ${Math.round((100 * progress.done) / Math.max(1, progress.total))} %`;
  }
  return undefined;
}

/** Replaces the draft with new audio and cleans it with the current options. */
export async function startDraft(
  decoded: DecodedChannels,
  source: 'recording' | 'upload',
  fileName?: string,
): Promise<void> {
  cleanupWorker().cancel(cleanRequest);
  const request = ++cleanRequest;
  studio.set({
    refDraftPhase: 'decoding',
    refDraftError: undefined,
    refCleaned: undefined,
    refRegion: undefined,
  });
  try {
    const ingested = await cleanupWorker().ingest(
      Comlink.transfer(decoded.channels, [...new Set(decoded.channels.map((c) => c.buffer as ArrayBuffer))]),
      decoded.sampleRateHz,
      decoded.sourceS,
    );
    if (request !== cleanRequest) return;
    setDraftAudio(ingested);
    studio.set({
      refDraft: {
        source,
        ...(fileName ? { fileName } : {}),
        sourceS: ingested.sourceS,
        ingestedS: ingested.pcm.length / CLIP_SAMPLE_RATE_HZ,
        truncated: ingested.truncated,
        clippingFraction: ingested.clippingFraction,
      },
    });
    await recleanDraft();
  } catch (error) {
    if (request === cleanRequest) studio.set({ refDraftPhase: 'error', refDraftError: errorText(error) });
  }
}

/** Runs clean-up again (after the region or an option changed); older runs are cancelled. */
export async function recleanDraft(): Promise<void> {
  const audio = draftAudio();
  if (!audio) return;
  const worker = cleanupWorker();
  worker.cancel(cleanRequest);
  const request = ++cleanRequest;
  const { refRegion, refCleanOptions } = studio.get();
  studio.set({ refDraftPhase: 'cleaning', refDraftError: undefined, refDraftProgress: 'Cleaning up…' });
  const onProgress = (progress: Progress) => {
    const text = progressText(progress);
    if (text && request === cleanRequest) studio.set({ refDraftProgress: text });
  };
  try {
    const cleaned = await worker.clean(
      request,
      audio,
      { ...refCleanOptions, ...(refRegion ? { region: refRegion } : {}) },
      Comlink.proxy(onProgress),
    );
    if (request !== cleanRequest) return;
    setDraftCleaned(cleaned);
    studio.set({
      refDraftPhase: 'ready',
      refDraftProgress: undefined,
      refCleaned: {
        durationS: cleaned.durationS,
        speechS: cleaned.speechS,
        warnings: cleaned.warnings,
        segments: cleaned.segments,
        denoised: refCleanOptions.denoise,
      },
    });
  } catch (error) {
    if (request !== cleanRequest) return;
    studio.set({ refDraftPhase: 'error', refDraftProgress: undefined, refDraftError: errorText(error) });
  }
}

export function setCleanOption(key: keyof RefCleanOptions, value: boolean): void {
  studio.set({ refCleanOptions: { ...studio.get().refCleanOptions, [key]: value } });
  void recleanDraft();
}

export function setRegion(region: { startS: number; endS: number } | undefined): void {
  studio.set({ refRegion: region });
  void recleanDraft();
}

export function discardDraft(): void {
  cleanupWorker().cancel(cleanRequest);
  cleanRequest++;
  clearDraft();
  studio.set({
    refDraftPhase: 'empty',
    refDraft: undefined,
    refCleaned: undefined,
    refRegion: undefined,
    refDraftError: undefined,
  });
}

function defaultClipName(
  source: 'recording' | 'upload',
  fileName: string | undefined,
  existing: readonly RefClip[],
): string {
  if (source === 'upload' && fileName) return fileName.replace(/\.[^.]+$/, '') || fileName;
  const taken = new Set(existing.map((c) => c.name));
  let n = existing.filter((c) => c.source === 'recording').length + 1;
  while (taken.has(`Recording ${n}`)) n++;
  return `Recording ${n}`;
}

/** Saves the cleaned draft as a clip of the selected target (creating "Voice 1" when there is none). */
export async function saveDraft(): Promise<void> {
  const audio = draftAudio();
  const cleaned = draftCleaned();
  const { refDraft, refTargets, refTargetId, refClips } = studio.get();
  if (!audio || !cleaned || !refDraft) return;
  if (cleaned.pcm.length === 0) {
    studio.set({ refError: 'There is no speech to keep in this audio, so nothing was saved.' });
    return;
  }
  let target = refTargets.find((t) => t.id === refTargetId);
  let newTarget: TargetRecord | undefined;
  if (!target) {
    newTarget = { id: newId(), name: `Voice ${refTargets.length + 1}`, createdAt: Date.now() };
    target = newTarget;
  }
  const clip: ClipRecord = {
    id: newId(),
    targetId: target.id,
    name: defaultClipName(refDraft.source, refDraft.fileName, refClips),
    createdAt: Date.now(),
    source: refDraft.source,
    ...(refDraft.fileName ? { fileName: refDraft.fileName } : {}),
    sampleRateHz: CLIP_SAMPLE_RATE_HZ,
    pcm: cleaned.pcm,
    originalPcm: audio.pcm,
    durationS: cleaned.durationS,
    speechS: cleaned.speechS,
    warnings: cleaned.warnings.map((w) => w.message),
  };
  try {
    await putClip(clip, newTarget);
  } catch (error) {
    studio.set({ refError: storageErrorMessage(error, 'the clip') });
    return;
  }
  const state = studio.get();
  studio.set({
    refTargets: newTarget ? [...state.refTargets, newTarget] : state.refTargets,
    refTargetId: target.id,
    refClips: [...state.refClips, toRefClip(clip)],
    refAnalysis: { ...state.refAnalysis, [clip.id]: { state: 'pending' } },
    refNotice: `Saved “${clip.name}” to ${target.name}.`,
    refError: undefined,
  });
  discardDraft();
  void analyseClip(clip.id);
}
