/**
 * The small world the search-controller tests run in (search.test.ts, refusal.test.ts): six
 * random stock packs, a basis of them, a hidden voice inside it (so a perfect clone exists),
 * the fake clone kit's smooth "voice", the reference and the model search's objective; and the
 * three search methods, each made fresh or restored from a checkpoint.
 */
import { extractVoiceFeatures } from '../engine/audio/features';
import { fitPackBasis, packFromCoordinates, type PackBasis } from '../engine/clone/basis';
import { CmaSearch, type CmaSearchState } from '../engine/clone/cma-search';
import { unit } from '../engine/clone/linalg';
import { ModelSearch, type ModelSearchState } from '../engine/clone/model-search';
import { DEFAULT_SCORER_CONFIG } from '../engine/clone/score';
import type { SavedSearch, SearchMethod } from '../engine/clone/search';
import type { Probe } from '../engine/clone/types';
import { KVoiceWalk, type WalkState } from '../engine/clone/walk';
import { createFakeCloneKit, randomNamedPacks, styleRowEmbedding } from './clone-fixtures';

const TARGET: Probe = { id: 'target', tokenIds: [50, 51, 52, 53, 54] };
/** As long as the target probe: same style row, so self similarity does not fight target similarity. */
const SELF: Probe = { id: 'self', tokenIds: [60, 61, 62, 63, 64] };
const embeddingOf = styleRowEmbedding(SELF.id);
const STOCK = randomNamedPacks(6, 1);
const BASIS: PackBasis = fitPackBasis(
  STOCK.map((v) => v.pack),
  { packAxes: 5, offsetAxes: 3 },
);
/** Inside the basis, so a perfect clone exists. */
const HIDDEN = packFromCoordinates(BASIS, [0.8, -0.6, 0.4, 0.9, -0.3, 0.5, -0.7, 0.2]);
const KIT = createFakeCloneKit(embeddingOf);
const REFERENCE = {
  embeddings: [],
  centroid: unit(embeddingOf(HIDDEN, TARGET)),
  features: extractVoiceFeatures(KIT.audio),
};
const OBJECTIVE = {
  reference: REFERENCE.centroid,
  referenceFeatures: REFERENCE.features.vector,
  weights: DEFAULT_SCORER_CONFIG.weights,
};

export const SEARCH_WORLD = { TARGET, SELF, embeddingOf, STOCK, BASIS, HIDDEN, KIT, REFERENCE, OBJECTIVE };

export interface SearchMethodCase {
  name: 'walk' | 'cma' | 'timbre';
  create: () => SearchMethod;
  restore: (saved: SavedSearch) => SearchMethod;
}

/** The walk, CMA-ES and the model search ('timbre', from `modelStarts`), in that order. */
export function searchMethodCases(modelStarts: readonly Float64Array[]): SearchMethodCase[] {
  return [
    {
      name: 'walk',
      create: () => new KVoiceWalk(STOCK.slice(0, 4), 7),
      restore: (saved) =>
        new KVoiceWalk(STOCK.slice(0, 4), 7, {
          state: saved.checkpoint.state as unknown as WalkState,
          bestPack: saved.bestPack,
        }),
    },
    {
      name: 'cma',
      create: () => new CmaSearch(BASIS, new Float64Array(8), { seed: 7 }),
      restore: (saved) =>
        new CmaSearch(BASIS, { state: saved.checkpoint.state as unknown as CmaSearchState }),
    },
    {
      name: 'timbre',
      create: () => new ModelSearch(BASIS, OBJECTIVE, [...modelStarts], { seed: 7 }),
      restore: (saved) =>
        new ModelSearch(BASIS, OBJECTIVE, { state: saved.checkpoint.state as unknown as ModelSearchState }),
    },
  ];
}

/** JSON round-trip of a checkpoint, the best pack as a plain array (as a store would keep it). */
export function throughJson(saved: SavedSearch): SavedSearch {
  const parsed = JSON.parse(
    JSON.stringify({ checkpoint: saved.checkpoint, bestPack: saved.bestPack && Array.from(saved.bestPack) }),
  ) as { checkpoint: SavedSearch['checkpoint']; bestPack: number[] | null };
  return { checkpoint: parsed.checkpoint, bestPack: parsed.bestPack && Float32Array.from(parsed.bestPack) };
}
