/** Kokoro's English text frontend: the public surface for workers and the UI. */
export { createTextFrontend } from './frontend';
export type {
  PrepareOptions,
  PreparedText,
  TextChunk,
  TextEstimate,
  TextFrontend,
  TextFrontendOptions,
} from './frontend';
export type { ChunkMode } from './chunk';
export type {
  Dialect,
  EspeakBackend,
  EspeakLanguage,
  LexiconData,
  LexiconDialect,
  LexiconLoader,
  LexiconPair,
} from './types';
export { espeakLanguageOf, lexiconDialectOf } from './types';
export {
  createLexiconLoader,
  isGzip,
  lexiconFileName,
  lexiconPath,
  parseLexicon,
  LEXICON_DIR,
} from './lexicon-assets';
export type { LexiconGrade } from './lexicon-assets';
export { KOKORO_VOCAB, MAX_TOKENS, PAD_TOKEN_ID, phonemesToTokenIds } from './vocab';
export { normaliseText } from './normalise';
export { espeakToMisaki } from './espeak-to-misaki';
