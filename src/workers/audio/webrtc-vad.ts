/**
 * WebRTC's voice activity detector (libfvad compiled to WASM, npm @echogarden/fvad-wasm), the
 * detector Resemblyzer's `preprocess_wav` trims silences with (py-webrtcvad, mode 3). Used by
 * the GE2E front end in the workers, and by Node tests and benchmarks (where the module finds
 * its .wasm beside itself).
 */
import createFvad from '@echogarden/fvad-wasm';
import type { FrameVad } from '../../engine/speaker/ge2e';

/** `isSpeech`: one 10, 20 or 30 ms frame of int16 audio at the VAD's rate; `reset` forgets what it heard. */
export interface WebRtcVad extends FrameVad {
  dispose(): void;
}

export interface WebRtcVadOptions {
  /** 0 (least aggressive) .. 3 (most); Resemblyzer uses 3. */
  mode?: 0 | 1 | 2 | 3;
  sampleRateHz?: 8000 | 16000 | 32000 | 48000;
  /** Where fvad.wasm is served (the workers pass Vite's URL for it). */
  wasmUrl?: string;
}

export async function createWebRtcVad(options: WebRtcVadOptions = {}): Promise<WebRtcVad> {
  const module = await createFvad(options.wasmUrl ? { locateFile: () => options.wasmUrl as string } : {});
  const handle = module._fvad_new();
  if (!handle) throw new Error('The WebRTC VAD could not start (out of memory).');
  if (
    module._fvad_set_mode(handle, options.mode ?? 3) !== 0 ||
    module._fvad_set_sample_rate(handle, options.sampleRateHz ?? 16000) !== 0
  ) {
    module._fvad_free(handle);
    throw new Error('The WebRTC VAD refused its settings.');
  }
  let capacity = 0;
  let pointer = 0;
  const mode = options.mode ?? 3;
  const rate = options.sampleRateHz ?? 16000;
  return {
    reset() {
      // fvad_reset also forgets the mode and rate.
      module._fvad_reset(handle);
      module._fvad_set_mode(handle, mode);
      module._fvad_set_sample_rate(handle, rate);
    },
    isSpeech(frame) {
      if (frame.length > capacity) {
        if (pointer) module._free(pointer);
        pointer = module._malloc(frame.length * 2);
        capacity = frame.length;
      }
      module.HEAP16.set(frame, pointer >> 1);
      const result = module._fvad_process(handle, pointer, frame.length);
      if (result < 0) throw new Error(`The WebRTC VAD cannot take a frame of ${frame.length} samples.`);
      return result === 1;
    },
    dispose() {
      if (pointer) module._free(pointer);
      pointer = 0;
      module._fvad_free(handle);
    },
  };
}
