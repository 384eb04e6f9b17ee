/**
 * How numbers, money, dates, times, fractions and addresses are said: the word-building
 * half of normalisation (normalise-rules.ts decides where they are in the text).
 */
import {
  cardinalWords,
  decimalWords,
  digitWords,
  ordinalWords,
  toOrdinal,
  toPlural,
  yearWords,
  type NumberStyle,
} from './number-words';
import type { Dialect } from './types';

export interface SpeechContext {
  dialect: Dialect;
  /** British "one hundred and five". */
  britishAnd: boolean;
}

export const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
export function monthName(text: string): string {
  return MONTHS.find((month) => month.startsWith(text.slice(0, 3))) ?? text;
}

const YEAR_MIN = 1100;
const YEAR_MAX = 2099;

export function style(context: SpeechContext): NumberStyle {
  return { britishAnd: context.britishAnd };
}

export function stripCommas(digits: string): string {
  return digits.replace(/,/g, '');
}

/** Reads a plain number: "-3.14", "1,234", and 4-digit integers as years when they look like one. */
export function numberWords(
  sign: string,
  integer: string,
  fraction: string | undefined,
  context: SpeechContext,
  yearLike = true,
): string {
  const digits = stripCommas(integer);
  let words: string;
  if (fraction !== undefined) words = decimalWords(digits, fraction, style(context));
  else if (/^0\d/.test(digits)) words = digitWords(digits);
  else if (
    yearLike &&
    sign === '' &&
    /^\d{4}$/.test(integer) &&
    Number(digits) >= YEAR_MIN &&
    Number(digits) <= YEAR_MAX
  ) {
    words = yearWords(Number(digits), style(context));
  } else words = cardinalWords(digits, style(context));
  return sign ? `minus ${words}` : words;
}

const CURRENCIES: Record<string, { unit: string; units: string; sub: string; subs: string }> = {
  $: { unit: 'dollar', units: 'dollars', sub: 'cent', subs: 'cents' },
  '£': { unit: 'pound', units: 'pounds', sub: 'penny', subs: 'pence' },
  '€': { unit: 'euro', units: 'euros', sub: 'cent', subs: 'cents' },
};
const SCALE_WORDS: Record<string, string> = { k: 'thousand', m: 'million', b: 'billion', bn: 'billion' };

export function moneyWords(
  symbol: string,
  amount: string,
  scale: string | undefined,
  context: SpeechContext,
): string {
  const currency = CURRENCIES[symbol];
  if (!currency) return amount;
  const [integerPart = '', fraction] = stripCommas(amount).split('.');
  if (scale) {
    // "$3.5 million" -> "three point five million dollars"
    const scaleWord = SCALE_WORDS[scale.toLowerCase()] ?? scale.toLowerCase();
    return `${numberWords('', integerPart || '0', fraction, context, false)} ${scaleWord} ${currency.units}`;
  }
  if (fraction !== undefined && fraction.length > 2) {
    return `${numberWords('', integerPart || '0', fraction, context, false)} ${currency.units}`;
  }
  const whole = Number(integerPart || '0');
  const cents = fraction === undefined ? 0 : Number(fraction.padEnd(2, '0'));
  const parts: string[] = [];
  if (whole > 0 || cents === 0) {
    parts.push(
      `${cardinalWords(integerPart || '0', style(context))} ${whole === 1 ? currency.unit : currency.units}`,
    );
  }
  if (cents > 0) {
    parts.push(
      `${cardinalWords(String(cents), style(context))} ${cents === 1 ? currency.sub : currency.subs}`,
    );
  }
  return parts.join(' and ');
}

export function dateWords(
  year: number | undefined,
  month: number,
  day: number,
  dayFirst: boolean,
  context: SpeechContext,
): string | null {
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  const name = MONTHS[month - 1] ?? '';
  const dayWords = ordinalWords(String(day), style(context));
  const head = dayFirst ? `the ${dayWords} of ${name}` : `${name} ${dayWords}`;
  return year === undefined ? head : `${head}, ${yearWords(year, style(context))}`;
}

export function twoDigitYear(text: string): number {
  const value = Number(text);
  return text.length === 4 ? value : value < 50 ? 2000 + value : 1900 + value;
}

export function minutesWords(minutes: number, context: SpeechContext): string {
  return minutes < 10
    ? `oh ${cardinalWords(String(minutes))}`
    : cardinalWords(String(minutes), style(context));
}

export function meridiem(letter: string | undefined): string {
  return letter ? ` ${letter.toUpperCase()} M` : '';
}

const FRACTION_NAMES: Record<number, [string, string]> = {
  2: ['half', 'halves'],
  3: ['third', 'thirds'],
  4: ['quarter', 'quarters'],
};

export function fractionWords(numerator: string, denominator: string, context: SpeechContext): string {
  const top = Number(numerator);
  const bottom = Number(denominator);
  const topWords = cardinalWords(numerator, style(context));
  if (top >= bottom || bottom === 0) return `${topWords} ${cardinalWords(denominator, style(context))}`; // 24/7, 50/50
  const named = FRACTION_NAMES[bottom];
  if (named) return `${topWords} ${top === 1 ? named[0] : named[1]}`;
  if (bottom <= 10) {
    const ordinal = toOrdinal(cardinalWords(denominator));
    return `${topWords} ${top === 1 ? ordinal : toPlural(ordinal)}`;
  }
  return `${topWords} over ${cardinalWords(denominator, style(context))}`;
}

/** A URL or e-mail address read out: "example dot com slash docs". */
export function addressWords(address: string, context: SpeechContext): string {
  return address
    .replace(/^[a-z]+:\/\//i, '')
    .replace(/\/+$/, '')
    .split(/([./@_:?=&#-])/)
    .map((part) => {
      if (part === '.') return ' dot ';
      if (part === '/') return ' slash ';
      if (part === '@') return ' at ';
      if (/^[_:?=&#-]$/.test(part)) return ' ';
      return part.replace(
        /\d+/g,
        (digits) => ` ${digits.length > 4 ? digitWords(digits) : cardinalWords(digits, style(context))} `,
      );
    })
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
}
