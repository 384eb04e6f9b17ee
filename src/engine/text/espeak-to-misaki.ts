/**
 * eSpeak NG IPA -> misaki phonemes (Kokoro's alphabet), after misaki's `espeak.py` E2M
 * table. misaki asks eSpeak for tie marks (a^ɪ); npm `phonemizer` prints none, so the
 * digraphs are matched as plain sequences, longest first, in one left-to-right pass.
 * Symbols Kokoro was not trained on are dropped and reported, never passed on silently.
 */
import type { LexiconDialect } from './types';

type Replacement = string | { to: string; when: (rest: string) => boolean };

/** True when what follows (stress marks skipped) is a consonant, a word break or the end. */
const CONSONANT_OR_END = (rest: string): boolean => /^[ˈˌ]*(?:$|[ bdfɡhjklmnŋpɹrsʃtθvwzʒðʤʧ])/u.test(rest);

/** Shared by both dialects. Keys may be several symbols; the longest key wins at each place. */
const COMMON_MAP: Record<string, Replacement> = {
  aɪ: 'I',
  aʊ: 'W',
  dʒ: 'ʤ',
  tʃ: 'ʧ',
  eɪ: 'A',
  e: 'A',
  ɔɪ: 'Y',
  // Syllabic l (eSpeak's tied ə^l): without ties, only where no vowel follows ("little", not "hello").
  əl: { to: 'ᵊl', when: CONSONANT_OR_END },
  ɚ: 'əɹ',
  r: 'ɹ',
  x: 'k',
  ç: 'k',
  ɐ: 'ə',
  ɬ: 'l',
  ɫ: 'l',
  ʍ: 'w',
  g: 'ɡ',
  ʔn: 'tᵊn',
  ʔ: 't',
  ʲ: '',
  '\u0303': '',
  '\u200d': '',
  '\u0361': '',
  '\u035c': '',
  '^': '',
  // eSpeak < 1.52 writes o for ɔ; oʊ / əʊ are handled per dialect first (longer keys).
  o: 'ɔ',
};

const US_MAP: Record<string, Replacement> = {
  oʊ: 'O',
  ɜːɹ: 'ɜɹ',
  ɜː: 'ɜɹ',
  ɪə: 'iə',
  ː: '',
  ɒ: 'ɑ',
  a: 'æ',
};

const GB_MAP: Record<string, Replacement> = {
  əʊ: 'Q',
  eə: 'ɛː',
  iə: 'ɪə',
  ᵻ: 'ɪ',
  æ: 'a',
  ɾ: 't',
};

/** What misaki's English lexicons use (plus T, the flap Kokoro v1.0 was trained with). */
const SHARED_SYMBOLS = 'AIWYbdfhijklmnpstuvwzðŋɑɔəɛɜɡɪɹʃʊʌʒʤʧˈˌθᵊT ';
export const MISAKI_SYMBOLS: Record<LexiconDialect, ReadonlySet<string>> = {
  us: new Set(`${SHARED_SYMBOLS}Oæɾᵻ`),
  gb: new Set(`${SHARED_SYMBOLS}Qaɒː`),
};

interface CompiledMap {
  entries: Map<string, Replacement>;
  longestKey: number;
}

function compile(...maps: Record<string, Replacement>[]): CompiledMap {
  const entries = new Map<string, Replacement>();
  for (const map of maps)
    for (const [key, value] of Object.entries(map)) if (!entries.has(key)) entries.set(key, value);
  return { entries, longestKey: Math.max(...[...entries.keys()].map((key) => key.length)) };
}

// Dialect maps first so that their keys win where both define one.
const COMPILED: Record<LexiconDialect, CompiledMap> = {
  us: compile(US_MAP, COMMON_MAP),
  gb: compile(GB_MAP, COMMON_MAP),
};

export interface MappedPhonemes {
  phonemes: string;
  /** eSpeak symbols that have no misaki equivalent and were left out. */
  dropped: string[];
}

/** Kokoro v1.0 saw the American flap as T and the glottal stop as t (misaki, version 1.0). */
export function toKokoroV1(phonemes: string): string {
  return phonemes.replaceAll('ɾ', 'T').replaceAll('ʔ', 't');
}

export function espeakToMisaki(ipa: string, dialect: LexiconDialect): MappedPhonemes {
  // Syllabic consonants (n̩) become a small schwa before the consonant, as misaki does.
  const text = ipa
    .trim()
    .replace(/(\S)\u0329/gu, 'ᵊ$1')
    .replace(/\s+/g, ' ');
  const { entries, longestKey } = COMPILED[dialect];
  let out = '';
  let i = 0;
  while (i < text.length) {
    let replaced = false;
    for (let length = Math.min(longestKey, text.length - i); length > 0; length--) {
      const key = text.slice(i, i + length);
      const replacement = entries.get(key);
      if (replacement === undefined) continue;
      if (typeof replacement === 'string') out += replacement;
      else if (replacement.when(text.slice(i + length, i + length + 3))) out += replacement.to;
      else continue;
      i += length;
      replaced = true;
      break;
    }
    if (!replaced) {
      out += text[i];
      i += 1;
    }
  }
  const allowed = MISAKI_SYMBOLS[dialect];
  const dropped: string[] = [];
  let phonemes = '';
  for (const symbol of toKokoroV1(out)) {
    if (allowed.has(symbol)) phonemes += symbol;
    else dropped.push(symbol);
  }
  return { phonemes: phonemes.replace(/ {2,}/g, ' ').trim(), dropped };
}
