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
 */
import { AbortedError, throwIfAborted } from '../progress';
import type { CandidateScore, CloneScorer } from './score';

/** A scored candidate as methods are told it: the score and its embeddings as plain arrays (JSON-safe). */
export interface Evaluated extends CandidateScore {
  embeddings: { target: number[]; self: number[] | null; features: number[] | null };
}

/** `walk`: KVoiceWalk's baseline; `timbre`: the model-based search; `cma`: CMA-ES in the same space. */
export type SearchMethodName = 'walk' | 'timbre' | 'cma';

/** JSON-compatible values (what checkpoints hold). */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface SearchMethod {
  readonly name: SearchMethodName;
  /** The next batch of candidate packs. Pure: the same until `tell`. */
  ask(): Float32Array[];
  /** Scores for the whole batch `ask` returned, in order. */
  tell(results: readonly Evaluated[]): void;
  /** Target similarity the early exit compares with (the method's incumbent), if any. */
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
    ...result,
    embeddings: {
      target: [...result.embeddings.target],
      self: result.embeddings.self ? [...result.embeddings.self] : null,
      features: result.embeddings.features ? [...result.embeddings.features] : null,
    },
  };
}

export class SearchController {
  private pending: Evaluated[] = [];
  private evaluations: number;
  private renders: number;
  private bestCandidate: BestCandidate | undefined;

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
          ? { pack: bestPack, ...checkpoint.best, score: { ...checkpoint.best.score } }
          : undefined;
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
    const { embeddings, ...score } = await this.scorer.score(pack, {
      ...(reference !== undefined ? { bestTargetSimilarity: reference } : {}),
      ...(signal ? { signal } : {}),
    });
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
    const improved = score.complete && (!this.bestCandidate || score.score > this.bestCandidate.score.score);
    if (improved) this.bestCandidate = { pack, score, evaluation: this.evaluations };
    this.options.onEvaluation?.({
      evaluation: this.evaluations,
      score,
      renders: this.renders,
      improved,
      best: this.bestCandidate?.score ?? null,
    });
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
      },
      bestPack: best ? new Float32Array(best.pack) : null,
    };
  }
}
