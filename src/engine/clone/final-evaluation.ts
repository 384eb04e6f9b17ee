/**
 * The final evaluation: a voice scored the way KVoiceWalk reports its results, separate from the
 * cheaper probes a search runs on and never counted as an evaluation of it.
 *
 *   - the voice speaks the WHOLE target transcript (every chunk, concatenated, as KPipeline does);
 *   - the embedding of that rendering (`embed_utterance(preprocess_wav(...))` with GE2E) is
 *     compared with the target recording's embedding (an inner product: GE2E embeddings are unit
 *     length; cosine here, which is the same there and fair for any encoder);
 *   - self similarity: the same voice speaking a second text (KVoiceWalk's `--other_text`);
 *   - feature similarity: by default this engine's model-free features (featureSimilarity);
 *     a `featureJudge` replaces it (e.g. KVoiceWalk's own librosa features, which the
 *     benchmark runs separately on the same audio through scripts/judge);
 *   - score: KVoiceWalk's weighted harmonic mean, in [0, 1] (KVoiceWalk prints 100x).
 */
import { extractVoiceFeatures, featureSimilarity, type VoiceFeatures } from '../audio/features';
import { FBANK_SAMPLE_RATE_HZ } from '../audio/fbank';
import { resample } from '../audio/resample';
import { throwIfAborted } from '../progress';
import { concatPcm } from '../tts/postprocess';
import { KOKORO_SAMPLE_RATE_HZ } from '../tts/types';
import { cosine } from './linalg';
import { combineSimilarities, SCORE_PRESETS, type ScoreWeights } from './score';
import type { Embedder, Probe, Renderer } from './types';

/** KVoiceWalk's default `--other_text`: the second text of self similarity. */
export const KVOICEWALK_OTHER_TEXT =
  'If you mix vinegar, baking soda, and a bit of dish soap in a tall cylinder, the resulting eruption is both a visual and tactile delight, often used in classrooms to simulate volcanic activity on a miniature scale.';

export interface FinalEvaluationSetup {
  renderer: Renderer;
  embedder: Embedder;
  /** The target recording's embedding and voice features. */
  target: { embedding: Float32Array; features: VoiceFeatures };
  /** The whole target transcript, as the chunks the text frontend made of it. */
  transcript: readonly Probe[];
  /** The second text, as chunks. */
  otherText: readonly Probe[];
  weights?: ScoreWeights;
  /** Feature similarity of a 24 kHz rendering of the transcript to the target (default: featureSimilarity). */
  featureJudge?: (pcm24k: Float32Array) => Promise<number>;
}

export interface FinalEvaluation {
  targetSimilarity: number;
  selfSimilarity: number;
  featureSimilarity: number;
  /** Weighted harmonic mean in [0, 1]. */
  score: number;
  /** The renderings (24 kHz): kept for listening, an ASR check or another judge. */
  audio: { transcript: Float32Array; otherText: Float32Array };
  /** Their embeddings. */
  embeddings: { transcript: Float32Array; otherText: Float32Array };
  /** Voice features of the transcript rendering (median F0 and the rest). */
  features: VoiceFeatures;
}

/** Renders every chunk of a text with `pack` and joins them (no gap, as KPipeline's chunks are joined). */
export async function renderText(
  renderer: Renderer,
  pack: Float32Array,
  chunks: readonly Probe[],
  signal?: AbortSignal,
): Promise<Float32Array> {
  if (chunks.length === 0) throw new RangeError('renderText: the text has no chunks');
  const parts: Float32Array[] = [];
  for (const chunk of chunks) {
    throwIfAborted(signal);
    parts.push(await renderer.render(pack, chunk, signal));
  }
  return concatPcm(parts);
}

/** The embedding of 24 kHz audio through an Embedder (which takes 16 kHz). */
export function embed24k(
  embedder: Embedder,
  pcm24k: Float32Array,
  signal?: AbortSignal,
): Promise<Float32Array> {
  return embedder.embed(resample(pcm24k, KOKORO_SAMPLE_RATE_HZ, FBANK_SAMPLE_RATE_HZ), signal);
}

export async function evaluateFinal(
  pack: Float32Array,
  setup: FinalEvaluationSetup,
  signal?: AbortSignal,
): Promise<FinalEvaluation> {
  const transcript = await renderText(setup.renderer, pack, setup.transcript, signal);
  const transcriptEmbedding = await embed24k(setup.embedder, transcript, signal);
  const otherText = await renderText(setup.renderer, pack, setup.otherText, signal);
  const otherEmbedding = await embed24k(setup.embedder, otherText, signal);
  const targetSimilarity = cosine(transcriptEmbedding, setup.target.embedding);
  const selfSimilarity = cosine(transcriptEmbedding, otherEmbedding);
  const features = extractVoiceFeatures(transcript);
  const similarity = setup.featureJudge
    ? await setup.featureJudge(transcript)
    : featureSimilarity(features, setup.target.features);
  return {
    targetSimilarity,
    selfSimilarity,
    featureSimilarity: similarity,
    score: combineSimilarities(
      targetSimilarity,
      selfSimilarity,
      similarity,
      setup.weights ?? SCORE_PRESETS.kvoicewalk,
    ),
    audio: { transcript, otherText },
    embeddings: { transcript: transcriptEmbedding, otherText: otherEmbedding },
    features,
  };
}
