import type * as ort from 'onnxruntime-web';
import type { Backend, KokoroRunner } from '../../engine/tts/types';
import { configureOrt, RunQueue } from './runtime';

/** A Kokoro ONNX session behind the engine's KokoroRunner interface. */
export class OrtKokoroRunner implements KokoroRunner {
  private readonly queue = new RunQueue();
  constructor(
    readonly backend: Backend,
    readonly variant: string,
    private readonly session: ort.InferenceSession,
  ) {}

  run(inputIds: readonly number[], style: Float32Array, speed: number): Promise<Float32Array> {
    const { Tensor } = configureOrt();
    return this.queue.run(async () => {
      const ids = new Tensor(
        'int64',
        BigInt64Array.from(inputIds, (id) => BigInt(id)),
        [1, inputIds.length],
      );
      const feeds = {
        input_ids: ids,
        style: new Tensor('float32', style, [1, style.length]),
        speed: new Tensor('float32', new Float32Array([speed]), [1]),
      };
      const outputs = await this.session.run(feeds);
      const waveform = outputs.waveform;
      if (!waveform) throw new Error('The Kokoro model has no `waveform` output: is this the right file?');
      // Copy out of the tensor (GPU-backed data may be reused); then free tensors.
      const pcm = new Float32Array((await waveform.getData()) as Float32Array);
      for (const t of Object.values(outputs)) t.dispose();
      return pcm;
    });
  }

  release(): Promise<void> {
    return this.session.release();
  }
}
