/** The hand-written protobuf / ONNX encoder: wire format details (that ORT runs its graphs: scripts/onnx-writer-ort.test.ts). */
import { describe, expect, it } from 'vitest';
import { float16Bits, GraphBuilder } from './graph';
import { DataType } from './onnx-proto';
import { ProtoWriter } from './protobuf';

describe('ProtoWriter', () => {
  const VARINTS: { value: number | bigint; bytes: number[] }[] = [
    { value: 0, bytes: [0x08, 0x00] },
    { value: 1, bytes: [0x08, 0x01] },
    { value: 150, bytes: [0x08, 0x96, 0x01] },
    { value: 300, bytes: [0x08, 0xac, 0x02] },
    { value: 2n ** 40n, bytes: [0x08, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20] },
    { value: -1, bytes: [0x08, ...Array<number>(9).fill(0xff), 0x01] },
  ];
  it.each(VARINTS)('encodes int field 1 = $value as a varint', ({ value, bytes }) => {
    expect([...new ProtoWriter().int(1, value).finish()]).toEqual(bytes);
  });

  it('encodes strings, floats, packed ints and nested messages', () => {
    const bytes = new ProtoWriter()
      .string(2, 'hi')
      .float(3, 1)
      .packedInts(4, [1, 300])
      .message(5, (m) => m.int(1, 7))
      .finish();
    const FIELD_2_STRING_HI = [0x12, 0x02, 0x68, 0x69];
    const FIELD_3_FLOAT_ONE = [0x1d, 0x00, 0x00, 0x80, 0x3f];
    const FIELD_4_PACKED_1_300 = [0x22, 0x03, 0x01, 0xac, 0x02];
    const FIELD_5_MESSAGE_1_IS_7 = [0x2a, 0x02, 0x08, 0x07];
    expect([...bytes]).toEqual([
      ...FIELD_2_STRING_HI,
      ...FIELD_3_FLOAT_ONE,
      ...FIELD_4_PACKED_1_300,
      ...FIELD_5_MESSAGE_1_IS_7,
    ]);
  });
});

describe('float16Bits', () => {
  const CASES = [
    { value: 0, bits: 0x0000 },
    { value: 1, bits: 0x3c00 },
    { value: -2, bits: 0xc000 },
    { value: 0.5, bits: 0x3800 },
    { value: 65504, bits: 0x7bff },
    { value: 1e6, bits: 0x7c00 },
    { value: 2 ** -24, bits: 0x0001 },
    { value: 1 / 3, bits: 0x3555 },
  ];
  it.each(CASES)('$value -> binary16 bits $bits', ({ value, bits }) => {
    expect(float16Bits(value)).toBe(bits);
  });
});

describe('GraphBuilder', () => {
  it('refuses duplicate input/output names', () => {
    const g = new GraphBuilder('dup');
    g.input('a', DataType.FLOAT, [1]);
    expect(() => g.input('a', DataType.FLOAT, [1])).toThrow(/Duplicate/);
  });
});
