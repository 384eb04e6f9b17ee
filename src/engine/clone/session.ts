/**
 * One cloning job from reference audio to searches, the way the worker drives it:
 *   1. prepareReference: embeddings + voice features of the clips;
 *   2. rank the stock voices (cached per model, probe text and voice);
 *   3. the instant estimate: fit the pack basis and the embedding -> coordinates map, predict
 *      the reference's coordinates (no search yet);
 *   4. a search (`walk`, `timbre` or `cma`) behind a SearchController, resumable from checkpoints.
 * Costs are counted in evaluations (one candidate scored, or one rendering made to fit the map)
 * and renderings, from the first ranking on, so every method is charged for its preparation.
 */
import { throwIfAborted } from '../progress';
import {
  basisDimension,
  coordinatesOfPack,
  DEFAULT_BASIS_OPTIONS,
  fitPackBasis,
  packFromCoordinates,
  withComplementAxes,
  type PackBasis,
  type PackBasisOptions,
} from './basis';
import type { MeasurementCache } from './cache';
import { DEFAULT_INSTANT_TRAINING, estimateInstant, type InstantMap } from './instant';
import { rankVoices, type RankedVoice } from './rank';
import {
  CloneScorer,
  prepareReference,
  type ReferenceClip,
  type ReferenceProfile,
  type ScorerConfig,
} from './score';
import { SearchController, type EvaluationRecord, type SavedSearch, type SearchMethod } from './search';
import {
  ModelSearch,
  type ModelObjective,
  type ModelSearchConfig,
  type ModelSearchState,
} from './model-search';
import { CmaSearch, type CmaSearchConfig, type CmaSearchState } from './cma-search';
import type { Embedder, NamedPack, Probe, Renderer } from './types';
import { elementwiseMeanStd, KVoiceWalk, POPULATION_LIMIT, type WalkState } from './walk';

export interface CloneSetup {
  renderer: Renderer;
  embedder: Embedder;
  /** The library: stock voices (ids are cache keys). */
  stock: readonly NamedPack[];
  /** Fixed sentences: `target` when the reference has no transcript, `self` always. */
  probes: { target: Probe; self: Probe };
  scorer?: ScorerConfig;
  cache?: MeasurementCache;
}

export type ClonePhase = 'reference' | 'ranking' | 'instant';

export interface CloneStartOptions {
  signal?: AbortSignal;
  onProgress?: (phase: ClonePhase, done: number, total: number) => void;
  /**
   * A stock voice (ranking) or a training rendering (instant) was skipped for a bad
   * measurement: why, and how many so far in this stage (a stage done again counts afresh).
   */
  onSkip?: (reason: string, skipped: number) => void;
}

export interface InstantOptions extends CloneStartOptions {
  /** A map fitted before (same model, same target probe); skips the training renders. */
  map?: InstantMap;
  blendCount?: number;
  jitter?: number;
  seed?: number;
}

export interface InstantEstimate {
  map: InstantMap;
  coordinates: Float64Array;
  pack: Float32Array;
  /** Renderings the map's training needed (0 with a given map or a warm cache). */
  renders: number;
}

/** Why an old Timbre or CMA-ES checkpoint cannot be resumed. */
export const OLD_CHECKPOINT_MESSAGE =
  'This search was saved by an earlier version of Timbre, which scored candidates another way, so it cannot be continued. Start a new search; the voices you saved are not affected.';

export class CloneSession {
  /** Evaluations and renderings spent so far (ranking, map training); searches count on from here. */
  evaluations: number;
  renders: number;
  private basisCache: PackBasis | undefined;
  private fullBasisCache: PackBasis | undefined;

  private constructor(
    readonly setup: CloneSetup,
    readonly reference: ReferenceProfile,
    readonly scorer: CloneScorer,
    readonly ranking: RankedVoice[],
  ) {
    this.evaluations = ranking.length;
    this.renders = ranking.reduce((n, voice) => n + voice.score.renders, 0);
  }

  static async start(
    setup: CloneSetup,
    clips: readonly ReferenceClip[],
    options: CloneStartOptions = {},
  ): Promise<CloneSession> {
    options.onProgress?.('reference', 0, clips.length);
    const reference = await prepareReference(clips, setup.embedder, options.signal);
    options.onProgress?.('reference', clips.length, clips.length);
    const scorer = new CloneScorer({
      renderer: setup.renderer,
      embedder: setup.embedder,
      reference,
      probes: setup.probes,
      ...(setup.scorer ? { config: setup.scorer } : {}),
      ...(setup.cache ? { cache: setup.cache } : {}),
    });
    const ranking = await rankVoices(setup.stock, scorer, {
      ...(options.signal ? { signal: options.signal } : {}),
      onVoice: (_voice, done, total) => options.onProgress?.('ranking', done, total),
      onSkip: (_voice, reason, skipped) => options.onSkip?.(reason, skipped),
    });
    return new CloneSession(setup, reference, scorer, ranking);
  }

  /** Principal axes of the library (instant map, CMA-ES), fitted once per session (options count the first time). */
  basis(options: PackBasisOptions = DEFAULT_BASIS_OPTIONS): PackBasis {
    this.basisCache ??= fitPackBasis(
      this.setup.stock.map((voice) => voice.pack),
      options,
    );
    return this.basisCache;
  }

  /** The timbre search's space: basis() plus the offset's complement axes (coordinates of basis() stay valid). */
  fullBasis(): PackBasis {
    this.fullBasisCache ??= withComplementAxes(
      this.basis(),
      this.setup.stock.map((voice) => voice.pack),
    );
    return this.fullBasisCache;
  }

  /**
   * The instant estimate (instant.ts): a map from speaker embedding to coordinates, trained on
   * renderings of the TARGET probe (the text the reference speaks when its transcript is known:
   * text changes embeddings, so the map sees the same text as the reference) of blends of the
   * stock voices nearest the reference, then refitted on renderings of its own predictions;
   * the estimate is the rendered candidate closest to the reference.
   */
  async instant(options: InstantOptions = {}): Promise<InstantEstimate> {
    const basis = this.basis();
    // The map is trained on target-probe renderings: its anchors are the probe's similarities.
    const ranked = new Map(this.ranking.map((voice) => [voice.id, voice.score.probeSimilarity]));
    const estimate = await estimateInstant({
      basis,
      stock: this.setup.stock,
      reference: this.reference.centroid,
      // The ranking measured every stock voice on the target probe already; one it left out
      // (its rendering was refused) is no anchor of the map's training.
      stockSimilarities: this.setup.stock.map((voice) => ranked.get(voice.id) ?? -Infinity),
      ...(options.map ? { map: options.map } : {}),
      blendCount: options.blendCount ?? DEFAULT_INSTANT_TRAINING.blendCount,
      jitter: options.jitter ?? DEFAULT_INSTANT_TRAINING.jitter,
      seed: options.seed ?? 1,
      measure: async (pack, cacheId) => {
        const measured = await this.scorer.measure(pack, this.scorer.targetProbe, true, {
          cacheId,
          ...(options.signal ? { signal: options.signal } : {}),
        });
        return { embedding: measured.measurement.embedding, renders: measured.renders };
      },
      ...(options.signal ? { signal: options.signal } : {}),
      onSample: (done, total) => options.onProgress?.('instant', done, total),
      ...(options.onSkip ? { onSkip: options.onSkip } : {}),
    });
    throwIfAborted(options.signal);
    this.evaluations += estimate.renders;
    this.renders += estimate.renders;
    return {
      map: estimate.map,
      coordinates: estimate.coordinates,
      pack: packFromCoordinates(basis, estimate.coordinates),
      renders: estimate.renders,
    };
  }

  private controller(
    method: SearchMethod,
    onEvaluation?: (record: EvaluationRecord) => void,
    saved?: SavedSearch,
  ): SearchController {
    return new SearchController(
      method,
      this.scorer,
      {
        evaluationOffset: this.evaluations,
        renderOffset: this.renders,
        ...(onEvaluation ? { onEvaluation } : {}),
      },
      saved,
    );
  }

  private objective(): ModelObjective {
    return {
      reference: this.reference.centroid,
      referenceFeatures: this.reference.features.vector,
      weights: this.scorer.config.weights,
    };
  }

  private checkStart(start: ArrayLike<number>): void {
    if (start.length !== basisDimension(this.basis()))
      throw new RangeError('The start coordinates do not fit the basis');
  }

  /** The walk's population: the top of the ranking by KVoiceWalk's own score (the target probe's). */
  private walkPopulation(): RankedVoice[] {
    return [...this.ranking]
      .sort((a, b) => b.score.probeScore - a.score.probeScore)
      .slice(0, POPULATION_LIMIT);
  }

  /** KVoiceWalk's baseline from the top of the ranking. */
  walk(seed: number, onEvaluation?: (record: EvaluationRecord) => void): SearchController {
    return this.controller(new KVoiceWalk(this.walkPopulation(), seed), onEvaluation);
  }

  /**
   * Timbre's model-based trust-region search in fullBasis(). Its first batch is `start` (the
   * instant estimate's coordinates in basis(), usually), the top stock voice and the mean of
   * the top ten (the walk's start): the best becomes the centre, so a poor map prediction
   * costs one evaluation, not the search. It moves along basis()'s coordinates first and opens the complement axes later.
   */
  timbre(
    start: ArrayLike<number>,
    config: Partial<ModelSearchConfig> & { seed: number },
    onEvaluation?: (record: EvaluationRecord) => void,
  ): SearchController {
    this.checkStart(start);
    const full = this.fullBasis();
    const padded = Float64Array.from({ length: basisDimension(full) }, (_, i) =>
      i < start.length ? (start[i] as number) : 0,
    );
    const population = elementwiseMeanStd(this.walkPopulation().map((voice) => voice.pack)).mean;
    const starts = [
      padded,
      coordinatesOfPack(full, (this.ranking[0] as RankedVoice).pack),
      coordinatesOfPack(full, population),
    ];
    const method = new ModelSearch(full, this.objective(), starts, {
      initialActive: start.length,
      ...config,
    });
    return this.controller(method, onEvaluation);
  }

  /** CMA-ES in basis(): needs more evaluations, assumes no smoothness. */
  cma(
    start: ArrayLike<number>,
    config: Partial<CmaSearchConfig> & { seed: number },
    onEvaluation?: (record: EvaluationRecord) => void,
  ): SearchController {
    this.checkStart(start);
    return this.controller(new CmaSearch(this.basis(), start, config), onEvaluation);
  }

  /**
   * A search continued from a checkpoint (same library, reference, probes and basis options).
   * A Timbre or CMA-ES search saved before pooled target similarity is refused: its scores
   * are the probe's alone and would be compared with pooled ones. A walk's are still its own.
   */
  resume(saved: SavedSearch, onEvaluation?: (record: EvaluationRecord) => void): SearchController {
    const { checkpoint } = saved;
    const old = (score: { probeScore?: number } | undefined) =>
      score !== undefined && score.probeScore === undefined;
    if (checkpoint.method !== 'walk' && (old(checkpoint.best?.score) || checkpoint.pending.some(old)))
      throw new Error(OLD_CHECKPOINT_MESSAGE);
    const state = checkpoint.state as unknown;
    const method: SearchMethod =
      checkpoint.method === 'walk'
        ? new KVoiceWalk(this.walkPopulation(), 0, {
            state: state as WalkState,
            bestPack: saved.bestPack,
          })
        : checkpoint.method === 'timbre'
          ? new ModelSearch(this.fullBasis(), this.objective(), { state: state as ModelSearchState })
          : new CmaSearch(this.basis(), { state: state as CmaSearchState });
    return this.controller(method, onEvaluation, saved);
  }
}
