/**
 * The text frontend inside the worker: eSpeak NG (npm `phonemizer`, WASM) for words the
 * lexicons lack, and misaki's lexicons fetched on first use from the app's own
 * `lexicons/*.json.gz` and decompressed with the platform's DecompressionStream.
 */
import { phonemize } from 'phonemizer';
import { createTextFrontend, type TextFrontend } from '../../engine/text';
import type { LexiconData, LexiconDialect, LexiconLoader, LexiconPair } from '../../engine/text/types';

async function fetchLexicon(name: string): Promise<LexiconData> {
  const url = `${import.meta.env.BASE_URL}lexicons/${name}.json.gz`;
  const response = await fetch(url);
  if (!response.ok || !response.body) throw new Error(`Could not load the pronunciation lexicon ${url} (${response.status}).`);
  const text = await new Response(response.body.pipeThrough(new DecompressionStream('gzip'))).text();
  return JSON.parse(text) as LexiconData;
}

const lexiconCache = new Map<LexiconDialect, Promise<LexiconPair>>();

const lexicons: LexiconLoader = {
  load(dialect) {
    let pending = lexiconCache.get(dialect);
    if (!pending) {
      pending = Promise.all([fetchLexicon(`${dialect}_gold`), fetchLexicon(`${dialect}_silver`)]).then(
        ([gold, silver]) => ({ gold, silver }),
      );
      pending.catch(() => lexiconCache.delete(dialect));
      lexiconCache.set(dialect, pending);
    }
    return pending;
  },
};

let frontend: TextFrontend | undefined;

export function getTextFrontend(): TextFrontend {
  frontend ??= createTextFrontend({ espeak: { phonemize: (text, language) => phonemize(text, language) }, lexicons });
  return frontend;
}
