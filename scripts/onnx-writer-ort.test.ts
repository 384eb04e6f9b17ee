/**
 * The engine's ONNX writer (src/engine/onnx) produces graphs onnxruntime-web loads and runs. It
 * lives here, not beside the writer: the engine never imports onnxruntime, its tests included.
 */
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../src/engine/onnx/graph';
import { DataType } from '../src/engine/onnx/onnx-proto';

describe('GraphBuilder output in onnxruntime-web', () => {
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
});
