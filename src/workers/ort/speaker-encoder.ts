/**
 * The speaker encoder (WeSpeaker ResNet34-LM contract): input_features float32 [1, T, 80]
 * (mean-normalised Kaldi fbank) -> last_hidden_state float32 [1, D]. Takes the onnxruntime
 * module as an argument so Node tests and benchmarks can use the same adapter.
 */
import type * as ort from 'onnxruntime-web';
import type { Backend } from '../../engine/tts/types';
import type { Fbank } from '../../engine/audio/fbank';
import { sessionScheduler, type ScheduleOptions } from './session-scheduler';

type OrtModule = Pick<typeof ort, 'Tensor'>;

/** Its runs go through the realm's one session scheduler (ort/session-scheduler.ts). */
export class OrtSpeakerEncoder {
  private releasing: Promise<void> | undefined;

  constructor(
    readonly backend: Backend,
    readonly variant: string,
    private readonly session: ort.InferenceSession,
    private readonly runtime: OrtModule,
    /** The manifest's `embeddingDim`: an output of another size is refused, not averaged in. */
    private readonly embeddingDim?: number,
  ) {
    if (!session.inputNames.includes('input_features')) {
      throw new Error(
        `The speaker encoder has no "input_features" input (it has ${session.inputNames.join(', ')}).`,
      );
    }
  }

  /** The embedding of one mean-normalised fbank. */
  embed(fbank: Fbank, options: ScheduleOptions = {}): Promise<Float32Array> {
    if (this.releasing) return Promise.reject(new Error('The speaker encoder was released.'));
    return sessionScheduler.schedule(async () => {
      const { Tensor } = this.runtime;
      const input = new Tensor('float32', fbank.data, [1, fbank.frames, fbank.bins]);
      const outputs = await this.session.run({ input_features: input });
      const output = outputs.last_hidden_state ?? Object.values(outputs)[0];
      if (!output) throw new Error('The speaker encoder returned no output.');
      // Copy out of the tensor (GPU-backed data may be reused), then free all outputs.
      const embedding = new Float32Array((await output.getData()) as Float32Array);
      for (const t of Object.values(outputs)) t.dispose();
      if (this.embeddingDim !== undefined && embedding.length !== this.embeddingDim)
        throw new Error(
          `The speaker encoder gave an embedding of ${embedding.length} values; the manifest says ${this.embeddingDim}.`,
        );
      return embedding;
    }, options);
  }

  /** Releases the session after the runs already queued; twice is once. */
  release(): Promise<void> {
    this.releasing ??= sessionScheduler.schedule(() => this.session.release(), { priority: 'background' });
    return this.releasing;
  }
}
