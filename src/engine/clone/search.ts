/**
 * The search loop shared by every method. A SearchMethod proposes batches of packs (`ask`,
 * a pure function of its state: asking twice gives the same batch) and learns from their
 * scores (`tell`, which advances the state, including its PRNG). The SearchController
 * scores candidates one by one, reports every evaluation, stops at a budget or when its
 * AbortSignal fires (pause = abort then `run` again; cancel = abort and drop it), and
 * checkpoints: JSON state (method state + the scores of the current batch so far) plus the
 * best pack. The best is the highest-scoring complete evaluation (early exits never count),
 * which for the walk is exactly its greedy incumbent. Restoring a checkpoint re-asks the same batch and skips what was already
 * scored, so an interrupted run continues with exactly the candidates an uninterrupted one
 * would have tried.
 *
 * Refusals: a candidate whose measurement is bad (BadMeasurementError: Kokoro rendered NaN,
 * infinite or silent audio even on the WASM fallback, or the encoder returned a NaN or zero
 * embedding) is REFUSED, not fatal. It costs one evaluation (its renderings were spent), is
 * reported to no `onEvaluation` (it has no score to plot) and never becomes the best; its
 * method is told it as a `refused` result (see Evaluated) and the search goes on. Only when
 * refusals keep coming (see REFUSAL_RUN_LIMIT) does the search stop, with a
 * RendersKeepFailingError. Aborts and every other error end the run as before.
 */
import { AbortedError, throwIfAborted } from '../progress';
import { BadMeasurementError } from './render';
import { asProbe, withProbeFields, type CandidateScore, type CloneScorer } from './score';

/** Which of a score's two measures a method maximises. */
export type ScoreMeasure = 'pooled' | 'probe';

/** A scored candidate as methods are told it: the score and its embeddings as plain arrays (JSON-safe). */
export interface Evaluated extends CandidateScore {
  embeddings: { target: number[]; self: number[] | null; features: number[] | null };
  /**
   * Set when the candidate was refused (its measurement was bad). Nothing was measured: the
   * score is a placeholder below every real one (0, incomplete, target similarity -1, no
   * other similarities) and the embeddings are empty, so a method must never learn from them.
   * The walk and CMA-ES treat it as the worst possible candidate; the model search skips it.
   */
  refused?: true;
}

/**
 * The search stops once REFUSAL_RUN_LIMIT candidates in a row were refused, or more than half
 * of the last REFUSAL_WINDOW evaluations were (those before the search, the ranking and the
 * map's training, count as good ones). Why: a GPU that starts returning NaN (the WebGPU
 * failure this guards against) usually does so for every rendering from then on, and every
 * refused candidate costs its renderings plus a WASM re-rendering for nothing; five in a row
 * is that case, caught within about one exploration batch. A renderer failing on some packs
 * only (extreme voices at the edge of the library) refuses scattered candidates, which the
 * search absorbs until they are the majority of its recent work. The window is cleared when
 * the rule fires, so a search resumed from that point (on another backend, say) starts afresh.
 */
export const REFUSAL_RUN_LIMIT = 5;
export const REFUSAL_WINDOW = 20;

/** What to do when renderings keep failing (ends every RendersKeepFailingError message). */
export const RENDERS_FAILING_ADVICE = 'Choose the WASM (CPU) backend under Models & settings';

/**
 * Renderings (or measurements) keep failing: the job stops rather than spend its budget on
 * unusable audio. Thrown by the search (the refusal rule above), the ranking (every stock
 * voice refused) and the instant estimate's training (too few usable renderings to fit).
 */
export class RendersKeepFailingError extends Error {
  override readonly name = 'RendersKeepFailingError';
}

/** True for a BadMeasurementError (also one from another realm, by name, as aborts are recognised). */
export function isBadMeasurement(error: unknown): error is Error {
  return (
    error instanceof BadMeasurementError || (error instanceof Error && error.name === 'BadMeasurementError')
  );
}

/** A refusal's message without its final full stop, to quote inside a sentence. */
export function refusalReason(error: Error): string {
  return error.message.trim().replace(/\.+$/, '');
}

/** `walk`: KVoiceWalk's baseline; `timbre`: the model-based search; `cma`: CMA-ES in the same space. */
export type SearchMethodName = 'walk' | 'timbre' | 'cma';

/** JSON-compatible values (what checkpoints hold). */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * What each method maximises: the walk KVoiceWalk's probe-only score, the others the pooled one
 * (score.ts). The controller keeps a method's best and reports its records in it; the Clone
 * tab's A/B table shows a job's rows in it.
 */
export const SCORE_MEASURE: Readonly<Record<SearchMethodName, ScoreMeasure>> = {
  walk: 'probe',
  timbre: 'pooled',
  cma: 'pooled',
};

/** `score` in the measure `method` maximises. */
export function inMeasureOf<T extends CandidateScore>(method: SearchMethodName, score: T): T {
  return SCORE_MEASURE[method] === 'probe' ? asProbe(score) : score;
}

export interface SearchMethod {
  readonly name: SearchMethodName;
  /** The next batch of candidate packs. Pure: the same until `tell`. */
  ask(): Float32Array[];
  /** Scores for the whole batch `ask` returned, in order. */
  tell(results: readonly Evaluated[]): void;
  /** The incumbent's probeSimilarity, which the early exit compares with, if any. */
  earlyExitReference(): number | undefined;
  /** The method's state as JSON (the best pack travels beside it in a checkpoint). */
  saveState(): Json;
}

export interface BestCandidate {
  pack: Float32Array;
  score: CandidateScore;
  /** 1-based evaluation number (counting `evaluationOffset`) that found it. */
  evaluation: number;
}

export interface EvaluationRecord {
  /** 1-based, counting `evaluationOffset`. */
  evaluation: number;
  score: CandidateScore;
  /** Renderings spent so far (counting `renderOffset`). */
  renders: number;
  /** True when this candidate became the best so far. */
  improved: boolean;
  /** Best so far (null while every candidate so far was an early exit). */
  best: CandidateScore | null;
}

export interface SearchCheckpoint {
  version: 1;
  method: SearchMethodName;
  state: Json;
  /** The current batch's first candidates, already evaluated. */
  pending: Evaluated[];
  evaluations: number;
  renders: number;
  best: { score: CandidateScore; evaluation: number } | null;
  /**
   * Refused candidates: how many so far, and the evaluation numbers of those still in the
   * refusal window (REFUSAL_WINDOW). Absent in checkpoints made before refusals existed.
   */
  refusals?: { count: number; recent: number[] };
}

/** The refused candidates of a search so far, and why the last one was refused. */
export interface RefusalSummary {
  count: number;
  /** The last refusal's message (without its full stop); empty after a restore until the next one. */
  reason: string;
  /** Evaluation number (counting `evaluationOffset`) of the last refusal, 0 after a restore. */
  evaluation: number;
}

export interface SavedSearch {
  checkpoint: SearchCheckpoint;
  bestPack: Float32Array | null;
}

export interface ControllerOptions {
  /** Evaluations (and renderings) spent before the search (ranking, map fitting): counts start there. */
  evaluationOffset?: number;
  renderOffset?: number;
  onEvaluation?: (record: EvaluationRecord) => void;
}

/** Why `run` returned: budget reached, or the signal fired. */
export type RunOutcome = 'budget' | 'aborted';

function copyEvaluated(result: Evaluated): Evaluated {
  return {
    ...withProbeFields(result),
    embeddings: {
      target: [...result.embeddings.target],
      self: result.embeddings.self ? [...result.embeddings.self] : null,
      features: result.embeddings.features ? [...result.embeddings.features] : null,
    },
  };
}

/** The placeholder score of a refused candidate (see Evaluated.refused). */
const REFUSED_SCORE = {
  score: 0,
  targetSimilarity: -1,
  probeSimilarity: -1,
  probeScore: 0,
  selfSimilarity: null,
  featureSimilarity: null,
  complete: false,
} as const;

export class SearchController {
  private pending: Evaluated[] = [];
  private evaluations: number;
  private renders: number;
  private bestCandidate: BestCandidate | undefined;
  private refused: RefusalSummary = { count: 0, reason: '', evaluation: 0 };
  /** Evaluation numbers of the refusals within the last REFUSAL_WINDOW evaluations. */
  private recentRefusals: number[] = [];

  constructor(
    readonly method: SearchMethod,
    private readonly scorer: CloneScorer,
    private readonly options: ControllerOptions = {},
    restored?: SavedSearch,
  ) {
    this.evaluations = options.evaluationOffset ?? 0;
    this.renders = options.renderOffset ?? 0;
    if (restored) {
      const { checkpoint, bestPack } = restored;
      if (checkpoint.method !== method.name)
        throw new Error(`Checkpoint of '${checkpoint.method}' given to '${method.name}'`);
      this.pending = checkpoint.pending.map(copyEvaluated);
      this.evaluations = checkpoint.evaluations;
      this.renders = checkpoint.renders;
      this.bestCandidate =
        checkpoint.best && bestPack
          ? { pack: bestPack, ...checkpoint.best, score: withProbeFields({ ...checkpoint.best.score }) }
          : undefined;
      if (checkpoint.refusals) {
        this.refused = { count: checkpoint.refusals.count, reason: '', evaluation: 0 };
        this.recentRefusals = [...checkpoint.refusals.recent];
      }
    }
  }

  get evaluationCount(): number {
    return this.evaluations;
  }

  get renderCount(): number {
    return this.renders;
  }

  best(): BestCandidate | undefined {
    return this.bestCandidate;
  }

  /** Refused candidates so far (counted across checkpoints). */
  get refusals(): RefusalSummary {
    return { ...this.refused };
  }

  /** Scores candidates until `evaluations` (total, offset included) or the signal fires. */
  async run(untilEvaluations: number, signal?: AbortSignal): Promise<RunOutcome> {
    try {
      while (this.evaluations < untilEvaluations) {
        throwIfAborted(signal);
        const batch = this.method.ask();
        if (batch.length === 0) throw new Error(`${this.method.name}: asked for an empty batch`);
        while (this.pending.length < batch.length) {
          if (this.evaluations >= untilEvaluations) return 'budget';
          throwIfAborted(signal);
          await this.evaluate(batch[this.pending.length] as Float32Array, signal);
        }
        this.method.tell(this.pending);
        this.pending = [];
      }
      return 'budget';
    } catch (error) {
      if (error instanceof AbortedError || (error as { name?: string } | null)?.name === 'AbortError')
        return 'aborted';
      throw error;
    }
  }

  private async evaluate(pack: Float32Array, signal?: AbortSignal): Promise<void> {
    const reference = this.method.earlyExitReference();
    const rendersBefore = this.scorer.renders;
    let scored;
    try {
      scored = await this.scorer.score(pack, {
        ...(reference !== undefined ? { bestTargetSimilarity: reference } : {}),
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      if (!isBadMeasurement(error)) throw error;
      // A pause or cancel that came during the bad rendering wins: the candidate is not
      // recorded, so a resumed search asks for it again, as for any interrupted candidate.
      throwIfAborted(signal);
      // The scorer counts the renderings that succeeded; the failed one was spent too.
      this.refuse(error, this.scorer.renders - rendersBefore + 1);
      return;
    }
    const { embeddings, ...score } = scored;
    this.pending.push({
      ...score,
      embeddings: {
        target: Array.from(embeddings.target),
        self: embeddings.self ? Array.from(embeddings.self) : null,
        features: embeddings.features ? Array.from(embeddings.features) : null,
      },
    });
    this.evaluations++;
    this.renders += score.renders;
    // Reported, and its best kept, in the measure the method maximises.
    const shown = inMeasureOf(this.method.name, score);
    const improved = shown.complete && (!this.bestCandidate || shown.score > this.bestCandidate.score.score);
    if (improved) this.bestCandidate = { pack, score: shown, evaluation: this.evaluations };
    this.options.onEvaluation?.({
      evaluation: this.evaluations,
      score: shown,
      renders: this.renders,
      improved,
      best: this.bestCandidate?.score ?? null,
    });
  }

  /** Records a refused candidate (see Evaluated.refused) and applies the refusal rule. */
  private refuse(error: Error, renders: number): void {
    this.pending.push({
      ...REFUSED_SCORE,
      renders,
      embeddings: { target: [], self: null, features: null },
      refused: true,
    });
    this.evaluations++;
    this.renders += renders;
    const evaluation = this.evaluations;
    this.refused = { count: this.refused.count + 1, reason: refusalReason(error), evaluation };
    this.recentRefusals = [...this.recentRefusals.filter((n) => n > evaluation - REFUSAL_WINDOW), evaluation];
    const inARow = this.recentRefusals.filter((n) => n > evaluation - REFUSAL_RUN_LIMIT).length;
    const inWindow = this.recentRefusals.length;
    if (inARow < REFUSAL_RUN_LIMIT && inWindow <= REFUSAL_WINDOW / 2) return;
    this.recentRefusals = [];
    const what =
      inARow >= REFUSAL_RUN_LIMIT
        ? `the last ${REFUSAL_RUN_LIMIT} candidates were all refused`
        : `${inWindow} of the last ${REFUSAL_WINDOW} candidates were refused`;
    throw new RendersKeepFailingError(
      `Renders keep failing: ${what} (${this.refused.reason}). The search stopped; the best voice so far is kept. ${RENDERS_FAILING_ADVICE}, then resume.`,
    );
  }

  /** State to store; pass it (with a freshly restored method) to the constructor to resume. */
  checkpoint(): SavedSearch {
    const best = this.bestCandidate;
    return {
      checkpoint: {
        version: 1,
        method: this.method.name,
        state: this.method.saveState(),
        pending: this.pending.map(copyEvaluated),
        evaluations: this.evaluations,
        renders: this.renders,
        best: best ? { score: { ...best.score }, evaluation: best.evaluation } : null,
        refusals: { count: this.refused.count, recent: [...this.recentRefusals] },
      },
      bestPack: best ? new Float32Array(best.pack) : null,
    };
  }
}
