/**
 * KVoiceWalk's random walk, reproduced as the baseline to beat (rules from its README and
 * code, see /work/shared/docs/cloning.md):
 * - population: the top `POPULATION_LIMIT` (10) stock voices of the ranking;
 * - start: their element-wise mean, scored once (the first evaluation);
 * - each step: diversity ~ U(0.01, 0.15), redrawn every step, then
 *   candidate = best + randn(pack shape) * std * diversity, where std is the element-wise
 *   standard deviation over the population's packs (unbiased, n - 1, as torch.std);
 * - greedy (1+1) acceptance: the candidate replaces the best only if its score is higher;
 * - early exit (in the scorer): target similarity < 0.98 x the best's skips the second
 *   rendering and scores 0, so such a candidate is never accepted.
 * A refused candidate (search.ts: its rendering was unusable) is the worst possible one: a
 * step is never accepted. A refused START still becomes the incumbent, as a placeholder that
 * scores below everything: the walk steps from the population mean as it would have, and the
 * first complete candidate replaces it (asking for the start again would only be refused again).
 * The optional pairwise-interpolation start of KVoiceWalk is not part of this baseline.
 */
import { PACK_LENGTH } from '../voices/pack';
import { SeededRandom, type RandomState } from './random';
import { withProbeFields, type CandidateScore } from './score';
import type { Evaluated, Json, SearchMethod } from './search';
import type { NamedPack } from './types';

export const POPULATION_LIMIT = 10;
export const DIVERSITY_MIN = 0.01;
export const DIVERSITY_MAX = 0.15;

export interface WalkState {
  version: 1;
  populationIds: string[];
  rng: RandomState;
  steps: number;
  /** Score of the incumbent; null until the start has been scored. */
  current: CandidateScore | null;
}

/** Element-wise mean and unbiased std over packs of equal length. */
export function elementwiseMeanStd(packs: readonly Float32Array[]): {
  mean: Float32Array;
  std: Float32Array;
} {
  const n = packs.length;
  if (n < 2) throw new Error('elementwiseMeanStd: need at least 2 packs');
  const length = (packs[0] as Float32Array).length;
  const mean = new Float32Array(length);
  const std = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    let sum = 0;
    for (const pack of packs) sum += pack[i] as number;
    const m = sum / n;
    let squares = 0;
    for (const pack of packs) squares += ((pack[i] as number) - m) ** 2;
    mean[i] = m;
    std[i] = Math.sqrt(squares / (n - 1));
  }
  return { mean, std };
}

export class KVoiceWalk implements SearchMethod {
  readonly name = 'walk';
  readonly std: Float32Array;
  private readonly start: Float32Array;
  private state: WalkState;
  private currentPack: Float32Array;
  private asked: { batch: Float32Array[]; rng: RandomState } | undefined;

  /**
   * `population`: the top voices of the ranking (KVoiceWalk keeps 10). To resume, pass the
   * saved state and the checkpoint's best pack (the walk's incumbent).
   */
  constructor(
    population: readonly NamedPack[],
    seed: number,
    restore?: { state: WalkState; bestPack: Float32Array | null },
  ) {
    const { mean, std } = elementwiseMeanStd(population.map((voice) => voice.pack));
    if (mean.length !== PACK_LENGTH) throw new Error('KVoiceWalk: population packs have the wrong size');
    this.start = mean;
    this.std = std;
    const ids = population.map((voice) => voice.id);
    if (restore) {
      if (restore.state.populationIds.join() !== ids.join())
        throw new Error('KVoiceWalk: checkpoint of another population');
      const current = restore.state.current;
      this.state = {
        ...restore.state,
        rng: [...restore.state.rng],
        populationIds: ids,
        current: current ? withProbeFields(current) : null,
      };
      // A complete incumbent is the search's best; an incomplete one is a refused start (the mean).
      const scored = restore.state.current?.complete === true;
      if (scored && !restore.bestPack) throw new Error('KVoiceWalk: the checkpoint lacks the best pack');
      this.currentPack = scored && restore.bestPack ? new Float32Array(restore.bestPack) : mean;
    } else {
      this.state = {
        version: 1,
        populationIds: ids,
        rng: new SeededRandom(seed).state(),
        steps: 0,
        current: null,
      };
      this.currentPack = mean;
    }
  }

  /** The incumbent pack (the population mean until the walk has started). */
  current(): Float32Array {
    return this.currentPack;
  }

  ask(): Float32Array[] {
    if (!this.asked) {
      if (!this.state.current) {
        this.asked = { batch: [this.start], rng: this.state.rng };
      } else {
        const rng = new SeededRandom(this.state.rng);
        const diversity = rng.uniform(DIVERSITY_MIN, DIVERSITY_MAX);
        const candidate = new Float32Array(PACK_LENGTH);
        rng.fillGaussian(candidate);
        for (let i = 0; i < PACK_LENGTH; i++) {
          candidate[i] =
            (this.currentPack[i] as number) + (candidate[i] as number) * (this.std[i] as number) * diversity;
        }
        this.asked = { batch: [candidate], rng: rng.state() };
      }
    }
    return this.asked.batch;
  }

  tell(scores: readonly Evaluated[]): void {
    const asked = this.asked;
    const score = scores[0];
    if (!asked || scores.length !== 1 || !score)
      throw new Error('KVoiceWalk: tell() needs the one score of the asked candidate');
    const candidate = asked.batch[0] as Float32Array;
    if (!this.state.current) {
      this.state.current = { ...score };
      this.currentPack = candidate;
    } else {
      this.state.steps++;
      if (score.complete && score.probeScore > this.state.current.probeScore) {
        this.state.current = { ...score };
        this.currentPack = candidate;
      }
    }
    this.state.rng = asked.rng;
    this.asked = undefined;
  }

  earlyExitReference(): number | undefined {
    // A refused start measured nothing: no early exit until a real incumbent.
    return this.state.current?.complete ? this.state.current.probeSimilarity : undefined;
  }

  saveState(): Json {
    return JSON.parse(JSON.stringify(this.state)) as Json;
  }
}
