import { describe, expect, it } from 'vitest';
import { corpusWordErrorRate, wordErrors, wordsOf } from './word-error-rate';

describe('word error rate', () => {
  it('normalises case, punctuation and curly apostrophes, keeping inner apostrophes', () => {
    expect(wordsOf('“Well,” she said — it’s 12 o’clock!')).toEqual([
      'well',
      'she',
      'said',
      "it's",
      '12',
      "o'clock",
    ]);
  });

  it('is 0 for the same words and counts each kind of edit', () => {
    expect(wordErrors('The birch canoe slid.', 'the birch canoe slid').rate).toBe(0);
    const e = wordErrors(
      'the birch canoe slid on the smooth planks',
      'the birds can use slid on smooth planks today',
    );
    // birch->birds, canoe->can, +use, -the, +today: 2 S, 1 D, 2 I over 8 words.
    expect(e).toMatchObject({ substitutions: 2, deletions: 1, insertions: 2, referenceWords: 8 });
    expect(e.rate).toBeCloseTo(5 / 8, 10);
  });

  it('handles empty sides: all deletions, or all insertions', () => {
    expect(wordErrors('one two three', '')).toMatchObject({ deletions: 3, rate: 1 });
    expect(wordErrors('', 'noise')).toMatchObject({ insertions: 1, rate: 1 });
    expect(wordErrors('', '').rate).toBe(0);
  });

  it('pools errors over a corpus by words, not by sentences', () => {
    const rate = corpusWordErrorRate([
      { reference: 'a b c d e f g h i j', hypothesis: 'a b c d e f g h i j' },
      { reference: 'x y', hypothesis: 'x z' },
    ]);
    expect(rate).toBeCloseTo(1 / 12, 10);
  });
});
