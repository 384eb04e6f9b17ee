/**
 * Node-side runners over onnxruntime-node for benchmarks and tests: a KokoroRunner and a
 * speaker-encoder runner with the same I/O contracts the workers use (onnxruntime-web).
 * One intra-op thread each by default: the benchmarks parallelise across processes instead.
 */
import * as ort from 'onnxruntime-node';
import type { EncoderRunner } from '../../src/engine/clone/types';
import { FBANK_MEL_BINS } from '../../src/engine/audio/fbank';
import { KokoroSessionRunner, type TensorConstructor } from '../../src/workers/ort/kokoro-runner';

export interface NodeSessionOptions {
  threads?: number;
}

export function createNodeSession(
  model: Uint8Array | string,
  options: NodeSessionOptions = {},
): Promise<ort.InferenceSession> {
  const sessionOptions: ort.InferenceSession.SessionOptions = {
    intraOpNumThreads: options.threads ?? 1,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
  };
  return typeof model === 'string'
    ? ort.InferenceSession.create(model, sessionOptions)
    : ort.InferenceSession.create(model, sessionOptions);
}

/**
 * The studio's one Kokoro runner (src/workers/ort/kokoro-runner.ts) over an onnxruntime-node
 * session; `fileName` names the model in its errors.
 */
export function nodeKokoroRunner(
  session: ort.InferenceSession,
  fileName: string,
  variant = 'node',
): KokoroSessionRunner {
  // CPU; the engine only distinguishes GPU from CPU.
  return new KokoroSessionRunner(
    'wasm',
    variant,
    session,
    ort.Tensor as unknown as TensorConstructor,
    fileName,
  );
}

export class NodeEncoderRunner implements EncoderRunner {
  constructor(private readonly session: ort.InferenceSession) {}

  async run(features: Float32Array, frames: number): Promise<Float32Array> {
    const outputs = await this.session.run({
      input_features: new ort.Tensor('float32', features, [1, frames, FBANK_MEL_BINS]),
    });
    const embedding = outputs.last_hidden_state;
    if (!embedding) throw new Error('The speaker encoder has no `last_hidden_state` output');
    return new Float32Array(embedding.data as Float32Array);
  }
}
