import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sharedPath } from '../../test-support/shared';
import { choosePronunciation, EnglishLexicon } from './lexicon';
import { parseLexicon } from './lexicon-assets';
import type { LexiconDialect } from './types';

function loadLexicon(dialect: LexiconDialect): EnglishLexicon {
  const read = (grade: string) =>
    parseLexicon(readFileSync(sharedPath('misaki-lexicons', `${dialect}_${grade}.json`), 'utf8'));
  return new EnglishLexicon(dialect, { gold: read('gold'), silver: read('silver') });
}

const LEXICONS = { us: loadLexicon('us'), gb: loadLexicon('gb') };

/** [word, dialect, phonemes in most contexts]: entries checked against the misaki JSON. */
const HITS: readonly [string, LexiconDialect, string][] = [
  ['hello', 'us', 'həlˈO'],
  ['hello', 'gb', 'həlˈQ'],
  ['tomato', 'us', 'təmˈAɾO'],
  ['tomato', 'gb', 'təmˈɑːtQ'],
  ['Hello', 'us', 'həlˈO'], // Capitalised -> lower-case entry
  ['HELLO', 'us', 'həlˈO'], // all capitals -> lower-case entry
  ['john', 'us', 'ʤˈɑn'], // lower-case -> Capitalised entry
  ["don't", 'us', 'dˈOnt'], // contractions are entries
  ["I'm", 'gb', 'ˌIm'],
  ['cats', 'us', 'kˈæts'], // silver
  ["cat's", 'us', 'kˈæts'], // possessive on a known stem
  ["John's", 'us', 'ʤˈɑnz'],
  ['cities', 'us', 'sˈɪɾiz'], // -ies on city
  ['wanted', 'us', 'wˈɑntᵻd'], // -ed on want
  ['wanted', 'gb', 'wˈɒntɪd'],
  ['specified', 'us', 'spˈɛsəfˌId'], // -ied on specify
  ['read', 'us', 'ɹˈid'], // heteronym: DEFAULT reading
  ['live', 'gb', 'lˈIv'],
  ['well-being', 'us', 'wˈɛlbˌiɪŋ'], // hyphenated entry
  ['state-of-the-art', 'us', 'stˈAtʌvðiˈɑɹt'], // compound joined from its parts
  ['FBI', 'us', 'ˌɛfbˌiˈI'], // unknown capitals are spelled, last letter stressed
  ['NASA', 'us', 'nˈæsə'], // ...unless the lexicon knows them
  ['café', 'us', 'kæfˈA'], // accents folded
  ["'hello'", 'us', 'həlˈO'], // single quotes around a word
];

describe('EnglishLexicon', () => {
  it.each(HITS)('%s (%s) -> %s', (word, dialect, phonemes) => {
    expect(LEXICONS[dialect].lookup(word)?.phonemes).toBe(phonemes);
  });

  it('gives American and British readings that differ', () => {
    for (const word of ['tomato', 'water', 'schedule', 'dance']) {
      expect(LEXICONS.us.lookup(word)?.phonemes).not.toBe(LEXICONS.gb.lookup(word)?.phonemes);
    }
  });

  it.each(['blorptastic', 'zxqvbn', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'])(
    'knows nothing of %s',
    (word) => {
      expect(LEXICONS.us.lookup(word)).toBeNull();
    },
  );

  /** [word, next word starts with a vowel (null: end of phrase), phonemes] */
  const CONTEXT: readonly [string, boolean | null, string][] = [
    ['the', false, 'ðə'],
    ['the', true, 'ði'],
    ['a', false, 'ɐ'],
    ['a', null, 'ˈA'],
    ['an', true, 'ɐn'],
    ['to', false, 'tə'],
    ['to', true, 'tʊ'],
    ['I', false, 'ˌI'],
    ["won't", false, 'wOnt'],
    ["won't", null, 'wˈOnt'], // the lexicon's phrase-final ("None") reading
  ];
  it.each(CONTEXT)('%s before vowel=%s -> %s', (word, nextIsVowel, phonemes) => {
    const pronunciation = LEXICONS.us.lookup(word);
    expect(pronunciation).not.toBeNull();
    expect(choosePronunciation(pronunciation!, nextIsVowel)).toBe(phonemes);
  });
});
