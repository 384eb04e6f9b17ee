/** The RNNoise driver: alignment with a fake denoiser, and the real WASM build on noisy speech. */
import { describe, expect, it } from 'vitest';
import { espeakSpeech } from '../../test-support/audio';
import { denoise48k, RNNOISE_FRAME_SAMPLES, RNNOISE_SAMPLE_RATE_HZ, type FrameDenoiser } from './denoise';

/** Behaves like RNNoise's framing: outputs the previous frame unchanged (a one-frame delay). */
class DelayLine implements FrameDenoiser {
  private previous = new Float32Array(RNNOISE_FRAME_SAMPLES);
  frames = 0;
  processFrame(frame: Float32Array): number {
    const current = frame.slice();
    frame.set(this.previous);
    this.previous = current;
    this.frames++;
    return 0;
  }
}

describe('denoise48k framing', () => {
  const CASES = [
    { name: 'whole frames', length: 3 * RNNOISE_FRAME_SAMPLES },
    { name: 'a partial last frame', length: 3 * RNNOISE_FRAME_SAMPLES + 123 },
    { name: 'shorter than a frame', length: 100 },
  ];
  it.each(CASES)('$name: same length, aligned with the input', ({ length }) => {
    const input = Float32Array.from({ length }, (_, i) => Math.sin(i / 7) * 0.5);
    const denoiser = new DelayLine();
    const out = denoise48k(input, denoiser);
    expect(out.length).toBe(length);
    for (let i = 0; i < length; i++) expect(out[i]).toBeCloseTo(input[i]!, 5);
    expect(denoiser.frames).toBe(Math.ceil(length / RNNOISE_FRAME_SAMPLES) + 1);
  });
});

interface RnnoiseModule {
  HEAPF32: Float32Array;
  _malloc(bytes: number): number;
  _free(ptr: number): void;
  _rnnoise_create(): number;
  _rnnoise_destroy(state: number): void;
  _rnnoise_process_frame(state: number, out: number, input: number): number;
}

/** The build the studio uses: RNNoise 0.2 with its weights, WASM inlined (the async 0.1 build barely denoises). */
async function loadRnnoise(): Promise<FrameDenoiser> {
  const specifier = '@jitsi/rnnoise-wasm/dist/rnnoise-sync.js'; // untyped package: import by name
  const { default: create } = (await import(specifier)) as {
    default: (options?: object) => Promise<RnnoiseModule>;
  };
  const module = await create();
  const state = module._rnnoise_create();
  const ptr = module._malloc(RNNOISE_FRAME_SAMPLES * 4);
  return {
    processFrame(frame) {
      module.HEAPF32.set(frame, ptr >> 2);
      const vad = module._rnnoise_process_frame(state, ptr, ptr);
      frame.set(module.HEAPF32.subarray(ptr >> 2, (ptr >> 2) + RNNOISE_FRAME_SAMPLES));
      return vad;
    },
  };
}

function rms(pcm: Float32Array, from = 0, to = pcm.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += pcm[i]! * pcm[i]!;
  return Math.sqrt(sum / Math.max(1, to - from));
}

describe('RNNoise (WASM) through denoise48k', () => {
  it('lowers the noise in pauses much more than it lowers the speech', async () => {
    const speech = espeakSpeech(
      'The rainbow is a division of white light into many colours.',
      RNNOISE_SAMPLE_RATE_HZ,
    ).pcm;
    const pause = RNNOISE_SAMPLE_RATE_HZ; // 1 s of noise only, before the speech
    const noisy = new Float32Array(pause + speech.length);
    let seed = 3;
    for (let i = 0; i < noisy.length; i++) {
      seed = (seed * 1664525 + 1013904223) >>> 0;
      noisy[i] = ((seed / 2 ** 32) * 2 - 1) * 0.02 + (i >= pause ? speech[i - pause]! : 0);
    }
    const out = denoise48k(noisy, await loadRnnoise());
    // Skip the first 0.3 s while RNNoise's noise estimate settles.
    const settle = Math.round(0.3 * RNNOISE_SAMPLE_RATE_HZ);
    const noiseDropDb = 20 * Math.log10(rms(out, settle, pause) / rms(noisy, settle, pause));
    const speechDropDb = 20 * Math.log10(rms(out, pause) / rms(noisy, pause));
    expect(noiseDropDb).toBeLessThan(-15);
    expect(speechDropDb).toBeGreaterThan(-4);
  });
});
