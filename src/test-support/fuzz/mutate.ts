/**
 * Mutators for the fuzzer: byte-level (bit flips, interesting values, inserted, deleted,
 * duplicated and spliced chunks, truncation), token-level for text formats, and structural
 * for JSON. Every choice comes from the SeededRandom passed in, so an input is a pure function
 * of its seed.
 */
import type { SeededRandom } from '../../engine/clone/random';

/** No generated input grows past this (the largest seeds are ~1.6 MB). */
export const MAX_INPUT_BYTES = 4 * 1024 * 1024;

const INTERESTING_BYTES = [
  0x00, 0x01, 0x02, 0x0a, 0x10, 0x20, 0x28, 0x2e, 0x40, 0x7e, 0x7f, 0x80, 0x81, 0xfe, 0xff,
];
const INTERESTING_WORDS = [
  0, 1, 2, 3, 4, 7, 8, 16, 32, 64, 100, 127, 128, 255, 256, 510, 512, 1000, 1024, 4096, 0x7fff, 0x8000,
  0xfffe, 0xffff, 0x10000, 130_560, 522_240, 0x100000, 0x1000000, 0x10000000, 0x7fff0000, 0x7ffffffe,
  0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff,
];

export interface MutationContext {
  /** Other valid inputs of the same target, for splicing. */
  seeds: readonly Uint8Array[];
  /** Byte strings that mean something to the parser (magic numbers, opcodes, tags). */
  dictionary: readonly Uint8Array[];
}

const pick = <T>(rng: SeededRandom, items: readonly T[]): T => items[rng.int(items.length)] as T;

/** 1 most of the time, sometimes a few, rarely many: how often to apply something. */
export function geometricCount(rng: SeededRandom, max: number): number {
  let count = 1;
  while (count < max && rng.next() < 0.5) count++;
  return count;
}

/** Where to mutate: headers and trailers (zip directories) hold most of the structure. */
function position(rng: SeededRandom, length: number): number {
  if (length === 0) return 0;
  const r = rng.next();
  const window = Math.min(length, 1024);
  if (r < 0.4) return rng.int(window);
  if (r < 0.7) return length - 1 - rng.int(window);
  return rng.int(length);
}

/** A chunk length: mostly small, sometimes large. */
function chunkLength(rng: SeededRandom, limit: number): number {
  if (limit <= 0) return 0;
  const r = rng.next();
  const n = r < 0.6 ? 1 + rng.int(8) : r < 0.9 ? 1 + rng.int(128) : 1 + rng.int(Math.max(1, limit));
  return Math.min(n, limit);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(Math.min(length, MAX_INPUT_BYTES));
  let at = 0;
  for (const part of parts) {
    if (at >= out.length) break;
    const take = part.subarray(0, out.length - at);
    out.set(take, at);
    at += take.length;
  }
  return out;
}

export function randomBytes(rng: SeededRandom, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i += 4) {
    const word = rng.nextUint32();
    for (let k = 0; k < 4 && i + k < length; k++) out[i + k] = (word >>> (8 * k)) & 0xff;
  }
  return out;
}

/** A length for pure random input: log-uniform up to 64 KB, often small. */
export function randomLength(rng: SeededRandom): number {
  return Math.floor(2 ** (rng.next() * 16)) - 1;
}

/** A value worth writing into a size or offset field: boundaries, or near the input's own length. */
function interestingWord(rng: SeededRandom, length: number, at: number): number {
  const r = rng.next();
  if (r < 0.6) return pick(rng, INTERESTING_WORDS);
  if (r < 0.8) return Math.max(0, length + rng.int(9) - 4) >>> 0; // length-ish
  if (r < 0.9) return Math.max(0, at + rng.int(65) - 32) >>> 0; // offset-ish
  return rng.nextUint32();
}

type ByteMutator = (rng: SeededRandom, data: Uint8Array, context: MutationContext) => Uint8Array;

const flipBit: ByteMutator = (rng, data) => {
  if (data.length === 0) return data;
  const out = data.slice();
  const at = position(rng, data.length);
  out[at] = (out[at] as number) ^ (1 << rng.int(8));
  return out;
};

const setByte: ByteMutator = (rng, data) => {
  if (data.length === 0) return data;
  const out = data.slice();
  out[position(rng, data.length)] = rng.next() < 0.7 ? pick(rng, INTERESTING_BYTES) : rng.int(256);
  return out;
};

const setWord: ByteMutator = (rng, data) => {
  const width = pick(rng, [2, 4, 8]);
  if (data.length < width) return data;
  const out = data.slice();
  const at = Math.min(position(rng, data.length), data.length - width);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const littleEndian = rng.next() < 0.8;
  const value = interestingWord(rng, data.length, at);
  if (width === 2) view.setUint16(at, value & 0xffff, littleEndian);
  else if (width === 4) view.setUint32(at, value, littleEndian);
  else
    view.setBigUint64(
      at,
      rng.next() < 0.5 ? BigInt(value) : BigInt.asUintN(64, -BigInt(value)),
      littleEndian,
    );
  return out;
};

const arithmetic: ByteMutator = (rng, data) => {
  const width = pick(rng, [1, 2, 4]);
  if (data.length < width) return data;
  const out = data.slice();
  const at = Math.min(position(rng, data.length), data.length - width);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const delta = (1 + rng.int(35)) * (rng.next() < 0.5 ? -1 : 1);
  if (width === 1) view.setUint8(at, (view.getUint8(at) + delta) & 0xff);
  else if (width === 2) view.setUint16(at, (view.getUint16(at, true) + delta) & 0xffff, true);
  else view.setUint32(at, (view.getUint32(at, true) + delta) >>> 0, true);
  return out;
};

const insertRandom: ByteMutator = (rng, data) => {
  const at = position(rng, data.length + 1);
  return concat(data.subarray(0, at), randomBytes(rng, chunkLength(rng, 4096)), data.subarray(at));
};

const deleteChunk: ByteMutator = (rng, data) => {
  if (data.length === 0) return data;
  const at = position(rng, data.length);
  const length = chunkLength(rng, data.length - at);
  return concat(data.subarray(0, at), data.subarray(at + length));
};

/** Copies a chunk elsewhere, sometimes many times over (deep nesting, long runs of one opcode). */
const duplicateChunk: ByteMutator = (rng, data) => {
  if (data.length === 0) return data;
  const from = position(rng, data.length);
  const chunk = data.subarray(from, from + chunkLength(rng, Math.min(256, data.length - from)));
  const times = rng.next() < 0.8 ? 1 : Math.min(1 + rng.int(20_000), Math.floor(1_000_000 / chunk.length));
  const repeated = new Uint8Array(chunk.length * times);
  for (let i = 0; i < times; i++) repeated.set(chunk, i * chunk.length);
  const at = rng.next() < 0.5 ? from + chunk.length : position(rng, data.length + 1);
  return concat(data.subarray(0, at), repeated, data.subarray(at));
};

const overwriteChunk: ByteMutator = (rng, data) => {
  if (data.length < 2) return data;
  const from = position(rng, data.length);
  const to = position(rng, data.length);
  const length = Math.min(chunkLength(rng, 256), data.length - from, data.length - to);
  const out = data.slice();
  out.set(data.subarray(from, from + length), to);
  return out;
};

const truncate: ByteMutator = (rng, data) => data.subarray(0, position(rng, data.length));

/** The start of this input and the rest of another seed. */
const splice: ByteMutator = (rng, data, context) => {
  if (context.seeds.length === 0) return data;
  const other = pick(rng, context.seeds);
  return concat(data.subarray(0, position(rng, data.length)), other.subarray(position(rng, other.length)));
};

const insertSeedChunk: ByteMutator = (rng, data, context) => {
  if (context.seeds.length === 0) return data;
  const other = pick(rng, context.seeds);
  const from = position(rng, other.length);
  const chunk = other.subarray(from, from + chunkLength(rng, 1024));
  const at = position(rng, data.length + 1);
  return concat(data.subarray(0, at), chunk, data.subarray(at));
};

const dictionaryWord: ByteMutator = (rng, data, context) => {
  if (context.dictionary.length === 0) return data;
  const word = pick(rng, context.dictionary);
  const at = position(rng, data.length + 1);
  if (rng.next() < 0.5) return concat(data.subarray(0, at), word, data.subarray(at));
  const out = data.slice();
  out.set(word.subarray(0, Math.max(0, data.length - at)), Math.min(at, data.length));
  return out;
};

const BYTE_MUTATORS: readonly ByteMutator[] = [
  flipBit,
  flipBit,
  setByte,
  setByte,
  setWord,
  setWord,
  arithmetic,
  insertRandom,
  deleteChunk,
  duplicateChunk,
  overwriteChunk,
  truncate,
  splice,
  insertSeedChunk,
  dictionaryWord,
  dictionaryWord,
];

/** One to a dozen stacked byte mutations. */
export function mutateBytes(rng: SeededRandom, data: Uint8Array, context: MutationContext): Uint8Array {
  let out = data;
  const rounds = geometricCount(rng, 12);
  for (let i = 0; i < rounds; i++) out = pick(rng, BYTE_MUTATORS)(rng, out, context);
  return out.length > MAX_INPUT_BYTES ? out.slice(0, MAX_INPUT_BYTES) : out;
}

// ---------------------------------------------------------------------------------------------
// Text

const TOKEN =
  /"(?:[^"\\]|\\.)*"?|'(?:[^'\\]|\\.)*'?|-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|[A-Za-z_][A-Za-z0-9_]*|\s+|[^]/gu;

export function tokenize(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

const INTERESTING_NUMBERS = [
  '0',
  '-0',
  '1',
  '-1',
  '0.5',
  '1e308',
  '1e309',
  '-1e308',
  '1.7976931348623157e308',
  '5e-324',
  '1e-400',
  '2e-7',
  '9007199254740993',
  '4294967296',
  '2147483648',
  '999999999999999999999999',
  '1e',
  '.',
  '00',
  '0x10',
  'NaN',
  'Infinity',
];

const ODD_TEXT = [
  '\u0000',
  '\uffff',
  '\ud800',
  '\u2028',
  '\ufeff',
  'é',
  '\u0301',
  '😀',
  '\\',
  '\\u0000',
  '\n',
  '\t',
];

type TextMutator = (rng: SeededRandom, tokens: string[], dictionary: readonly string[]) => string[];

const tokenAt = (rng: SeededRandom, tokens: string[]): number => rng.int(tokens.length + 1);

const TEXT_MUTATORS: readonly TextMutator[] = [
  (rng, tokens) => (tokens.length === 0 ? tokens : tokens.toSpliced(rng.int(tokens.length), 1)),
  (rng, tokens) => {
    if (tokens.length === 0) return tokens;
    const at = rng.int(tokens.length);
    return tokens.toSpliced(at, 0, tokens[at] as string);
  },
  (rng, tokens) => {
    if (tokens.length < 2) return tokens;
    const out = [...tokens];
    const a = rng.int(out.length);
    const b = rng.int(out.length);
    [out[a], out[b]] = [out[b] as string, out[a] as string];
    return out;
  },
  (rng, tokens, dictionary) => tokens.toSpliced(tokenAt(rng, tokens), 0, pick(rng, dictionary)),
  (rng, tokens, dictionary) =>
    tokens.length === 0 ? tokens : tokens.toSpliced(rng.int(tokens.length), 1, pick(rng, dictionary)),
  (rng, tokens) => {
    const numbers = tokens.flatMap((token, i) => (/^-?[\d.]/.test(token) ? [i] : []));
    const at = numbers.length > 0 ? pick(rng, numbers) : tokenAt(rng, tokens);
    return tokens.toSpliced(at, numbers.length > 0 ? 1 : 0, pick(rng, INTERESTING_NUMBERS));
  },
  (rng, tokens) => tokens.toSpliced(tokenAt(rng, tokens), 0, pick(rng, ODD_TEXT)),
  // A run of one token: deep nesting ('((((...') or a very long operand chain.
  (rng, tokens, dictionary) => {
    const word = tokens.length > 0 && rng.next() < 0.5 ? pick(rng, tokens) : pick(rng, dictionary);
    const times = Math.min(
      1 + rng.int(rng.next() < 0.5 ? 100 : 50_000),
      Math.floor(1_000_000 / Math.max(1, word.length)),
    );
    return tokens.toSpliced(tokenAt(rng, tokens), 0, word.repeat(times));
  },
  // Wrap a range of tokens in n brackets.
  (rng, tokens) => {
    const [open, close] = pick(rng, [
      ['(', ')'],
      ['[', ']'],
      ['{"a":', '}'],
      ['timbre(', ')'],
      ['-(', ')'],
    ] as const);
    const times = 1 + rng.int(rng.next() < 0.5 ? 10 : 20_000);
    const from = rng.int(tokens.length + 1);
    const to = from + rng.int(tokens.length - from + 1);
    return [
      ...tokens.slice(0, from),
      open.repeat(times),
      ...tokens.slice(from, to),
      close.repeat(times),
      ...tokens.slice(to),
    ];
  },
  // A long string or name.
  (rng, tokens) => tokens.toSpliced(tokenAt(rng, tokens), 0, 'a'.repeat(1 + rng.int(100_000))),
  // A run of tokens repeated with numbered names (`a0 + a1 + a2 ...`): many distinct items.
  (rng, tokens) => {
    if (tokens.length === 0) return tokens;
    const from = rng.int(tokens.length);
    const to = Math.min(tokens.length, from + 1 + rng.int(8));
    const unit = tokens.slice(from, to);
    const times = 1 + rng.int(rng.next() < 0.5 ? 50 : 10_000);
    const copies: string[] = [];
    let length = 0;
    for (let i = 0; i < times && length < 1_000_000; i++) {
      for (const token of unit) {
        const numbered = /^[A-Za-z_]/.test(token)
          ? `${token}${i}`
          : /^["'].+["']$/.test(token)
            ? `${token.slice(0, -1)}${i}${token.slice(-1)}`
            : token;
        copies.push(numbered);
        length += numbered.length;
      }
    }
    return [...tokens.slice(0, to), ...copies, ...tokens.slice(to)];
  },
];

export function mutateTokens(rng: SeededRandom, text: string, dictionary: readonly string[]): string {
  let tokens = tokenize(text);
  const rounds = geometricCount(rng, 8);
  for (let i = 0; i < rounds; i++) tokens = pick(rng, TEXT_MUTATORS)(rng, tokens, dictionary);
  return tokens.join('');
}

/** A soup of dictionary tokens and random characters. */
export function randomText(rng: SeededRandom, dictionary: readonly string[]): string {
  const parts: string[] = [];
  const count = rng.int(64);
  for (let i = 0; i < count; i++) {
    const r = rng.next();
    if (r < 0.6) parts.push(pick(rng, dictionary));
    else if (r < 0.8) parts.push(String.fromCharCode(32 + rng.int(95)));
    else if (r < 0.9) parts.push(pick(rng, INTERESTING_NUMBERS));
    else parts.push(pick(rng, ODD_TEXT));
  }
  return parts.join('');
}

// ---------------------------------------------------------------------------------------------
// JSON structure

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A string randomJson puts where mutateJson writes `[[[...]]]` into the text. */
const DEEP_MARK = '\u0001deep:';
const DEEP_IN_TEXT = /"\\u0001deep:(\d+)"/g;

function randomJson(rng: SeededRandom, keys: readonly string[], depth = 0): Json {
  const r = rng.int(14);
  switch (r) {
    case 0:
      return null;
    case 1:
      return rng.next() < 0.5;
    case 2:
      return Number(
        pick(
          rng,
          INTERESTING_NUMBERS.filter((n) => Number.isFinite(Number(n))),
        ),
      );
    case 3:
      return rng.uniform(-1e6, 1e6);
    case 4:
      return '';
    case 5:
      return pick(rng, keys);
    case 6:
      return 'x'.repeat(rng.int(100_000));
    case 7:
      return pick(rng, ODD_TEXT);
    case 8:
      return [];
    case 9:
      return {};
    case 10:
      // Deeply nested arrays, written in after JSON.stringify (which cannot nest that deep).
      return `${DEEP_MARK}${1 + rng.int(rng.next() < 0.5 ? 20 : 100_000)}`;
    case 11:
      return Array.from({ length: rng.int(depth === 0 && rng.next() < 0.1 ? 5_000 : 5) }, () =>
        depth < 3 ? randomJson(rng, keys, depth + 1) : 0,
      );
    default: {
      const out: { [key: string]: Json } = {};
      const count = rng.int(5);
      for (let i = 0; i < count; i++)
        out[pick(rng, keys)] = depth < 3 ? randomJson(rng, keys, depth + 1) : null;
      return out;
    }
  }
}

interface Slot {
  get(): Json;
  set(value: Json): void;
  remove(): void;
  parent: Json[] | { [key: string]: Json };
}

function collectSlots(root: Json, limit = 2_000): Slot[] {
  const slots: Slot[] = [];
  const stack: Json[] = [root];
  while (stack.length > 0 && slots.length < limit) {
    const node = stack.pop() as Json;
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const index = i;
        slots.push({
          parent: node,
          get: () => node[index] as Json,
          set: (value) => void (node[index] = value),
          remove: () => void node.splice(index, 1),
        });
        stack.push(node[i] as Json);
      }
    } else if (typeof node === 'object' && node !== null) {
      for (const key of Object.keys(node)) {
        slots.push({
          parent: node,
          get: () => node[key] as Json,
          set: (value) => void (node[key] = value),
          remove: () => void delete node[key],
        });
        stack.push(node[key] as Json);
      }
    }
  }
  return slots;
}

/**
 * Parses the JSON, changes a few values (replace, delete, duplicate, add or rename a key) and
 * writes it back, so the result gets past JSON.parse and reaches the validator.
 */
export function mutateJson(rng: SeededRandom, text: string, keys: readonly string[]): string {
  let root: Json;
  try {
    root = JSON.parse(text) as Json;
  } catch {
    return text;
  }
  const rounds = geometricCount(rng, 6);
  for (let round = 0; round < rounds; round++) {
    const slots = collectSlots(root);
    if (slots.length === 0) {
      root = randomJson(rng, keys);
      continue;
    }
    const slot = pick(rng, slots);
    switch (rng.int(6)) {
      case 0:
      case 1:
        slot.set(randomJson(rng, keys));
        break;
      case 2:
        slot.remove();
        break;
      case 3:
        // Another node of the same document (shared, not copied: stringify writes it twice).
        slot.set(pick(rng, slots).get());
        break;
      case 4:
        if (Array.isArray(slot.parent)) slot.parent.push(slot.get());
        else slot.parent[pick(rng, keys)] = randomJson(rng, keys);
        break;
      default: {
        const value = slot.get();
        if (typeof value === 'number') slot.set(-value * (rng.next() < 0.5 ? 1 : 1e300));
        else if (typeof value === 'string') slot.set(mutateTokens(rng, value, keys));
        else slot.set(randomJson(rng, keys));
      }
    }
  }
  try {
    const out = rng.next() < 0.5 ? JSON.stringify(root) : JSON.stringify(root, null, 2);
    return out.replace(
      DEEP_IN_TEXT,
      (_, depth: string) => '['.repeat(Number(depth)) + ']'.repeat(Number(depth)),
    );
  } catch {
    return text; // (nested too deeply for JSON.stringify)
  }
}
