/** Backends the Kokoro worker can run on. */
export type Backend = 'webgpu' | 'wasm';

export const KOKORO_SAMPLE_RATE_HZ = 24_000;
export const PAD_TOKEN_ID = 0;

/**
 * One Kokoro inference, whatever runs it: an onnxruntime-web session in a worker, or
 * onnxruntime-node in a benchmark. `inputIds` already carry the pad at both ends.
 */
export interface KokoroRunner {
  readonly backend: Backend;
  run(inputIds: readonly number[], style: Float32Array, speed: number): Promise<Float32Array>;
}
