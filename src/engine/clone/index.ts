/** Zero-shot cloning: score candidate packs against reference audio, and search for the best one. */
export type { Embedder, EncoderRunner, Measurement, NamedPack, Probe, Renderer } from './types';
export { checkedEmbedder, createFbankEmbedder, createKokoroRenderer } from './render';
export {
  CloneScorer,
  combineSimilarities,
  DEFAULT_EARLY_EXIT_RATIO,
  DEFAULT_SCORER_CONFIG,
  measureRendering,
  prepareReference,
  SCORE_PRESETS,
  SIMILARITY_FLOOR,
  weightedHarmonicMean,
  type CandidateScore,
  type CloneScorerOptions,
  type ReferenceClip,
  type ReferenceProfile,
  type ScoredCandidate,
  type ScoreOptions,
  type ScorePreset,
  type ScorerConfig,
  type ScoreWeights,
} from './score';
export {
  MemoryMeasurementCache,
  measurementCacheKey,
  probeFingerprint,
  type MeasurementCache,
} from './cache';
export { rankVoices, type RankedVoice, type RankOptions } from './rank';
export {
  basisDimension,
  coordinatesOfPack,
  DEFAULT_BASIS_OPTIONS,
  fitPackBasis,
  packFromCoordinates,
  principalAxes,
  type PackBasis,
  type PackBasisOptions,
  type PrincipalAxes,
} from './basis';
export {
  collectInstantSamples,
  DEFAULT_INSTANT_TRAINING,
  fitInstantMap,
  predictCoordinates,
  type InstantMap,
  type InstantMapSample,
  type InstantTrainingOptions,
} from './instant';
export {
  SearchController,
  type BestCandidate,
  type ControllerOptions,
  type EvaluationRecord,
  type Evaluated,
  type Json,
  type RunOutcome,
  type SavedSearch,
  type SearchCheckpoint,
  type SearchMethod,
  type SearchMethodName,
} from './search';
export {
  DIVERSITY_MAX,
  DIVERSITY_MIN,
  elementwiseMeanStd,
  KVoiceWalk,
  POPULATION_LIMIT,
  type WalkState,
} from './walk';
export {
  DEFAULT_MODEL_SEARCH,
  ModelSearch,
  type ModelObjective,
  type ModelSearchConfig,
  type ModelSearchState,
} from './model-search';
export { CmaSearch, DEFAULT_CMA_SEARCH, type CmaSearchConfig, type CmaSearchState } from './cma-search';
export { SeededRandom, type RandomState } from './random';
export {
  CloneSession,
  type ClonePhase,
  type CloneSetup,
  type CloneStartOptions,
  type InstantEstimate,
  type InstantOptions,
} from './session';
