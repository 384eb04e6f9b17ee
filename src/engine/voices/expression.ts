/**
 * The voice expression language: a linear combination of voice packs, written as text and
 * kept in sync with a list of slider rows (Term[]).
 *
 * Syntax (whitespace is free):
 *   expr     := product (('+' | '-') product)*
 *   product  := unary (('*' | '/') unary)*
 *   unary    := ('-' | '+') unary | primary
 *   primary  := NUMBER | VOICE | SELECTOR '(' expr ')' | '(' expr ')'
 *   NUMBER   := 12 | 0.5 | .5 | 1e-3
 *   VOICE    := [A-Za-z_][A-Za-z0-9_]*  |  "any name"  (double or single quotes; \" and \\ escape)
 *   SELECTOR := timbre | prosody
 *
 * `timbre(x)` applies x only to the first 128 values of every style row (the decoder half),
 * `prosody(x)` only to the last 128 (the prosody-predictor half); a selector may wrap a
 * whole sub-expression, `timbre(0.5*a + 0.5*b)`. A name followed by '(' is always a
 * selector, so a voice literally called "timbre" must be quoted.
 *
 * The result must be linear in the voices: numbers may scale voices and be combined with
 * each other (`(1+1)/4*a`), but voice*voice, number/voice and number±voice are errors.
 * Equal (voice, part) pairs are merged, in order of first appearance; terms whose
 * coefficient cancels to 0 are kept, so a slider row at 0 survives a round trip.
 */
import type { VoicePart } from './pack';
import { nearestName } from './suggest';

export interface Term {
  voice: string;
  coefficient: number;
  part: VoicePart;
}

/** A parse or validation error; `offset` is the 0-based character index in the text. */
export class ExpressionError extends Error {
  override name = 'ExpressionError';
  constructor(
    message: string,
    readonly offset: number,
    readonly length = 1,
    readonly suggestion?: string,
  ) {
    super(message);
  }
}

export interface ParseOptions {
  /** When given, every voice must be one of these; unknown names fail with a suggestion. */
  voices?: Iterable<string>;
}

const SELECTORS = ['timbre', 'prosody'] as const;
type Selector = (typeof SELECTORS)[number];
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Signs, parentheses and selectors nested deeper than this are refused (no one writes 100). */
const MAX_NESTING = 256;
/** Significant digits kept when formatting a coefficient: compact, and idempotent on re-parse. */
const COEFFICIENT_PRECISION = 6;

type TokenKind = 'number' | 'name' | 'quoted' | '+' | '-' | '*' | '/' | '(' | ')' | 'end';
interface Token {
  kind: TokenKind;
  text: string;
  offset: number;
  value: number | string;
}

function describeToken(token: Token): string {
  if (token.kind === 'end') return 'end of expression';
  return `'${token.text}'`;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const start = i;
    if ('+-*/()'.includes(ch)) {
      tokens.push({ kind: ch as TokenKind, text: ch, offset: start, value: ch });
      i++;
    } else if (/[0-9.]/.test(ch)) {
      const match = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(text.slice(i));
      if (!match) throw new ExpressionError(`unexpected '${ch}' at ${start}`, start);
      const value = Number(match[0]);
      if (!Number.isFinite(value))
        throw new ExpressionError(`number out of range at ${start}`, start, match[0].length);
      tokens.push({ kind: 'number', text: match[0], offset: start, value });
      i += match[0].length;
    } else if (/[A-Za-z_]/.test(ch)) {
      const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i)) as RegExpExecArray;
      tokens.push({ kind: 'name', text: match[0], offset: start, value: match[0] });
      i += match[0].length;
    } else if (ch === '"' || ch === "'") {
      let name = '';
      i++;
      while (i < text.length && text[i] !== ch) {
        if (text[i] === '\\' && i + 1 < text.length) i++;
        name += text[i];
        i++;
      }
      if (i >= text.length)
        throw new ExpressionError(`unterminated quoted voice name at ${start}`, start, i - start);
      i++;
      if (name.trim() === '') throw new ExpressionError(`empty voice name at ${start}`, start, i - start);
      tokens.push({ kind: 'quoted', text: text.slice(start, i), offset: start, value: name });
    } else {
      throw new ExpressionError(`unexpected '${ch}' at ${start}`, start);
    }
  }
  tokens.push({ kind: 'end', text: '', offset: text.length, value: '' });
  return tokens;
}

type Value = { kind: 'scalar'; value: number } | { kind: 'linear'; terms: Term[] };

function scaleTerms(terms: Term[], factor: number): Term[] {
  return terms.map((term) => ({ ...term, coefficient: term.coefficient * factor }));
}

/** Sums terms with the same voice and part, keeping first-appearance order. */
export function mergeTerms(terms: readonly Term[]): Term[] {
  const merged: Term[] = [];
  const byKey = new Map<string, Term>(); // (not merged.find: a long sum of distinct voices would be quadratic)
  for (const term of terms) {
    const key = `${term.part}:${term.voice}`;
    const same = byKey.get(key);
    if (same) same.coefficient += term.coefficient;
    else {
      const copy = { ...term };
      byKey.set(key, copy);
      merged.push(copy);
    }
  }
  return merged;
}

class Parser {
  private index = 0;
  private depth = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly known: ReadonlySet<string> | undefined,
    private readonly textLength: number,
  ) {}

  private get current(): Token {
    return this.tokens[this.index] as Token;
  }

  private unexpected(token: Token, expected?: string): ExpressionError {
    const hint = expected ? `; expected ${expected}` : '';
    return new ExpressionError(
      `unexpected ${describeToken(token)} at ${token.offset}${hint}`,
      token.offset,
      Math.max(1, token.text.length),
    );
  }

  parseAll(): Term[] {
    if (this.current.kind === 'end') throw new ExpressionError('empty expression at 0', 0);
    const result = this.expr();
    const after = this.current;
    if (after.kind !== 'end') {
      const startsOperand =
        after.kind === 'number' || after.kind === 'name' || after.kind === 'quoted' || after.kind === '(';
      throw this.unexpected(after, startsOperand ? "an operator ('+', '-', '*' or '/')" : undefined);
    }
    if (result.kind === 'scalar') throw new ExpressionError('expression names no voice', 0, this.textLength);
    // Finite numbers can still multiply or divide past float range (`af_sky/5e-324`).
    const overflow = result.terms.find((term) => !Number.isFinite(term.coefficient));
    if (overflow) {
      throw new ExpressionError(
        `the coefficient of ${formatVoiceName(overflow.voice)} is out of range (${overflow.coefficient})`,
        0,
        this.textLength,
      );
    }
    return result.terms;
  }

  private expr(): Value {
    const left = this.product();
    // A sum's terms are collected and merged once at the end (merging after every operand
    // made a long sum of distinct voices cubic); the result is the same.
    let scalar = left.kind === 'scalar' ? left.value : 0;
    const terms = left.kind === 'linear' ? [...left.terms] : [];
    while (this.current.kind === '+' || this.current.kind === '-') {
      const op = this.current;
      this.index++;
      const right = this.product();
      const sign = op.kind === '-' ? -1 : 1;
      if (left.kind === 'scalar' && right.kind === 'scalar') scalar += sign * right.value;
      else if (left.kind === 'linear' && right.kind === 'linear') {
        for (const term of right.terms) terms.push({ ...term, coefficient: term.coefficient * sign });
      } else {
        throw new ExpressionError(
          `cannot ${sign > 0 ? 'add' : 'subtract'} a number and a voice at ${op.offset}`,
          op.offset,
        );
      }
    }
    return left.kind === 'scalar'
      ? { kind: 'scalar', value: scalar }
      : { kind: 'linear', terms: mergeTerms(terms) };
  }

  private product(): Value {
    let left = this.unary();
    // The factors of a chain like `(a + b)*2/3*...` are applied once at the end, in order, so a
    // long chain does not copy every term at every step (the coefficients are bit-for-bit the same).
    const factors: number[] = [];
    while (this.current.kind === '*' || this.current.kind === '/') {
      const op = this.current;
      this.index++;
      const right = this.unary();
      if (left.kind === 'linear' && right.kind === 'scalar' && (op.kind === '*' || right.value !== 0)) {
        factors.push(op.kind === '*' ? right.value : 1 / right.value);
        continue;
      }
      left = op.kind === '*' ? this.multiply(left, right, op) : this.divide(left, right, op);
    }
    if (factors.length === 0 || left.kind === 'scalar') return left;
    const terms = left.terms.map((term) => {
      let coefficient = term.coefficient;
      for (const factor of factors) coefficient *= factor;
      return { ...term, coefficient };
    });
    return { kind: 'linear', terms };
  }

  private multiply(left: Value, right: Value, op: Token): Value {
    if (left.kind === 'scalar' && right.kind === 'scalar')
      return { kind: 'scalar', value: left.value * right.value };
    if (left.kind === 'linear' && right.kind === 'scalar')
      return { kind: 'linear', terms: scaleTerms(left.terms, right.value) };
    if (left.kind === 'scalar' && right.kind === 'linear')
      return { kind: 'linear', terms: scaleTerms(right.terms, left.value) };
    throw new ExpressionError(`not linear: cannot multiply a voice by a voice at ${op.offset}`, op.offset);
  }

  private divide(left: Value, right: Value, op: Token): Value {
    if (right.kind === 'linear')
      throw new ExpressionError(`not linear: cannot divide by a voice at ${op.offset}`, op.offset);
    if (right.value === 0) throw new ExpressionError(`division by zero at ${op.offset}`, op.offset);
    if (left.kind === 'scalar') return { kind: 'scalar', value: left.value / right.value };
    return { kind: 'linear', terms: scaleTerms(left.terms, 1 / right.value) };
  }

  private unary(): Value {
    const token = this.current;
    // Every level of nesting (signs, parentheses, selectors) passes here: refuse before the
    // recursion would overflow the stack.
    if (++this.depth > MAX_NESTING) {
      throw new ExpressionError(
        `nested too deeply at ${token.offset} (more than ${MAX_NESTING} levels)`,
        token.offset,
      );
    }
    try {
      if (token.kind === '-' || token.kind === '+') {
        this.index++;
        const operand = this.unary();
        if (token.kind === '+') return operand;
        return operand.kind === 'scalar'
          ? { kind: 'scalar', value: -operand.value }
          : { kind: 'linear', terms: scaleTerms(operand.terms, -1) };
      }
      return this.primary();
    } finally {
      this.depth--;
    }
  }

  private primary(): Value {
    const token = this.current;
    switch (token.kind) {
      case 'number':
        this.index++;
        return { kind: 'scalar', value: token.value as number };
      case '(': {
        this.index++;
        const inner = this.expr();
        this.expectClose(token);
        return inner;
      }
      case 'quoted':
        this.index++;
        return this.voice(token);
      case 'name': {
        const next = this.tokens[this.index + 1] as Token;
        if (next.kind === '(') return this.selector(token, next);
        this.index++;
        return this.voice(token);
      }
      default:
        throw this.unexpected(token, 'a voice, a number or (');
    }
  }

  private expectClose(open: Token): void {
    if (this.current.kind !== ')') {
      if (this.current.kind === 'end') {
        throw new ExpressionError(`missing ')' for '(' at ${open.offset}`, open.offset);
      }
      throw this.unexpected(this.current, "')'");
    }
    this.index++;
  }

  private selector(nameToken: Token, open: Token): Value {
    const name = nameToken.text;
    if (!(SELECTORS as readonly string[]).includes(name)) {
      const suggestion = nearestName(name, SELECTORS);
      const hint = suggestion ? ` — did you mean ${suggestion}?` : ` (selectors: ${SELECTORS.join(', ')})`;
      throw new ExpressionError(
        `unknown selector '${name}' at ${nameToken.offset}${hint}`,
        nameToken.offset,
        name.length,
        suggestion,
      );
    }
    this.index += 2;
    const inner = this.expr();
    this.expectClose(open);
    if (inner.kind === 'scalar') {
      throw new ExpressionError(
        `${name}(...) needs a voice, not a number, at ${nameToken.offset}`,
        nameToken.offset,
        name.length,
      );
    }
    const part = name as Selector;
    const conflicting = inner.terms.find((term) => term.part !== 'both' && term.part !== part);
    if (conflicting) {
      throw new ExpressionError(
        `${conflicting.part}(${conflicting.voice}) inside ${part}(...) at ${nameToken.offset}`,
        nameToken.offset,
        name.length,
      );
    }
    return { kind: 'linear', terms: mergeTerms(inner.terms.map((term) => ({ ...term, part }))) };
  }

  private voice(token: Token): Value {
    const name = token.value as string;
    if (this.known && !this.known.has(name)) {
      const suggestion = nearestName(name, this.known);
      const hint = suggestion ? ` — did you mean ${suggestion}?` : '';
      throw new ExpressionError(
        `unknown voice '${name}' at ${token.offset}${hint}`,
        token.offset,
        token.text.length,
        suggestion,
      );
    }
    return { kind: 'linear', terms: [{ voice: name, coefficient: 1, part: 'both' }] };
  }
}

/** Parses `text` into merged terms; throws ExpressionError with the offending offset. */
export function parseExpression(text: string, options: ParseOptions = {}): Term[] {
  const known = options.voices ? new Set(options.voices) : undefined;
  return new Parser(tokenize(text), known, text.length).parseAll();
}

/** A coefficient as short text: 6 significant digits, no trailing zeros (0.5, 1.25, 0.333333). */
export function formatCoefficient(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`formatCoefficient: non-finite coefficient ${value}`);
  const rounded = Number(value.toPrecision(COEFFICIENT_PRECISION));
  return String(rounded === 0 ? 0 : rounded);
}

/** A voice name as it must be written: bare if it is an identifier and not a selector. */
export function formatVoiceName(name: string): string {
  if (IDENTIFIER.test(name) && !(SELECTORS as readonly string[]).includes(name)) return name;
  return `"${name.replace(/[\\"]/g, (ch) => `\\${ch}`)}"`;
}

/** Terms as expression text, e.g. `af_bella - 0.5*af_sky + timbre(am_adam)`; [] gives ''. */
export function formatTerms(terms: readonly Term[]): string {
  let text = '';
  terms.forEach((term, index) => {
    const name = formatVoiceName(term.voice);
    const operand = term.part === 'both' ? name : `${term.part}(${name})`;
    const magnitude = formatCoefficient(Math.abs(term.coefficient));
    const body = magnitude === '1' ? operand : `${magnitude}*${operand}`;
    const negative = term.coefficient < 0 && magnitude !== '0';
    if (index === 0) text = negative ? `-${body}` : body;
    else text += negative ? ` - ${body}` : ` + ${body}`;
  });
  return text;
}
