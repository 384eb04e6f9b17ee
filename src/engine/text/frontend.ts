/**
 * Kokoro's English text frontend: text -> normalise -> tokens -> misaki lexicon (gold, then
 * silver) -> eSpeak NG for the rest (mapped to misaki symbols) -> chunks of <= MAX_TOKENS
 * token ids, each tied to the span of the original text it speaks.
 */
import { throwIfAborted } from '../progress';
import { planChunks, type ChunkMode, type PhonemizedToken } from './chunk';
import { espeakToMisaki, toKokoroV1, type MappedPhonemes } from './espeak-to-misaki';
import { choosePronunciation, EnglishLexicon, type Pronunciation } from './lexicon';
import { normaliseText } from './normalise';
import { createPosTagger, type PosTagger } from './pos';
import { startsWithVowel } from './stress';
import { tokenise, type TextToken } from './tokenise';
import {
  espeakLanguageOf,
  lexiconDialectOf,
  type Dialect,
  type EspeakBackend,
  type LexiconDialect,
  type LexiconLoader,
} from './types';
import { KOKORO_VOCAB, MAX_TOKENS, phonemesToTokenIds } from './vocab';

export interface TextChunk {
  /** Character offsets [start, end) in the ORIGINAL text; `text` is that slice. */
  start: number;
  end: number;
  text: string;
  phonemes: string;
  /** Kokoro token ids without the pads (the caller adds 0 at both ends); length <= MAX_TOKENS. */
  tokenIds: number[];
}

export interface PreparedText {
  chunks: TextChunk[];
  /** What could not be turned into sound (emoji, other scripts, words eSpeak gave nothing for). */
  unspeakable: string[];
  /** eSpeak symbols with no Kokoro equivalent that were left out of some word. */
  droppedSymbols: string[];
  timings: { normaliseMs: number; phonemizeMs: number; tokenizeMs: number };
}

/** A quick count without eSpeak: unknown words are estimated from their length. */
export interface TextEstimate {
  characters: number;
  tokens: number;
  chunks: number;
  unspeakable: string[];
  /** True when some words were not in the lexicon, so `tokens` is an estimate. */
  estimated: boolean;
}

export interface TextFrontend {
  prepare(text: string, dialect: Dialect, options?: PrepareOptions): Promise<PreparedText>;
  analyse(text: string, dialect: Dialect, chunking?: ChunkMode): Promise<TextEstimate>;
  /** Loads (and keeps) the lexicons of a dialect ahead of the first `prepare`. */
  preload(dialect: Dialect): Promise<void>;
}

export interface PrepareOptions {
  signal?: AbortSignal;
  /** `fill` (default): longest chunks; `sentence`: one per sentence, for streaming. */
  chunking?: ChunkMode;
  /** A lower chunk cap than the frontend's (phoneme tokens), so that no single run is long. */
  maxTokens?: number;
}

export interface TextFrontendOptions {
  espeak: EspeakBackend;
  lexicons: LexiconLoader;
  /** For tests; Kokoro's limit by default. */
  maxTokens?: number;
  /** Tags heteronyms' sentences (pos.ts); compromise by default. */
  tagger?: PosTagger;
}

/** Punctuation that ends a sentence for the tagger. */
const SENTENCE_ENDS = new Set(['.', '!', '?', '…']);

/** Unknown words per eSpeak call; ' ; ' between them makes eSpeak print one line per word. */
const ESPEAK_BATCH_WORDS = 200;
const ESPEAK_SEPARATOR = ' ; ';
const ESPEAK_CACHE_MAX_WORDS = 50_000;
/** Punctuation after which misaki treats the next word as phrase-initial. */
const PHRASE_BREAKS = new Set([';', ':', ',', '.', '!', '?', '—', '…']);
const SPEAKABLE_SYMBOL = /[^\s;:,.!?—…"()“”]/u;

function keepVocabSymbols(phonemes: string): string {
  let kept = '';
  for (const symbol of phonemes) if (KOKORO_VOCAB.has(symbol)) kept += symbol;
  return kept;
}

function unique(values: Iterable<string>): string[] {
  return [...new Set(values)];
}

export function createTextFrontend(options: TextFrontendOptions): TextFrontend {
  const maxTokens = options.maxTokens ?? MAX_TOKENS;
  const lexicons = new Map<LexiconDialect, Promise<EnglishLexicon>>();
  const espeakCache = new Map<LexiconDialect, Map<string, MappedPhonemes>>();

  function lexiconFor(dialect: LexiconDialect): Promise<EnglishLexicon> {
    let pending = lexicons.get(dialect);
    if (!pending) {
      pending = options.lexicons.load(dialect).then((pair) => new EnglishLexicon(dialect, pair));
      pending.catch(() => lexicons.delete(dialect)); // let a later call retry
      lexicons.set(dialect, pending);
    }
    return pending;
  }

  function cacheFor(dialect: LexiconDialect): Map<string, MappedPhonemes> {
    let cache = espeakCache.get(dialect);
    if (!cache || cache.size > ESPEAK_CACHE_MAX_WORDS) {
      cache = new Map();
      espeakCache.set(dialect, cache);
    }
    return cache;
  }

  async function runEspeak(
    words: string[],
    dialect: Dialect,
    cache: Map<string, MappedPhonemes>,
    signal?: AbortSignal,
  ): Promise<void> {
    const language = espeakLanguageOf(dialect);
    const lexiconDialect = lexiconDialectOf(dialect);
    for (let from = 0; from < words.length; from += ESPEAK_BATCH_WORDS) {
      throwIfAborted(signal);
      const batch = words.slice(from, from + ESPEAK_BATCH_WORDS);
      let lines = await options.espeak.phonemize(batch.join(ESPEAK_SEPARATOR), language);
      if (lines.length !== batch.length) {
        // eSpeak split or merged clauses differently than expected: one call per word.
        lines = [];
        for (const word of batch) lines.push((await options.espeak.phonemize(word, language)).join(' '));
      }
      batch.forEach((word, index) => cache.set(word, espeakToMisaki(lines[index] ?? '', lexiconDialect)));
    }
  }

  let tagger = options.tagger;

  function lookupAll(tokens: TextToken[], lexicon: EnglishLexicon): (Pronunciation | null)[] {
    return tokens.map((token) => (token.kind === 'word' ? lexicon.lookup(token.text) : null));
  }

  /**
   * Part-of-speech tags for the words of sentences that hold a heteronym (undefined elsewhere:
   * most sentences have none, and the tagger is only run where a reading depends on it).
   */
  function tagHeteronyms(tokens: TextToken[], found: (Pronunciation | null)[]): (string | undefined)[] {
    const tags: (string | undefined)[] = new Array<string | undefined>(tokens.length).fill(undefined);
    let start = 0;
    for (let i = 0; i <= tokens.length; i++) {
      const token = tokens[i];
      if (token && !(token.kind === 'punct' && SENTENCE_ENDS.has(token.text))) continue;
      const words: number[] = [];
      for (let k = start; k < i; k++) if (tokens[k]!.kind === 'word') words.push(k);
      if (words.some((k) => found[k]?.byTag)) {
        tagger ??= createPosTagger();
        const sentenceTags = tagger.tag(words.map((k) => tokens[k]!.text));
        words.forEach((k, j) => (tags[k] = sentenceTags[j]));
      }
      start = i + 1;
    }
    return tags;
  }

  /** Right to left, so "the", "a", "to" and phrase-final readings can see what follows. */
  function resolve(
    tokens: TextToken[],
    found: (Pronunciation | null)[],
    fallback: (token: TextToken) => string,
    tagged = true,
  ): PhonemizedToken[] {
    // Estimates skip the tagger: a heteronym's reading barely changes the token count.
    const tags = tagged ? tagHeteronyms(tokens, found) : [];
    const result: PhonemizedToken[] = new Array(tokens.length);
    let nextIsVowel: boolean | null = null;
    for (let i = tokens.length - 1; i >= 0; i--) {
      const token = tokens[i] as TextToken;
      let phonemes: string;
      if (token.kind === 'word') {
        const pronunciation = found[i];
        phonemes = pronunciation
          ? keepVocabSymbols(toKokoroV1(choosePronunciation(pronunciation, nextIsVowel, tags[i])))
          : fallback(token);
        nextIsVowel = startsWithVowel(phonemes) ?? nextIsVowel;
      } else if (token.kind === 'punct') {
        phonemes = token.text;
        if (PHRASE_BREAKS.has(token.text)) nextIsVowel = null;
      } else phonemes = ' ';
      result[i] = { ...token, phonemes };
    }
    return result;
  }

  function buildChunks(
    original: string,
    tokens: PhonemizedToken[],
    unspeakable: string[],
    mode: ChunkMode = 'fill',
    cap = maxTokens,
  ): TextChunk[] {
    const plan = planChunks(tokens, Math.min(maxTokens, Math.max(1, cap)), mode);
    const chunks: TextChunk[] = [];
    for (const [from, to] of plan.ranges) {
      const members = plan.tokens.slice(from, to).filter((token) => token.kind !== 'space');
      if (members.length === 0) continue;
      const phonemes = plan.tokens
        .slice(from, to)
        .map((token) => token.phonemes)
        .join('')
        .replace(/\s+/g, ' ')
        .replace(/^[\s,;:]+/, '') // a chunk does not open on a pause mark
        .trim();
      const start = Math.min(...members.map((token) => token.start));
      const end = Math.max(...members.map((token) => token.end));
      const text = original.slice(start, end);
      if (!SPEAKABLE_SYMBOL.test(phonemes)) {
        if (members.some((token) => token.kind !== 'other')) unspeakable.push(text.trim());
        continue;
      }
      chunks.push({ start, end, text, phonemes, tokenIds: phonemesToTokenIds(phonemes) });
    }
    return chunks;
  }

  async function prepare(
    text: string,
    dialect: Dialect,
    prepareOptions?: PrepareOptions,
  ): Promise<PreparedText> {
    const signal = prepareOptions?.signal;
    throwIfAborted(signal);
    const startedMs = performance.now();
    const tokens = tokenise(normaliseText(text, dialect));
    const normalisedMs = performance.now();

    const lexiconDialect = lexiconDialectOf(dialect);
    const lexicon = await lexiconFor(lexiconDialect);
    throwIfAborted(signal);
    const found = lookupAll(tokens, lexicon);
    const cache = cacheFor(lexiconDialect);
    const unknown = unique(
      tokens
        .filter((token, i) => token.kind === 'word' && !found[i] && !cache.has(token.text))
        .map((t) => t.text),
    );
    await runEspeak(unknown, dialect, cache, signal);
    const unspeakable: string[] = [];
    const dropped: string[] = [];
    const phonemized = resolve(tokens, found, (token) => {
      const mapped = cache.get(token.text);
      dropped.push(...(mapped?.dropped ?? []));
      if (!mapped?.phonemes) unspeakable.push(text.slice(token.start, token.end));
      return mapped?.phonemes ?? '';
    });
    for (const token of tokens)
      if (token.kind === 'other') unspeakable.push(text.slice(token.start, token.end));
    const phonemizedMs = performance.now();

    const chunks = buildChunks(
      text,
      phonemized,
      unspeakable,
      prepareOptions?.chunking,
      prepareOptions?.maxTokens,
    );
    const tokenizedMs = performance.now();
    return {
      chunks,
      unspeakable: unique(unspeakable),
      droppedSymbols: unique(dropped),
      timings: {
        normaliseMs: normalisedMs - startedMs,
        phonemizeMs: phonemizedMs - normalisedMs,
        tokenizeMs: tokenizedMs - phonemizedMs,
      },
    };
  }

  async function analyse(text: string, dialect: Dialect, mode?: ChunkMode): Promise<TextEstimate> {
    const tokens = tokenise(normaliseText(text, dialect));
    const lexiconDialect = lexiconDialectOf(dialect);
    const lexicon = await lexiconFor(lexiconDialect);
    const found = lookupAll(tokens, lexicon);
    const cache = cacheFor(lexiconDialect);
    let estimated = false;
    const phonemized = resolve(
      tokens,
      found,
      (token) => {
        const cached = cache.get(token.text);
        if (cached) return cached.phonemes;
        estimated = true;
        return 'ə'.repeat(token.text.length); // misaki strings run about one symbol per letter
      },
      false,
    );
    const unspeakable = tokens
      .filter((token) => token.kind === 'other')
      .map((token) => text.slice(token.start, token.end));
    const chunks = buildChunks(text, phonemized, unspeakable, mode);
    return {
      characters: text.length,
      tokens: chunks.reduce((sum, chunk) => sum + chunk.tokenIds.length, 0),
      chunks: chunks.length,
      unspeakable: unique(unspeakable),
      estimated,
    };
  }

  return {
    prepare,
    analyse,
    preload: async (dialect) => {
      await lexiconFor(lexiconDialectOf(dialect));
    },
  };
}
