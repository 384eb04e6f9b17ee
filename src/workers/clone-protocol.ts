/**
 * The typed contract between the UI and the clone worker (Kokoro + speaker encoder + the
 * engine's CloneSession and searches). Types only: importing it never pulls onnxruntime-web
 * into the UI.
 *
 * Life of a job:
 *   startJob(request, onEvent) -> events: phase (loading, reference, ranking, instant, search),
 *   ranking, instant, evaluation (every one), best (each improvement), checkpoint (every few
 *   seconds, on pause, and at the end), refused (whenever a measurement was unusable and left
 *   out) -> resolves with the outcome and the best voice.
 *   pause(jobId): the run stops after the current evaluation and resolves 'paused'; the job's
 *   session stays in the worker, so resume(jobId, ...) continues at once.
 *   cancel(jobId): resolves 'cancelled' with the best so far (never lost) and forgets the job.
 *   After a reload the UI calls startJob again with `resumeFrom` (the last checkpoint from
 *   IndexedDB): ranking and map training come from the measurement cache, so it is quick.
 */
import type { ProgressCallback } from '../engine/progress';
import type { CandidateScore, ScoreWeights } from '../engine/clone/score';
import type { EvaluationRecord, SavedSearch } from '../engine/clone/search';
import type { Measurement } from '../engine/clone/types';
import type { Backend, BackendChoice, Dialect } from './protocol';

export interface CloneInitOptions {
  /** Model source base URL (a folder holding manifest.json); undefined = self-hosted, then the hub. */
  modelBase?: string;
  backend: BackendChoice;
  /** Kokoro variant id; undefined = the manifest default for the backend. */
  kokoroVariant?: string;
  /** Speaker-encoder variant id; undefined = the manifest default for the backend. */
  encoderVariant?: string;
}

export interface CloneEngineStatus {
  backend: Backend;
  kokoroVariant: string;
  encoderVariant: string;
  /** Names exactly these weights (variants + start of SHA-256): measurement-cache keys use it. */
  cacheTag: string;
  /** True when the models are test fixtures. */
  fixture: boolean;
  /** Set when WebGPU was asked for but the worker runs on WASM, and why. */
  fallbackReason?: string;
}

/** Measured on this device with the loaded models: what a budget will cost. */
export interface CloneSpeedEstimate {
  /** One full evaluation (two renderings, two embeddings, features). */
  msPerEvaluation: number;
  /** Ranking + instant map training when nothing is cached yet. */
  setupMsCold: number;
  /** The same when the measurement cache already holds them (second clone of the same text). */
  setupMsWarm: number;
  /**
   * What the figures above are made of, so a budget can be priced for another target probe
   * (a transcript's first words instead of the fixed sentence): one rendering of the fixed
   * target probe with its features, the probe's length in tokens, and the setup's counts.
   */
  msPerTargetRendering: number;
  targetProbeTokens: number;
  stockCount: number;
  blendCount: number;
  msPerCacheLookup: number;
}

export type CloneMethod = 'timbre' | 'walk';

export interface CloneJobRequest {
  /** The caller's id; also the checkpoint id in IndexedDB. */
  jobId: string;
  targetId: string;
  /** Cleaned reference clips (mono, any rate; the engine resamples). */
  clips: { pcm: Float32Array; sampleRateHz: number }[];
  /** What the clips say, when the user gave it: rendered for target similarity. */
  transcript?: string;
  dialect: Dialect;
  method: CloneMethod;
  weights: ScoreWeights;
  /** Search evaluations to spend after ranking and the instant estimate (not counting them). */
  budget: number;
  seed: number;
  /** Continue a search from its last checkpoint (same target, method and models). */
  resumeFrom?: SavedSearch;
  /**
   * With resumeFrom: the `searchStartEvaluation` of that checkpoint event, so `budget` still
   * counts from where the original search started (a warm cache makes the resumed setup
   * cheaper). Without it the worker assumes the start of a setup with an empty cache
   * (ranking + map training + the instant pack).
   */
  searchStartEvaluation?: number;
}

export type ClonePhaseName = 'loading' | 'reference' | 'ranking' | 'instant' | 'search';

export interface RankedStockVoice {
  id: string;
  score: CandidateScore;
}

export type CloneEvent =
  | { kind: 'phase'; jobId: string; phase: ClonePhaseName; done: number; total: number }
  /** Stock voices best first (all of them), once ranking is done. */
  | { kind: 'ranking'; jobId: string; voices: RankedStockVoice[] }
  /** The instant clone (no search), scored like any candidate. */
  | { kind: 'instant'; jobId: string; pack: Float32Array; score: CandidateScore }
  /** Every evaluation the search makes, in order. */
  | { kind: 'evaluation'; jobId: string; record: EvaluationRecord }
  /** Each time the best so far improves. */
  | { kind: 'best'; jobId: string; pack: Float32Array; score: CandidateScore; evaluation: number }
  /** State to store in IndexedDB (every few seconds, on pause/cancel/end). */
  | { kind: 'checkpoint'; jobId: string; saved: SavedSearch; searchStartEvaluation: number }
  /**
   * Kokoro rendered unusable audio (NaN on WebGPU, silence) or the encoder a NaN embedding, even
   * after a WASM re-rendering: that stock voice ('ranking'), training rendering ('instant') or
   * search candidate ('search', still one evaluation spent) was left out and the job goes on.
   * `count` is the total so far in that phase, `reason` the last one's message (no full stop).
   * When refusals keep coming the job rejects instead (see RendersKeepFailingError).
   */
  | {
      kind: 'refused';
      jobId: string;
      phase: CloneRefusalPhase;
      count: number;
      reason: string;
      /** Search only: evaluations counted so far, the refused candidate included. */
      evaluation?: number;
    };

export type CloneRefusalPhase = 'ranking' | 'instant' | 'search';

export type CloneOutcome = 'budget' | 'paused' | 'cancelled';

export interface CloneJobResult {
  jobId: string;
  outcome: CloneOutcome;
  /** Evaluations counted from the first ranking (ranking and map training included). */
  evaluations: number;
  /** Evaluation number where the search itself started (after ranking and the instant estimate). */
  searchStartEvaluation: number;
  renders: number;
  best: { pack: Float32Array; score: CandidateScore; evaluation: number } | null;
  /** The nearest stock voice and the instant clone, for the A/B. */
  nearestStock: RankedStockVoice | null;
  instant: { pack: Float32Array; score: CandidateScore } | null;
}

/** The measurement cache lives in the UI's IndexedDB (`embeddings` store); the worker calls it through comlink. */
export interface CloneMeasurementStore {
  get(key: string): Promise<Measurement | undefined>;
  set(key: string, value: Measurement): Promise<void>;
}

export interface CloneWorkerApi {
  /** The port to the inference worker (which owns Kokoro and the encoders); before init. */
  connect(port: MessagePort): void;
  /** Loads Kokoro and the speaker encoder (through the model store, cache and progress). */
  init(options: CloneInitOptions, onProgress: ProgressCallback): Promise<CloneEngineStatus>;
  /**
   * Tokens of the probe a search renders for a reference with this transcript (its first
   * words, engine/clone/config.ts): 0 when the transcript has nothing to speak.
   */
  transcriptProbeTokens(transcript: string, dialect: Dialect): Promise<number>;
  /** Times an evaluation on this device (a few renderings with a stock voice). */
  estimateSpeed(): Promise<CloneSpeedEstimate>;
  /**
   * The inference worker replaced the shared Kokoro session by its WASM twin (WebGPU returned
   * bad audio to Speak or the preview): renderings from now on are WASM's, cached under WASM's
   * tag. The engine's new status, or undefined when none is loaded or it ran on WASM already.
   */
  kokoroFellBack(reason: string): CloneEngineStatus | undefined;
  /**
   * Runs a job until its budget, pause or cancel. Rejects with a readable Error when the
   * reference has no usable speech or a model fails; `best` of the last `best` event stands.
   */
  startJob(
    request: CloneJobRequest,
    onEvent: (event: CloneEvent) => void,
    store: CloneMeasurementStore,
  ): Promise<CloneJobResult>;
  /**
   * Continues a paused job (or one that reached its budget) with `extraBudget` more search
   * evaluations (0 = up to its budget). Events go to the `onEvent` given to startJob, so the
   * UI keeps that callback proxy until the job is cancelled or forgotten.
   */
  resume(jobId: string, extraBudget: number): Promise<CloneJobResult>;
  pause(jobId: string): void;
  cancel(jobId: string): void;
}
