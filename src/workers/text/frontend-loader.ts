/**
 * The text frontend inside the worker: eSpeak NG (npm `phonemizer`, WASM) for words the
 * lexicons lack, and misaki's lexicons fetched on first use from the app's own
 * `lexicons/*.json.gz` and decompressed with the platform's DecompressionStream.
 */
import { phonemize } from 'phonemizer';
import {
  createLexiconLoader,
  createTextFrontend,
  isGzip,
  lexiconPath,
  type TextFrontend,
} from '../../engine/text';

async function readLexicon(path: string): Promise<string> {
  const url = new URL(path, new URL(import.meta.env.BASE_URL, self.location.href));
  const response = await fetch(url);
  if (!response.ok)
    throw new Error(`Could not load the pronunciation lexicon ${url.pathname} (HTTP ${response.status}).`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  // A host that sends Content-Encoding: gzip has inflated it already.
  if (!isGzip(bytes)) return new TextDecoder().decode(bytes);
  return new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).text();
}

let frontend: TextFrontend | undefined;

/** One frontend per worker: it keeps the lexicons and eSpeak results between calls. */
export function getTextFrontend(): TextFrontend {
  frontend ??= createTextFrontend({
    espeak: { phonemize: (text, language) => phonemize(text, language) },
    lexicons: createLexiconLoader((dialect, grade) => readLexicon(lexiconPath(dialect, grade))),
  });
  return frontend;
}
