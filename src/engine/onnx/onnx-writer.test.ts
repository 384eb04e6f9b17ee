/** The hand-written protobuf / ONNX encoder: wire format details and a graph ORT accepts. */
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-web';
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
  it('writes a model onnxruntime-web loads and runs (dynamic dims, int64, int8 and fp16 weights)', async () => {
    const g = new GraphBuilder('writer_test');
    const x = g.input('x', DataType.FLOAT, [1, 'n']);
    const ids = g.input('ids', DataType.INT64, [1, 'n']);
    const table = g.float([0, 10, 20, 30], [4]);
    const looked = g.reshape(g.op('Gather', [table, g.reshape(ids, [-1])]), [1, -1]);
    const scaled = g.mul(g.add(x, looked), g.weights(Float32Array.of(0.5), [1], 'half', 'q8'));
    g.output(scaled, 'y', DataType.FLOAT, [1, 'n']);
    g.output(g.weights(Float32Array.of(1.5, -0.25), [2], 'w16', 'fp16'), 'w', DataType.FLOAT, [2]);
    const session = await ort.InferenceSession.create(g.encode({ docString: 'test', metadata: { k: 'v' } }));
    const result = await session.run({
      x: new ort.Tensor('float32', Float32Array.of(1, 2, 3), [1, 3]),
      ids: new ort.Tensor('int64', BigInt64Array.of(3n, 0n, 1n), [1, 3]),
    });
    expect([...(result.y!.data as Float32Array)]).toEqual([15.5, 1, 6.5]);
    expect([...(result.w!.data as Float32Array)]).toEqual([1.5, -0.25]);
    expect(session.inputMetadata.map((m) => m.isTensor && m.shape)).toEqual([
      [1, 'n'],
      [1, 'n'],
    ]);
  });

  it('refuses duplicate input/output names', () => {
    const g = new GraphBuilder('dup');
    g.input('a', DataType.FLOAT, [1]);
    expect(() => g.input('a', DataType.FLOAT, [1])).toThrow(/Duplicate/);
  });
});
