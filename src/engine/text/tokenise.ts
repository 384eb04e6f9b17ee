/**
 * Splits normalised text into words, punctuation Kokoro has tokens for, whitespace, silent
 * symbols and "other" (emoji, non-Latin scripts: nothing the English frontend can say).
 * Every token carries the span of the ORIGINAL text it stands for.
 */
import type { NormalisedText } from './normalise';

export type TokenKind = 'word' | 'punct' | 'space' | 'silent' | 'other';

export interface TextToken {
  kind: TokenKind;
  /** Normalised text of the token. For `punct`, the vocab symbol. */
  text: string;
  /** Source span in the original text. */
  start: number;
  end: number;
  /** For `space`: how many line breaks it holds (2+ = paragraph break). */
  lineBreaks: number;
}

/** Punctuation with a Kokoro token of its own; brackets are read as parentheses. */
const PUNCT_SYMBOLS: Record<string, string> = {
  ';': ';',
  ':': ':',
  ',': ',',
  '.': '.',
  '!': '!',
  '?': '?',
  '—': '—',
  '…': '…',
  '"': '"',
  '(': '(',
  ')': ')',
  '“': '“',
  '”': '”',
  '[': '(',
  ']': ')',
  '{': '(',
  '}': ')',
};

const LATIN = '[\\p{Script=Latin}\\p{M}]';
const TOKEN_PATTERN = new RegExp(
  [
    '(\\s+)',
    `('?${LATIN}+(?:['-]${LATIN}+)*'?)`,
    `([;:,.!?—…"()“”\\[\\]{}])`,
    // ASCII and general punctuation or currency signs left over: silent, but they separate words.
    "([\\p{P}\\p{Sc}\\p{Sk}<>|~^=+*_`'\\\\/-])",
    // Anything else (emoji with their joiners and selectors, CJK, Cyrillic, ...): unspeakable.
    '((?:[^\\s]\\p{M}*(?:\\u200d|\\ufe0f)?)+?)',
  ].join('|'),
  'gu',
);

export function tokenise(normalised: NormalisedText): TextToken[] {
  const { text, sourceStart, sourceEnd } = normalised;
  const tokens: TextToken[] = [];
  let quoteOpen = false;
  const spanOf = (from: number, to: number): [number, number] => {
    let start = Number.POSITIVE_INFINITY;
    let end = 0;
    for (let i = from; i < to; i++) {
      start = Math.min(start, sourceStart[i] ?? 0);
      end = Math.max(end, sourceEnd[i] ?? 0);
    }
    return [start, end];
  };
  TOKEN_PATTERN.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = TOKEN_PATTERN.exec(text)) !== null) {
    const value = match[0];
    const [start, end] = spanOf(match.index, match.index + value.length);
    let kind: TokenKind;
    let tokenText = value;
    let lineBreaks = 0;
    if (match[1] !== undefined) {
      kind = 'space';
      lineBreaks = (value.match(/\n/g) ?? []).length;
    } else if (match[2] !== undefined) kind = 'word';
    else if (match[3] !== undefined) {
      kind = 'punct';
      tokenText = PUNCT_SYMBOLS[value] ?? value;
      // Straight double quotes become opening and closing curly ones in turn, as misaki (the
      // official pipeline's G2P) writes them: Kokoro has tokens for “ and ”.
      if (tokenText === '"') tokenText = quoteOpen ? '”' : '“';
      if (tokenText === '“') quoteOpen = true;
      else if (tokenText === '”') quoteOpen = false;
    } else if (match[4] !== undefined) kind = 'silent';
    else kind = 'other';
    const previous = tokens[tokens.length - 1];
    if (kind === 'other' && previous?.kind === 'other' && previous.end === start) {
      // One unspeakable run ("你好", a family emoji) is one entry.
      previous.text += tokenText;
      previous.end = end;
      continue;
    }
    tokens.push({ kind, text: tokenText, start, end, lineBreaks });
  }
  return tokens;
}
