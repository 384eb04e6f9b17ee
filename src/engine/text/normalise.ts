/**
 * Text normalisation: numbers, money, dates, times, abbreviations and symbols become words
 * the lexicon knows, while every character of the result remembers which span of the
 * ORIGINAL text it came from (so the UI can highlight what is being spoken).
 *
 * The rules live in normalise-rules.ts; this file is the scanner that applies them.
 */
import { NORMALISE_RULES, type RuleContext } from './normalise-rules';
import type { Dialect } from './types';

export interface NormalisedText {
  /** The text to phonemize. */
  text: string;
  /** For each UTF-16 unit of `text`: the source span [sourceStart, sourceEnd) it stands for. */
  sourceStart: Int32Array;
  sourceEnd: Int32Array;
}

/**
 * Length-preserving character clean-up applied before the rules: curly quotes and
 * apostrophes to plain, exotic spaces to a space. One unit in, one unit out, so source
 * offsets stay valid.
 */
const CHARACTER_MAP: Record<string, string> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u201a': "'",
  '\u201b': "'",
  '\u2032': "'",
  '\u02bc': "'",
  '\u201c': '"',
  '\u201d': '"',
  '\u201e': '"',
  '\u201f': '"',
  '\u2033': '"',
  '\u00ab': '"',
  '\u00bb': '"',
  '\u00a0': ' ',
  '\u2007': ' ',
  '\u2009': ' ',
  '\u200a': ' ',
  '\u202f': ' ',
  '\u3000': ' ',
  '\t': ' ',
  '\u2212': '-',
  '\u2010': '-',
  '\u2011': '-',
};
const CHARACTER_MAP_PATTERN = new RegExp(`[${Object.keys(CHARACTER_MAP).join('')}]`, 'g');

export function cleanCharacters(text: string): string {
  return text.replace(CHARACTER_MAP_PATTERN, (c) => CHARACTER_MAP[c] ?? c);
}

// One regex that finds the leftmost place where any rule could start; the rules are then
// tried in table order at that place (their own sticky copies give their capture groups).
const MASTER_PATTERN = new RegExp(
  NORMALISE_RULES.map((rule) => `(?:${rule.pattern.source})`).join('|'),
  'gu',
);
const STICKY_RULES = NORMALISE_RULES.map((rule) => ({ rule, sticky: new RegExp(rule.pattern.source, 'uy') }));

const WORD_CHAR = /[\p{L}\p{N}]/u;

class NormalisedBuilder {
  private readonly parts: string[] = [];
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private lastChar = '';

  copy(source: string, from: number, to: number): void {
    if (to <= from) return;
    this.parts.push(source.slice(from, to));
    for (let i = from; i < to; i++) {
      this.starts.push(i);
      this.ends.push(i + 1);
    }
    this.lastChar = source[to - 1] ?? '';
  }

  /** Replacement words for source[from, to); padded with spaces so they never fuse with neighbours. */
  replace(words: string, from: number, to: number, nextChar: string): void {
    let text = words;
    if (text === '') return;
    if (WORD_CHAR.test(this.lastChar) && WORD_CHAR.test(text[0] ?? '')) text = ` ${text}`;
    if (WORD_CHAR.test(nextChar) && WORD_CHAR.test(text[text.length - 1] ?? '')) text = `${text} `;
    this.parts.push(text);
    for (let i = 0; i < text.length; i++) {
      this.starts.push(from);
      this.ends.push(to);
    }
    this.lastChar = text[text.length - 1] ?? '';
  }

  build(): NormalisedText {
    return {
      text: this.parts.join(''),
      sourceStart: Int32Array.from(this.starts),
      sourceEnd: Int32Array.from(this.ends),
    };
  }
}

export function normaliseText(original: string, dialect: Dialect): NormalisedText {
  const source = cleanCharacters(original);
  const context: RuleContext = { source, dialect, britishAnd: dialect === 'en-gb' };
  const builder = new NormalisedBuilder();
  const master = new RegExp(MASTER_PATTERN.source, MASTER_PATTERN.flags);
  let copiedUpTo = 0;
  let match: RegExpExecArray | null;
  while ((match = master.exec(source)) !== null) {
    const at = match.index;
    let consumedTo = -1;
    for (const { rule, sticky } of STICKY_RULES) {
      sticky.lastIndex = at;
      const ruleMatch = sticky.exec(source);
      if (!ruleMatch || ruleMatch[0].length === 0) continue;
      const words = rule.apply(ruleMatch, context);
      if (words === null) continue;
      const end = at + ruleMatch[0].length;
      builder.copy(source, copiedUpTo, at);
      builder.replace(words, at, end, source[end] ?? '');
      copiedUpTo = end;
      consumedTo = end;
      break;
    }
    // No rule accepted this spot: move one unit on (the character is copied later).
    master.lastIndex = consumedTo >= 0 ? consumedTo : at + 1;
  }
  builder.copy(source, copiedUpTo, source.length);
  return builder.build();
}
