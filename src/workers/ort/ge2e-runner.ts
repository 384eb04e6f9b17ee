/**
 * Runs the GE2E graph (built from pretrained.pt by the engine) on an onnxruntime session:
 * [batch, 160, 40] mel partials in, [batch, 256] embeddings out, one run at a time. The
 * worker (onnxruntime-web) and the Node tests and benches (onnxruntime-node) share it.
 */
import type * as ort from 'onnxruntime-web';
import {
  GE2E_INPUT,
  GE2E_MEL_BINS,
  GE2E_OUTPUT,
  GE2E_PARTIAL_FRAMES,
  type Ge2eRunner,
} from '../../engine/speaker/ge2e';
import type { TensorConstructor } from './kokoro-runner';
import { sessionScheduler, type ScheduleOptions } from './session-scheduler';

/** What the runner needs of a session (onnxruntime-web's and -node's both fit). */
export interface Ge2eSession {
  run(feeds: Record<string, ort.Tensor>): Promise<Record<string, ort.Tensor>>;
}

/** Each run goes through the realm's one session scheduler, with `options` (priority, signal). */
export function createGe2eRunner(
  session: Ge2eSession,
  Tensor: TensorConstructor,
  options: ScheduleOptions = {},
): Ge2eRunner {
  return (mels, batch) =>
    sessionScheduler.schedule(async () => {
      const input = new Tensor('float32', mels, [batch, GE2E_PARTIAL_FRAMES, GE2E_MEL_BINS]) as ort.Tensor;
      const outputs = await session.run({ [GE2E_INPUT]: input });
      const output = outputs[GE2E_OUTPUT];
      if (!output) throw new Error('The GE2E encoder returned no output.');
      const data = new Float32Array((await output.getData()) as Float32Array);
      for (const t of Object.values(outputs)) t.dispose();
      return data;
    }, options);
}
