import { describe, expect, it } from 'vitest';
import { normaliseText } from './normalise';
import { cardinalWords, ordinalWords, yearWords } from './number-words';
import type { Dialect } from './types';

const US_CASES: readonly [string, string][] = [
  // numbers
  ['I have 3 cats.', 'I have three cats.'],
  ['0 and 13 and 40 and 99', 'zero and thirteen and forty and ninety nine'],
  ['1,234,567 people', 'one million two hundred thirty four thousand five hundred sixty seven people'],
  ['pi is 3.14', 'pi is three point one four'],
  ['a drop of .5 mm', 'a drop of point five millimeters'],
  // units, said in full (singular only for exactly one)
  ['I ran 5 km today.', 'I ran five kilometers today.'],
  ['Add 12 oz of flour.', 'Add twelve ounces of flour.'],
  ['The hum is at 60 Hz.', 'The hum is at sixty hertz.'],
  ['It weighs 1 kg, not 1.5kg.', 'It weighs one kilogram, not one point five kilograms.'],
  ['Drive at 30 mph or 50 km/h.', 'Drive at thirty miles per hour or fifty kilometers per hour.'],
  ['He is 6 ft tall; the file is 300 MB.', 'He is six feet tall; the file is three hundred megabytes.'],
  ['It is in the box at 5 in a row.', 'It is in the box at five in a row.'],
  // Roman numerals: regnal ordinals after a name, numbers after counting words
  ['Henry VIII had six wives.', 'Henry the eighth had six wives.'],
  ['Queen Elizabeth II and Louis XIV', 'Queen Elizabeth the second and Louis the fourteenth'],
  ['World War II, Chapter IV, Apollo XI', 'World War two, Chapter four, Apollo eleven'],
  ['Super Bowl LVII', 'Super Bowl fifty seven'],
  ['I went to Washington DC. Size XL, I think.', 'I went to Washington DC. Size XL, I think.'],
  ['it fell to -5 today', 'it fell to minus five today'],
  ['agent 007', 'agent zero zero seven'],
  ['1st, 2nd, 3rd, 4th, 21st, 112th', 'first, second, third, fourth, twenty first, one hundred twelfth'],
  ['the 1990s and 7s', 'the nineteen nineties and sevens'],
  // money
  ['$5', 'five dollars'],
  ['$1', 'one dollar'],
  ['$5.50', 'five dollars and fifty cents'],
  ['$0.99', 'ninety nine cents'],
  ['$1,250.05', 'one thousand two hundred fifty dollars and five cents'],
  ['£3.20', 'three pounds and twenty pence'],
  ['€7', 'seven euros'],
  ['$3.5 million', 'three point five million dollars'],
  ['5¢', 'five cents'],
  // years
  ['in 1990', 'in nineteen ninety'],
  ['in 2005', 'in two thousand five'],
  ['in 2010', 'in twenty ten'],
  ['in 1905', 'in nineteen oh five'],
  ['in 1900', 'in nineteen hundred'],
  ['in 2000', 'in two thousand'],
  // dates
  ['on 12/25/2024', 'on December twenty fifth, twenty twenty four'],
  ['on 2024-12-25', 'on December twenty fifth, twenty twenty four'],
  ['on December 25, 2024', 'on December twenty fifth, twenty twenty four'],
  ['on 4 July', 'on the fourth of July'],
  ['on the 4th of July', 'on the fourth of July'],
  // times
  ['at 12:05', 'at twelve oh five'],
  ['at 3:30pm', 'at three thirty P M'],
  ['at 10:00', "at ten o'clock"],
  ['at 5 p.m. Then', 'at five P M. Then'],
  ['at 9am', 'at nine A M'],
  // percentages, ranges, fractions
  ['50% off', 'fifty percent off'],
  ['2.5%', 'two point five percent'],
  ['pages 5-10', 'pages five to ten'],
  ['1990–1995', 'nineteen ninety to nineteen ninety five'],
  ['1/2 cup', 'one half cup'],
  ['3/4 mile', 'three quarters mile'],
  ['open 24/7', 'open twenty four seven'],
  // abbreviations
  ['Dr. Smith', 'Doctor Smith'],
  ['Mr. and Mrs. Jones met Ms. Lee', 'Mister and Mrs Jones met Miz Lee'],
  ['St. Paul lives on Main St.', 'Saint Paul lives on Main Street.'],
  ['apples, pears, etc. are fruit', 'apples, pears, etc are fruit'],
  ['fruit, e.g. apples', 'fruit, for example apples'],
  ['that is, i.e. this', 'that is, that is this'],
  ['cats vs. dogs', 'cats versus dogs'],
  ['No. 5', 'number five'],
  ['the U.S.A. and the U.K.', 'the U S A and the U K.'],
  // symbols and punctuation
  ['AT&T', 'AT and T'],
  ['72°F', 'seventy two degrees Fahrenheit'],
  ['\u201cHi,\u201d she said. It\u2019s fine.', '"Hi," she said. It\'s fine.'],
  ['wait... what', 'wait… what'],
  ['yes -- no', 'yes — no'],
  ['yes \u2013 no', 'yes — no'],
  ['COVID-19', 'COVID-nineteen'],
  ['mp3 and 5G', 'mp three and five G'],
  ['call 555-123-4567', 'call five five five, one two three, four five six seven'],
  ['see example.com', 'see example dot com'],
];

const GB_CASES: readonly [string, string][] = [
  ['105', 'one hundred and five'],
  ['2005', 'two thousand and five'],
  ['on 5/6/2024', 'on the fifth of June, twenty twenty four'],
  ['on 25/12/2024', 'on the twenty fifth of December, twenty twenty four'],
  ['50p', 'fifty pence'],
];

describe('normaliseText', () => {
  const check = (dialect: Dialect) => (input: string, expected: string) => {
    expect(normaliseText(input, dialect).text).toBe(expected);
  };
  it.each(US_CASES)('en-us: %s', check('en-us'));
  it.each(GB_CASES)('en-gb: %s', check('en-gb'));

  it('keeps text without anything to normalise unchanged, with identity offsets', () => {
    const input = 'Plain words, nothing else!';
    const result = normaliseText(input, 'en-us');
    expect(result.text).toBe(input);
    expect([...result.sourceStart]).toEqual([...input].map((_, i) => i));
    expect([...result.sourceEnd]).toEqual([...input].map((_, i) => i + 1));
  });

  it('maps every replacement character back to the span it replaced', () => {
    const input = 'Pay $5.50 now';
    const result = normaliseText(input, 'en-us');
    const dollars = result.text.indexOf('dollars');
    expect(result.sourceStart[dollars]).toBe(4);
    expect(result.sourceEnd[dollars]).toBe(9);
    const now = result.text.indexOf('now');
    expect(result.sourceStart[now]).toBe(input.indexOf('now'));
  });
});

describe('number words', () => {
  const CARDINALS: readonly [string, string][] = [
    ['0', 'zero'],
    ['7', 'seven'],
    ['15', 'fifteen'],
    ['70', 'seventy'],
    ['101', 'one hundred one'],
    ['1000', 'one thousand'],
    ['1001', 'one thousand one'],
    ['1000000', 'one million'],
    ['2000000001', 'two billion one'],
    ['1234567890123456', 'one two three four five six seven eight nine zero one two three four five six'],
  ];
  it.each(CARDINALS)('cardinal %s', (digits, words) => expect(cardinalWords(digits)).toBe(words));

  const ORDINALS: readonly [string, string][] = [
    ['1', 'first'],
    ['2', 'second'],
    ['3', 'third'],
    ['5', 'fifth'],
    ['8', 'eighth'],
    ['9', 'ninth'],
    ['12', 'twelfth'],
    ['20', 'twentieth'],
    ['42', 'forty second'],
    ['100', 'one hundredth'],
  ];
  it.each(ORDINALS)('ordinal %s', (digits, words) => expect(ordinalWords(digits)).toBe(words));

  const YEARS: readonly [number, string][] = [
    [1066, 'ten sixty six'],
    [1800, 'eighteen hundred'],
    [1999, 'nineteen ninety nine'],
    [2001, 'two thousand one'],
    [2024, 'twenty twenty four'],
    [1009, 'one thousand nine'],
  ];
  it.each(YEARS)('year %d', (year, words) => expect(yearWords(year)).toBe(words));
});
