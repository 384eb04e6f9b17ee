import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readStockVoice, REPO_ROOT, sharedPath } from '../../../test-support/shared';
import {
  exportBundle,
  exportVoice,
  importVoiceFile,
  PACK_LENGTH,
  VoiceFileError,
  type NamedPack,
} from './index';
import { writeNpy } from './npy';
import { float32ToLittleEndian } from './numeric';
import { readZip, writeZip } from './zip';

const readInterop = (name: string): Uint8Array => new Uint8Array(readFileSync(sharedPath('interop', name)));
/** Byte-exact comparison that fails with a short summary, not a 130,560-element diff. */
const expectSameBits = (actual: ArrayBufferView | undefined, expected: ArrayBufferView): void => {
  if (!actual) throw new Error('missing data');
  const a = new Uint8Array(actual.buffer, actual.byteOffset, actual.byteLength);
  const b = new Uint8Array(expected.buffer, expected.byteOffset, expected.byteLength);
  let mismatches = 0;
  let firstMismatchByte = -1;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] === b[i]) continue;
    mismatches++;
    if (firstMismatchByte < 0) firstMismatchByte = i;
  }
  expect({ byteLength: a.length, mismatches, firstMismatchByte }).toEqual({
    byteLength: b.length,
    mismatches: 0,
    firstMismatchByte: -1,
  });
};
const entryNamed = (bytes: Uint8Array, suffix: string): Uint8Array => {
  const entry = readZip('test.zip', bytes).find((candidate) => candidate.name.endsWith(suffix));
  if (!entry) throw new Error(`no entry ending in ${suffix}`);
  return entry.read();
};
const expectVoiceFileError = (run: () => unknown, message: RegExp): void => {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(VoiceFileError);
  expect((caught as Error).message).toMatch(message);
};

describe('importVoiceFile on files written by PyTorch and NumPy', () => {
  const EXACT_CASES = [
    { file: 'af_heart.pt', packs: [['af_heart', 'af_heart']] },
    { file: 'am_adam_legacy.pt', packs: [['am_adam_legacy', 'am_adam']] },
    { file: 'bm_george_offset_view.pt', packs: [['bm_george_offset_view', 'bm_george']] },
    { file: 'af_sky.npy', packs: [['af_sky', 'af_sky']] },
    {
      file: 'voices_bundle.npz',
      packs: [
        ['af_bella', 'af_bella'],
        ['am_michael', 'am_michael'],
        ['bf_isabella', 'bf_isabella'],
      ],
    },
  ] as const;
  it.each(EXACT_CASES)('$file equals the stock .bin packs bit for bit', ({ file, packs }) => {
    const imported = importVoiceFile(file, readInterop(file));
    expect(imported.map((pack) => pack.name)).toEqual(packs.map(([name]) => name));
    packs.forEach(([, stock], i) => {
      expectSameBits(imported[i]?.data, readStockVoice(stock));
    });
  });

  it('reads a float16 .pt within half-precision rounding of the float32 pack', () => {
    const [pack] = importVoiceFile('af_nicole_fp16.pt', readInterop('af_nicole_fp16.pt'));
    const stock = readStockVoice('af_nicole');
    expect(pack?.data.length).toBe(PACK_LENGTH);
    let largestError = 0;
    let outOfTolerance = 0;
    stock.forEach((value, i) => {
      const error = Math.abs(((pack as NamedPack).data[i] as number) - value);
      // Round to nearest half: relative error <= 2^-11 for normals, absolute <= 2^-25 below.
      if (error > Math.max(Math.abs(value) * 2 ** -11, 2 ** -25)) outOfTolerance++;
      largestError = Math.max(largestError, error);
    });
    expect(outOfTolerance).toBe(0);
    expect(largestError).toBeGreaterThan(0); // it really was stored as float16
  });

  it('refuses a [100, 256] tensor, naming the shape found', () => {
    expectVoiceFileError(
      () => importVoiceFile('wrong_shape.pt', readInterop('wrong_shape.pt')),
      /expected 510×1×256 float32 \(522,240 bytes\), got 100×256/,
    );
  });

  it('refuses a pickle that calls os.system, without running it', () => {
    expectVoiceFileError(
      () => importVoiceFile('hostile_os_system.pt', readInterop('hostile_os_system.pt')),
      /refused: pickle calls os\.system.*could run code/,
    );
    for (const dir of [process.cwd(), REPO_ROOT, tmpdir(), sharedPath('interop')]) {
      expect(existsSync(join(dir, 'timbre_pwned.txt'))).toBe(false);
    }
  });
});

describe('export then import round-trips bit for bit', () => {
  const VOICES = ['af_heart', 'am_adam', 'bf_emma', 'jf_alpha', 'zm_yunxi'];
  const FORMATS = ['pt', 'bin', 'npy'] as const;
  const CASES = VOICES.flatMap((name) => FORMATS.map((format) => ({ name, format })));
  it.each(CASES)('$name as .$format', ({ name, format }) => {
    const data = readStockVoice(name);
    const imported = importVoiceFile(`${name}.${format}`, exportVoice(format, { name, data }));
    expect(imported).toHaveLength(1);
    expect(imported[0]?.name).toBe(name);
    expectSameBits(imported[0]?.data, data);
  });

  it('a bundle as .npz', () => {
    const packs = VOICES.map((name) => ({ name, data: readStockVoice(name) }));
    const imported = importVoiceFile('voices.npz', exportBundle(packs));
    expect(imported.map((pack) => pack.name)).toEqual(VOICES);
    imported.forEach((pack, i) => expectSameBits(pack.data, (packs[i] as NamedPack).data));
  });
});

describe('raw packs whatever their name', () => {
  it('reads 522,240 bytes starting with a pickle-like byte as raw float32', () => {
    const bytes = float32ToLittleEndian(readStockVoice('am_liam'));
    bytes[0] = 0x80; // PROTO opcode; changes only the lowest mantissa bits of value 0
    const [pack] = importVoiceFile('am_liam.voice', bytes);
    expectSameBits(pack?.data, bytes);
  });
});

describe('exports match what the real tools write', () => {
  it('.pt data.pkl is byte-identical to torch.save output', () => {
    const ours = exportVoice('pt', { name: 'my voice!', data: readStockVoice('af_heart') });
    expect(entryNamed(ours, '/data.pkl')).toEqual(entryNamed(readInterop('af_heart.pt'), '/data.pkl'));
    expect(readZip('ours.pt', ours).map((entry) => entry.name)).toEqual([
      'my_voice_/data.pkl',
      'my_voice_/byteorder',
      'my_voice_/data/0',
      'my_voice_/version',
    ]);
    expect(new TextDecoder().decode(entryNamed(ours, '/version'))).toBe('3\n');
    expect(new TextDecoder().decode(entryNamed(ours, '/byteorder'))).toBe('little');
  });

  it('the torch zip layout reproduces af_heart.pt byte for byte from its records', () => {
    const original = readInterop('af_heart.pt');
    const records = readZip('af_heart.pt', original).map((entry) => ({
      name: entry.name,
      data: entry.read(),
    }));
    expectSameBits(writeZip(records, 'torch'), original);
  });

  it('.pt records start on 64-byte boundaries like torch writes them', () => {
    const ours = exportVoice('pt', { name: 'af_heart', data: readStockVoice('af_heart') });
    const storage = entryNamed(ours, '/data/0');
    expect((storage.byteOffset - ours.byteOffset) % 64).toBe(0);
  });

  it('.npy is byte-identical to np.save output', () => {
    expectSameBits(
      exportVoice('npy', { name: 'af_sky', data: readStockVoice('af_sky') }),
      readInterop('af_sky.npy'),
    );
  });

  it('.bin is the raw stock file', () => {
    const stock = new Uint8Array(readFileSync(sharedPath('kokoro-voices', 'bm_lewis.bin')));
    expectSameBits(exportVoice('bin', { name: 'bm_lewis', data: readStockVoice('bm_lewis') }), stock);
  });
});

describe('damaged or invalid files give a VoiceFileError', () => {
  const heart = readStockVoice('af_heart');
  const withValue = (index: number, value: number): Float32Array => {
    const copy = heart.slice();
    copy[index] = value;
    return copy;
  };
  const flipByte = (bytes: Uint8Array, index: number): Uint8Array => {
    const copy = bytes.slice();
    copy[index] = (copy[index] as number) ^ 0xff;
    return copy;
  };
  const CASES: { label: string; file: string; bytes: () => Uint8Array; message: RegExp }[] = [
    {
      label: 'truncated .bin',
      file: 'x.bin',
      bytes: () => float32ToLittleEndian(heart).subarray(0, 1000),
      message: /522,240 bytes\), got 1,000 bytes/,
    },
    {
      label: 'NaN in a .bin',
      file: 'x.bin',
      bytes: () => float32ToLittleEndian(withValue(1000, NaN)),
      message: /NaN at row 3/,
    },
    {
      label: 'Infinity in a .npy',
      file: 'x.npy',
      bytes: () => writeNpy(withValue(5, -Infinity)),
      message: /-Infinity/,
    },
    {
      label: 'absurd magnitude',
      file: 'x.bin',
      bytes: () => float32ToLittleEndian(withValue(7, 5e4)),
      message: /outside a voice's range/,
    },
    {
      label: 'flipped byte in a .pt storage',
      file: 'x.pt',
      bytes: () => flipByte(readInterop('af_heart.pt'), 100_000),
      message: /checksum mismatch in af_heart\/data\/0/,
    },
    {
      label: 'truncated zip',
      file: 'x.pt',
      bytes: () => readInterop('af_heart.pt').subarray(0, 300_000),
      message: /damaged or incomplete/,
    },
    {
      label: 'truncated .npy',
      file: 'x.npy',
      bytes: () => readInterop('af_sky.npy').subarray(0, 4000),
      message: /cut short/,
    },
    {
      label: 'zip without voices',
      file: 'x.zip',
      bytes: () => writeZip([{ name: 'readme.txt', data: new Uint8Array(3) }], 'plain'),
      message: /neither a PyTorch file nor/,
    },
    {
      label: 'unknown bytes',
      file: 'x.wav',
      bytes: () => new TextEncoder().encode('RIFF....WAVE'),
      message: /not a recognised voice file/,
    },
    { label: 'empty file', file: 'x.pt', bytes: () => new Uint8Array(0), message: /empty/ },
  ];
  it.each(CASES)('$label', ({ file, bytes, message }) => {
    expectVoiceFileError(() => importVoiceFile(file, bytes()), message);
  });

  it('exports refuse invalid packs and bad bundles', () => {
    expectVoiceFileError(() => exportVoice('pt', { name: 'x', data: withValue(0, NaN) }), /NaN/);
    expectVoiceFileError(
      () => exportVoice('bin', { name: 'x', data: new Float32Array(10) }),
      /got 10 values/,
    );
    expectVoiceFileError(() => exportBundle([]), /no voices/);
    expectVoiceFileError(
      () =>
        exportBundle([
          { name: 'a', data: heart },
          { name: 'a', data: heart },
        ]),
      /two voices named "a"/,
    );
  });
});
