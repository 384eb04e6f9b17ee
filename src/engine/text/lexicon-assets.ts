/**
 * Where the misaki lexicons live once built (scripts/build-lexicons.ts writes them to
 * public/lexicons/) and how their bytes become LexiconData. Fetching and gunzipping is the
 * worker's job (fetch + DecompressionStream); this side only names files and parses.
 */
import type { LexiconData, LexiconDialect, LexiconEntry, LexiconLoader, LexiconPair } from './types';

export type LexiconGrade = 'gold' | 'silver';

/** Folder under the app's base URL (Vite serves public/ at the root). */
export const LEXICON_DIR = 'lexicons';

/** "us_gold.json.gz": gzip-compressed JSON, word -> phonemes. */
export function lexiconFileName(dialect: LexiconDialect, grade: LexiconGrade): string {
  return `${dialect}_${grade}.json.gz`;
}

/** Path relative to the app base, e.g. `lexicons/us_gold.json.gz`. */
export function lexiconPath(dialect: LexiconDialect, grade: LexiconGrade): string {
  return `${LEXICON_DIR}/${lexiconFileName(dialect, grade)}`;
}

/**
 * gzip magic bytes. Some static hosts serve `.gz` files with `Content-Encoding: gzip`, in
 * which case the browser has already inflated them; check before piping through
 * DecompressionStream.
 */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Parses a lexicon JSON text and checks its shape (a wrong file must fail loudly, not mispronounce). */
export function parseLexicon(json: string, label = 'lexicon'): LexiconData {
  const data: unknown = JSON.parse(json);
  if (!data || typeof data !== 'object' || Array.isArray(data))
    throw new Error(`${label}: not a JSON object`);
  let checked = 0;
  for (const [word, entry] of Object.entries(data as Record<string, unknown>)) {
    if (!isEntry(entry)) throw new Error(`${label}: bad entry for "${word}"`);
    if (++checked >= 1000) break; // a sample is enough to reject the wrong file quickly
  }
  return data as LexiconData;
}

function isEntry(entry: unknown): entry is LexiconEntry {
  if (typeof entry === 'string') return true;
  if (!entry || typeof entry !== 'object') return false;
  return Object.values(entry).every((value) => value === null || typeof value === 'string');
}

/**
 * A LexiconLoader over any way of reading a lexicon's JSON text: the worker passes
 * fetch + gunzip of `lexiconPath(...)`, Node tests read shared/misaki-lexicons.
 * Each dialect is read once; gold and silver are read in parallel.
 */
export function createLexiconLoader(
  readJson: (dialect: LexiconDialect, grade: LexiconGrade) => Promise<string>,
): LexiconLoader {
  const loaded = new Map<LexiconDialect, Promise<LexiconPair>>();
  return {
    load(dialect) {
      let pending = loaded.get(dialect);
      if (!pending) {
        pending = Promise.all([readJson(dialect, 'gold'), readJson(dialect, 'silver')]).then(
          ([gold, silver]) => ({
            gold: parseLexicon(gold, `${dialect} gold lexicon`),
            silver: parseLexicon(silver, `${dialect} silver lexicon`),
          }),
        );
        pending.catch(() => loaded.delete(dialect));
        loaded.set(dialect, pending);
      }
      return pending;
    },
  };
}
