/**
 * The normalisation rule table. Each rule is a regex (flags `u`, applied sticky at the
 * leftmost place any rule matches) and a function giving the words to say, or null to let
 * the next rule try. Order matters where two rules can start at the same character.
 */
import { cardinalWords, digitWords, ordinalWords, toPlural } from './number-words';
import {
  addressWords,
  dateWords,
  fractionWords,
  meridiem,
  minutesWords,
  moneyWords,
  monthName,
  MONTHS,
  numberWords,
  stripCommas,
  style,
  twoDigitYear,
  type SpeechContext,
} from './spoken-forms';

export interface RuleContext extends SpeechContext {
  source: string;
}

export interface NormaliseRule {
  name: string;
  pattern: RegExp;
  apply(match: RegExpExecArray, context: RuleContext): string | null;
}

const MONTH_PATTERN =
  '(January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)';

/** An integer with optional thousands separators: 7, 1234, 1,234,567. */
const INTEGER = '(?:\\d{1,3}(?:,\\d{3})+|\\d+)';
/** Start of a number: not glued to a previous digit, decimal point or separator. */
const NUMBER_START = '(?<![\\d.,])';

/**
 * When a rule swallowed a full stop that also ends the sentence ("at 5 p.m. Then"), the
 * stop is given back so prosody and chunking still see the sentence end.
 */
function sentenceStop(match: RegExpExecArray, context: RuleContext): string {
  if (!match[0].endsWith('.')) return '';
  SENTENCE_START_AFTER.lastIndex = match.index + match[0].length;
  return SENTENCE_START_AFTER.test(context.source) ? '.' : '';
}
const SENTENCE_START_AFTER = /\s*$|[ \t]*\n|\s+["'(]?\p{Lu}/uy;

const ABBREVIATIONS: Record<string, string> = {
  Mr: 'Mister',
  Mrs: 'Mrs', // the lexicon's own entry (mˈɪsɪz)
  Ms: 'Miz',
  Mx: 'Mix',
  Jr: 'Junior',
  Sr: 'Senior',
  Prof: 'Professor',
  Rev: 'Reverend',
  Gen: 'General',
  Capt: 'Captain',
  Lt: 'Lieutenant',
  Sgt: 'Sergeant',
  Mt: 'Mount',
  Ave: 'Avenue',
  Blvd: 'Boulevard',
  Rd: 'Road',
  vs: 'versus',
  etc: 'etc',
  approx: 'approximately',
  Inc: 'Incorporated',
  Ltd: 'Limited',
  Corp: 'Corporation',
  Dept: 'Department',
  cf: 'compare',
};
/** Abbreviations whose full stop may also end the sentence ("..., etc. Then"). */
const MAY_END_SENTENCE = new Set(['etc', 'Inc', 'Ltd', 'Corp', 'Jr', 'Sr', 'Ave', 'Blvd', 'Rd']);

const SYMBOL_WORDS: Record<string, string> = {
  '&': 'and',
  '@': 'at',
  '+': 'plus',
  '=': 'equals',
  '×': 'times',
  '%': 'percent',
  '°': 'degrees',
};

/** Unit symbols after a number, as said: [singular, plural]; British spellings where they differ (same sound). */
const UNITS: Record<string, [string, string]> = {
  km: ['kilometer', 'kilometers'],
  cm: ['centimeter', 'centimeters'],
  mm: ['millimeter', 'millimeters'],
  kg: ['kilogram', 'kilograms'],
  mg: ['milligram', 'milligrams'],
  g: ['gram', 'grams'],
  lb: ['pound', 'pounds'],
  lbs: ['pound', 'pounds'],
  oz: ['ounce', 'ounces'],
  Hz: ['hertz', 'hertz'],
  kHz: ['kilohertz', 'kilohertz'],
  MHz: ['megahertz', 'megahertz'],
  GHz: ['gigahertz', 'gigahertz'],
  mph: ['mile per hour', 'miles per hour'],
  'km/h': ['kilometer per hour', 'kilometers per hour'],
  kph: ['kilometer per hour', 'kilometers per hour'],
  ml: ['milliliter', 'milliliters'],
  mL: ['milliliter', 'milliliters'],
  ft: ['foot', 'feet'],
  yd: ['yard', 'yards'],
  mi: ['mile', 'miles'],
  ms: ['millisecond', 'milliseconds'],
  KB: ['kilobyte', 'kilobytes'],
  MB: ['megabyte', 'megabytes'],
  GB: ['gigabyte', 'gigabytes'],
  TB: ['terabyte', 'terabytes'],
  kW: ['kilowatt', 'kilowatts'],
  kWh: ['kilowatt hour', 'kilowatt hours'],
  W: ['watt', 'watts'],
  V: ['volt', 'volts'],
  dB: ['decibel', 'decibels'],
};
const UNIT_PATTERN = Object.keys(UNITS)
  .sort((a, b) => b.length - a.length)
  .map((u) => u.replace('/', '\\/'))
  .join('|');

/** Words after which a Roman numeral is a number ("World War II", "Chapter IV"), not a regnal ordinal ("Henry VIII"). */
const COUNTING_WORDS = new Set(
  'War Chapter Part Volume Vol Act Scene Book Episode Phase Type Class Grade Level Section Article Bowl Apollo Gemini Mark Mk Stage Round Season Unit Title Appendix Psalm Canto Tier Category Amendment Division League Stage Symphony Op Rocky Fantasy'.split(
    ' ',
  ),
);
const ROMAN_VALUES: Record<string, number> = { I: 1, V: 5, X: 10, L: 50, C: 100 };

/** The value of a well-formed Roman numeral of I, V, X, L, C (1..399), or null. */
export function romanValue(text: string): number | null {
  if (!/^C{0,3}(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$/.test(text) || text === '') return null;
  let total = 0;
  for (let i = 0; i < text.length; i++) {
    const value = ROMAN_VALUES[text[i]!]!;
    const next = ROMAN_VALUES[text[i + 1] ?? ''] ?? 0;
    total += value < next ? -value : value;
  }
  return total;
}

export const NORMALISE_RULES: readonly NormaliseRule[] = [
  {
    name: 'url-or-email',
    pattern:
      /(?:https?:\/\/|www\.)[^\s<>"]*[^\s<>".,;:!?)']|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?<![\w.@-])[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|io|dev|ai|gov|edu|app|co\.uk)(?![\w])/u,
    apply: (m, context) => addressWords(m[0], context),
  },
  {
    name: 'money',
    pattern: new RegExp(
      `([$£€])\\s?(${INTEGER}(?:\\.\\d+)?|\\.\\d+)(?:\\s?(thousand|million|billion|trillion|bn|[kKmMbB])(?![\\p{L}\\d]))?`,
    ),
    apply: (m, context) => moneyWords(m[1] ?? '', m[2] ?? '', m[3], context),
  },
  {
    name: 'cents-or-pence',
    pattern: new RegExp(`${NUMBER_START}(\\d+)\\s?(¢|p)(?![\\p{L}\\d])`),
    apply: (m, context) => {
      if (m[2] === 'p' && context.dialect !== 'en-gb') return null;
      const amount = m[1] ?? '0';
      const unit = m[2] === 'p' ? (amount === '1' ? 'penny' : 'pence') : amount === '1' ? 'cent' : 'cents';
      return `${cardinalWords(amount, style(context))} ${unit}`;
    },
  },
  {
    name: 'phone-number',
    pattern: /(?<![\d-])(?:\((\d{3})\)\s?|(\d{3})[-. ])(\d{3})[-.](\d{4})(?![\d-])/u,
    apply: (m) => [m[1] ?? m[2] ?? '', m[3] ?? '', m[4] ?? ''].map(digitWords).join(', '),
  },
  {
    name: 'iso-date',
    pattern: /(?<![\d-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\d-])/u,
    apply: (m, context) =>
      dateWords(Number(m[1]), Number(m[2]), Number(m[3]), context.dialect === 'en-gb', context),
  },
  {
    name: 'numeric-date',
    // No backreference for the second separator: group numbers shift inside the master regex.
    pattern: /(?<![\d/.])(\d{1,2})([/.])(\d{1,2})([/.])(\d{4}|\d{2})(?![\d/]|\.\d)/u,
    apply: (m, context) => {
      const [a, b] = [Number(m[1]), Number(m[3])];
      if (m[2] !== m[4] || (m[2] === '.' && (m[5] ?? '').length !== 4)) return null;
      // American month/day unless impossible; British day/month unless impossible.
      const dayFirst = context.dialect === 'en-gb' ? b <= 12 || a > 12 : a > 12;
      const [month, day] = dayFirst ? [b, a] : [a, b];
      return dateWords(twoDigitYear(m[5] ?? ''), month, day, context.dialect === 'en-gb', context);
    },
  },
  {
    name: 'month-day',
    pattern: new RegExp(
      `(?<!\\p{L})${MONTH_PATTERN}\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?(?![\\d\\p{L}:])(?:,?\\s+(\\d{4})(?!\\d))?`,
    ),
    apply: (m, context) => {
      const year = m[3] === undefined ? undefined : Number(m[3]);
      return dateWords(year, MONTHS.indexOf(monthName(m[1] ?? '')) + 1, Number(m[2]), false, context);
    },
  },
  {
    name: 'day-month',
    pattern: new RegExp(
      `${NUMBER_START}(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH_PATTERN}\\.?(?!\\p{L})(?:,?\\s+(\\d{4})(?!\\d))?`,
    ),
    apply: (m, context) => {
      const year = m[3] === undefined ? undefined : Number(m[3]);
      const words = dateWords(year, MONTHS.indexOf(monthName(m[2] ?? '')) + 1, Number(m[1]), true, context);
      const before = context.source.slice(Math.max(0, m.index - 4), m.index);
      return words !== null && /\bthe\s+$/i.test(before) ? words.replace(/^the /, '') : words;
    },
  },
  {
    name: 'clock-time',
    pattern: /(?<![\d:.])(\d{1,2}):(\d{2})(?::(\d{2}))?(?![\d:])(?:\s?([AaPp])\.?[Mm]\.?(?![\p{L}]))?/u,
    apply: (m, context) => {
      const [hours, minutes] = [Number(m[1]), Number(m[2])];
      if (hours > 24 || minutes > 59) return null;
      const hourWords = cardinalWords(String(hours), style(context));
      let words: string;
      if (m[3] !== undefined)
        words = `${hourWords} ${minutesWords(minutes, context)} ${minutesWords(Number(m[3]), context)}`;
      else if (minutes === 0) words = m[4] ? hourWords : `${hourWords} o'clock`;
      else words = `${hourWords} ${minutesWords(minutes, context)}`;
      return `${words}${meridiem(m[4])}${sentenceStop(m, context)}`;
    },
  },
  {
    name: 'clock-hour',
    pattern: /(?<![\d:.,])(\d{1,2})\s?([AaPp])\.?[Mm]\.?(?![\p{L}\d])/u,
    apply: (m, context) => {
      const hours = Number(m[1]);
      if (hours < 1 || hours > 12) return null;
      return `${cardinalWords(String(hours))}${meridiem(m[2])}${sentenceStop(m, context)}`;
    },
  },
  {
    name: 'range',
    pattern: new RegExp(`${NUMBER_START}(${INTEGER})(?:-|\\s?–\\s?)(${INTEGER})(?![\\d]|[.,]\\d)`),
    apply: (m, context) =>
      `${numberWords('', m[1] ?? '', undefined, context)} to ${numberWords('', m[2] ?? '', undefined, context)}`,
  },
  {
    name: 'fraction',
    pattern: /(?<![\d/.,])(\d{1,4})\/(\d{1,4})(?![\d/])/u,
    apply: (m, context) => fractionWords(m[1] ?? '', m[2] ?? '', context),
  },
  {
    name: 'unit',
    // "5 km", "12 oz", "60 Hz", "2.5kg": the unit said in full, singular only for exactly one.
    pattern: new RegExp(
      `((?<=^|[\\s(\\["'])-)?${NUMBER_START}(?:(${INTEGER})(?:\\.(\\d+))?|\\.(\\d+))\\s?(${UNIT_PATTERN})(?![\\p{L}\\d/])`,
      'u',
    ),
    apply: (m, context) => {
      const [singular, plural] = UNITS[m[5] ?? ''] ?? [];
      if (!singular || !plural) return null;
      const one = !m[1] && stripCommas(m[2] ?? '') === '1' && m[3] === undefined && m[4] === undefined;
      return `${numberWords(m[1] ?? '', m[2] ?? '', m[3] ?? m[4], context, false)} ${one ? singular : plural}`;
    },
  },
  {
    name: 'percent',
    pattern: new RegExp(`((?<=^|[\\s(\\["'])-)?${NUMBER_START}(?:(${INTEGER})(?:\\.(\\d+))?|\\.(\\d+))\\s?%`),
    apply: (m, context) => `${numberWords(m[1] ?? '', m[2] ?? '', m[3] ?? m[4], context, false)} percent`,
  },
  {
    name: 'ordinal',
    pattern: new RegExp(`${NUMBER_START}(${INTEGER})(st|nd|rd|th|ST|ND|RD|TH)(?![\\p{L}\\d])`),
    apply: (m, context) => ordinalWords(stripCommas(m[1] ?? ''), style(context)),
  },
  {
    name: 'number',
    pattern: new RegExp(
      `((?<=^|[\\s(\\["'])-)?${NUMBER_START}(?:(${INTEGER})(?:\\.(\\d+))?|\\.(\\d+))(?!\\d)('?s(?![\\p{L}\\d]))?`,
    ),
    apply: (m, context) => {
      const words = numberWords(m[1] ?? '', m[2] ?? '', m[3] ?? m[4], context);
      return m[5] ? toPlural(words) : words; // the 1990s, 7s
    },
  },
  {
    name: 'for-example-that-is',
    pattern: /(?<![\p{L}.])(?:([eE])\.\s?[gG]|([iI])\.\s?[eE]|([aA])\.[kK]\.[aA])\./u,
    apply: (m) => (m[1] ? 'for example' : m[2] ? 'that is' : 'also known as'),
  },
  {
    name: 'title-or-street',
    // "Dr. Who" is a doctor, "Elm Dr." a drive; "St. Paul" a saint, "Main St." a street.
    pattern: /(?<![\p{L}.])(Dr|St)(?:\.|(?=\s+\p{Lu}))/u,
    apply: (m, context) => {
      const after = context.source.slice(m.index + m[0].length, m.index + m[0].length + 3);
      const beforeName = /^\s+\p{Lu}/u.test(after);
      if (m[1] === 'Dr') return beforeName ? 'Doctor' : `Drive${sentenceStop(m, context)}`;
      return beforeName ? 'Saint' : `Street${sentenceStop(m, context)}`;
    },
  },
  {
    name: 'roman-numeral',
    // After a capitalised word: "Henry VIII" (the eighth), "World War II" (two). A lone "I"
    // is the pronoun, and D and M are left alone ("Washington DC", "MD").
    pattern: /(?<=(?:^|[^\p{L}])(\p{Lu}\p{Ll}+)\s)([IVXLC]{1,7})(?![\p{L}\d])/u,
    apply: (m) => {
      const previous = m[1] ?? '';
      const numeral = m[2] ?? '';
      const value = romanValue(numeral);
      if (value === null || numeral === 'I') return null;
      if (COUNTING_WORDS.has(previous)) return cardinalWords(String(value));
      // Regnal numbers stay small; "XL", "LX" after a name are sizes or codes, not kings.
      if (value > 39 || /[LC]/.test(numeral)) return null;
      return `the ${ordinalWords(String(value))}`;
    },
  },
  {
    name: 'number-sign',
    pattern: /(?<![\p{L}.])(?:(?:No|no|Nos)\.(?=\s?\d)|#(?=\d))/u,
    apply: () => 'number',
  },
  {
    name: 'abbreviation',
    pattern: new RegExp(
      `(?<![\\p{L}.])(${Object.keys(ABBREVIATIONS).join('|')})(?:\\.|(?=\\s+\\p{Lu})(?<=Mrs?|Ms))`,
    ),
    apply: (m, context) => {
      const word = ABBREVIATIONS[m[1] ?? ''] ?? '';
      return MAY_END_SENTENCE.has(m[1] ?? '') ? `${word}${sentenceStop(m, context)}` : word;
    },
  },
  { name: 'versus', pattern: /(?<![\p{L}.])vs(?![\p{L}.])/u, apply: () => 'versus' },
  {
    name: 'dotted-acronym',
    pattern: /(?<![\p{L}.])((?:\p{Lu}\.){2,})/u,
    apply: (m, context) => `${(m[1] ?? '').split('.').filter(Boolean).join(' ')}${sentenceStop(m, context)}`,
  },
  { name: 'ellipsis', pattern: /\.{3,}|\.(?: \.){2,}/u, apply: () => '…' },
  { name: 'dash', pattern: /--+|–|(?<=\s)-(?=\s)/u, apply: () => '—' },
  {
    name: 'degrees',
    pattern: /°\s?([CF])(?![\p{L}])/u,
    apply: (m) => `degrees ${m[1] === 'C' ? 'Celsius' : 'Fahrenheit'}`,
  },
  {
    name: 'symbol',
    pattern: /[&@+=×%°]/u,
    apply: (m) => SYMBOL_WORDS[m[0]] ?? null,
  },
  {
    name: 'slash-between-words',
    pattern: /(?<=\p{L})\/(?=\p{L})/u,
    apply: () => ' ',
  },
];
