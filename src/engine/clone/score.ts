/**
 * Scoring a candidate voice pack against a reference speaker, the way KVoiceWalk does:
 * a weighted harmonic mean of
 *   - target similarity: cosine between the speaker embedding of the candidate speaking the
 *     target probe (the reference transcript when known, else a fixed sentence) and the
 *     reference. With several reference clips the reference is the CENTROID direction of
 *     their unit embeddings (enrolment by averaging, as speaker verification does): one dot
 *     product per candidate, and a clip with an odd recording weighs no more than its share;
 *   - self similarity: cosine between the candidate's embeddings of two different texts
 *     (a voice that only matches on one sentence is overfitting the encoder);
 *   - feature similarity: featureSimilarity of the candidate's target rendering vs the
 *     reference's model-free voice features (pitch, spectrum, MFCCs).
 * Scores are in [0, 1] (KVoiceWalk prints 100x). Similarities at or below zero are floored
 * at SIMILARITY_FLOOR so the harmonic mean stays defined (and tiny).
 *
 * Pooled target similarity (the studio's, once both renderings exist): the cosine between the
 * reference and the mean direction of BOTH renderings' unit embeddings, not the target
 * probe's alone. Both renderings are made anyway (the self similarity needs them), and on the
 * real Kokoro and GE2E the pooled value varies half as much between two renderings of one
 * pack (sd 0.0035 against 0.0072 for the probe alone, .scratch/study11.mts): the search
 * chases less noise. KVoiceWalk's own measure stays beside it (`probeSimilarity`,
 * `probeScore`): the faithful walk decides by it, and the early exit compares it, since it is
 * all that is known after the first rendering.
 *
 * Early exit (KVoiceWalk's): when the target similarity is below earlyExitRatio x the best
 * target similarity seen so far, the candidate cannot be accepted anyway in practice; the
 * second rendering and the features are skipped and the score is 0 (complete: false).
 */
import {
  extractVoiceFeatures,
  featureSimilarity,
  FEATURE_SAMPLE_RATE_HZ,
  type VoiceFeatures,
} from '../audio/features';
import { FBANK_SAMPLE_RATE_HZ } from '../audio/fbank';
import { resample } from '../audio/resample';
import { KOKORO_SAMPLE_RATE_HZ } from '../tts/types';
import { measurementCacheKey, type MeasurementCache } from './cache';
import { centroidDirection, cosine, unit } from './linalg';
import type { Embedder, Measurement, Probe, Renderer } from './types';

export interface ScoreWeights {
  target: number;
  self: number;
  feature: number;
}

export type ScorePreset = 'kvoicewalk' | 'target-first';

export const SCORE_PRESETS: Readonly<Record<ScorePreset, Readonly<ScoreWeights>>> = {
  /** KVoiceWalk's [0.48, 0.5, 0.02]. */
  kvoicewalk: { target: 0.48, self: 0.5, feature: 0.02 },
  /** Mostly likeness to the reference; stability and features as guard rails. */
  'target-first': { target: 0.8, self: 0.15, feature: 0.05 },
};

export const DEFAULT_EARLY_EXIT_RATIO = 0.98;
export const SIMILARITY_FLOOR = 1e-3;

export interface ScorerConfig {
  weights: ScoreWeights;
  /** Skip the second rendering when target < ratio x best target; null turns it off. */
  earlyExitRatio: number | null;
}

export const DEFAULT_SCORER_CONFIG: ScorerConfig = {
  weights: SCORE_PRESETS.kvoicewalk,
  earlyExitRatio: DEFAULT_EARLY_EXIT_RATIO,
};

export interface CandidateScore {
  /** Weighted harmonic mean in [0, 1] of the pooled target, self and feature similarities; 0 for an early exit. */
  score: number;
  /** Pooled (both renderings) when complete; the target probe's alone after an early exit. */
  targetSimilarity: number;
  /** The target probe's rendering alone: KVoiceWalk's target similarity. */
  probeSimilarity: number;
  /** KVoiceWalk's score (the harmonic mean with probeSimilarity); 0 for an early exit. */
  probeScore: number;
  selfSimilarity: number | null;
  featureSimilarity: number | null;
  /** False when the early exit skipped the second rendering. */
  complete: boolean;
  /** Renderings this score cost (0 when both came from the cache). */
  renders: number;
}

/**
 * A score as this version keeps it: one saved before pooled target similarity (score.ts) has
 * no probe fields, and its values were the probe's own.
 */
export function withProbeFields<T extends Omit<CandidateScore, 'probeSimilarity' | 'probeScore'>>(
  score: T & Partial<Pick<CandidateScore, 'probeSimilarity' | 'probeScore'>>,
): T & Pick<CandidateScore, 'probeSimilarity' | 'probeScore'> {
  return {
    ...score,
    probeSimilarity: score.probeSimilarity ?? score.targetSimilarity,
    probeScore: score.probeScore ?? score.score,
  };
}

/** `score` in KVoiceWalk's measure: its score and target similarity are the target probe's own. */
export function asProbe<T extends CandidateScore>(score: T): T {
  return { ...score, score: score.probeScore, targetSimilarity: score.probeSimilarity };
}

/** Weighted harmonic mean sum(w) / sum(w / v), values floored at SIMILARITY_FLOOR; zero weights drop out. */
export function weightedHarmonicMean(values: readonly number[], weights: readonly number[]): number {
  if (values.length !== weights.length) throw new RangeError('weightedHarmonicMean: lengths differ');
  let weightSum = 0;
  let denominator = 0;
  for (let i = 0; i < values.length; i++) {
    const w = weights[i] as number;
    if (w < 0 || !Number.isFinite(w)) throw new RangeError(`weightedHarmonicMean: bad weight ${w}`);
    if (w === 0) continue;
    weightSum += w;
    denominator += w / Math.max(values[i] as number, SIMILARITY_FLOOR);
  }
  if (weightSum === 0) throw new RangeError('weightedHarmonicMean: all weights are zero');
  return weightSum / denominator;
}

/** The score of three similarities under `weights`. */
export function combineSimilarities(
  target: number,
  self: number,
  feature: number,
  weights: ScoreWeights,
): number {
  return weightedHarmonicMean([target, self, feature], [weights.target, weights.self, weights.feature]);
}

/** A score with the embeddings it came from (what model-based searches learn from). */
export interface ScoredCandidate extends CandidateScore {
  /** Speaker embeddings of both renderings, and the voice-feature comparison vector of the target one. */
  embeddings: { target: Float32Array; self: Float32Array | null; features: Float32Array | null };
}

export interface ReferenceClip {
  pcm: Float32Array;
  sampleRateHz: number;
  /** The clip's transcript as Kokoro tokens, when known. */
  transcript?: readonly number[];
}

export interface ReferenceProfile {
  /** One embedding per clip. */
  embeddings: Float32Array[];
  /** Unit centroid of the clips' unit embeddings: what target similarity is measured against. */
  centroid: Float32Array;
  /** Voice features of all clips together (silence between them does not count). */
  features: VoiceFeatures;
  /** The first clip's transcript, rendered by candidates for target similarity. */
  transcript?: Probe;
}

export async function prepareReference(
  clips: readonly ReferenceClip[],
  embedder: Embedder,
  signal?: AbortSignal,
): Promise<ReferenceProfile> {
  if (clips.length === 0) throw new Error('prepareReference: no reference audio');
  const embeddings: Float32Array[] = [];
  const at24k: Float32Array[] = [];
  for (const clip of clips) {
    embeddings.push(
      await embedder.embed(resample(clip.pcm, clip.sampleRateHz, FBANK_SAMPLE_RATE_HZ), signal),
    );
    at24k.push(resample(clip.pcm, clip.sampleRateHz, FEATURE_SAMPLE_RATE_HZ));
  }
  const joined = new Float32Array(at24k.reduce((n, pcm) => n + pcm.length, 0));
  let offset = 0;
  for (const pcm of at24k) {
    joined.set(pcm, offset);
    offset += pcm.length;
  }
  const withTranscript = clips.find((clip) => clip.transcript && clip.transcript.length > 0);
  return {
    embeddings,
    centroid: centroidDirection(embeddings),
    features: extractVoiceFeatures(joined),
    ...(withTranscript
      ? { transcript: { id: 'transcript', tokenIds: [...withTranscript.transcript!] } }
      : {}),
  };
}

/** Renders `probe` with `pack` and measures it: embedding (and features when asked). */
export async function measureRendering(
  renderer: Renderer,
  embedder: Embedder,
  pack: Float32Array,
  probe: Probe,
  withFeatures: boolean,
  signal?: AbortSignal,
): Promise<Measurement> {
  const pcm = await renderer.render(pack, probe, signal);
  const embedding = await embedder.embed(resample(pcm, KOKORO_SAMPLE_RATE_HZ, FBANK_SAMPLE_RATE_HZ), signal);
  return withFeatures ? { embedding, features: extractVoiceFeatures(pcm) } : { embedding };
}

export interface CloneScorerOptions {
  renderer: Renderer;
  embedder: Embedder;
  reference: ReferenceProfile;
  /** Fixed sentences: `target` is used when the reference has no transcript; `self` is the second text. */
  probes: { target: Probe; self: Probe };
  config?: ScorerConfig;
  cache?: MeasurementCache;
}

export interface ScoreOptions {
  /** The incumbent's probeSimilarity, for the early exit (only the target probe is rendered yet). */
  bestTargetSimilarity?: number;
  /** Names the pack for the measurement cache (stock voices); unnamed packs are never cached. */
  cacheId?: string;
  signal?: AbortSignal;
}

export class CloneScorer {
  readonly targetProbe: Probe;
  readonly selfProbe: Probe;
  readonly config: ScorerConfig;
  /** Renderings done so far (cache hits excluded). */
  renders = 0;

  constructor(private readonly options: CloneScorerOptions) {
    this.targetProbe = options.reference.transcript ?? options.probes.target;
    this.selfProbe = options.probes.self;
    this.config = options.config ?? DEFAULT_SCORER_CONFIG;
  }

  get reference(): ReferenceProfile {
    return this.options.reference;
  }

  targetSimilarityOf(embedding: ArrayLike<number>): number {
    return cosine(embedding, this.options.reference.centroid);
  }

  /** Pooled target similarity: the reference against the mean direction of both renderings' unit embeddings. */
  pooledSimilarityOf(target: ArrayLike<number>, self: ArrayLike<number>): number {
    const a = unit(target);
    const b = unit(self);
    return this.targetSimilarityOf(a.map((v, i) => v + (b[i] as number)));
  }

  /** Score of two measurements (target probe with features, self probe). Pure. */
  scoreMeasurements(target: Measurement, self: Measurement): Omit<CandidateScore, 'renders'> {
    const probeSimilarity = this.targetSimilarityOf(target.embedding);
    const targetSimilarity = this.pooledSimilarityOf(target.embedding, self.embedding);
    const selfSimilarity = cosine(target.embedding, self.embedding);
    if (!target.features) throw new Error('scoreMeasurements: the target measurement has no voice features');
    const features = featureSimilarity(target.features, this.options.reference.features);
    const { weights } = this.config;
    return {
      score: combineSimilarities(targetSimilarity, selfSimilarity, features, weights),
      targetSimilarity,
      probeSimilarity,
      probeScore: combineSimilarities(probeSimilarity, selfSimilarity, features, weights),
      selfSimilarity,
      featureSimilarity: features,
      complete: true,
    };
  }

  /** Measures `pack` on `probe`, through the cache when the pack is named. Returns renders spent. */
  async measure(
    pack: Float32Array,
    probe: Probe,
    withFeatures: boolean,
    options: ScoreOptions = {},
  ): Promise<{ measurement: Measurement; renders: number }> {
    const { cache, renderer, embedder } = this.options;
    const key =
      cache && options.cacheId !== undefined
        ? measurementCacheKey({
            rendererVariant: renderer.variant,
            embedderVariant: embedder.variant,
            voiceId: options.cacheId,
            probe,
            withFeatures,
          })
        : undefined;
    const cached = key !== undefined ? await cache!.get(key) : undefined;
    if (cached) return { measurement: cached, renders: 0 };
    const measurement = await measureRendering(renderer, embedder, pack, probe, withFeatures, options.signal);
    this.renders++;
    if (key !== undefined) await cache!.set(key, measurement);
    return { measurement, renders: 1 };
  }

  /** Scores one candidate: the target rendering, then (unless the early exit fires) the self rendering. */
  async score(pack: Float32Array, options: ScoreOptions = {}): Promise<ScoredCandidate> {
    const target = await this.measure(pack, this.targetProbe, true, options);
    const targetSimilarity = this.targetSimilarityOf(target.measurement.embedding);
    const ratio = this.config.earlyExitRatio;
    const best = options.bestTargetSimilarity;
    if (ratio !== null && best !== undefined && targetSimilarity < ratio * best) {
      return {
        score: 0,
        targetSimilarity,
        probeSimilarity: targetSimilarity,
        probeScore: 0,
        selfSimilarity: null,
        featureSimilarity: null,
        complete: false,
        renders: target.renders,
        embeddings: {
          target: target.measurement.embedding,
          self: null,
          features: target.measurement.features?.vector ?? null,
        },
      };
    }
    const self = await this.measure(pack, this.selfProbe, false, options);
    return {
      ...this.scoreMeasurements(target.measurement, self.measurement),
      renders: target.renders + self.renders,
      embeddings: {
        target: target.measurement.embedding,
        self: self.measurement.embedding,
        features: target.measurement.features?.vector ?? null,
      },
    };
  }
}
