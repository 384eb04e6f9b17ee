/**
 * The one Kokoro runner against fake sessions shaped like each public Kokoro v1.0 export:
 * which names and dtypes it feeds, what it reads back, and the message for anything else.
 * (The real int8 export runs through it in src/real-models/kokoro.real.test.ts.)
 */
import type * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { AbortedError } from '../../engine/progress';
import { sessionScheduler } from './session-scheduler';
import {
  cancellableBy,
  KokoroContractError,
  KokoroSessionRunner,
  type KokoroSession,
  type TensorConstructor,
} from './kokoro-runner';

class FakeTensor {
  disposed = false;
  constructor(
    readonly type: string,
    readonly data: unknown,
    readonly dims: readonly number[],
  ) {}
  dispose(): void {
    this.disposed = true;
  }
}

type Meta = ort.InferenceSession.ValueMetadata;
const tensor = (name: string, type: string, shape: (number | string)[]): Meta =>
  ({ name, isTensor: true, type, shape }) as unknown as Meta;

interface Fake extends KokoroSession {
  feeds: Record<string, FakeTensor>[];
  outputs: FakeTensor[];
}

function fakeSession(inputs: Meta[], outputs: Meta[], samples = new Float32Array([0.1, -0.2, 0.3])): Fake {
  const fake: Fake = {
    inputNames: inputs.map((m) => m.name),
    outputNames: outputs.map((m) => m.name),
    inputMetadata: inputs,
    outputMetadata: outputs,
    feeds: [],
    outputs: [],
    run(feeds) {
      fake.feeds.push(feeds as unknown as Record<string, FakeTensor>);
      const result: Record<string, FakeTensor> = {};
      for (const out of outputs) {
        const t = new FakeTensor('float32', samples, [samples.length]);
        fake.outputs.push(t);
        result[out.name] = t;
      }
      return Promise.resolve(result as unknown as Record<string, ort.Tensor>);
    },
    release: () => Promise.resolve(),
  };
  return fake;
}

const Tensor = FakeTensor as unknown as TensorConstructor;
const STYLE = tensor('style', 'float32', [1, 256]);

const EXPORTS = [
  {
    name: 'onnx-community (input_ids, float32 speed, waveform [1, n])',
    inputs: [tensor('input_ids', 'int64', [1, 'sequence_length']), STYLE, tensor('speed', 'float32', [1])],
    outputs: [tensor('waveform', 'float32', [1, 'num_samples'])],
    expected: { ids: 'input_ids', speedType: 'float32', output: 'waveform', speed: 1.25 },
  },
  {
    name: 'kokoro-onnx v1.0 (tokens, float32 speed, audio [n])',
    inputs: [tensor('tokens', 'int64', [1, 'tokens']), STYLE, tensor('speed', 'float32', [1])],
    outputs: [tensor('audio', 'float32', ['samples'])],
    expected: { ids: 'tokens', speedType: 'float32', output: 'audio', speed: 1.25 },
  },
  {
    name: 'an export with an int32 speed',
    inputs: [tensor('input_ids', 'int64', [1, 'n']), STYLE, tensor('speed', 'int32', [1])],
    outputs: [tensor('waveform', 'float32', [1, 'n'])],
    expected: { ids: 'input_ids', speedType: 'int32', output: 'waveform', speed: 1 },
  },
] as const;

describe('KokoroSessionRunner', () => {
  for (const e of EXPORTS) {
    it(`feeds ${e.name} by its own names and dtypes`, async () => {
      const session = fakeSession([...e.inputs], [...e.outputs]);
      const runner = new KokoroSessionRunner('wasm', 'x', session, Tensor, 'kokoro/x.onnx');
      expect(runner.contract).toEqual({
        ids: e.expected.ids,
        speedType: e.expected.speedType,
        output: e.expected.output,
      });
      const style = new Float32Array(256).fill(0.5);
      const pcm = await runner.run([0, 50, 83, 0], style, 1.25);
      expect(Array.from(pcm)).toEqual([0.1, -0.2, 0.3].map(Math.fround));
      const feeds = session.feeds[0]!;
      expect(Object.keys(feeds).sort()).toEqual([e.expected.ids, 'speed', 'style'].sort());
      const ids = feeds[e.expected.ids]!;
      expect(ids.type).toBe('int64');
      expect(ids.dims).toEqual([1, 4]);
      expect(Array.from(ids.data as BigInt64Array, Number)).toEqual([0, 50, 83, 0]);
      expect(feeds.style!.dims).toEqual([1, 256]);
      expect(feeds.speed!.type).toBe(e.expected.speedType);
      expect(Array.from(feeds.speed!.data as ArrayLike<number>)).toEqual([e.expected.speed]);
      // The output was copied and every output tensor freed.
      expect(session.outputs.every((t) => t.disposed)).toBe(true);
    });
  }

  it('refuses a model that is neither export, naming the file and its inputs', () => {
    const session = fakeSession(
      [tensor('input_features', 'float32', [1, 'frames', 80])],
      [tensor('last_hidden_state', 'float32', [1, 256])],
    );
    let error: unknown;
    try {
      new KokoroSessionRunner('wasm', 'x', session, Tensor, 'speaker/onnx/model.onnx');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(KokoroContractError);
    const message = (error as Error).message;
    expect(message).toContain('speaker/onnx/model.onnx is not a Kokoro v1.0 model');
    expect(message).toContain('input_features (float32 [1, frames, 80])');
    expect(message).toContain('last_hidden_state');
    expect(message).toContain('no `input_ids` or `tokens` input');
  });

  it('refuses wrong dtypes and a style of another width', () => {
    const session = fakeSession(
      [
        tensor('tokens', 'int32', [1, 'n']),
        tensor('style', 'float32', [1, 128]),
        tensor('speed', 'float64', [1]),
      ],
      [tensor('audio', 'float32', ['n'])],
    );
    expect(() => new KokoroSessionRunner('wasm', 'x', session, Tensor, 'm.onnx')).toThrow(
      /`tokens` is int32, expected int64; `style` has 128 values per row, expected 256; `speed` is float64/,
    );
  });

  it('refuses an input it would not feed', () => {
    const session = fakeSession(
      [
        tensor('input_ids', 'int64', [1, 'n']),
        STYLE,
        tensor('speed', 'float32', [1]),
        tensor('lang', 'int64', [1]),
      ],
      [tensor('waveform', 'float32', [1, 'n'])],
    );
    expect(() => new KokoroSessionRunner('wasm', 'x', session, Tensor, 'm.onnx')).toThrow(
      'inputs it would need that the studio does not feed: lang',
    );
  });

  it('releases the session after the run under way, and refuses runs after that', async () => {
    const session = fakeSession([...EXPORTS[0].inputs], [...EXPORTS[0].outputs]);
    let released = 0;
    session.release = () => {
      released++;
      return Promise.resolve();
    };
    const runner = new KokoroSessionRunner('webgpu', 'x', session, Tensor, 'm.onnx');
    const running = runner.run([0, 1, 0], new Float32Array(256), 1);
    const release = runner.release();
    await running; // not cut off by the release
    await release;
    await runner.release();
    expect(released).toBe(1);
    await expect(runner.run([0, 1, 0], new Float32Array(256), 1)).rejects.toThrow('was released');
  });

  it('a request bound to its signal: runs still queued leave the queue when it is stopped, also on the runner a fallback swapped in', async () => {
    const session = fakeSession([...EXPORTS[0].inputs], [...EXPORTS[0].outputs]);
    const webgpu = new KokoroSessionRunner('webgpu', 'x', session, Tensor, 'm.onnx');
    const wasm = new KokoroSessionRunner('wasm', 'x', session, Tensor, 'm.onnx');
    // A clone evaluation holds the one session meanwhile.
    let finishEvaluation: () => void = () => undefined;
    const evaluation = sessionScheduler.schedule(
      () => new Promise<void>((resolve) => (finishEvaluation = resolve)),
      { priority: 'background' },
    );
    const stop = new AbortController();
    const bind = cancellableBy(stop.signal);
    const first = bind(webgpu);
    const fallback = bind(wasm);
    expect([first.backend, fallback.backend]).toEqual(['webgpu', 'wasm']);
    const queued = [
      first.run([0, 1, 0], new Float32Array(256), 1),
      fallback.run([0, 1, 0], new Float32Array(256), 1),
    ];
    let settled = 0;
    for (const run of queued) void run.catch(() => settled++);
    await new Promise((r) => setTimeout(r, 0));
    expect(settled, 'queued behind the evaluation').toBe(0);
    stop.abort();
    for (const run of queued) await expect(run).rejects.toBeInstanceOf(AbortedError);
    expect(session.feeds, 'neither ran').toHaveLength(0);
    finishEvaluation();
    await evaluation;
  });
});
