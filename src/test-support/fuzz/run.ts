/**
 * The fuzzer's core: input i of a target is a pure function of (seed, target, i), so any input
 * can be regenerated from its number; one input runs and is classified as accepted, a clean
 * rejection (an error of the parser's own kind), or a crash (anything else, including an
 * accepted result that breaks the target's invariants).
 */
import { SeededRandom } from '../../engine/clone/random';
import {
  MAX_INPUT_BYTES,
  mutateBytes,
  mutateJson,
  mutateTokens,
  randomBytes,
  randomLength,
  randomText,
  type MutationContext,
} from './mutate';
import type { FuzzTarget } from './targets';
import { readZip, writeZip } from '../../engine/voices/formats/zip';
import { refixZip, writeDeflatedZip, type ZipFile } from './zip-tools';

/** An input that runs longer than this is a hang. */
export const HANG_MS = 2_000;
export const DEFAULT_SEED = 12;

export interface FuzzInput {
  bytes: Uint8Array;
  /** Options for the run (file name, decode options...): see FuzzTarget.run. */
  variant: number;
  /** How the input was made, for the report. */
  how: string;
}

export type Outcome =
  | { kind: 'accepted' }
  | { kind: 'rejected' }
  | { kind: 'crash'; error: string; stack: string; signature: string };

export interface RunResult {
  outcome: Outcome;
  ms: number;
}

function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** The PRNG seed of input `index`: splitmix-style mixing, so neighbouring inputs are unrelated. */
export function inputSeed(seed: number, target: string, index: number): number {
  let z = (hashString(target) ^ Math.imul(seed >>> 0, 0x9e3779b9) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x7feb352d) >>> 0;
  z = Math.imul(z ^ (z >>> 15), 0x846ca68b) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

interface Prepared {
  seeds: Uint8Array[];
  context: MutationContext;
  /** Each zip seed's files, for entry-level mutation. */
  zipFiles: Map<Uint8Array, ZipFile[] | null>;
}

const prepared = new WeakMap<FuzzTarget, Prepared>();

const latin1 = (word: string): Uint8Array => Uint8Array.from(word, (c) => c.charCodeAt(0) & 0xff);
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const isZip = (bytes: Uint8Array): boolean => bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 3;

function prepare(target: FuzzTarget): Prepared {
  let ready = prepared.get(target);
  if (!ready) {
    const seeds = target.seeds();
    const dictionary = target.dictionary.map(target.text ? utf8 : latin1);
    ready = { seeds, context: { seeds, dictionary }, zipFiles: new Map() };
    prepared.set(target, ready);
  }
  return ready;
}

function zipFilesOf(ready: Prepared, seed: Uint8Array): ZipFile[] | null {
  let files = ready.zipFiles.get(seed);
  if (files === undefined) {
    try {
      files = readZip('seed', seed).map((entry) => ({ name: entry.name, data: entry.read() }));
    } catch {
      files = null;
    }
    ready.zipFiles.set(seed, files);
  }
  return files;
}

/** Mutates one file inside a zip seed (or the list of files) and writes a well-formed zip again. */
function mutateZipEntries(rng: SeededRandom, files: ZipFile[], context: MutationContext): Uint8Array {
  const out = files.map((file) => ({ ...file }));
  const r = rng.next();
  if (r < 0.75 && out.length > 0) {
    const file = out[rng.int(out.length)] as ZipFile;
    // Pickles, headers and small records mutate whole; big storages only near their ends.
    file.data = mutateBytes(rng, file.data, context);
  } else if (r < 0.85 && out.length > 0) {
    out.splice(rng.int(out.length), 1);
  } else if (r < 0.95 && out.length > 0) {
    out.push({ ...(out[rng.int(out.length)] as ZipFile) });
  } else if (out.length > 0) {
    const file = out[rng.int(out.length)] as ZipFile;
    file.name = rng.next() < 0.5 ? `${file.name}/data.pkl` : file.name.replace(/[^/]*$/, 'data.pkl');
  }
  const layout = rng.int(3);
  if (layout === 2) return writeDeflatedZip(out);
  return writeZip(out, layout === 0 ? 'torch' : 'plain');
}

/** Input `index` of `target` for `seed`. */
export function generateInput(target: FuzzTarget, seed: number, index: number): FuzzInput {
  const rng = new SeededRandom(inputSeed(seed, target.name, index));
  const variant = rng.nextUint32();
  const ready = prepare(target);
  const { seeds, context } = ready;
  const r = rng.next();
  if (r < 0.08 || seeds.length === 0)
    return { bytes: randomBytes(rng, randomLength(rng)), variant, how: 'random bytes' };
  const base = seeds[rng.int(seeds.length)] as Uint8Array;
  if (r < 0.12) {
    // A valid start, then noise.
    const keep = rng.int(Math.min(base.length, 4096) + 1);
    const tail = randomBytes(rng, randomLength(rng));
    const bytes = new Uint8Array(keep + tail.length);
    bytes.set(base.subarray(0, keep));
    bytes.set(tail, keep);
    return { bytes, variant, how: 'seed prefix + random bytes' };
  }
  if (target.text) {
    const t = rng.next();
    if (t < 0.1) return { bytes: utf8(randomText(rng, target.dictionary)), variant, how: 'random tokens' };
    const text = new TextDecoder().decode(base);
    if (t < 0.45)
      return { bytes: cap(utf8(mutateTokens(rng, text, target.dictionary))), variant, how: 'token mutation' };
    if (target.text === 'json' && t < 0.8)
      return {
        bytes: cap(utf8(mutateJson(rng, text, target.dictionary.map(unquote)))),
        variant,
        how: 'JSON mutation',
      };
    return { bytes: mutateBytes(rng, base, context), variant, how: 'byte mutation' };
  }
  if (isZip(base)) {
    const z = rng.next();
    const files = zipFilesOf(ready, base);
    if (files && z < 0.35)
      return { bytes: mutateZipEntries(rng, files, context), variant, how: 'zip entry mutation' };
    const mutated = mutateBytes(rng, base, context);
    if (z < 0.7)
      return { bytes: refixZip(mutated, rng.next() < 0.5), variant, how: 'byte mutation, CRCs re-fixed' };
    return { bytes: mutated, variant, how: 'byte mutation' };
  }
  return { bytes: mutateBytes(rng, base, context), variant, how: 'byte mutation' };
}

const cap = (bytes: Uint8Array): Uint8Array =>
  bytes.length > MAX_INPUT_BYTES ? bytes.slice(0, MAX_INPUT_BYTES) : bytes;
const unquote = (word: string): string => (/^".*"$/.test(word) ? (JSON.parse(word) as string) : word);

/** "RangeError at pickle.ts:123": what kind of crash, and where in the project it happened. */
export function crashSignature(error: unknown): string {
  if (!(error instanceof Error)) return `non-Error thrown (${typeof error})`;
  const frame = (error.stack ?? '')
    .split('\n')
    .slice(1)
    .find((line) => /\/src\/engine\//.test(line));
  const where = frame ? /([\w.-]+\.ts):(\d+)/.exec(frame) : null;
  const message =
    error.name === 'InvalidResultError'
      ? `: ${error.message.replace(/\d+(\.\d+)?(e[+-]?\d+)?/g, 'N').slice(0, 80)}`
      : '';
  return `${error.name}${message}${where ? ` at ${where[1]}:${where[2]}` : ''}`;
}

/**
 * Runs an input; one that takes longer than HANG_MS runs a second time and keeps the faster
 * time, so a busy machine does not turn a slow moment into a hang. `onStart` marks each run's
 * start (the worker's watchdog uses it).
 */
export function runConfirmed(
  target: FuzzTarget,
  input: FuzzInput,
  onStart: () => void = () => {},
): RunResult {
  onStart();
  const first = runInput(target, input);
  if (first.ms <= HANG_MS) return first;
  onStart();
  const second = runInput(target, input);
  return { outcome: first.outcome, ms: Math.min(first.ms, second.ms) };
}

/** Runs one input and classifies what happened. */
export function runInput(target: FuzzTarget, input: FuzzInput): RunResult {
  const start = performance.now();
  let outcome: Outcome;
  try {
    target.run(input.bytes, input.variant);
    outcome = { kind: 'accepted' };
  } catch (error) {
    if (target.errors.some((kind) => error instanceof kind)) outcome = { kind: 'rejected' };
    else {
      const message = error instanceof Error ? `${error.name}: ${error.message}` : `thrown ${String(error)}`;
      outcome = {
        kind: 'crash',
        error: message.slice(0, 2000),
        stack: error instanceof Error ? (error.stack ?? '').slice(0, 4000) : '',
        signature: crashSignature(error),
      };
    }
  }
  return { outcome, ms: performance.now() - start };
}
