/**
 * Silero VAD v5 behind the engine's SileroModel interface. Takes the onnxruntime module as
 * an argument so the same adapter runs in the worker (onnxruntime-web) and in Node tests
 * and benchmarks (onnxruntime-web's Node build).
 */
import type * as ort from 'onnxruntime-web';
import {
  SILERO_INPUT_SAMPLES,
  SILERO_SAMPLE_RATE_HZ,
  type SileroBatchResult,
  type SileroModel,
} from '../../engine/reference/silero';
import { sessionScheduler } from './session-scheduler';

type OrtModule = Pick<typeof ort, 'Tensor'>;

export class OrtSileroModel implements SileroModel {
  private readonly rate: ort.Tensor;

  constructor(
    private readonly session: ort.InferenceSession,
    private readonly runtime: OrtModule,
  ) {
    this.rate = new runtime.Tensor('int64', BigInt64Array.from([BigInt(SILERO_SAMPLE_RATE_HZ)]), []);
    for (const name of ['input', 'state', 'sr']) {
      if (!session.inputNames.includes(name))
        throw new Error(`This is not Silero VAD v5: it has no "${name}" input.`);
    }
  }

  async step(input: Float32Array, state: Float32Array, lanes: number): Promise<SileroBatchResult> {
    const { Tensor } = this.runtime;
    const outputs = await this.session.run({
      input: new Tensor('float32', input, [lanes, SILERO_INPUT_SAMPLES]),
      state: new Tensor('float32', state, [2, lanes, 128]),
      sr: this.rate,
    });
    const probabilities = outputs.output?.data as Float32Array | undefined;
    const next = outputs.stateN?.data as Float32Array | undefined;
    if (!probabilities || probabilities.length < lanes || !next)
      throw new Error('Silero VAD returned no output.');
    return { probabilities: new Float32Array(probabilities), state: new Float32Array(next) };
  }

  /** After the runs already queued in the session scheduler. */
  release(): Promise<void> {
    return sessionScheduler.schedule(() => this.session.release(), { priority: 'background' });
  }
}
