/**
 * Word -> misaki phonemes from the gold then silver lexicon, the way Kokoro's official
 * pipeline finds words before it falls back to eSpeak: case variants, possessive and plural
 * -s, -ed and -ing on known stems, hyphenated compounds, letter-spelled acronyms, and the
 * handful of function words whose vowel depends on the next word. Heteronyms keep every
 * reading their entry has (`byTag`); the frontend picks one with the part-of-speech tag
 * (pos.ts), or DEFAULT without one.
 */
import { readingForTag } from './pos';
import { applyStress, joinCompound, spelledStress } from './stress';
import type { LexiconData, LexiconDialect, LexiconEntry, LexiconPair } from './types';

export interface Pronunciation {
  /** Phonemes in most contexts. */
  phonemes: string;
  /** At the end of a phrase (the lexicon's "None" reading, e.g. stressed "won't"). */
  phraseFinal?: string;
  /** Function words: before a word starting with a vowel / consonant ("the" ði / ðə). */
  beforeVowel?: string;
  beforeConsonant?: string;
  /** Heteronyms: readings by Penn tag or misaki's parent keys (VERB, NOUN, ADJ, ADV, VBD, DT, …). */
  byTag?: Readonly<Record<string, string>>;
}

/**
 * Which reading to use given what follows: true = a vowel sound, false = a consonant,
 * null = end of phrase (punctuation or end of text).
 */
export function choosePronunciation(
  pronunciation: Pronunciation,
  nextIsVowel: boolean | null,
  tag?: string,
): string {
  if (nextIsVowel === null && pronunciation.phraseFinal) return pronunciation.phraseFinal;
  const tagged = pronunciation.byTag ? readingForTag(pronunciation.byTag, tag) : undefined;
  if (tagged) return tagged;
  if (nextIsVowel === null) return pronunciation.phonemes;
  if (nextIsVowel) return pronunciation.beforeVowel ?? pronunciation.phonemes;
  return pronunciation.beforeConsonant ?? pronunciation.phonemes;
}

/** misaki's -s, -ed, -ing endings attach differently after a flapped t in American English. */
const US_FLAP_VOWELS = new Set('AIOWYiuæɑəɛɪɹʊʌ');
const LETTERS_ONLY = /^[A-Za-z]+$/;

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();
}

function hasOwn(data: LexiconData, word: string): boolean {
  return Object.prototype.hasOwnProperty.call(data, word);
}

export class EnglishLexicon {
  private readonly british: boolean;

  constructor(
    readonly dialect: LexiconDialect,
    private readonly data: LexiconPair,
  ) {
    this.british = dialect === 'gb';
  }

  lookup(word: string): Pronunciation | null {
    const functionWord = this.functionWord(word);
    if (functionWord) return functionWord;
    return this.lookupWord(word) ?? this.lookupFolded(word);
  }

  private functionWord(word: string): Pronunciation | null {
    switch (word) {
      case 'the':
      case 'The':
        return { phonemes: 'ðə', beforeVowel: 'ði', beforeConsonant: 'ðə' };
      case 'a':
      case 'A':
        return { phonemes: 'ɐ', phraseFinal: 'ˈA' };
      case 'an':
      case 'An':
        return { phonemes: 'ɐn' };
      case 'to':
      case 'To': {
        const final = this.plain('to') ?? 'tu';
        return { phonemes: final, phraseFinal: final, beforeVowel: 'tʊ', beforeConsonant: 'tə' };
      }
      case 'I':
        return { phonemes: 'ˌI' };
      default:
        return null;
    }
  }

  /** Accented Latin ("café") tried once without its accents. */
  private lookupFolded(word: string): Pronunciation | null {
    const folded = word.normalize('NFD').replace(/\p{M}/gu, '');
    return folded !== word ? this.lookupWord(folded) : null;
  }

  private lookupWord(word: string): Pronunciation | null {
    const stress = word === word.toLowerCase() ? undefined : word === word.toUpperCase() ? 2 : 0.5;
    const direct = this.find(word);
    if (direct) return withStress(direct, stress);

    const lower = word.toLowerCase();
    const derived = this.derived(word) ?? (lower !== word ? this.derived(lower) : null);
    if (derived !== null) return { phonemes: applyStress(derived, stress) };

    // Apostrophes that are quotes ('Hello') or possessives of plurals (students').
    if (word.endsWith("s'") && this.isKnown(`${word.slice(0, -2)}'s`))
      return this.lookupWord(`${word.slice(0, -2)}'s`);
    if (/^'|'$/.test(word)) {
      const bare = word.replace(/^'+|'+$/g, '');
      return bare ? this.lookupWord(bare) : null;
    }
    if (word.includes('-')) return this.compound(word);
    if (word.length > 1 && LETTERS_ONLY.test(word) && word.slice(1) === word.slice(1).toUpperCase()) {
      return this.spelled(word); // FBI, JSON: unknown all-capitals words are spelled out
    }
    return null;
  }

  /** Gold then silver, each with misaki's case variants (lower <-> Capitalised). */
  private find(word: string): Pronunciation | null {
    const variants = [word];
    const lower = word.toLowerCase();
    if (word === word.toUpperCase() && word.length > 1) variants.push(lower, capitalise(word));
    else if (word === lower) variants.push(capitalise(word));
    else if (word === capitalise(word)) variants.push(lower);
    for (const data of [this.data.gold, this.data.silver]) {
      for (const variant of variants) {
        if (hasOwn(data, variant)) {
          const entry = toPronunciation(data[variant]);
          if (entry) return entry;
        }
      }
    }
    return null;
  }

  private plain(word: string): string | null {
    return this.find(word)?.phonemes ?? null;
  }

  private isKnown(word: string): boolean {
    return this.find(word) !== null;
  }

  /** -s / 's, -ed and -ing on a known stem (misaki's stemming rules). */
  private derived(word: string): string | null {
    return this.withS(word) ?? this.withEd(word) ?? this.withIng(word);
  }

  private withS(word: string): string | null {
    if (word.length < 3 || !word.endsWith('s')) return null;
    let stem: string | null = null;
    if (!word.endsWith('ss') && this.isKnown(word.slice(0, -1))) stem = word.slice(0, -1);
    else if (
      (word.endsWith("'s") || (word.length > 4 && word.endsWith('es') && !word.endsWith('ies'))) &&
      this.isKnown(word.slice(0, -2))
    ) {
      stem = word.slice(0, -2);
    } else if (word.length > 4 && word.endsWith('ies') && this.isKnown(`${word.slice(0, -3)}y`))
      stem = `${word.slice(0, -3)}y`;
    const phonemes = stem === null ? null : this.plain(stem);
    if (!phonemes) return null;
    const last = phonemes.slice(-1);
    if ('ptkfθ'.includes(last)) return `${phonemes}s`;
    if ('szʃʒʧʤ'.includes(last)) return `${phonemes}${this.british ? 'ɪ' : 'ᵻ'}z`;
    return `${phonemes}z`;
  }

  private withEd(word: string): string | null {
    if (word.length < 4 || !word.endsWith('d')) return null;
    let stem: string | null = null;
    if (!word.endsWith('dd') && this.isKnown(word.slice(0, -1))) stem = word.slice(0, -1);
    else if (
      word.length > 4 &&
      word.endsWith('ed') &&
      !word.endsWith('eed') &&
      this.isKnown(word.slice(0, -2))
    )
      stem = word.slice(0, -2);
    else if (word.length > 4 && word.endsWith('ied') && this.isKnown(`${word.slice(0, -3)}y`)) {
      // specified, denied: a step beyond misaki, which sends these to eSpeak.
      stem = `${word.slice(0, -3)}y`;
    }
    const phonemes = stem === null ? null : this.plain(stem);
    if (!phonemes) return null;
    const last = phonemes.slice(-1);
    if ('pkfθʃsʧ'.includes(last)) return `${phonemes}t`;
    if (last === 'd') return `${phonemes}${this.british ? 'ɪ' : 'ᵻ'}d`;
    if (last !== 't') return `${phonemes}d`;
    if (this.british || phonemes.length < 2) return `${phonemes}ɪd`;
    if (US_FLAP_VOWELS.has(phonemes.slice(-2, -1))) return `${phonemes.slice(0, -1)}ɾᵻd`;
    return `${phonemes}ᵻd`;
  }

  private withIng(word: string): string | null {
    if (word.length < 5 || !word.endsWith('ing')) return null;
    const base = word.slice(0, -3);
    let stem: string | null = null;
    if (word.length > 5 && this.isKnown(base)) stem = base;
    else if (this.isKnown(`${base}e`)) stem = `${base}e`;
    else if (
      word.length > 5 &&
      /([bcdgklmnprstvxz])\1ing$|cking$/.test(word) &&
      this.isKnown(word.slice(0, -4))
    )
      stem = word.slice(0, -4);
    const found = stem === null ? null : this.plain(stem);
    if (!found) return null;
    const phonemes = applyStress(found, 0.5);
    if (this.british && /[əː]$/.test(phonemes)) return null;
    if (
      !this.british &&
      phonemes.length > 1 &&
      phonemes.endsWith('t') &&
      US_FLAP_VOWELS.has(phonemes.slice(-2, -1))
    ) {
      return `${phonemes.slice(0, -1)}ɾɪŋ`;
    }
    return `${phonemes}ɪŋ`;
  }

  private compound(word: string): Pronunciation | null {
    const parts = word.split('-').filter(Boolean);
    if (parts.length < 2) return parts.length === 1 ? this.lookup(parts[0] ?? '') : null;
    const phonemes: string[] = [];
    for (const part of parts) {
      const found = this.lookupWord(part) ?? this.functionWord(part);
      if (!found) return null;
      phonemes.push(found.phonemes);
    }
    return { phonemes: joinCompound(phonemes) };
  }

  private spelled(word: string): Pronunciation | null {
    const letters: string[] = [];
    for (const letter of word.toUpperCase()) {
      const entry = this.data.gold[letter];
      if (typeof entry !== 'string' || !hasOwn(this.data.gold, letter)) return null;
      letters.push(entry);
    }
    return { phonemes: spelledStress(letters.join('')) };
  }
}

function toPronunciation(entry: LexiconEntry | undefined): Pronunciation | null {
  if (typeof entry === 'string') return entry ? { phonemes: entry } : null;
  if (!entry || typeof entry !== 'object') return null;
  const phonemes = entry.DEFAULT;
  if (!phonemes) return null;
  const pronunciation: Pronunciation = { phonemes };
  if (entry.None) pronunciation.phraseFinal = entry.None;
  const byTag: Record<string, string> = {};
  for (const [key, value] of Object.entries(entry))
    if (key !== 'DEFAULT' && key !== 'None' && typeof value === 'string' && value) byTag[key] = value;
  if (Object.keys(byTag).length > 0) pronunciation.byTag = byTag;
  return pronunciation;
}

function withStress(pronunciation: Pronunciation, stress: number | undefined): Pronunciation {
  if (stress === undefined) return pronunciation;
  const stressed: Pronunciation = { phonemes: applyStress(pronunciation.phonemes, stress) };
  if (pronunciation.phraseFinal) stressed.phraseFinal = applyStress(pronunciation.phraseFinal, stress);
  if (pronunciation.byTag)
    stressed.byTag = Object.fromEntries(
      Object.entries(pronunciation.byTag).map(([tag, phonemes]) => [tag, applyStress(phonemes, stress)]),
    );
  return stressed;
}
