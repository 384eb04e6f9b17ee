/**
 * Valid inputs the mutators start from: what the project's own writers produce (writePt,
 * exportVoice / exportBundle, tensorPickle, encodeWav, exportRecipe), small hand-built
 * variants of the same formats (legacy .pt, checkpoints, other WAV encodings, .npy versions),
 * the checked-in model manifest, and the real-tool files in ../shared/interop (read here, at
 * run time; never copied into the repo).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeWav } from '../../engine/audio/wav';
import { SeededRandom } from '../../engine/clone/random';
import { AMERICAN_BRITISH, FEMALE_MALE } from '../../engine/voices/directions';
import { exportBundle, exportVoice, PACK_LENGTH, type NamedPack } from '../../engine/voices/formats/index';
import { float32ToLittleEndian } from '../../engine/voices/formats/numeric';
import { tensorPickle, type TensorPickleOptions } from '../../engine/voices/formats/pt';
import { readZip, writeZip } from '../../engine/voices/formats/zip';
import { createRecipe, exportRecipe } from '../../engine/voices/recipe';
import { REPO_ROOT, SHARED_DIR } from '../shared';
import { writeDeflatedZip } from './zip-tools';

const text = (value: string): Uint8Array => new TextEncoder().encode(value);

/** A pack of plausible values (within a real voice's ±3). */
export function fakePack(name: string, seed: number): NamedPack {
  const rng = new SeededRandom(seed);
  const data = new Float32Array(PACK_LENGTH);
  for (let i = 0; i < data.length; i++) data[i] = rng.gaussian() * 0.4;
  return { name, data };
}

/** ../shared/interop files with one of these extensions; none when ../shared is absent. */
export function interopFiles(...extensions: string[]): Uint8Array[] {
  const dir = join(SHARED_DIR, 'interop');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => extensions.some((extension) => name.endsWith(extension)))
    .sort()
    .map((name) => new Uint8Array(readFileSync(join(dir, name))));
}

/** Pickle bytes from opcodes (numbers), text and byte arrays. */
function pickleBytes(...parts: (number | string | Uint8Array | number[])[]): Uint8Array {
  const chunks = parts.map((part) =>
    typeof part === 'number'
      ? Uint8Array.of(part)
      : typeof part === 'string'
        ? text(part)
        : Uint8Array.from(part),
  );
  const out = new Uint8Array(chunks.reduce((n, chunk) => n + chunk.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

const u32le = (value: number): number[] => [
  value & 0xff,
  (value >> 8) & 0xff,
  (value >> 16) & 0xff,
  value >>> 24,
];
const unicode = (value: string): (number | Uint8Array | number[])[] => [
  0x58,
  u32le(text(value).length),
  text(value),
];
/** A tensor pickle without its PROTO header and STOP, to embed in a larger pickle. */
const tensorBody = (options: TensorPickleOptions = {}): Uint8Array => tensorPickle(options).subarray(2, -1);

const SMALL_TENSOR: TensorPickleOptions = { size: [2, 2], stride: [2, 1], storageNumel: 4 };

function smallFloats(count: number): Uint8Array {
  return float32ToLittleEndian(Float32Array.from({ length: count }, (_, i) => (i % 7) / 10 - 0.3));
}

/** A pickle of `{"a": tensor, "b": tensor}` (both on storage 0): several packs in one .pt. */
function dictOfTensorsPickle(options: TensorPickleOptions = {}): Uint8Array {
  return pickleBytes(
    0x80,
    2,
    0x7d,
    0x28,
    ...unicode('a'),
    tensorBody(options),
    ...unicode('b'),
    tensorBody(options),
    0x75,
    0x2e,
  );
}

/** A training checkpoint's pickle: `{"model_state": OrderedDict(w=..., b=...), "step": 3, "lr": 0.5}`. */
function checkpointPickle(): Uint8Array {
  const half = [0x3f, 0xe0, 0, 0, 0, 0, 0, 0]; // 0.5, big-endian double
  return pickleBytes(
    0x80,
    2,
    0x7d, // EMPTY_DICT
    0x28, // MARK
    ...unicode('model_state'),
    'ccollections\nOrderedDict\n',
    0x29,
    0x52, // OrderedDict()
    0x28,
    ...unicode('w'),
    tensorBody(SMALL_TENSOR),
    ...unicode('b'),
    tensorBody({ size: [2], stride: [1], storageNumel: 4, storageOffset: 2 }),
    0x75, // SETITEMS
    0x7d,
    0x62, // BUILD with a dict (the state_dict's _metadata)
    ...unicode('step'),
    0x4b,
    3,
    ...unicode('lr'),
    0x47,
    half,
    0x75,
    0x2e,
  );
}

/** A legacy (pre-1.6) torch.save file: magic, protocol, sys info, the object, the storage keys, the storage. */
function legacyPt(main: Uint8Array, numel: number, data: Uint8Array): Uint8Array {
  const magic = [0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19]; // 0x1950a86a20f9469cfc6c LE
  const numelBytes = new Uint8Array(8);
  new DataView(numelBytes.buffer).setBigInt64(0, BigInt(numel), true);
  return pickleBytes(
    ...[0x80, 2, 0x8a, 10, ...magic, 0x2e],
    ...[0x80, 2, 0x4d, 0xe9, 0x03, 0x2e], // 1001
    ...[
      0x80,
      2,
      0x7d,
      0x28,
      ...unicode('little_endian'),
      0x88,
      ...unicode('protocol_version'),
      0x4d,
      0xe9,
      0x03,
      0x75,
      0x2e,
    ],
    main,
    ...[0x80, 2, 0x5d, ...unicode('0'), 0x61, 0x2e],
    numelBytes,
    data,
  );
}

/** `.npy` with any version, dtype and shape (the data is whatever bytes are given). */
function npy(version: 1 | 2 | 3, descr: string, shape: string, data: Uint8Array): Uint8Array {
  const header = text(`{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }\n`);
  const lengthBytes = version === 1 ? 2 : 4;
  const out = new Uint8Array(8 + lengthBytes + header.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  out.set(header, 8 + lengthBytes);
  out.set(data, 8 + lengthBytes + header.length);
  return out;
}

/** A pack's values as `type`, in the given byte order. */
function packBytes(pack: Float32Array, type: 'f2' | 'f4' | 'f8', littleEndian: boolean): Uint8Array {
  const width = Number(type.slice(1));
  const out = new Uint8Array(pack.length * width);
  const view = new DataView(out.buffer);
  for (let i = 0; i < pack.length; i++) {
    const value = pack[i] as number;
    if (type === 'f4') view.setFloat32(i * 4, value, littleEndian);
    else if (type === 'f8') view.setFloat64(i * 8, value, littleEndian);
    else view.setUint16(i * 2, floatToHalf(value), littleEndian);
  }
  return out;
}

/** float -> IEEE half, for values well inside half's normal range (fine for seed data). */
function floatToHalf(value: number): number {
  if (value === 0) return 0;
  const sign = value < 0 ? 0x8000 : 0;
  const abs = Math.abs(value);
  const exponent = Math.max(-14, Math.min(15, Math.floor(Math.log2(abs))));
  const fraction = Math.round((abs / 2 ** exponent - 1) * 1024) & 0x3ff;
  return sign | ((exponent + 15) << 10) | fraction;
}

const PACK_A = fakePack('af_fuzz', 1);
const PACK_B = fakePack('am_fuzz', 2);

function entriesOf(zip: Uint8Array): { name: string; data: Uint8Array }[] {
  return readZip('seed', zip).map((entry) => ({ name: entry.name, data: entry.read() }));
}

const cache = new Map<string, Uint8Array[]>();
function cached(name: string, build: () => Uint8Array[]): Uint8Array[] {
  let seeds = cache.get(name);
  if (!seeds) {
    seeds = build();
    cache.set(name, seeds);
  }
  return seeds;
}

export function ptZipSeeds(): Uint8Array[] {
  return cached('pt-zip', () => {
    const pt = exportVoice('pt', PACK_A);
    const dir = 'fuzz';
    const small = writeZip(
      [
        { name: `${dir}/data.pkl`, data: tensorPickle(SMALL_TENSOR) },
        { name: `${dir}/byteorder`, data: text('little') },
        { name: `${dir}/data/0`, data: smallFloats(4) },
        { name: `${dir}/version`, data: text('3\n') },
      ],
      'torch',
    );
    const dict = writeZip(
      [
        { name: 'archive/data.pkl', data: dictOfTensorsPickle() },
        { name: 'archive/data/0', data: float32ToLittleEndian(PACK_B.data) },
      ],
      'plain',
    );
    const half = writeZip(
      [
        { name: 'archive/data.pkl', data: tensorPickle({ storageType: 'HalfStorage' }) },
        { name: 'archive/byteorder', data: text('big') },
        { name: 'archive/data/0', data: packBytes(PACK_A.data, 'f2', false) },
      ],
      'plain',
    );
    return [pt, small, dict, half, writeDeflatedZip(entriesOf(pt)), ...interopFiles('.pt').filter(isZip)];
  });
}

const isZip = (bytes: Uint8Array): boolean => bytes[0] === 0x50 && bytes[1] === 0x4b;

export function ptLegacySeeds(): Uint8Array[] {
  return cached('pt-legacy', () => [
    legacyPt(tensorPickle(), PACK_LENGTH, float32ToLittleEndian(PACK_A.data)),
    legacyPt(dictOfTensorsPickle(), PACK_LENGTH, float32ToLittleEndian(PACK_B.data)),
    legacyPt(tensorPickle(SMALL_TENSOR), 4, smallFloats(4)),
    ...interopFiles('.pt').filter((bytes) => !isZip(bytes)),
  ]);
}

export function pickleSeeds(): Uint8Array[] {
  return cached('pickle', () => [
    tensorPickle(),
    tensorPickle({ storageType: 'HalfStorage', storageNumel: 2 * PACK_LENGTH, storageOffset: PACK_LENGTH }),
    tensorPickle({ storageType: 'DoubleStorage', ...SMALL_TENSOR }),
    tensorPickle({ storageType: 'BFloat16Storage', size: [510, 256], stride: [256, 1] }),
    dictOfTensorsPickle(),
    checkpointPickle(),
    legacyPt(tensorPickle(SMALL_TENSOR), 4, smallFloats(4)),
    ...interopFiles('.pt').flatMap((bytes) =>
      isZip(bytes)
        ? entriesOf(bytes)
            .filter((entry) => entry.name.endsWith('data.pkl'))
            .map((entry) => entry.data)
        : [bytes.subarray(0, 2048)],
    ),
  ]);
}

export function npySeeds(): Uint8Array[] {
  return cached('npy', () => [
    exportVoice('npy', PACK_A),
    npy(2, '<f8', '(510, 256)', packBytes(PACK_A.data, 'f8', true)),
    npy(3, '<f2', '(510, 1, 256)', packBytes(PACK_B.data, 'f2', true)),
    npy(1, '>f4', '(510, 1, 256)', packBytes(PACK_B.data, 'f4', false)),
    npy(1, '<f4', '(2, 2)', smallFloats(4)),
    ...interopFiles('.npy'),
  ]);
}

export function npzSeeds(): Uint8Array[] {
  return cached('npz', () => {
    const bundle = exportBundle([PACK_A, PACK_B]);
    const small = writeZip(
      [
        { name: 'a.npy', data: npy(1, '<f4', '(2, 2)', smallFloats(4)) },
        { name: 'b.npy', data: npy(1, '<f4', '(2,)', smallFloats(2)) },
      ],
      'plain',
    );
    return [
      bundle,
      small,
      writeDeflatedZip(entriesOf(bundle)),
      writeDeflatedZip(entriesOf(small)),
      ...interopFiles('.npz'),
    ];
  });
}

export function binSeeds(): Uint8Array[] {
  return cached('bin', () => [exportVoice('bin', PACK_A), exportVoice('bin', PACK_B)]);
}

export function zipSeeds(): Uint8Array[] {
  return cached('zip', () => {
    const files = [
      { name: 'readme.txt', data: text('hello') },
      { name: 'empty', data: new Uint8Array(0) },
      { name: 'dir/é.bin', data: smallFloats(16) },
    ];
    return [
      writeZip(files, 'plain'),
      writeZip(files, 'torch'),
      writeDeflatedZip(files),
      ptZipSeeds()[1] as Uint8Array,
      npzSeeds()[1] as Uint8Array,
      npzSeeds()[3] as Uint8Array,
      ...interopFiles('.pt', '.npz').filter(isZip),
    ];
  });
}

export function voiceFileSeeds(): Uint8Array[] {
  return cached('voice-file', () => [
    ...ptZipSeeds(),
    ...ptLegacySeeds(),
    ...npySeeds(),
    ...npzSeeds(),
    ...binSeeds(),
  ]);
}

export function checkpointSeeds(): Uint8Array[] {
  return cached('checkpoint', () => {
    const data = smallFloats(4);
    return [
      writeZip(
        [
          { name: 'pretrained/data.pkl', data: checkpointPickle() },
          { name: 'pretrained/data/0', data },
          { name: 'pretrained/version', data: text('3\n') },
        ],
        'torch',
      ),
      writeDeflatedZip([
        { name: 'archive/data.pkl', data: checkpointPickle() },
        { name: 'archive/data/0', data },
      ]),
      legacyPt(checkpointPickle(), 4, data),
      ...ptZipSeeds().slice(0, 3),
      ptLegacySeeds()[0] as Uint8Array,
    ];
  });
}

/** A WAV of any encoding: `samples` interleaved, in [-1, 1]. */
function wav(
  format: 'int' | 'float',
  bits: number,
  channels: number,
  rate: number,
  samples: readonly number[],
  options: { extensible?: boolean; extra?: Uint8Array } = {},
): Uint8Array {
  const width = bits / 8;
  const fmtBytes = options.extensible ? 40 : 16;
  const extra = options.extra ?? new Uint8Array(0);
  const dataBytes = samples.length * width;
  const out = new Uint8Array(12 + 8 + fmtBytes + extra.length + 8 + dataBytes + (dataBytes % 2));
  const view = new DataView(out.buffer);
  out.set(text('RIFF'), 0);
  view.setUint32(4, out.length - 8, true);
  out.set(text('WAVEfmt '), 8);
  view.setUint32(16, fmtBytes, true);
  const tag = format === 'int' ? 1 : 3;
  view.setUint16(20, options.extensible ? 0xfffe : tag, true);
  view.setUint16(22, channels, true);
  view.setUint32(24, rate, true);
  view.setUint32(28, rate * channels * width, true);
  view.setUint16(32, channels * width, true);
  view.setUint16(34, bits, true);
  if (options.extensible) {
    view.setUint16(36, 22, true); // cbSize
    view.setUint16(38, bits, true);
    view.setUint32(40, channels === 1 ? 4 : 3, true);
    view.setUint16(44, tag, true);
    out.set([0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71], 46);
  }
  let at = 20 + fmtBytes;
  out.set(extra, at);
  at += extra.length;
  out.set(text('data'), at);
  view.setUint32(at + 4, dataBytes, true);
  at += 8;
  for (const x of samples) {
    if (format === 'float' && bits === 32) view.setFloat32(at, x, true);
    else if (format === 'float') view.setFloat64(at, x, true);
    else if (bits === 8) view.setUint8(at, Math.round(x * 127) + 128);
    else if (bits === 16) view.setInt16(at, Math.round(x * 32767), true);
    else if (bits === 24) {
      const v = Math.round(x * 8388607);
      view.setUint8(at, v & 0xff);
      view.setUint8(at + 1, (v >> 8) & 0xff);
      view.setInt8(at + 2, v >> 16);
    } else view.setInt32(at, Math.round(x * 2147483647), true);
    at += width;
  }
  return out;
}

export function wavSeeds(): Uint8Array[] {
  return cached('wav', () => {
    const sine = (n: number, step = 0.3): number[] =>
      Array.from({ length: n }, (_, i) => 0.8 * Math.sin(i * step));
    const odd = new Uint8Array([...text('junk'), 3, 0, 0, 0, 1, 2, 3, 0]); // an odd-sized chunk and its pad byte
    return [
      encodeWav(Float32Array.from(sine(200)), 24000),
      encodeWav(Float32Array.from(sine(64)), 16000, { INAM: 'fuzz', ISFT: 'Timbre', ICMT: 'a comment' }),
      wav('int', 8, 1, 8000, sine(50)),
      wav('int', 24, 2, 44100, sine(60)),
      wav('int', 32, 1, 48000, sine(40)),
      wav('float', 32, 1, 24000, sine(40)),
      wav('float', 64, 2, 22050, sine(40)),
      wav('float', 32, 2, 16000, sine(40), { extensible: true }),
      wav('int', 16, 1, 16000, sine(30), { extensible: true, extra: odd }),
    ];
  });
}

export function recipeSeeds(): Uint8Array[] {
  return cached('recipe', () => [
    text(
      exportRecipe(
        createRecipe(
          'blend',
          [
            { voice: 'af_bella', coefficient: 0.6, part: 'both' },
            { voice: 'am_adam', coefficient: 0.4, part: 'both' },
          ],
          'sum-to-one',
        ),
      ),
    ),
    text(
      exportRecipe(
        createRecipe(
          'my clone',
          [
            { voice: 'af_heart', coefficient: 1, part: 'timbre' },
            { voice: 'bf_emma', coefficient: 1 / 3, part: 'prosody' },
            { voice: 'say "hi"', coefficient: -0.25, part: 'both' },
          ],
          'base-norm',
          [
            { name: FEMALE_MALE, amount: -0.5 },
            { name: AMERICAN_BRITISH, amount: 0.25 },
          ],
        ),
      ),
    ),
    text(
      '{"version": 1, "name": "hand written", "expression": "(af_bella + af_sky)/2", "normalise": "none"}',
    ),
    text(
      JSON.stringify({
        version: 1,
        name: 'with provenance',
        expression: 'af_heart - 0.5*timbre(am_adam)',
        normalise: 'none',
        provenance: {
          software: 'Timbre 0.1.0',
          model: 'Kokoro-82M',
          origin: 'blend',
          voice: 'a blend of af_heart and am_adam',
          created: '2026-12-06T00:00:00.000Z',
        },
      }),
    ),
  ]);
}

/** Expressions in the style of expression.test.ts's cases, valid and not. */
export const EXPRESSION_SAMPLES: readonly string[] = [
  'af_bella - 0.5*af_sky + am_adam',
  '0.7*af_heart + 0.3*bf_emma',
  '(af_bella + af_sky)/2',
  '-af_bella',
  '- -af_bella',
  '+af_bella*-2',
  '.5*af_bella',
  '1e-1 * af_bella',
  '(1+1)/4*af_bella',
  '2*(af_bella - 0.5*am_adam)/4',
  '"my clone" - am_adam',
  "0.25*'my clone'",
  '"say \\"hi\\""',
  'timbre(af_bella) + prosody(am_adam)',
  '0.5*timbre(af_bella + af_sky)',
  'timbre(timbre(af_bella))',
  'af_bella - af_bella + am_adam',
  '  af_sky/3  ',
  '(af_bella af_sky)',
  'af_bella / 0',
  'timbre(prosody(af_bella))',
];

export function expressionSeeds(): Uint8Array[] {
  return cached('expression', () => EXPRESSION_SAMPLES.map(text));
}

export function manifestSeeds(): Uint8Array[] {
  return cached('manifest', () => {
    const path = join(REPO_ROOT, 'public/models/manifest.json');
    const full = readFileSync(path, 'utf8');
    // The same manifest with a few voices only: small inputs run faster and mutate denser.
    const json = JSON.parse(full) as { voices: unknown[] };
    json.voices = json.voices.slice(0, 2);
    return [text(full), text(JSON.stringify(json, null, 2)), text(JSON.stringify(json))];
  });
}
