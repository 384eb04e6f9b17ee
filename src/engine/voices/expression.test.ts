import { describe, expect, it } from 'vitest';
import { STOCK_VOICE_NAMES } from '../../test-support/shared';
import {
  ExpressionError,
  formatCoefficient,
  formatTerms,
  mergeTerms,
  parseExpression,
  type Term,
} from './expression';
import { editDistance, nearestName } from './suggest';

const VOICES = [...STOCK_VOICE_NAMES, 'my clone', 'say "hi"', 'timbre'];

const both = (voice: string, coefficient: number): Term => ({ voice, coefficient, part: 'both' });
const timbre = (voice: string, coefficient: number): Term => ({ voice, coefficient, part: 'timbre' });
const prosody = (voice: string, coefficient: number): Term => ({ voice, coefficient, part: 'prosody' });

const PARSE_CASES: { text: string; terms: Term[]; formatted: string }[] = [
  {
    text: 'af_bella - 0.5*af_sky + am_adam',
    terms: [both('af_bella', 1), both('af_sky', -0.5), both('am_adam', 1)],
    formatted: 'af_bella - 0.5*af_sky + am_adam',
  },
  {
    text: '0.7*af_heart + 0.3*bf_emma',
    terms: [both('af_heart', 0.7), both('bf_emma', 0.3)],
    formatted: '0.7*af_heart + 0.3*bf_emma',
  },
  {
    text: '(af_bella + af_sky)/2',
    terms: [both('af_bella', 0.5), both('af_sky', 0.5)],
    formatted: '0.5*af_bella + 0.5*af_sky',
  },
  {
    text: 'af_bella - af_sky*1.5',
    terms: [both('af_bella', 1), both('af_sky', -1.5)],
    formatted: 'af_bella - 1.5*af_sky',
  },
  { text: '-af_bella', terms: [both('af_bella', -1)], formatted: '-af_bella' },
  { text: '- -af_bella', terms: [both('af_bella', 1)], formatted: 'af_bella' },
  { text: '+af_bella*-2', terms: [both('af_bella', -2)], formatted: '-2*af_bella' },
  { text: '.5*af_bella', terms: [both('af_bella', 0.5)], formatted: '0.5*af_bella' },
  { text: '1e-1 * af_bella', terms: [both('af_bella', 0.1)], formatted: '0.1*af_bella' },
  { text: '(1+1)/4*af_bella', terms: [both('af_bella', 0.5)], formatted: '0.5*af_bella' },
  {
    text: '2*(af_bella - 0.5*am_adam)/4',
    terms: [both('af_bella', 0.5), both('am_adam', -0.25)],
    formatted: '0.5*af_bella - 0.25*am_adam',
  },
  {
    text: '"my clone" - am_adam',
    terms: [both('my clone', 1), both('am_adam', -1)],
    formatted: '"my clone" - am_adam',
  },
  { text: "0.25*'my clone'", terms: [both('my clone', 0.25)], formatted: '0.25*"my clone"' },
  { text: '"say \\"hi\\""', terms: [both('say "hi"', 1)], formatted: '"say \\"hi\\""' },
  {
    text: '"timbre" + af_sky',
    terms: [both('timbre', 1), both('af_sky', 1)],
    formatted: '"timbre" + af_sky',
  },
  {
    text: 'timbre(af_bella) + prosody(am_adam)',
    terms: [timbre('af_bella', 1), prosody('am_adam', 1)],
    formatted: 'timbre(af_bella) + prosody(am_adam)',
  },
  {
    text: '0.5*timbre(af_bella + af_sky)',
    terms: [timbre('af_bella', 0.5), timbre('af_sky', 0.5)],
    formatted: '0.5*timbre(af_bella) + 0.5*timbre(af_sky)',
  },
  { text: 'timbre(timbre(af_bella))', terms: [timbre('af_bella', 1)], formatted: 'timbre(af_bella)' },
  { text: 'af_bella + af_bella', terms: [both('af_bella', 2)], formatted: '2*af_bella' },
  {
    text: 'af_bella - af_bella + am_adam',
    terms: [both('af_bella', 0), both('am_adam', 1)],
    formatted: '0*af_bella + am_adam',
  },
  {
    text: 'af_bella + timbre(af_bella)',
    terms: [both('af_bella', 1), timbre('af_bella', 1)],
    formatted: 'af_bella + timbre(af_bella)',
  },
  { text: '  af_sky/3  ', terms: [both('af_sky', 1 / 3)], formatted: '0.333333*af_sky' },
];

const ERROR_CASES: { text: string; message: string; offset: number; suggestion?: string }[] = [
  { text: 'af_bella + (af_sky))', message: "unexpected ')' at 19", offset: 19 },
  { text: '(af_bella + af_sky', message: "missing ')' for '(' at 0", offset: 0 },
  { text: '(af_bella af_sky)', message: "unexpected 'af_sky' at 10; expected ')'", offset: 10 },
  {
    text: 'af_bella +',
    message: 'unexpected end of expression at 10; expected a voice, a number or (',
    offset: 10,
  },
  {
    text: 'af_bella + * af_sky',
    message: "unexpected '*' at 11; expected a voice, a number or (",
    offset: 11,
  },
  { text: '', message: 'empty expression at 0', offset: 0 },
  { text: '   ', message: 'empty expression at 0', offset: 0 },
  { text: 'af_bella * af_sky', message: 'not linear: cannot multiply a voice by a voice at 9', offset: 9 },
  { text: '(af_bella + 1) * af_sky', message: 'cannot add a number and a voice at 10', offset: 10 },
  { text: 'af_bella / af_sky', message: 'not linear: cannot divide by a voice at 9', offset: 9 },
  { text: '2 / af_sky', message: 'not linear: cannot divide by a voice at 2', offset: 2 },
  { text: 'af_bella / (1 - 1)', message: 'division by zero at 9', offset: 9 },
  { text: '1 - af_bella', message: 'cannot subtract a number and a voice at 2', offset: 2 },
  { text: '0.5 + 2', message: 'expression names no voice', offset: 0 },
  {
    text: 'af_bella af_sky',
    message: "unexpected 'af_sky' at 9; expected an operator ('+', '-', '*' or '/')",
    offset: 9,
  },
  {
    text: '2af_sky',
    message: "unexpected 'af_sky' at 1; expected an operator ('+', '-', '*' or '/')",
    offset: 1,
  },
  {
    text: 'af_bellla + af_sky',
    message: "unknown voice 'af_bellla' at 0 — did you mean af_bella?",
    offset: 0,
    suggestion: 'af_bella',
  },
  {
    text: 'af_bella - 0.5*AM_ADAM',
    message: "unknown voice 'AM_ADAM' at 15 — did you mean am_adam?",
    offset: 15,
    suggestion: 'am_adam',
  },
  {
    text: 'af_sky + bella',
    message: "unknown voice 'bella' at 9 — did you mean af_bella?",
    offset: 9,
    suggestion: 'af_bella',
  },
  {
    text: 'af_sky + "my clon"',
    message: "unknown voice 'my clon' at 9 — did you mean my clone?",
    offset: 9,
    suggestion: 'my clone',
  },
  { text: 'af_sky + zzzzzz', message: "unknown voice 'zzzzzz' at 9", offset: 9 },
  {
    text: 'timbr(af_bella)',
    message: "unknown selector 'timbr' at 0 — did you mean timbre?",
    offset: 0,
    suggestion: 'timbre',
  },
  {
    text: 'af_sky + timbre(prosody(af_bella))',
    message: 'prosody(af_bella) inside timbre(...) at 9',
    offset: 9,
  },
  { text: 'timbre(2)', message: 'timbre(...) needs a voice, not a number, at 0', offset: 0 },
  { text: 'af_sky + "my clone', message: 'unterminated quoted voice name at 9', offset: 9 },
  { text: '""', message: 'empty voice name at 0', offset: 0 },
  { text: 'af_bella # 2', message: "unexpected '#' at 9", offset: 9 },
  { text: '1e999*af_bella', message: 'number out of range at 0', offset: 0 },
];

function expectTermsClose(actual: readonly Term[], expected: readonly Term[]): void {
  expect(actual.map(({ voice, part }) => ({ voice, part }))).toEqual(
    expected.map(({ voice, part }) => ({ voice, part })),
  );
  actual.forEach((term, i) => expect(term.coefficient).toBeCloseTo((expected[i] as Term).coefficient, 12));
}

describe('parseExpression', () => {
  it.each(PARSE_CASES)('$text', ({ text, terms }) => {
    expectTermsClose(parseExpression(text, { voices: VOICES }), terms);
  });

  it.each(ERROR_CASES)('$text -> $message', ({ text, message, offset, suggestion }) => {
    let caught: unknown;
    try {
      parseExpression(text, { voices: VOICES });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ExpressionError);
    const error = caught as ExpressionError;
    expect(error.message).toBe(message);
    expect(error.offset).toBe(offset);
    expect(error.suggestion).toBe(suggestion);
  });

  it('accepts any voice name when no voice list is given', () => {
    expect(parseExpression('af_bellla + "whatever you like"').map((t) => t.voice)).toEqual([
      'af_bellla',
      'whatever you like',
    ]);
  });
});

describe('formatTerms', () => {
  it.each(PARSE_CASES)('$text formats as $formatted', ({ text, formatted }) => {
    expect(formatTerms(parseExpression(text))).toBe(formatted);
  });

  const FORMAT_CASES: { terms: Term[]; text: string }[] = [
    { terms: [], text: '' },
    { terms: [both('af_sky', -0.5), both('am_adam', 1)], text: '-0.5*af_sky + am_adam' },
    { terms: [both('af_sky', 0.1 + 0.2)], text: '0.3*af_sky' },
    { terms: [both('af_sky', 1e-7), both('bm_lewis', -0)], text: '1e-7*af_sky + 0*bm_lewis' },
    { terms: [prosody('my clone', -2.5)], text: '-2.5*prosody("my clone")' },
    { terms: [both('9lives', 1), both('a\\b', 1)], text: '"9lives" + "a\\\\b"' },
  ];

  it.each(FORMAT_CASES)('$text', ({ terms, text }) => {
    expect(formatTerms(terms)).toBe(text);
  });
});

describe('round trip: parseExpression ∘ formatTerms', () => {
  // Slider rows the UI might hold: arbitrary coefficients, parts and names (deterministic LCG).
  let seed = 12345;
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const PARTS = ['both', 'timbre', 'prosody'] as const;
  const ROWS: Term[][] = Array.from({ length: 40 }, () =>
    Array.from({ length: 1 + Math.floor(random() * 5) }, () => ({
      voice: VOICES[Math.floor(random() * VOICES.length)] as string,
      coefficient: (random() - 0.3) * 10 ** Math.floor(random() * 4 - 2),
      part: PARTS[Math.floor(random() * 3)] as Term['part'],
    })),
  );

  it.each(ROWS.map((terms, i) => ({ i, terms })))('slider rows #$i survive text and back', ({ terms }) => {
    const text = formatTerms(terms);
    const parsed = parseExpression(text, { voices: VOICES });
    const merged = mergeTerms(terms);
    expect(parsed.map(({ voice, part }) => ({ voice, part }))).toEqual(
      merged.map(({ voice, part }) => ({ voice, part })),
    );
    parsed.forEach((term, i) => {
      const expected = (merged[i] as Term).coefficient;
      expect(Math.abs(term.coefficient - expected)).toBeLessThanOrEqual(5e-6 * Math.abs(expected) + 1e-300);
    });
    // Stable: formatting the parsed text again changes nothing.
    expect(formatTerms(parsed)).toBe(text);
  });
});

describe('helpers', () => {
  it.each([
    { value: 0.5, text: '0.5' },
    { value: 1 / 3, text: '0.333333' },
    { value: 2, text: '2' },
    { value: -1.25, text: '-1.25' },
    { value: 123456789, text: '123457000' },
    { value: -0, text: '0' },
  ])('formatCoefficient($value) = $text', ({ value, text }) => {
    expect(formatCoefficient(value)).toBe(text);
  });

  it.each([
    { a: 'af_bella', b: 'af_bella', distance: 0 },
    { a: 'af_bellla', b: 'af_bella', distance: 1 },
    { a: 'af_blela', b: 'af_bella', distance: 1 },
    { a: 'kitten', b: 'sitting', distance: 3 },
    { a: '', b: 'abc', distance: 3 },
  ])('editDistance($a, $b) = $distance', ({ a, b, distance }) => {
    expect(editDistance(a, b)).toBe(distance);
  });

  it.each([
    { name: 'af_hart', suggestion: 'af_heart' },
    { name: 'heart', suggestion: 'af_heart' },
    { name: 'santa', suggestion: undefined }, // am_santa, em_santa, pm_santa: ambiguous
    { name: 'qqqqqqq', suggestion: undefined },
  ])('nearestName($name) = $suggestion', ({ name, suggestion }) => {
    expect(nearestName(name, STOCK_VOICE_NAMES)).toBe(suggestion);
  });
});

/** Inputs found by `npm run fuzz` (target expression; see src/test-support/fuzz). */
describe('fuzz regressions', () => {
  const seconds = (run: () => void): number => {
    const start = performance.now();
    run();
    return (performance.now() - start) / 1000;
  };
  const parseError = (text: string, options = {}): ExpressionError => {
    try {
      parseExpression(text, options);
    } catch (error) {
      if (error instanceof ExpressionError) return error;
      throw error;
    }
    throw new Error('parsed');
  };

  it.each([
    { what: 'parentheses', text: `${'('.repeat(100_000)}af_bella${')'.repeat(100_000)}` },
    { what: 'signs', text: `${'-'.repeat(100_000)}af_bella` },
    { what: 'selectors', text: `${'timbre('.repeat(50_000)}af_bella${')'.repeat(50_000)}` },
    { what: 'an unclosed run', text: `-af_bella + ${'('.repeat(70_000)}` },
  ])('deep nesting ($what) is an ExpressionError, not a stack overflow', ({ text }) => {
    expect(parseError(text).message).toMatch(/^nested too deeply at \d+ \(more than 256 levels\)$/);
  });

  it('still reads nesting people write', () => {
    expectTermsClose(parseExpression(`${'('.repeat(100)}af_bella${')'.repeat(100)}`), [both('af_bella', 1)]);
    expectTermsClose(parseExpression(`${'- '.repeat(100)}af_bella`), [both('af_bella', 1)]);
  });

  it('a sum of 20,000 distinct voices parses in a moment (it was cubic: hours)', () => {
    const names = Array.from({ length: 20_000 }, (_, i) => `v${i}`);
    let terms: Term[] = [];
    expect(seconds(() => (terms = parseExpression(names.join(' + ') + ' - v0')))).toBeLessThan(2);
    expect(terms).toHaveLength(20_000);
    expect(terms[0]).toEqual(both('v0', 0));
    expect(terms[19_999]).toEqual(both('v19999', 1));
  });

  it('a long chain of factors on a long sum is fast (it copied every term at every factor: seconds)', () => {
    const sum = Array.from({ length: 5_000 }, (_, i) => `v${i}`).join('+');
    let terms: Term[] = [];
    expect(seconds(() => (terms = parseExpression(`(${sum})${'*2/2'.repeat(2_500)}*3`)))).toBeLessThan(2);
    expect(terms).toHaveLength(5_000);
    expect(terms.every((term) => term.coefficient === 3)).toBe(true);
    // Factors apply in order, exactly as one multiplication after another would.
    expect(parseExpression('(a + b)*0.1*3/7')).toEqual([
      both('a', 1 * 0.1 * 3 * (1 / 7)),
      both('b', 1 * 0.1 * 3 * (1 / 7)),
    ]);
  });

  it('an unknown 100 KB voice name is refused at once (edit distances took seconds)', () => {
    const text = `${'a'.repeat(100_000)}f_sky NaN/`;
    let error: ExpressionError | undefined;
    expect(seconds(() => (error = parseError(text, { voices: VOICES })))).toBeLessThan(1);
    expect(error?.message).toMatch(/^unknown voice 'a{100000}f_sky' at 0$/);
    expect(nearestName('a'.repeat(100_000), STOCK_VOICE_NAMES)).toBeUndefined();
  });
});

describe('fuzz regressions: coefficients past float range', () => {
  it.each([
    { text: '  af_sky/5e-324  ', message: 'the coefficient of af_sky is out of range (Infinity)' },
    { text: '\ufeff\t  af_sky/5e-324  ', message: 'the coefficient of af_sky is out of range (Infinity)' },
    { text: '1e308*10*af_sky', message: 'the coefficient of af_sky is out of range (Infinity)' },
    {
      text: '-af_bella*1e308*1e308 + am_adam',
      message: 'the coefficient of af_bella is out of range (-Infinity)',
    },
    { text: '(1e308*10*"my clone")*0', message: 'the coefficient of "my clone" is out of range (NaN)' },
  ])('$text is an ExpressionError, not an infinite slider', ({ text, message }) => {
    let caught: unknown;
    try {
      parseExpression(text);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ExpressionError);
    expect((caught as ExpressionError).message).toBe(message);
    expect((caught as ExpressionError).offset).toBe(0);
  });

  it('keeps large finite coefficients', () => {
    expect(parseExpression('af_sky*1e308')).toEqual([both('af_sky', 1e308)]);
  });
});
