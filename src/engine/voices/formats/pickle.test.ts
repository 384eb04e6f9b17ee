import { describe, expect, it } from 'vitest';
import { importVoiceFile, VoiceFileError } from './index';
import { float32ToLittleEndian } from './numeric';
import { PACK_LENGTH } from './pack';
import { isTensor, readRestrictedPickle } from './pickle';
import { tensorPickle } from './pt';
import { writeZip } from './zip';

/** Pickle bytes from opcodes (numbers), ASCII text and byte arrays. */
const pickle = (...parts: (number | string | number[])[]): Uint8Array =>
  new Uint8Array(
    parts.flatMap((part) =>
      typeof part === 'number'
        ? [part]
        : typeof part === 'string'
          ? [...new TextEncoder().encode(part)]
          : part,
    ),
  );
const u32 = (value: number): number[] => [
  value & 0xff,
  (value >> 8) & 0xff,
  (value >> 16) & 0xff,
  value >>> 24,
];
const unicode = (text: string): (number | string | number[])[] => ['X', u32(text.length), text];
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
const PROTO2 = [0x80, 2];
/** tensorPickle() without its PROTO header and STOP, to embed in a larger pickle. */
const TENSOR_BODY = [...tensorPickle().subarray(2, -1)];

const refusal = (bytes: Uint8Array): string => {
  try {
    readRestrictedPickle('evil.pt', bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(VoiceFileError);
    return (error as Error).message;
  }
  throw new Error('the pickle was accepted');
};

describe('the restricted pickle reader refuses anything that is not a plain tensor', () => {
  const CASES = [
    {
      label: 'GLOBAL builtins.eval',
      bytes: pickle(PROTO2, 'cbuiltins\neval\n', ...unicode('1+1'), 0x85, 'R.'),
      message: /refused: pickle calls builtins\.eval/,
    },
    {
      label: 'GLOBAL nt.system',
      bytes: pickle(PROTO2, 'cnt\nsystem\n', ...unicode('calc'), 0x85, 'R.'),
      message: /calls os\.system \(nt\.system\)/,
    },
    {
      label: 'STACK_GLOBAL os.system',
      bytes: pickle(0x80, 4, 0x8c, 2, 'os', 0x8c, 6, 'system', 0x93, '.'),
      message: /calls os\.system/,
    },
    {
      label: 'subprocess via GLOBAL',
      bytes: pickle(PROTO2, 'csubprocess\nPopen\n.'),
      message: /calls subprocess\.Popen/,
    },
    { label: 'INST opcode', bytes: pickle(PROTO2, '(ios\nsystem\n.'), message: /opcode INST/ },
    { label: 'BUILD opcode', bytes: pickle(PROTO2, '}}b.'), message: /opcode BUILD/ },
    {
      label: 'NEWOBJ opcode',
      bytes: pickle(PROTO2, 'ccollections\nOrderedDict\n)', 0x81, '.'),
      message: /opcode NEWOBJ/,
    },
    {
      label: 'calling a storage type',
      bytes: pickle(PROTO2, 'ctorch\nFloatStorage\n)R.'),
      message: /calls torch\.FloatStorage/,
    },
    {
      label: 'OrderedDict with arguments',
      bytes: pickle(PROTO2, 'ccollections\nOrderedDict\n', ']', 0x85, 'R.'),
      message: /OrderedDict from arguments/,
    },
  ];
  it.each(CASES)('$label', ({ bytes, message }) => {
    expect(refusal(bytes)).toMatch(message);
  });

  it('refuses a bare non-torch pickle (a pickled NumPy array) through importVoiceFile', () => {
    const numpyPickle = pickle(PROTO2, 'cnumpy.core.multiarray\n_reconstruct\n', 'cnumpy\nndarray\n.');
    expect(() => importVoiceFile('voice.pkl', numpyPickle)).toThrow(
      /refused: pickle calls numpy\.core\.multiarray\._reconstruct/,
    );
  });

  it('refuses a hostile pickle inside a zip through importVoiceFile', () => {
    const hostile = pickle(PROTO2, 'cposix\nsystem\n', ...unicode('touch /tmp/x'), 0x85, 'R.');
    const zip = writeZip([{ name: 'archive/data.pkl', data: hostile }], 'plain');
    expect(() => importVoiceFile('voice.pt', zip)).toThrow(/refused: pickle calls os\.system/);
  });
});

describe('the restricted pickle reader accepts what torch.save writes', () => {
  it('describes the tensor of the data.pkl our writer produces', () => {
    const { value, end } = readRestrictedPickle('x.pt', tensorPickle());
    expect(end).toBe(tensorPickle().length);
    expect(isTensor(value) && value).toMatchObject({
      storage: { elementType: 'float32', key: '0', numel: PACK_LENGTH },
      storageOffset: 0,
      size: [510, 1, 256],
      stride: [256, 256, 1],
    });
  });

  it('reads an nn.Parameter (torch._utils._rebuild_parameter around the tensor)', () => {
    const data = new Float32Array(PACK_LENGTH).map((_, i) => (i % 5) / 10);
    const parameter = pickle(
      PROTO2,
      'ctorch._utils\n_rebuild_parameter\n',
      TENSOR_BODY,
      0x88, // NEWTRUE: requires_grad
      'ccollections\nOrderedDict\n)R',
      0x87, // TUPLE3
      'R.',
    );
    const zip = writeZip(
      [
        { name: 'p/data.pkl', data: parameter },
        { name: 'p/data/0', data: float32ToLittleEndian(data) },
      ],
      'torch',
    );
    expectSameBits(importVoiceFile('p.pt', zip)[0]?.data, data);
  });

  it('reads a dict of tensors as several packs named by key', () => {
    const data = new Float32Array(PACK_LENGTH).map((_, i) => (i % 7) / 10);
    const dict = pickle(
      PROTO2,
      '}(',
      ...unicode('voice_a'),
      TENSOR_BODY,
      ...unicode('voice_b'),
      TENSOR_BODY,
      'u.',
    );
    const zip = writeZip(
      [
        { name: 'bundle/data.pkl', data: dict },
        { name: 'bundle/data/0', data: float32ToLittleEndian(data) },
      ],
      'torch',
    );
    const packs = importVoiceFile('bundle.pt', zip);
    expect(packs.map((pack) => pack.name)).toEqual(['voice_a', 'voice_b']);
    expectSameBits(packs[1]?.data, data);
  });

  const VIEW_CASES = [
    {
      label: 'a transposed (non-contiguous) view',
      options: { size: [510, 256], stride: [1, 510] },
      message: /non-contiguous/,
    },
    {
      label: 'a view past the end of its storage',
      options: { storageOffset: 10 },
      message: /past the end of its storage/,
    },
    {
      label: 'a storage larger than its record',
      options: { storageNumel: PACK_LENGTH * 2 },
      message: /cut short/,
    },
    {
      label: 'an integer storage',
      options: { storageType: 'LongStorage' as 'FloatStorage' },
      message: /calls torch\.LongStorage/,
    },
  ];
  it.each(VIEW_CASES)('refuses $label', ({ options, message }) => {
    const zip = writeZip(
      [
        { name: 'v/data.pkl', data: tensorPickle(options) },
        { name: 'v/data/0', data: float32ToLittleEndian(new Float32Array(PACK_LENGTH)) },
      ],
      'torch',
    );
    expect(() => importVoiceFile('v.pt', zip)).toThrow(message);
  });

  it('accepts a [510, 256] tensor and a size-1 dimension with any stride', () => {
    const data = new Float32Array(PACK_LENGTH).map((_, i) => i / PACK_LENGTH);
    for (const options of [{ size: [510, 256], stride: [256, 1] }, { stride: [256, 1, 1] }]) {
      const zip = writeZip(
        [
          { name: 'v/data.pkl', data: tensorPickle(options) },
          { name: 'v/data/0', data: float32ToLittleEndian(data) },
        ],
        'torch',
      );
      expectSameBits(importVoiceFile('v.pt', zip)[0]?.data, data);
    }
  });
});
