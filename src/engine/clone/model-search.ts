/**
 * Timbre's search, model-based: a trust-region method in the pack basis (basis.ts) that learns
 * how the speaker embeddings and voice features move with the coordinates (surrogate.ts) and
 * steps to where its model of the SCORE is best. Every evaluation teaches it ~560 numbers
 * instead of one accept/reject bit, which is where the saving over a random walk comes from.
 *
 * Batches:
 * - start: the start candidates (instant estimate, top stock voice, mean of the top ten);
 *   the best becomes the centre;
 * - explore: centre + radius * unit directions orthogonal to the displacements already near
 *   the centre (finite differences that fill the neighbourhood in), while the model lacks data
 *   or right after it failed;
 * - model: the model's optimum at the full radius and at a third of it, plus 1-4 exploration
 *   points while the neighbourhood does not yet span every coordinate in play;
 * - polish: see POLISH_DIVERSITY_MIN.
 * Trust region: the radius doubles when the full step won while stopped by the boundary,
 * shrinks to twice the step when that step ended inside, halves when nothing improved; below
 * `minRadius` it resets to `radius0` (a restart from the best).
 * Stages: the search moves along the first `initialActive` coordinates (pack axes, principal
 * offset axes); after `patience` batches without a gain of `convergenceGain` it opens
 * `expandBy` more (the offset's complement: voices outside the library's span), and with all
 * of them open it hands over to the polish, which runs until the caller's budget ends.
 * All state is JSON (the PRNG included): checkpoints resume exactly. The archive keeps the
 * points nearest the centre.
 * A refused candidate (search.ts: its rendering was unusable) is skipped: it has no embeddings
 * to learn from, and a made-up point would bend the local model. Its batch goes on as if it
 * had not improved anything (a refused model step halves the radius like a failed one; a
 * start batch refused entirely is asked again).
 */
import { basisDimension, packFromCoordinates, type PackBasis } from './basis';
import { SeededRandom, type RandomState } from './random';
import type { CandidateScore } from './score';
import type { Evaluated, Json, SearchMethod } from './search';
import { fitLocalModel, maximiseModel, type ArchivePoint, type ModelObjective } from './surrogate';

export type { ModelObjective } from './surrogate';

export interface ModelSearchConfig {
  seed: number;
  radius0: number;
  minRadius: number;
  maxRadius: number;
  /** Points kept for the local fits (nearest the centre); defaults to 2 x active + 16, at most ARCHIVE_MAX. */
  archiveLimit?: number;
  /** Converged after this many batches in a row that together gained less than `convergenceGain` in score. */
  patience: number;
  convergenceGain: number;
  /**
   * Coordinates in play at first (a prefix: pack axes, then offset principal axes); the rest
   * (offset complement axes) open `expandBy` at a time whenever the search has converged on
   * those in play. Defaults to all of them.
   */
  initialActive?: number;
  expandBy: number;
}

export const DEFAULT_MODEL_SEARCH: Omit<ModelSearchConfig, 'seed'> = {
  radius0: 0.3,
  minRadius: 0.004,
  maxRadius: 2,
  patience: 12,
  convergenceGain: 1e-4,
  expandBy: 32,
};

export interface ModelSearchState {
  version: 1;
  config: ModelSearchConfig;
  rng: RandomState;
  /** Start candidates, evaluated together as the first batch; the best becomes the centre. */
  starts: number[][];
  radius: number;
  restarts: number;
  /** Best score when the current run of batches without a real gain began, and the run's length. */
  stallScore: number | null;
  stalledBatches: number;
  /** Leading coordinates the search moves along (see ModelSearchConfig.initialActive). */
  active: number;
  /** True once the search has handed over to the polish. */
  polishing: boolean;
  /** Set when a model batch improved nothing: the next batch explores to repair the model. */
  explore: boolean;
  centre: (ArchivePoint & { score: CandidateScore }) | null;
  archive: ArchivePoint[];
}

type BatchKind = 'start' | 'explore' | 'model' | 'polish';

/**
 * Polish: once the model has converged on every coordinate, KVoiceWalk's own step takes over
 * from the best, in coordinates (units of stock spread, so the same relative scale as the
 * walk's population std): centre + randn * diversity, diversity ~ U(0.01, 0.15) redrawn every
 * step, greedy. What is left at that point is what a smooth model cannot see (pitch-track and
 * other feature jumps, rounding of durations); a fixed range of step sizes keeps finding it
 * where a self-adapting step (tried: the 1/5 rule) collapses within ~50 evaluations.
 */
const POLISH_DIVERSITY_MIN = 0.01;
const POLISH_DIVERSITY_MAX = 0.15;

/** Exploration batch sizes: up to EXPLORE_MAX while the model lacks data, EXPLORE_MIN to repair it. */
const EXPLORE_MAX = 8;
const EXPLORE_MIN = 4;
/**
 * Neighbours needed before the model steps (at most d). Fewer than d is fine: the ridge keeps
 * the slope ~0 along unexplored directions, so the model steps within the explored span while
 * exploration keeps widening it.
 */
const MODEL_MIN_POINTS = 16;
/** Archive cap: bounds the checkpoint (~1.5 MB of JSON at 264 coordinates) and the fitting cost. */
const ARCHIVE_MAX = 160;
/** Significant digits kept of archived embeddings and features (halves checkpoint size; applied on insertion, so resumes stay exact). */
const ARCHIVE_DIGITS = 6;

const quantise = (values: number[] | null): number[] | null =>
  values && values.map((v) => Number(v.toPrecision(ARCHIVE_DIGITS)));

function distance(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += ((a[i] as number) - (b[i] as number)) ** 2;
  return Math.sqrt(sum);
}

export class ModelSearch implements SearchMethod {
  readonly name = 'timbre';
  private state: ModelSearchState;
  private asked:
    | {
        kind: BatchKind;
        coordinates: number[][];
        packs: Float32Array[];
        rng: RandomState;
        stepLength: number;
      }
    | undefined;

  constructor(
    private readonly basis: PackBasis,
    private readonly objective: ModelObjective,
    starts: readonly ArrayLike<number>[] | { state: ModelSearchState },
    config: Partial<ModelSearchConfig> & { seed: number } = { seed: 1 },
  ) {
    if ('state' in starts) {
      if (starts.state.starts[0]?.length !== basisDimension(basis))
        throw new Error('ModelSearch: checkpoint of another basis');
      this.state = JSON.parse(JSON.stringify(starts.state)) as ModelSearchState;
      return;
    }
    if (starts.length === 0 || starts.some((start) => start.length !== basisDimension(basis))) {
      throw new RangeError('ModelSearch: needs start coordinates of the basis dimension');
    }
    const full = { ...DEFAULT_MODEL_SEARCH, ...config };
    this.state = {
      version: 1,
      config: full,
      rng: new SeededRandom(full.seed).state(),
      starts: starts.map((start) => Array.from(start)),
      radius: full.radius0,
      restarts: 0,
      stallScore: null,
      stalledBatches: 0,
      active: Math.min(full.initialActive ?? basisDimension(basis), basisDimension(basis)),
      polishing: false,
      explore: false,
      centre: null,
      archive: [],
    };
  }

  get restarts(): number {
    return this.state.restarts;
  }

  get radius(): number {
    return this.state.radius;
  }

  bestCoordinates(): number[] | undefined {
    return this.state.centre?.x.slice();
  }

  private get dim(): number {
    return (this.state.starts[0] as number[]).length;
  }

  /** Unit directions orthogonal to the displacements near the centre (random once those span everything). */
  private explorationDirections(count: number, rng: SeededRandom, centre: number[]): Float64Array[] {
    const basis: Float64Array[] = [];
    const orthogonalise = (v: Float64Array) => {
      for (const b of basis) {
        let along = 0;
        for (let i = 0; i < v.length; i++) along += (v[i] as number) * (b[i] as number);
        for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) - along * (b[i] as number);
      }
      const length = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
      return length;
    };
    const scale = 2 * this.state.radius;
    for (const point of this.state.archive) {
      const d = Float64Array.from(point.x, (v, i) => v - (centre[i] as number));
      const length = Math.sqrt(d.reduce((s, x) => s + x * x, 0));
      if (length === 0 || length > 2 * scale || basis.length >= this.state.active) continue;
      const remaining = orthogonalise(d);
      if (remaining > 0.2 * length) basis.push(d.map((x) => x / remaining));
    }
    const active = this.state.active;
    const directions: Float64Array[] = [];
    for (let k = 0; k < count; k++) {
      const v = new Float64Array(this.dim);
      rng.fillGaussian(v.subarray(0, active));
      const length = basis.length < active ? orthogonalise(v) : Math.sqrt(v.reduce((s, x) => s + x * x, 0));
      const direction = v.map((x) => x / length);
      if (basis.length < active) basis.push(direction);
      directions.push(direction);
    }
    return directions;
  }

  private plan(rng: SeededRandom): { kind: BatchKind; coordinates: number[][]; stepLength: number } {
    const { centre, radius } = this.state;
    if (!centre)
      return { kind: 'start', coordinates: this.state.starts.map((start) => start.slice()), stepLength: 0 };
    if (this.state.polishing) {
      const diversity = rng.uniform(POLISH_DIVERSITY_MIN, POLISH_DIVERSITY_MAX);
      const step = new Float64Array(this.dim);
      rng.fillGaussian(step);
      return {
        kind: 'polish',
        coordinates: [centre.x.map((v, i) => v + diversity * (step[i] as number))],
        stepLength: diversity,
      };
    }
    const active = this.state.active;
    // The model lives on the coordinates in play (the others do not vary near the centre).
    const restrict = (point: ArchivePoint): ArchivePoint => ({ ...point, x: point.x.slice(0, active) });
    const model = fitLocalModel(
      restrict(centre),
      this.state.archive.map(restrict),
      2 * radius,
      Math.min(active, MODEL_MIN_POINTS),
    );
    const along = (direction: ArrayLike<number>, length: number) =>
      centre.x.map((v, i) => v + length * ((direction[i] as number | undefined) ?? 0));
    const missing = active + 1 - this.nearCount(centre.x, 4 * radius);
    if (!model || this.state.explore) {
      const count = Math.max(EXPLORE_MIN, Math.min(EXPLORE_MAX, missing));
      const coordinates = this.explorationDirections(count, rng, centre.x).map((d) => along(d, radius));
      return { kind: 'explore', coordinates, stepLength: radius };
    }
    const feature = centre.score.featureSimilarity ?? 1;
    const full = maximiseModel(model, radius, this.objective, feature);
    const short = maximiseModel(model, radius / 3, this.objective, feature);
    // While the neighbourhood does not span every direction yet, keep filling it in beside the model's steps.
    const explore = this.explorationDirections(
      missing > 0 ? Math.min(EXPLORE_MIN, missing) : 1,
      rng,
      centre.x,
    );
    return {
      kind: 'model',
      coordinates: [along(full.delta, 1), along(short.delta, 1), ...explore.map((d) => along(d, radius))],
      stepLength: Math.hypot(...full.delta),
    };
  }

  private nearCount(x: readonly number[], within: number): number {
    return this.state.archive.filter((p) => {
      const d = distance(p.x, x);
      return d > 0 && d <= within;
    }).length;
  }

  ask(): Float32Array[] {
    if (!this.asked) {
      const rng = new SeededRandom(this.state.rng);
      const { kind, coordinates, stepLength } = this.plan(rng);
      const packs = coordinates.map((c) => packFromCoordinates(this.basis, c));
      this.asked = { kind, coordinates, packs, rng: rng.state(), stepLength };
    }
    return this.asked.packs;
  }

  tell(results: readonly Evaluated[]): void {
    const asked = this.asked;
    if (!asked || results.length !== asked.coordinates.length)
      throw new Error('ModelSearch: tell() needs one result per asked candidate');
    const state = this.state;
    const before = state.centre?.score.score ?? -Infinity;
    let improvedBy = -1;
    results.forEach((result, i) => {
      if (result.refused) return; // nothing measured: see the file comment
      const x = asked.coordinates[i] as number[];
      const { target, self, features } = result.embeddings;
      const point: ArchivePoint = {
        x,
        target: quantise(target) as number[],
        self: quantise(self),
        features: quantise(features),
      };
      state.archive.push(point);
      const { embeddings: _embeddings, ...score } = result;
      if (result.complete && (!state.centre || result.score > state.centre.score.score)) {
        state.centre = { ...point, score };
        improvedBy = i;
      }
    });
    state.explore = false;
    if (asked.kind === 'model') {
      const improved = (state.centre?.score.score ?? -Infinity) > before;
      if (improved && improvedBy === 0) {
        // The model's own step won: widen the region if it was stopped by the boundary, else
        // fit the region to the step (the optimum is inside; nearby data models it best).
        const step = asked.stepLength;
        state.radius =
          step >= 0.9 * state.radius
            ? Math.min(state.radius * 2, state.config.maxRadius)
            : Math.max(2 * step, state.config.minRadius / 2);
      } else if (!improved) {
        state.radius /= 2;
        state.explore = true;
      }
      if (state.radius < state.config.minRadius) {
        state.radius = state.config.radius0;
        state.restarts++;
      }
    }
    const centre = state.centre;
    if (centre && asked.kind !== 'start' && !state.polishing) {
      if (
        state.stallScore === null ||
        centre.score.score - state.stallScore >= state.config.convergenceGain
      ) {
        state.stallScore = centre.score.score;
        state.stalledBatches = 0;
      } else {
        state.stalledBatches++;
      }
      if (state.stalledBatches >= state.config.patience) {
        if (state.active < this.dim) {
          // Converged on the coordinates in play: open the next ones and search on from the best.
          state.active = Math.min(this.dim, state.active + state.config.expandBy);
          state.radius = state.config.radius0;
        } else {
          state.polishing = true;
        }
        state.stalledBatches = 0;
      }
    }
    if (centre) {
      const limit = state.config.archiveLimit ?? Math.min(ARCHIVE_MAX, 2 * state.active + 16);
      state.archive = state.archive
        .map((p, order) => ({ p, order, d: distance(p.x, centre.x) }))
        .sort((a, b) => a.d - b.d || a.order - b.order)
        .slice(0, limit)
        .sort((a, b) => a.order - b.order)
        .map(({ p }) => p);
    }
    state.rng = asked.rng;
    this.asked = undefined;
  }

  earlyExitReference(): number | undefined {
    return this.state.centre?.score.probeSimilarity;
  }

  /** Which phase the search is in (the polish runs until the caller's budget ends). */
  get phase(): 'model' | 'polish' {
    return this.state.polishing ? 'polish' : 'model';
  }

  /** Coordinates in play. */
  get activeDimensions(): number {
    return this.state.active;
  }

  saveState(): Json {
    return JSON.parse(JSON.stringify(this.state)) as Json;
  }
}
