/** Shared types of the English text frontend. */

/** The two English variants Kokoro v1.0 speaks (American voices a*, British voices b*). */
export type Dialect = 'en-us' | 'en-gb';

/** Language ids the npm `phonemizer` (eSpeak NG) understands: `en` is British English. */
export type EspeakLanguage = 'en-us' | 'en';

/**
 * eSpeak NG, injected (the engine stays pure): the worker passes npm `phonemizer`'s
 * `phonemize`. It returns one IPA string per clause eSpeak finds in `text`.
 */
export interface EspeakBackend {
  phonemize(text: string, language: EspeakLanguage): Promise<string[]>;
}

/** A misaki lexicon: word -> phonemes, or word -> {POS tag | "DEFAULT" | "None": phonemes} for heteronyms. */
export type LexiconEntry = string | { readonly [tag: string]: string | null };
export type LexiconData = { readonly [word: string]: LexiconEntry };
export type LexiconDialect = 'us' | 'gb';

export interface LexiconPair {
  gold: LexiconData;
  silver: LexiconData;
}

export interface LexiconLoader {
  load(dialect: LexiconDialect): Promise<LexiconPair>;
}

export function lexiconDialectOf(dialect: Dialect): LexiconDialect {
  return dialect === 'en-gb' ? 'gb' : 'us';
}

export function espeakLanguageOf(dialect: Dialect): EspeakLanguage {
  return dialect === 'en-gb' ? 'en' : 'en-us';
}
