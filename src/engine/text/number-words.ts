/**
 * English number words, written out so the lexicon (not eSpeak) pronounces them.
 * Words are separated by spaces (no hyphens): "twenty one", each a plain lexicon entry.
 */

const ONES = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
/** Short-scale group names, index = power of 1000. */
const SCALES = ['', 'thousand', 'million', 'billion', 'trillion', 'quadrillion'];

/** Beyond this, digit strings are read digit by digit (card numbers, ids). */
export const MAX_DIGITS_AS_NUMBER = 15;

export interface NumberStyle {
  /** British "one hundred and five"; American "one hundred five". */
  britishAnd: boolean;
}

const AMERICAN: NumberStyle = { britishAnd: false };

function underHundred(n: number): string {
  if (n < 20) return ONES[n] ?? '';
  const tens = TENS[Math.floor(n / 10)] ?? '';
  return n % 10 === 0 ? tens : `${tens} ${ONES[n % 10]}`;
}

function underThousand(n: number, style: NumberStyle): string {
  const hundreds = Math.floor(n / 100);
  const rest = n % 100;
  if (hundreds === 0) return underHundred(rest);
  const head = `${ONES[hundreds]} hundred`;
  if (rest === 0) return head;
  return `${head} ${style.britishAnd ? 'and ' : ''}${underHundred(rest)}`;
}

/** Cardinal words for a non-negative integer given as a digit string (no separators). */
export function cardinalWords(digits: string, style: NumberStyle = AMERICAN): string {
  const trimmed = digits.replace(/^0+(?=\d)/, '');
  if (trimmed.length > MAX_DIGITS_AS_NUMBER) return digitWords(digits);
  if (/^0+$/.test(trimmed)) return 'zero';
  const groups: number[] = [];
  for (let end = trimmed.length; end > 0; end -= 3) {
    groups.unshift(Number(trimmed.slice(Math.max(0, end - 3), end)));
  }
  const words: string[] = [];
  groups.forEach((group, index) => {
    if (group === 0) return;
    const scale = SCALES[groups.length - 1 - index] ?? '';
    const isLastGroup = index === groups.length - 1;
    // British "one thousand and five": an "and" before a final group below 100.
    const needsAnd = style.britishAnd && isLastGroup && groups.length > 1 && group < 100;
    words.push(`${needsAnd ? 'and ' : ''}${underThousand(group, style)}${scale ? ` ${scale}` : ''}`);
  });
  return words.join(' ');
}

const DIGIT_NAMES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

export function digitWords(digits: string): string {
  return [...digits]
    .map((digit) => DIGIT_NAMES[Number(digit)] ?? '')
    .filter(Boolean)
    .join(' ');
}

const IRREGULAR_ORDINALS: Record<string, string> = {
  one: 'first',
  two: 'second',
  three: 'third',
  five: 'fifth',
  eight: 'eighth',
  nine: 'ninth',
  twelve: 'twelfth',
};

/** "twenty one" -> "twenty first": only the last word changes. */
export function toOrdinal(cardinal: string): string {
  const words = cardinal.split(' ');
  const last = words.pop() ?? '';
  let ordinal: string;
  if (IRREGULAR_ORDINALS[last]) ordinal = IRREGULAR_ORDINALS[last];
  else if (last.endsWith('y')) ordinal = `${last.slice(0, -1)}ieth`;
  else ordinal = `${last}th`;
  return [...words, ordinal].join(' ');
}

export function ordinalWords(digits: string, style: NumberStyle = AMERICAN): string {
  return toOrdinal(cardinalWords(digits, style));
}

/** "nineteen ninety" -> "nineteen nineties" (decades, "the 1990s"). */
export function toPlural(words: string): string {
  const parts = words.split(' ');
  const last = parts.pop() ?? '';
  let plural: string;
  if (last.endsWith('y')) plural = `${last.slice(0, -1)}ies`;
  else if (last === 'six') plural = 'sixes';
  else plural = `${last}s`;
  return [...parts, plural].join(' ');
}

/**
 * How a four-digit year is said: 1990 "nineteen ninety", 1905 "nineteen oh five",
 * 1900 "nineteen hundred", 2000 "two thousand", 2005 "two thousand five", 2010 "twenty ten".
 */
export function yearWords(year: number, style: NumberStyle = AMERICAN): string {
  if (!Number.isInteger(year) || year < 0 || year > 9999)
    return cardinalWords(String(Math.abs(Math.trunc(year))), style);
  if (year < 1000 || year % 1000 === 0) return cardinalWords(String(year), style);
  const high = Math.floor(year / 100);
  const low = year % 100;
  // 2001-2009 are said as a cardinal ("two thousand five"), as are 1001-1009.
  if (high % 10 === 0 && low < 10) return cardinalWords(String(year), style);
  if (low === 0) return `${underHundred(high)} hundred`;
  if (low < 10) return `${underHundred(high)} oh ${ONES[low]}`;
  return `${underHundred(high)} ${underHundred(low)}`;
}

/** "3.14" -> "three point one four"; the integer part may be empty (".5"). */
export function decimalWords(
  integerDigits: string,
  fractionDigits: string,
  style: NumberStyle = AMERICAN,
): string {
  const head = integerDigits === '' ? '' : `${cardinalWords(integerDigits, style)} `;
  return `${head}point ${digitWords(fractionDigits)}`;
}
