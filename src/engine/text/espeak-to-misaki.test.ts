import { describe, expect, it } from 'vitest';
import { espeakToMisaki, MISAKI_SYMBOLS } from './espeak-to-misaki';
import type { LexiconDialect } from './types';

/** [eSpeak IPA, dialect, expected misaki phonemes] */
const CASES: readonly [string, LexiconDialect, string][] = [
  ['hˈaɪ', 'us', 'hˈI'],
  ['hˈaɪ', 'gb', 'hˈI'],
  ['nˈaʊ', 'us', 'nˈW'],
  ['dʒˈʌmp', 'us', 'ʤˈʌmp'],
  ['tʃˈɪn', 'gb', 'ʧˈɪn'],
  ['hˈeɪ', 'us', 'hˈA'],
  ['sˈɔɪ', 'us', 'sˈY'],
  ['ɡˈoʊt', 'us', 'ɡˈOt'],
  ['ɡˈoʊt', 'gb', 'ɡˈɔʊt'], // oʊ -> O is American only
  ['ɡˈəʊt', 'gb', 'ɡˈQt'],
  ['ɡˈəʊt', 'us', 'ɡˈəʊt'], // əʊ -> Q is British only
  ['bˈʌtɚ', 'us', 'bˈʌtəɹ'],
  ['rˈɛd', 'us', 'ɹˈɛd'],
  ['gˈɛt', 'us', 'ɡˈɛt'], // ASCII g -> U+0261
  ['lˈɑːx', 'us', 'lˈɑk'],
  ['lˈɒx', 'gb', 'lˈɒk'],
  ['kˈɜːs', 'us', 'kˈɜɹs'],
  ['kˈɜːs', 'gb', 'kˈɜːs'],
  ['fˈɑːðɚ', 'us', 'fˈɑðəɹ'], // American drops the length mark
  ['hˈeə', 'gb', 'hˈɛː'],
  ['nˌiə', 'gb', 'nˌɪə'],
  ['nˈɪə', 'us', 'nˈiə'],
  ['bˈʌʔn̩', 'us', 'bˈʌtᵊn'],
  ['lˈɪɾəl', 'us', 'lˈɪTᵊl'], // flap becomes Kokoro v1.0's T; final əl is a syllabic l
  ['həlˈoʊ', 'us', 'həlˈO'], // ...but not before a vowel
  ['bˈætəl', 'gb', 'bˈatᵊl'],
  ['mˈɜːtʃəntʃˌɪp', 'us', 'mˈɜɹʧənʧˌɪp'],
  ['kæfˈeɪ', 'us', 'kæfˈA'],
  ['ɐbˈaʊt', 'us', 'əbˈWt'],
  ['bloːɹptˈeɪstɪk', 'us', 'blɔɹptˈAstɪk'], // eSpeak < 1.52 o
  ['ʍˈɪtʃ', 'us', 'wˈɪʧ'],
  ['hˈɛ\u200dɹ', 'us', 'hˈɛɹ'], // zero-width joiner from espeak-ng's CLI
];

describe('espeakToMisaki', () => {
  it.each(CASES)('%s (%s) -> %s', (ipa, dialect, expected) => {
    const result = espeakToMisaki(ipa, dialect);
    expect(result.phonemes).toBe(expected);
    expect(result.dropped).toEqual([]);
  });

  it('drops symbols misaki has no equivalent for, and says which', () => {
    const result = espeakToMisaki('ɡˈøtə', 'us');
    expect(result.phonemes).toBe('ɡˈtə');
    expect(result.dropped).toEqual(['ø']);
  });

  it.each(['us', 'gb'] as const)('only ever outputs %s misaki symbols', (dialect) => {
    const noisy = 'ʔaɪʊeɪəʊoʊɚrxçɐɬʲɑ̃ːɜːɪəeəgɾᵻæaɒɫʍyøœ';
    for (const symbol of espeakToMisaki(noisy, dialect).phonemes)
      expect(MISAKI_SYMBOLS[dialect].has(symbol)).toBe(true);
  });
});
