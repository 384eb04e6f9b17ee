/**
 * One cloning job as the UI sees it, over CloneSession and a SearchController: reference ->
 * ranking -> instant estimate -> search, reported as events, stoppable at any point and
 * continued later. The clone worker is a thin adapter over this class; tests drive it in
 * Node with an injected clock.
 *
 * Stopping: the caller aborts the signal given to `run` with the reason 'paused' or
 * 'cancelled' (AbortController.abort(reason)). The run then resolves with that outcome after
 * the current rendering; a paused job keeps its session and search, so `run` again continues
 * exactly where it stopped (the search re-asks the same batch and skips what was scored).
 * The search runs one evaluation per slice with a yield to the event loop in between (and
 * before every rendering), so pause and cancel messages reach the worker promptly.
 *
 * Bad measurements (BadMeasurementError: Kokoro rendered NaN or silent audio even on the WASM
 * fallback, a NaN embedding) do not end the job: a stock voice is left out of the ranking, a
 * training rendering out of the instant map, a search candidate is refused (search.ts); each
 * time a `refused` event tells the UI how many so far and why. The job stops with a
 * RendersKeepFailingError (after a checkpoint, when the search had started) only when
 * refusals keep coming: every stock voice, too few training renderings, or the search's rule.
 */
import { AbortedError, throwIfAborted } from '../progress';
import { averageEmbeddings, embeddingWindows } from '../reference/similarity';
import type { PackBasisOptions } from './basis';
import type { MeasurementCache } from './cache';
import { DEFAULT_INSTANT_TRAINING } from './instant';
import type { CandidateScore, ReferenceClip } from './score';
import {
  isBadMeasurement,
  refusalReason,
  RendersKeepFailingError,
  type EvaluationRecord,
  type SavedSearch,
  type SearchController,
} from './search';
import { CloneSession, type CloneSetup, type InstantEstimate } from './session';
import type { Embedder, Renderer } from './types';

/** A checkpoint is emitted at most this often while the search runs (and always when it stops). */
export const CHECKPOINT_INTERVAL_MS = 3000;
/** 20 ms frames quieter than this (RMS) are silence for the speech check. */
export const AUDIBLE_FRAME_DBFS = -50;
/** Less audible audio than this, over all clips, is no usable speech. */
export const MIN_AUDIBLE_SPEECH_S = 0.5;
const SPEECH_FRAME_S = 0.02;

export type CloneJobMethod = 'timbre' | 'walk';
export type CloneJobPhase = 'reference' | 'ranking' | 'instant' | 'search';
export type CloneJobOutcome = 'budget' | 'paused' | 'cancelled';
/** Where a bad measurement was refused: a stock voice, a training rendering (or the instant pack), a search candidate. */
export type CloneJobRefusalPhase = 'ranking' | 'instant' | 'search';

export interface RankedStock {
  id: string;
  score: CandidateScore;
}

export type CloneJobEvent =
  | { kind: 'phase'; jobId: string; phase: CloneJobPhase; done: number; total: number }
  | { kind: 'ranking'; jobId: string; voices: RankedStock[] }
  | { kind: 'instant'; jobId: string; pack: Float32Array; score: CandidateScore }
  | { kind: 'evaluation'; jobId: string; record: EvaluationRecord }
  | { kind: 'best'; jobId: string; pack: Float32Array; score: CandidateScore; evaluation: number }
  | { kind: 'checkpoint'; jobId: string; saved: SavedSearch; searchStartEvaluation: number }
  | {
      kind: 'refused';
      jobId: string;
      phase: CloneJobRefusalPhase;
      /** Refused so far in this phase (the search's count goes on across checkpoints). */
      count: number;
      /** Why the last one was refused (the error's message, without its full stop). */
      reason: string;
      /** Search only: evaluations counted so far, the refused candidate included (it was spent). */
      evaluation?: number;
    };

/** Every Float32Array in events and summaries is a fresh copy: the caller may transfer it. */
export interface CloneJobSummary {
  jobId: string;
  outcome: CloneJobOutcome;
  evaluations: number;
  searchStartEvaluation: number;
  renders: number;
  best: { pack: Float32Array; score: CandidateScore; evaluation: number } | null;
  nearestStock: RankedStock | null;
  instant: { pack: Float32Array; score: CandidateScore } | null;
}

/** Time and the event loop, injected: the worker uses performance.now and a macrotask. */
export interface JobClock {
  now(): number;
  /** Lets queued messages (pause, cancel) run before the next rendering. */
  yieldToEvents(): Promise<void>;
}

export interface CloneJobConfig {
  jobId: string;
  setup: CloneSetup;
  clips: readonly ReferenceClip[];
  method: CloneJobMethod;
  /** Search evaluations after ranking and the instant estimate. */
  budget: number;
  seed: number;
  /** Continue this checkpoint instead of starting a search. */
  resumeFrom?: SavedSearch;
  /**
   * With resumeFrom: where the original search started, so the budget counts from there.
   * Without it, a cold setup's count is assumed (see coldSearchStart).
   */
  searchStartEvaluation?: number;
  /**
   * The instant map's training. Keep the seed fixed per library (not per job), so the same
   * reference gets the same estimate (renderings are cached by pack contents).
   */
  instant?: { blendCount?: number; jitter?: number; seed?: number };
  /** Basis options (default DEFAULT_BASIS_OPTIONS). */
  basis?: PackBasisOptions;
  checkpointIntervalMs?: number;
  clock: JobClock;
  onEvent: (event: CloneJobEvent) => void;
}

function audibleSeconds(clip: ReferenceClip): number {
  const frame = Math.max(1, Math.round(SPEECH_FRAME_S * clip.sampleRateHz));
  const threshold = 10 ** (AUDIBLE_FRAME_DBFS / 10) * frame; // sum of squares of a frame at the gate
  let audible = 0;
  for (let start = 0; start + frame <= clip.pcm.length; start += frame) {
    let sum = 0;
    for (let i = start; i < start + frame; i++) sum += (clip.pcm[i] as number) ** 2;
    if (sum > threshold && Number.isFinite(sum)) audible++;
  }
  return (audible * frame) / clip.sampleRateHz;
}

/**
 * A readable message when the clips cannot be a reference (none, silent, or almost all
 * silence), else undefined. An energy check, not a VAD: the clips were cleaned (trimmed by
 * the VAD) when they were added; this catches silent or broken audio before any rendering.
 */
export function referenceSpeechProblem(clips: readonly ReferenceClip[]): string | undefined {
  if (clips.length === 0) return 'There is no reference audio to clone: add a clip first.';
  const seconds = clips.reduce((sum, clip) => sum + audibleSeconds(clip), 0);
  if (seconds >= MIN_AUDIBLE_SPEECH_S) return undefined;
  return seconds === 0
    ? 'The reference audio is silent: there is no speech to clone. Record or upload a clip of someone speaking.'
    : `The reference has almost no audible speech (${seconds.toFixed(2)} s): record or upload a longer or louder clip.`;
}

export { estimateSetupMs, type SetupCostInput } from './cost';

/** A seed from the library's voices (ids and file hashes): fixed per library, so the same reference gets the same instant estimate. */
export function librarySeed(voices: readonly { id: string; fingerprint: string }[]): number {
  let hash = 0x811c9dc5;
  const text = voices.map((voice) => `${voice.id}:${voice.fingerprint}`).join(',');
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash & 0x7fffffff || 1;
}

/** A cache whose failures are misses (a full or unavailable store only costs renderings later). */
export function tolerantCache(cache: MeasurementCache): MeasurementCache {
  return {
    async get(key) {
      try {
        return (await cache.get(key)) ?? undefined;
      } catch {
        return undefined;
      }
    },
    async set(key, value) {
      try {
        await cache.set(key, value);
      } catch {
        // The job goes on; the next one renders this again.
      }
    },
  };
}

/** Long audio is embedded in windows and averaged (as the speaker worker does): one encoder pass over minutes is too big. */
export function windowedEmbedder(embedder: Embedder, sampleRateHz: number): Embedder {
  return {
    variant: embedder.variant,
    async embed(pcm16k, signal) {
      const windows = embeddingWindows(pcm16k.length, sampleRateHz);
      if (windows.length === 1) return embedder.embed(pcm16k, signal);
      const embeddings: Float32Array[] = [];
      for (const [start, end] of windows)
        embeddings.push(await embedder.embed(pcm16k.subarray(start, end), signal));
      return averageEmbeddings(
        embeddings,
        windows.map(([start, end]) => end - start),
      );
    },
  };
}

function isAbort(error: unknown): boolean {
  return error instanceof AbortedError || (error as { name?: string } | null)?.name === 'AbortError';
}

/** A renderer that lets the event loop run before each rendering (where pause messages arrive). */
function yieldingRenderer(renderer: Renderer, clock: JobClock): Renderer {
  return {
    // Read at each use: the renderer's tag follows its backend (a WebGPU session replaced by WASM mid-job).
    get variant() {
      return renderer.variant;
    },
    async render(pack, probe, signal) {
      await clock.yieldToEvents();
      throwIfAborted(signal);
      return renderer.render(pack, probe, signal);
    },
  };
}

export class CloneJob {
  private session: CloneSession | undefined;
  private estimate: InstantEstimate | undefined;
  private instantScore: CandidateScore | undefined;
  private controller: SearchController | undefined;
  /** True when the instant pack's own scoring was refused (the search still starts from it). */
  private instantRefused = false;
  /** Training renderings the instant estimate skipped in its last (unpaused) attempt. */
  private instantSkips = 0;
  /** The search's refused count the UI has been told. */
  private reportedSearchRefusals = 0;
  private searchStart = 0;
  private extraBudget = 0;
  private running = false;
  private readonly setup: CloneSetup;

  constructor(private readonly config: CloneJobConfig) {
    const problem = referenceSpeechProblem(config.clips);
    if (problem) throw new Error(problem);
    if (!Number.isInteger(config.budget) || config.budget < 0)
      throw new RangeError(`The budget must be a whole number >= 0, got ${config.budget}`);
    this.setup = {
      ...config.setup,
      renderer: yieldingRenderer(config.setup.renderer, config.clock),
    };
  }

  get jobId(): string {
    return this.config.jobId;
  }

  /** Runs (or continues) the job until its budget (plus `extraBudget` more) or the signal fires. */
  async run(signal?: AbortSignal, extraBudget = 0): Promise<CloneJobSummary> {
    if (this.running) throw new Error('This clone job is already running.');
    this.running = true;
    this.extraBudget += Math.max(0, extraBudget);
    try {
      await this.prepare(signal);
      return this.summary(await this.search(signal));
    } catch (error) {
      if (signal?.aborted && isAbort(error))
        return this.summary(signal.reason === 'cancelled' ? 'cancelled' : 'paused');
      throw error;
    } finally {
      this.running = false;
    }
  }

  private emit(event: CloneJobEvent): void {
    this.config.onEvent(event);
  }

  /** Tells the UI about a voice or rendering a preparation stage skipped (count: so far in the stage). */
  private reportPreparation(stage: 'ranking' | 'instant', reason: string, count: number): void {
    this.emit({ kind: 'refused', jobId: this.config.jobId, phase: stage, count, reason });
  }

  /** Tells the UI about new refused search candidates; true when there were any. */
  private reportSearchRefusals(controller: SearchController): boolean {
    const { count, reason, evaluation } = controller.refusals;
    if (count === this.reportedSearchRefusals) return false;
    this.reportedSearchRefusals = count;
    this.emit({ kind: 'refused', jobId: this.config.jobId, phase: 'search', count, reason, evaluation });
    return true;
  }

  private async prepare(signal: AbortSignal | undefined): Promise<void> {
    const { jobId } = this.config;
    if (!this.session) {
      // A bad reference is no refusal (the job fails); a stock voice the ranking skips is.
      this.session = await CloneSession.start(this.setup, this.config.clips, {
        ...(signal ? { signal } : {}),
        onProgress: (phase, done, total) => this.emit({ kind: 'phase', jobId, phase, done, total }),
        onSkip: (reason, count) => this.reportPreparation('ranking', reason, count),
      });
      if (this.config.basis) this.session.basis(this.config.basis);
      this.emit({
        kind: 'ranking',
        jobId,
        voices: this.session.ranking.map(({ id, score }) => ({ id, score: { ...score } })),
      });
    }
    const session = this.session;
    if (!this.estimate) {
      const options = this.config.instant ?? {};
      const total = this.setup.stock.length + (options.blendCount ?? DEFAULT_INSTANT_TRAINING.blendCount);
      this.emit({ kind: 'phase', jobId, phase: 'instant', done: 0, total });
      this.instantSkips = 0;
      this.estimate = await session.instant({
        ...options,
        ...(signal ? { signal } : {}),
        onProgress: (phase, done, count) => this.emit({ kind: 'phase', jobId, phase, done, total: count }),
        onSkip: (reason, count) => {
          this.instantSkips = count;
          this.reportPreparation('instant', reason, count);
        },
      });
    }
    if (!this.instantScore && !this.instantRefused) {
      // Scored like any candidate (and charged as one evaluation before the search starts).
      const rendersBefore = session.scorer.renders;
      try {
        const { embeddings: _embeddings, ...score } = await session.scorer.score(
          this.estimate.pack,
          signal ? { signal } : {},
        );
        session.evaluations += 1;
        session.renders += score.renders;
        this.instantScore = score;
        this.emit({
          kind: 'instant',
          jobId,
          pack: new Float32Array(this.estimate.pack),
          score: { ...score },
        });
      } catch (error) {
        if (!isBadMeasurement(error)) throw error;
        throwIfAborted(signal);
        // Refused like a search candidate: charged, reported, and the search starts from it
        // anyway (its training rendering was fine); there is just no instant clone to offer.
        session.evaluations += 1;
        session.renders += session.scorer.renders - rendersBefore + 1;
        this.instantRefused = true;
        this.instantSkips++;
        this.reportPreparation('instant', refusalReason(error), this.instantSkips);
      }
    }
    if (!this.controller) {
      this.searchStart =
        this.config.searchStartEvaluation ??
        (this.config.resumeFrom ? this.coldSearchStart(session) : session.evaluations);
      const onEvaluation = (record: EvaluationRecord) => this.onEvaluation(record);
      const { resumeFrom, method, seed } = this.config;
      this.controller = resumeFrom
        ? session.resume(resumeFrom, onEvaluation)
        : method === 'timbre'
          ? session.timbre(this.estimate.coordinates, { seed }, onEvaluation)
          : session.walk(seed, onEvaluation);
      this.reportedSearchRefusals = this.controller.refusals.count; // told before the checkpoint
    }
  }

  /**
   * Where a search starts after a setup with an empty cache (ranking, every training blend,
   * the instant pack): the guess for a resumed checkpoint whose start was not kept, since
   * this job's own setup may have come from the cache. Too late a guess would end the search at once.
   */
  private coldSearchStart(session: CloneSession): number {
    return (
      session.ranking.length + (this.config.instant?.blendCount ?? DEFAULT_INSTANT_TRAINING.blendCount) + 1
    );
  }

  private get endEvaluation(): number {
    return this.searchStart + this.config.budget + this.extraBudget;
  }

  private searchProgress(evaluation: number): void {
    const done = evaluation - this.searchStart;
    this.emit({
      kind: 'phase',
      jobId: this.config.jobId,
      phase: 'search',
      done,
      total: this.endEvaluation - this.searchStart,
    });
  }

  private onEvaluation(record: EvaluationRecord): void {
    const { jobId } = this.config;
    this.emit({ kind: 'evaluation', jobId, record });
    const best = this.controller?.best();
    if (record.improved && best) {
      this.emit({
        kind: 'best',
        jobId,
        pack: new Float32Array(best.pack),
        score: { ...best.score },
        evaluation: best.evaluation,
      });
    }
    this.searchProgress(record.evaluation);
  }

  private checkpoint(controller: SearchController): void {
    this.emit({
      kind: 'checkpoint',
      jobId: this.config.jobId,
      saved: controller.checkpoint(),
      searchStartEvaluation: this.searchStart,
    });
  }

  private async search(signal: AbortSignal | undefined): Promise<CloneJobOutcome> {
    const controller = this.controller as SearchController;
    const { clock } = this.config;
    const interval = this.config.checkpointIntervalMs ?? CHECKPOINT_INTERVAL_MS;
    const total = this.endEvaluation - this.searchStart;
    this.emit({
      kind: 'phase',
      jobId: this.config.jobId,
      phase: 'search',
      done: controller.evaluationCount - this.searchStart,
      total,
    });
    let lastCheckpointMs = clock.now();
    while (controller.evaluationCount < this.endEvaluation) {
      await clock.yieldToEvents();
      let outcome;
      try {
        outcome = await controller.run(controller.evaluationCount + 1, signal);
      } catch (error) {
        if (error instanceof RendersKeepFailingError) {
          // Stopped by the refusal rule: the user hears why, and can resume from here (on WASM).
          this.reportSearchRefusals(controller);
          this.checkpoint(controller);
        }
        throw error;
      }
      // A refused candidate has no evaluation event: its progress goes out here.
      if (this.reportSearchRefusals(controller)) this.searchProgress(controller.evaluationCount);
      if (outcome === 'aborted') {
        this.checkpoint(controller);
        throw new AbortedError();
      }
      const atEnd = controller.evaluationCount >= this.endEvaluation; // the final checkpoint follows
      if (!atEnd && clock.now() - lastCheckpointMs >= interval) {
        this.checkpoint(controller);
        lastCheckpointMs = clock.now();
      }
    }
    this.checkpoint(controller);
    return 'budget';
  }

  private summary(outcome: CloneJobOutcome): CloneJobSummary {
    const session = this.session;
    const controller = this.controller;
    const best = controller?.best();
    const top = session?.ranking[0];
    return {
      jobId: this.config.jobId,
      outcome,
      evaluations: controller?.evaluationCount ?? session?.evaluations ?? 0,
      searchStartEvaluation: controller ? this.searchStart : (session?.evaluations ?? 0),
      renders: controller?.renderCount ?? session?.renders ?? 0,
      best: best
        ? { pack: new Float32Array(best.pack), score: { ...best.score }, evaluation: best.evaluation }
        : null,
      nearestStock: top ? { id: top.id, score: { ...top.score } } : null,
      instant:
        this.estimate && this.instantScore
          ? { pack: new Float32Array(this.estimate.pack), score: { ...this.instantScore } }
          : null,
    };
  }
}
