/**
 * The studio's English text frontend in Node for tests and benchmarks: lexicons from disk (as the
 * app ships them, else ../shared), eSpeak through npm `phonemizer` as in the worker.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { phonemize } from 'phonemizer';
import {
  createLexiconLoader,
  createTextFrontend,
  lexiconFileName,
  type LexiconLoader,
  type TextFrontend,
} from '../engine/text';
import { REPO_ROOT, SHARED_DIR } from './shared';

const DIALECT = 'en-us';

/** public/lexicons/*.json.gz as the app ships them, else shared/misaki-lexicons/*.json. */
export function createDiskLexiconLoader(): LexiconLoader {
  return createLexiconLoader(async (dialect, grade) => {
    const shipped = join(REPO_ROOT, 'public', 'lexicons', lexiconFileName(dialect, grade));
    if (existsSync(shipped)) return gunzipSync(readFileSync(shipped)).toString('utf8');
    return readFileSync(join(SHARED_DIR, 'misaki-lexicons', `${dialect}_${grade}.json`), 'utf8');
  });
}

/**
 * A frontend like the worker's (npm `phonemizer` for eSpeak). A fresh one has an empty
 * eSpeak word cache; the lexicon loader is shared so parsed lexicons are reused.
 */
export async function createBenchFrontend(lexicons: LexiconLoader): Promise<TextFrontend> {
  const frontend = createTextFrontend({
    espeak: { phonemize: (text, language) => phonemize(text, language) },
    lexicons,
  });
  await frontend.preload(DIALECT); // the worker keeps lexicons loaded between requests
  return frontend;
}
