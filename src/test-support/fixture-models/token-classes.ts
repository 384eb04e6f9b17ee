/**
 * Phoneme classes for the fixture Kokoro's per-token tables, from Kokoro's real vocabulary
 * (shared/docs/kokoro-vocab.json): vowels are loud with low formants, consonants quieter and
 * brighter, punctuation is a pause, and pad (id 0) is silence.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SHARED_DIR } from '../shared';

/** Kokoro's embedding table size: ids 0..177. */
export const VOCAB_SIZE = 178;
export const PAD_ID = 0;

export type TokenClass = 'pad' | 'pause' | 'space' | 'vowel' | 'voiced' | 'unvoiced' | 'modifier' | 'unused';

const VOWELS = new Set([...'aeiouyɑɐɒæɔəɚɛɜɨɪɯøœʊʌɤᵊᵻAIOQWYɥ']);
const UNVOICED = new Set([...'ptkfsθʃʧhçχxɸɕʂʈcqʔʦʨS']);
const PAUSES = new Set([...';:,.!?—…"()“”']);
const MODIFIERS = new Set([...'ˈˌːʰʲ↓→↗↘\u0303']);

export function readKokoroVocab(): Record<string, number> {
  return JSON.parse(readFileSync(join(SHARED_DIR, 'docs', 'kokoro-vocab.json'), 'utf8')) as Record<
    string,
    number
  >;
}

function classify(symbol: string): TokenClass {
  if (PAUSES.has(symbol)) return 'pause';
  if (symbol === ' ') return 'space';
  if (VOWELS.has(symbol)) return 'vowel';
  if (UNVOICED.has(symbol)) return 'unvoiced';
  if (MODIFIERS.has(symbol)) return 'modifier';
  return 'voiced';
}

/** Class of every id 0..177 (ids absent from the vocabulary are `unused`). */
export function tokenClasses(vocab: Record<string, number> = readKokoroVocab()): TokenClass[] {
  const classes: TokenClass[] = Array.from({ length: VOCAB_SIZE }, () => 'unused');
  classes[PAD_ID] = 'pad';
  for (const [symbol, id] of Object.entries(vocab)) {
    if (id > 0 && id < VOCAB_SIZE) classes[id] = classify(symbol);
  }
  return classes;
}
