/**
 * The similarity matrix: clips, target voices (their clips averaged) and chosen library
 * voices, compared by speaker-encoder cosine or, without the encoder, by model-free voice
 * features (labelled as such). A stock voice's vector comes from the encoder on Kokoro's
 * rendering of a fixed sentence, cached in IndexedDB.
 */
import * as Comlink from 'comlink';
import { averageFeatureVectors, featureVectorSimilarity } from '../../../engine/reference/feature-vector';
import { averageEmbeddings, cosineSimilarity, similarityMatrix } from '../../../engine/reference/similarity';
import { concatPcm } from '../../../engine/tts/postprocess';
import { synthesize } from '../../clients/tts-client';
import { studio } from '../../store/studio-store';
import type { RefComparison, RefMeasure } from '../../store/slices/references';
import { clipEmbedding, clipFeatures, ensureEncoder } from './analysis-actions';
import { getEmbedding, putEmbedding } from './reference-db';
import { withSpeaker } from './workers';
import { errorText } from './reference-actions';

/** What every library voice says for the comparison (from the Harvard sentences: varied phonemes, ~5 s). */
export const PROBE_SENTENCE =
  'The birch canoe slid on the smooth planks, and the sheet was glued to the dark blue background.';
/** Request ids for probe renderings, far from the Speak tab's own sequence. */
let nextProbeRequestId = 1_000_000_000;

type Item = RefComparison['items'][number];

/** FNV-1a, hex: a short stable key for the probe text and model source. */
function hashText(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

async function renderStockVoice(voiceId: string): Promise<Float32Array> {
  const chunks: Float32Array[] = [];
  let sampleRateHz = 24000;
  await synthesize(
    {
      requestId: nextProbeRequestId++,
      text: PROBE_SENTENCE,
      voice: { kind: 'stock', id: voiceId },
      speed: 1,
      dialect: voiceId.startsWith('b') ? 'en-gb' : 'en-us',
    },
    (chunk) => {
      chunks.push(chunk.pcm);
      sampleRateHz = chunk.sampleRateHz;
    },
  );
  const pcm = concatPcm(chunks);
  if (sampleRateHz !== 24000) throw new Error(`Unexpected Kokoro sample rate ${sampleRateHz}`);
  return pcm;
}

/**
 * A library voice's vector for `measure`. One rendering serves both measures: its features
 * are always stored, its embedding too when the encoder is loaded, so switching measure
 * does not render again.
 */
async function stockVector(voiceId: string, measure: RefMeasure): Promise<Float32Array> {
  const { status, modelBase, refEncoderStatus } = studio.get();
  if (!status) throw new Error('Kokoro is not loaded');
  const probe = `${status.variant}:${voiceId}:${hashText(`${PROBE_SENTENCE}|${modelBase ?? ''}`)}`;
  const featuresKey = `probe-features:${probe}`;
  const embeddingKey = refEncoderStatus ? `probe:${probe}:${refEncoderStatus.cacheTag}` : undefined;
  if (measure === 'encoder' && !embeddingKey) throw new Error('the speaker encoder is not loaded');
  const cached = await getEmbedding(measure === 'encoder' ? embeddingKey! : featuresKey);
  if (cached) return measure === 'encoder' ? cached.vector : (cached.features ?? new Float32Array(0));

  const pcm = await renderStockVoice(voiceId);
  const features = await withSpeaker((api) => api.features(pcm, 24000));
  await putEmbedding({ key: featuresKey, createdAt: Date.now(), vector: new Float32Array(0), features });
  if (!embeddingKey || studio.get().refEncoderPhase !== 'ready') return features;
  const vector = await withSpeaker((api) => api.embed(Comlink.transfer(pcm, [pcm.buffer]), 24000));
  await putEmbedding({ key: embeddingKey, createdAt: Date.now(), vector });
  return measure === 'encoder' ? vector : features;
}

export function toggleCompareVoice(voiceId: string, on: boolean): void {
  const current = studio.get().refCompareVoices.filter((v) => v !== voiceId);
  studio.set({ refCompareVoices: on ? [...current, voiceId] : current });
}

/** Computes the matrix; `measure` undefined = the encoder when it loads, else voice features. */
export async function runComparison(requested?: RefMeasure): Promise<void> {
  const state = studio.get();
  studio.set({ refComparePhase: 'running', refCompareError: undefined, refCompareStatus: 'Preparing…' });
  try {
    let measure: RefMeasure = requested ?? 'encoder';
    let fallbackReason: string | undefined;
    if (measure === 'encoder' && !(await ensureEncoder())) {
      measure = 'features';
      fallbackReason = `the speaker encoder could not be loaded (${studio.get().refEncoderError ?? 'unknown error'})`;
    }
    const clipVector = (id: string) => (measure === 'encoder' ? clipEmbedding(id) : clipFeatures(id));
    const items: Item[] = [];
    const vectors: Float32Array[] = [];
    const targetNames = new Map(state.refTargets.map((t) => [t.id, t.name]));

    for (const target of state.refTargets) {
      const clips = state.refClips.filter((c) => c.targetId === target.id);
      const clipVectors: Float32Array[] = [];
      const weights: number[] = [];
      for (const clip of clips) {
        studio.set({ refCompareStatus: `Analysing “${clip.name}”…` });
        const vector = await clipVector(clip.id);
        if (!vector || vector.length === 0) continue;
        items.push({ key: `clip:${clip.id}`, label: clip.name, group: target.id, kind: 'clip' });
        vectors.push(vector);
        clipVectors.push(vector);
        weights.push(clip.speechS ?? clip.durationS);
      }
      if (clipVectors.length >= 2) {
        const average =
          measure === 'encoder'
            ? averageEmbeddings(clipVectors, weights)
            : averageFeatureVectors(clipVectors, weights);
        items.push({
          key: `target:${target.id}`,
          label: `${targetNames.get(target.id)} (avg)`,
          group: target.id,
          kind: 'target',
        });
        vectors.push(average);
      }
    }

    const notes: string[] = [];
    if (state.refCompareVoices.length > 0 && studio.get().phase !== 'ready') {
      notes.push('Library voices are left out: Kokoro is not loaded (see the Speak tab).');
    } else {
      for (const [index, voiceId] of state.refCompareVoices.entries()) {
        studio.set({
          refCompareStatus: `Rendering library voice ${voiceId} (${index + 1} of ${state.refCompareVoices.length})…`,
        });
        try {
          vectors.push(await stockVector(voiceId, measure));
          items.push({ key: `stock:${voiceId}`, label: voiceId, group: `stock:${voiceId}`, kind: 'stock' });
        } catch (error) {
          notes.push(`${voiceId} was left out: ${errorText(error)}.`);
        }
      }
    }
    const similarity = measure === 'encoder' ? cosineSimilarity : featureVectorSimilarity;
    const values = Array.from(similarityMatrix(vectors, similarity));
    studio.set({
      refComparison: { measure, items, values, ...(fallbackReason ? { fallbackReason } : {}) },
      refComparePhase: 'ready',
      refCompareStatus: notes.join(' ') || undefined,
    });
  } catch (error) {
    studio.set({ refComparePhase: 'error', refCompareError: errorText(error), refCompareStatus: undefined });
  }
}
