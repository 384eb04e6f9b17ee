/**
 * Every parser and evaluator that takes user input, as a fuzz target: how to call it, the
 * error class(es) that make a rejection clean, what an accepted result must satisfy, and the
 * seeds and dictionary its inputs are made from.
 */
import { AudioFileError, decodeWav, readWavInfo, type DecodeWavOptions } from '../../engine/audio/wav';
import { ManifestError } from '../../engine/models/errors';
import { parseManifestText } from '../../engine/models/validate';
import { MissingVoicesError } from '../../engine/voices/arithmetic';
import { BUILT_IN_DIRECTION_NAMES } from '../../engine/voices/directions';
import { ExpressionError, formatTerms, parseExpression, type Term } from '../../engine/voices/expression';
import { readTorchCheckpoint } from '../../engine/voices/formats/checkpoint';
import { importVoiceFile, readBin, type NamedPack } from '../../engine/voices/formats/index';
import { CHECKPOINT_LIMITS, VOICE_FILE_LIMITS } from '../../engine/voices/formats/limits';
import { readNpy, readNpz } from '../../engine/voices/formats/npy';
import { MAX_ABS_VALUE, PACK_LENGTH, VoiceFileError } from '../../engine/voices/formats/pack';
import {
  isTensor,
  readRestrictedPickle,
  type PickleValue,
  type TensorRef,
} from '../../engine/voices/formats/pickle';
import { readPtLegacy, readPtZip } from '../../engine/voices/formats/pt';
import { readZip } from '../../engine/voices/formats/zip';
import { importRecipe, RecipeError } from '../../engine/voices/recipe';
import { STOCK_VOICE_NAMES } from '../shared';
import * as seeds from './seeds';

/** A parser accepted an input but returned something the rest of the studio cannot use. */
export class InvalidResultError extends Error {
  override name = 'InvalidResultError';
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ErrorClass = abstract new (...args: any[]) => Error;

export interface FuzzTarget {
  name: string;
  /** What the target calls, for the report. */
  calls: string;
  /** A thrown error of one of these classes is a clean rejection; anything else is a crash. */
  errors: readonly ErrorClass[];
  /** Text formats get token-level (and JSON: structural) mutations on top of byte mutations. */
  text?: 'plain' | 'json';
  /** Tokens (text) or byte strings (binary) that mean something to the parser. */
  dictionary: readonly string[];
  seeds(): Uint8Array[];
  /**
   * Runs the parser on `input`. `variant` (a random 32-bit number stored with each input)
   * picks options such as the file name, so a saved input replays exactly.
   */
  run(input: Uint8Array, variant: number): void;
}

const utf8 = (input: Uint8Array): string => new TextDecoder().decode(input);
const check = (ok: boolean, what: string): void => {
  if (!ok) throw new InvalidResultError(`accepted, but ${what}`);
};

function checkPacks(packs: readonly NamedPack[]): void {
  check(packs.length > 0, 'no packs');
  for (const pack of packs) {
    check(typeof pack.name === 'string', 'a pack has no name');
    checkPackData(pack.data);
  }
}

function checkPackData(data: Float32Array): void {
  check(data instanceof Float32Array && data.length === PACK_LENGTH, `a pack of ${data.length} values`);
  for (let i = 0; i < data.length; i++) {
    const value = data[i] as number;
    if (!Number.isFinite(value) || Math.abs(value) > MAX_ABS_VALUE) check(false, `a pack holds ${value}`);
  }
}

/** Every tensor reachable from a pickle value (each list and dict once: a memo can make cycles). */
function tensorsIn(root: PickleValue): TensorRef[] {
  const found: TensorRef[] = [];
  const seen = new Set<object>();
  const stack: PickleValue[] = [root];
  while (stack.length > 0 && seen.size < 100_000) {
    const value = stack.pop() as PickleValue;
    if (isTensor(value)) found.push(value);
    else if (Array.isArray(value) || value instanceof Map) {
      if (seen.has(value)) continue;
      seen.add(value);
      for (const item of Array.isArray(value) ? value : value.values()) stack.push(item);
    }
  }
  return found;
}

const FILE_NAMES = [
  'voice.pt',
  'af_fuzz.pth',
  'voice.bin',
  'voice.npy',
  'voices.npz',
  'voices-v1.0.bin',
  'noext',
  'a/b\\c.PT',
];

// Byte strings the binary parsers look for.
const PICKLE_WORDS = [
  '(',
  ')',
  ']',
  '}',
  't',
  'R',
  'Q',
  '.',
  'a',
  'e',
  's',
  'u',
  'N',
  'b',
  '\x85',
  '\x86',
  '\x87',
  '\x88',
  '\x89',
  '\x93',
  '\x94',
  'q\x00',
  'q\xff',
  'h\x00',
  'h\x01',
  'r\x00\x00\x00\x00',
  'j\x00\x00\x00\x00',
  'j\xff\xff\xff\xff',
  'K\x01',
  'M\xfe\x01',
  'J\xff\xff\xff\x7f',
  'J\x00\xfe\x01\x00',
  'X\xff\xff\xff\x7f',
  'X\x01\x00\x00\x00',
  '\x8c\x07storage',
  '\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19',
  '\x8a\xff',
  '\x80\x02',
  '\x80\x05',
  '\x95\x00\x00\x00\x00\x00\x00\x00\x00',
  'G\x7f\xf0\x00\x00\x00\x00\x00\x00',
  'ctorch\nFloatStorage\n',
  'ctorch\nHalfStorage\n',
  'ctorch._utils\n_rebuild_tensor_v2\n',
  'ctorch._utils\n_rebuild_parameter\n',
  'ccollections\nOrderedDict\n',
  'cposix\nsystem\n',
  'X\x07\x00\x00\x00storage',
];
const ZIP_WORDS = [
  'PK\x03\x04',
  'PK\x01\x02',
  'PK\x05\x06',
  'PK\x06\x06',
  'PK\x06\x07',
  'PK\x07\x08',
  '\x01\x00\x10\x00',
  'data.pkl',
  'archive/data/0',
  '.npy',
];
const NPY_WORDS = [
  '\x93NUMPY\x01\x00',
  '\x93NUMPY\x02\x00',
  '\x93NUMPY\x03\x00',
  "{'descr': '<f4', 'fortran_order': False, 'shape': (510, 1, 256), }",
  "'<f2'",
  "'>f8'",
  "'|f4'",
  '(510, 256)',
  '(510, 1, 256)',
  '((((((((((((((((',
  '[[[[[[[[',
  "'shape'",
  'True',
  'None',
  '1L',
  '-1',
  '99999999999999999999999',
];
const WAV_WORDS = [
  'RIFF',
  'WAVE',
  'fmt ',
  'data',
  'LIST',
  'INFO',
  'INAM',
  'fact',
  '\xfe\xff',
  '\x03\x00',
  '\x01\x00',
  ' \x00\x00\x00',
  '\x10\x00\x00\x00',
  '\xff\xff\x00\x00',
];

const VOICE_WORDS = [...PICKLE_WORDS, ...ZIP_WORDS, ...NPY_WORDS];

const EXPRESSION_WORDS = [
  '(',
  ')',
  '+',
  '-',
  '*',
  '/',
  'timbre(',
  'prosody(',
  'timbre',
  'prosody',
  'tymbre(',
  'af_bella',
  'am_adam',
  'my_clone',
  '"my clone"',
  "'x'",
  '"',
  "'",
  '\\',
  '""',
  '" "',
  '0',
  '0.5',
  '1e308',
  '1e309',
  '5e-324',
  '.',
  '1e',
  ' ',
];

const JSON_WORDS = [
  '{',
  '}',
  '[',
  ']',
  ':',
  ',',
  '"',
  'null',
  'true',
  'false',
  '1e309',
  '-0',
  '"__proto__"',
  '"constructor"',
  '\\u0000',
  '\\ud800',
  '""',
];

const RECIPE_KEYS = [
  'version',
  'name',
  'expression',
  'terms',
  'normalise',
  'directions',
  'voice',
  'coefficient',
  'part',
  'amount',
  'both',
  'timbre',
  'prosody',
  'none',
  'sum-to-one',
  'base-norm',
  'female-male',
  'af_bella',
  'provenance',
  'software',
  'model',
  'origin',
  'created',
  '__proto__',
  'toString',
];

const MANIFEST_KEYS = [
  'version',
  'fixture',
  'kokoro',
  'id',
  'license',
  'sampleRateHz',
  'variants',
  'label',
  'path',
  'url',
  'bytes',
  'sha256',
  'standsInFor',
  'defaultVariant',
  'webgpu',
  'wasm',
  'voices',
  'name',
  'language',
  'gender',
  'file',
  'grade',
  'speakerEncoder',
  'credit',
  'embeddingDim',
  'melBins',
  'ge2eEncoder',
  'female',
  'en-us',
  'af_heart',
  '../x',
  'https://example.com/a',
  'javascript:alert(1)',
  '__proto__',
];

const VOICE_NAMES = [...STOCK_VOICE_NAMES, 'my clone', 'say "hi"', 'timbre'];

function voiceTarget(
  name: string,
  calls: string,
  seedsOf: () => Uint8Array[],
  words: readonly string[],
  run: FuzzTarget['run'],
): FuzzTarget {
  return { name, calls, errors: [VoiceFileError], dictionary: words, seeds: seedsOf, run };
}

export const TARGETS: readonly FuzzTarget[] = [
  voiceTarget(
    'voice-file',
    'importVoiceFile (.pt zip/legacy, .npy, .npz, .bin by content)',
    seeds.voiceFileSeeds,
    VOICE_WORDS,
    (input, variant) => checkPacks(importVoiceFile(FILE_NAMES[variant % FILE_NAMES.length] as string, input)),
  ),
  voiceTarget('pt-zip', 'readPtZip', seeds.ptZipSeeds, [...PICKLE_WORDS, ...ZIP_WORDS], (input) =>
    checkPacks(readPtZip('voice.pt', input)),
  ),
  voiceTarget('pt-legacy', 'readPtLegacy', seeds.ptLegacySeeds, PICKLE_WORDS, (input) =>
    checkPacks(readPtLegacy('voice.pt', input)),
  ),
  voiceTarget(
    'pickle',
    'readRestrictedPickle (each pickle in turn; voice and checkpoint rules)',
    seeds.pickleSeeds,
    PICKLE_WORDS,
    (input, variant) => {
      const checkpoint = (variant & 1) === 1;
      const options = { checkpoint, limits: checkpoint ? CHECKPOINT_LIMITS : VOICE_FILE_LIMITS };
      let at = 0;
      for (let count = 0; count < 8 && at < input.length; count++)
        at = readRestrictedPickle('data.pkl', input, at, options).end;
    },
  ),
  voiceTarget('zip', 'readZip, then read() of every entry', seeds.zipSeeds, ZIP_WORDS, (input) => {
    for (const entry of readZip('archive.zip', input)) {
      const data = entry.read();
      check(data.length === entry.size, `${entry.name} read ${data.length} bytes, not ${entry.size}`);
    }
  }),
  voiceTarget('npy', 'readNpy', seeds.npySeeds, NPY_WORDS, (input) =>
    checkPackData(readNpy('voice.npy', input)),
  ),
  voiceTarget('npz', 'readNpz', seeds.npzSeeds, [...ZIP_WORDS, ...NPY_WORDS], (input) =>
    checkPacks(readNpz('voices.npz', input)),
  ),
  voiceTarget('bin', 'readBin', seeds.binSeeds, [], (input) => checkPackData(readBin('voice.bin', input))),
  voiceTarget(
    'checkpoint',
    'readTorchCheckpoint, then tensor() of every tensor in it',
    seeds.checkpointSeeds,
    [...PICKLE_WORDS, ...ZIP_WORDS],
    (input) => {
      const checkpoint = readTorchCheckpoint('pretrained.pt', input);
      for (const ref of tensorsIn(checkpoint.root)) {
        const data = checkpoint.tensor(ref);
        const count = ref.size.reduce((n, d) => n * d, 1);
        check(data.length === count, `a tensor of ${ref.size.join('x')} decoded to ${data.length} values`);
      }
    },
  ),
  {
    name: 'wav',
    calls: 'decodeWav (with and without allowTruncated / maxSeconds) and readWavInfo',
    errors: [AudioFileError],
    dictionary: WAV_WORDS,
    seeds: seeds.wavSeeds,
    run(input, variant) {
      try {
        readWavInfo(input);
      } catch (error) {
        if (!(error instanceof AudioFileError)) throw error;
      }
      const maxSeconds = [undefined, undefined, 0, 0.01, 1, 300][(variant >>> 1) % 6];
      const options: DecodeWavOptions = { allowTruncated: (variant & 1) === 1 };
      if (maxSeconds !== undefined) options.maxSeconds = maxSeconds;
      const audio = decodeWav(input, options);
      check(
        Number.isSafeInteger(audio.sampleRateHz) && audio.sampleRateHz > 0,
        `sample rate ${audio.sampleRateHz}`,
      );
      check(audio.channels.length > 0, 'no channels');
      const frames = audio.channels[0]?.length ?? 0;
      if (maxSeconds !== undefined)
        check(frames <= Math.ceil(maxSeconds * audio.sampleRateHz), `${frames} frames past maxSeconds`);
      if (audio.sourceSeconds !== undefined)
        check(Number.isFinite(audio.sourceSeconds), `sourceSeconds ${audio.sourceSeconds}`);
      for (const channel of audio.channels) {
        check(channel.length === frames, 'channels of different lengths');
        for (let i = 0; i < channel.length; i++)
          if (!Number.isFinite(channel[i])) check(false, `sample ${channel[i]}`);
      }
    },
  },
  {
    name: 'recipe',
    calls: 'importRecipe (JSON text; with and without the available voices and directions)',
    errors: [RecipeError, MissingVoicesError],
    text: 'json',
    dictionary: [...JSON_WORDS, ...RECIPE_KEYS.map((key) => JSON.stringify(key)), ...EXPRESSION_WORDS],
    seeds: seeds.recipeSeeds,
    run(input, variant) {
      const options =
        (variant & 1) === 1 ? { voices: VOICE_NAMES, directions: BUILT_IN_DIRECTION_NAMES } : {};
      const recipe = importRecipe(utf8(input), options);
      check(recipe.terms.length > 0, 'no terms');
      checkTerms(recipe.terms);
      for (const direction of recipe.directions)
        check(Number.isFinite(direction.amount), `direction amount ${direction.amount}`);
    },
  },
  {
    name: 'expression',
    calls: 'parseExpression (with and without the known voices), then formatTerms and a re-parse',
    errors: [ExpressionError],
    text: 'plain',
    dictionary: EXPRESSION_WORDS,
    seeds: seeds.expressionSeeds,
    run(input, variant) {
      const terms = parseExpression(utf8(input), (variant & 1) === 1 ? { voices: VOICE_NAMES } : {});
      check(terms.length > 0, 'no terms');
      checkTerms(terms);
    },
  },
  {
    name: 'manifest',
    calls: 'parseManifestText',
    errors: [ManifestError],
    text: 'json',
    dictionary: [...JSON_WORDS, ...MANIFEST_KEYS.map((key) => JSON.stringify(key))],
    seeds: seeds.manifestSeeds,
    run(input) {
      parseManifestText(utf8(input), 'https://models.example/manifest.json');
    },
  },
];

/** Terms the blend sliders can show: finite coefficients, written back as text that reads the same. */
function checkTerms(terms: readonly Term[]): void {
  for (const term of terms) {
    check(Number.isFinite(term.coefficient), `coefficient ${term.coefficient} for ${term.voice}`);
    check(term.voice.trim() !== '', 'an empty voice name');
  }
  let text: string;
  try {
    text = formatTerms(terms);
  } catch (error) {
    throw new InvalidResultError(`accepted, but formatTerms fails: ${(error as Error).message}`);
  }
  let again: Term[];
  try {
    again = parseExpression(text);
  } catch (error) {
    throw new InvalidResultError(
      `accepted, but its formatted text ${JSON.stringify(text.slice(0, 80))} does not parse: ${(error as Error).message}`,
    );
  }
  check(
    again.length === terms.length,
    `its formatted text ${JSON.stringify(text.slice(0, 80))} reads back as ${again.length} terms`,
  );
  again.forEach((term, i) => {
    const original = terms[i] as Term;
    const close =
      Math.abs(term.coefficient - original.coefficient) <= 1e-5 * Math.max(1, Math.abs(original.coefficient));
    check(
      term.voice === original.voice && term.part === original.part && close,
      `term ${i} reads back as ${JSON.stringify(term)}`,
    );
  });
}

/**
 * Targets that misbehave on purpose, to check the harness itself (`npm run fuzz -- --target
 * selftest-oom --count 20`): one in 8 inputs throws a TypeError, spins for 12 s, or allocates
 * until the worker runs out of memory. Not part of a normal run.
 */
export const SELF_TEST_TARGETS: readonly FuzzTarget[] = (['crash', 'hang', 'oom'] as const).map((kind) => ({
  name: `selftest-${kind}`,
  calls: `a parser that ${kind === 'crash' ? 'throws a TypeError' : kind === 'hang' ? 'loops for 12 s' : 'allocates without end'} on one input in 8`,
  errors: [VoiceFileError],
  dictionary: [],
  seeds: () => [new Uint8Array(8)],
  run(_input, variant) {
    if (variant % 8 !== 0) throw new VoiceFileError('rejected');
    if (kind === 'crash') throw new TypeError('a deliberate crash');
    if (kind === 'hang') {
      const until = Date.now() + 12_000;
      while (Date.now() < until);
      return;
    }
    const hoard: number[][] = [];
    for (;;) hoard.push(new Array<number>(100_000).fill(variant));
  },
}));

export function targetByName(name: string): FuzzTarget {
  const target = [...TARGETS, ...SELF_TEST_TARGETS].find((t) => t.name === name);
  if (!target) throw new Error(`no fuzz target "${name}"; targets: ${TARGETS.map((t) => t.name).join(', ')}`);
  return target;
}
