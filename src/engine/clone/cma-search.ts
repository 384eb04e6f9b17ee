/**
 * A scalar-only alternative to Timbre's model-based search: CMA-ES in the same low-dimensional
 * pack space (basis.ts: principal axes of the stock packs plus a shared row offset, ~32
 * coordinates in units of the stock spread). It learns from the scores alone, so it needs more
 * evaluations than the model search, but it assumes no smoothness at all: the robust fallback.
 *
 * - The first candidate is the start point itself (the instant estimate); CMA-ES then
 *   samples around it with step size sigma0.
 * - Fitness is the score; an early exit (incomplete score) ranks below every complete one,
 *   ordered by its target similarity, so the information it carries is not thrown away. A
 *   refused candidate (search.ts: its rendering was unusable) ranks below everything: CMA-ES
 *   needs a fitness for every point of a generation, and "worst" moves the distribution away
 *   from where renderings fail.
 * - Restarts (IPOP): when the search has shrunk below `restartReach` or has not improved
 *   for 10 + 30 d / lambda generations, CMA-ES starts again from the best point so far with
 *   sigma0 and twice the population.
 * All state is JSON; the PRNG state is part of it, so resumes are exact.
 */
import { basisDimension, packFromCoordinates, type PackBasis } from './basis';
import {
  defaultLambda,
  initialCmaState,
  sampleGeneration,
  searchReach,
  updateCma,
  type CmaState,
} from './cmaes';
import { SeededRandom, type RandomState } from './random';
import type { CandidateScore } from './score';
import type { Evaluated, Json, SearchMethod } from './search';

export interface CmaSearchConfig {
  seed: number;
  /** Initial step size, in stock-spread units. */
  sigma0: number;
  /** Population per generation; CMA-ES's default for the dimension when absent. */
  lambda?: number;
  /** Restart when sigma x the longest axis falls below this. */
  restartReach: number;
  /** Population growth per restart. */
  restartPopulationFactor: number;
}

export const DEFAULT_CMA_SEARCH: Omit<CmaSearchConfig, 'seed'> = {
  sigma0: 0.3,
  restartReach: 0.01,
  restartPopulationFactor: 2,
};

export interface CmaSearchState {
  version: 1;
  rng: RandomState;
  phase: 'start' | 'cma';
  start: number[];
  cma: CmaState;
  restarts: number;
  best: { coordinates: number[]; score: CandidateScore } | null;
  generationsWithoutImprovement: number;
  config: CmaSearchConfig;
}

/** Fitness of a refused candidate: below every early exit (those are in [-3, -1]). */
export const REFUSED_FITNESS = -4;

/**
 * Rank key for CMA-ES: complete scores as they are; early exits below all of them, by target
 * similarity; refused candidates last.
 */
export function fitnessOf(score: CandidateScore & { refused?: boolean }): number {
  if (score.refused) return REFUSED_FITNESS;
  return score.complete ? score.score : -2 + score.targetSimilarity;
}

export class CmaSearch implements SearchMethod {
  readonly name = 'cma';
  private state: CmaSearchState;
  private asked: { coordinates: Float64Array[]; packs: Float32Array[]; rng: RandomState } | undefined;

  constructor(
    private readonly basis: PackBasis,
    start: ArrayLike<number> | { state: CmaSearchState },
    config: Partial<CmaSearchConfig> & { seed: number } = { seed: 1 },
  ) {
    if ('state' in start) {
      if (start.state.start.length !== basisDimension(basis))
        throw new Error('CmaSearch: checkpoint of another basis');
      this.state = JSON.parse(JSON.stringify(start.state)) as CmaSearchState;
      return;
    }
    if (start.length !== basisDimension(basis))
      throw new RangeError('CmaSearch: start has the wrong dimension');
    const full: CmaSearchConfig = { ...DEFAULT_CMA_SEARCH, ...config };
    this.state = {
      version: 1,
      rng: new SeededRandom(full.seed).state(),
      phase: 'start',
      start: Array.from(start),
      cma: initialCmaState(start, full.sigma0, full.lambda ?? defaultLambda(start.length)),
      restarts: 0,
      best: null,
      generationsWithoutImprovement: 0,
      config: full,
    };
  }

  get restarts(): number {
    return this.state.restarts;
  }

  /** Coordinates of the best complete candidate so far. */
  bestCoordinates(): number[] | undefined {
    return this.state.best?.coordinates.slice();
  }

  ask(): Float32Array[] {
    if (!this.asked) {
      const rng = new SeededRandom(this.state.rng);
      const coordinates =
        this.state.phase === 'start'
          ? [Float64Array.from(this.state.start)]
          : sampleGeneration(this.state.cma, rng);
      this.asked = {
        coordinates,
        packs: coordinates.map((c) => packFromCoordinates(this.basis, c)),
        rng: rng.state(),
      };
    }
    return this.asked.packs;
  }

  tell(scores: readonly Evaluated[]): void {
    const asked = this.asked;
    if (!asked || scores.length !== asked.packs.length)
      throw new Error('CmaSearch: tell() needs one score per asked candidate');
    let improved = false;
    scores.forEach((score, i) => {
      if (score.complete && (!this.state.best || score.score > this.state.best.score.score)) {
        this.state.best = {
          coordinates: Array.from(asked.coordinates[i] as Float64Array),
          score: { ...score },
        };
        improved = true;
      }
    });
    this.state.rng = asked.rng;
    this.asked = undefined;
    if (this.state.phase === 'start') {
      this.state.phase = 'cma';
      return;
    }
    this.state.cma = updateCma(this.state.cma, asked.coordinates, scores.map(fitnessOf));
    this.state.generationsWithoutImprovement = improved ? 0 : this.state.generationsWithoutImprovement + 1;
    const { cma, config } = this.state;
    const stagnationLimit = 10 + Math.ceil((30 * cma.dim) / cma.lambda);
    const finite = cma.mean.every(Number.isFinite) && Number.isFinite(cma.sigma);
    if (
      !finite ||
      searchReach(cma) < config.restartReach ||
      this.state.generationsWithoutImprovement > stagnationLimit
    ) {
      const from = this.state.best?.coordinates ?? this.state.start;
      const lambda = Math.round(cma.lambda * config.restartPopulationFactor);
      this.state.cma = initialCmaState(from, config.sigma0, lambda);
      this.state.restarts++;
      this.state.generationsWithoutImprovement = 0;
    }
  }

  earlyExitReference(): number | undefined {
    return this.state.best?.score.probeSimilarity;
  }

  saveState(): Json {
    return JSON.parse(JSON.stringify(this.state)) as Json;
  }
}
