/**
 * Driving Silero VAD v5 over a whole clip, against a small inference interface (the worker
 * supplies onnxruntime-web, tests supply its Node build). The model takes 512 new samples at
 * 16 kHz plus the last 64 samples of the previous frame as context ([B, 576]), a recurrent
 * state [2, B, 128] and the rate; it returns one speech probability per row and the next state.
 *
 * A call costs far more than a frame (the per-run overhead dominates in WASM), so a long clip
 * is cut into up to MAX_LANES lanes that run side by side as one batch. The recurrent state
 * starts empty in each lane, so each lane after the first begins WARMUP_FRAMES early and
 * discards those probabilities: by the lane's own first frame the state has converged.
 */
import { AbortedError, type ProgressCallback } from '../progress';

export const SILERO_SAMPLE_RATE_HZ = 16000;
export const SILERO_FRAME_SAMPLES = 512;
export const SILERO_CONTEXT_SAMPLES = 64;
export const SILERO_INPUT_SAMPLES = SILERO_CONTEXT_SAMPLES + SILERO_FRAME_SAMPLES;
/** State per lane: [2, 1, 128]. */
export const SILERO_STATE_SIZE = 2 * 128;

/** At most this many lanes per call (beyond ~16 the per-frame cost stops falling). */
export const MAX_LANES = 16;
/** A lane is worth opening only for at least this many frames (4 s). */
const MIN_LANE_FRAMES = 128;
/** Frames (2 s) each lane after the first runs before its own range, to settle its state. */
export const WARMUP_FRAMES = 64;

export interface SileroBatchResult {
  /** One probability per lane. */
  probabilities: Float32Array;
  /** The next state, [2, lanes, 128]. */
  state: Float32Array;
}

/** One Silero v5 inference over `lanes` rows: input [lanes, 576], state [2, lanes, 128]. */
export interface SileroModel {
  step(input: Float32Array, state: Float32Array, lanes: number): Promise<SileroBatchResult>;
}

export interface VadRunOptions {
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
  /** Upper bound on lanes (1 = strictly sequential, as Silero was trained to run). */
  maxLanes?: number;
}

interface Lane {
  /** First frame this lane feeds (warm-up included); may be past the end for padding. */
  firstFrame: number;
  /** Frames [keepFrom, keepTo) are this lane's results. */
  keepFrom: number;
  keepTo: number;
}

function planLanes(frames: number, maxLanes: number): { lanes: Lane[]; steps: number } {
  const count = Math.max(1, Math.min(maxLanes, Math.floor(frames / MIN_LANE_FRAMES)));
  const length = Math.ceil(frames / count);
  const warmup = count > 1 ? WARMUP_FRAMES : 0;
  const lanes = Array.from({ length: count }, (_, b) => {
    const keepFrom = b * length;
    return {
      firstFrame: b === 0 ? 0 : keepFrom - warmup,
      keepFrom,
      keepTo: Math.min(frames, keepFrom + length),
    };
  });
  return { lanes, steps: length + warmup };
}

/**
 * Speech probability of each 32 ms frame of a 16 kHz clip. The last partial frame is zero
 * padded, so the result covers the whole clip: ceil(length / 512) values.
 */
export async function speechProbabilities(
  pcm16k: Float32Array,
  model: SileroModel,
  options: VadRunOptions = {},
): Promise<Float32Array> {
  const frames = Math.ceil(pcm16k.length / SILERO_FRAME_SAMPLES);
  const probabilities = new Float32Array(frames);
  const { lanes, steps } = planLanes(frames, Math.max(1, options.maxLanes ?? MAX_LANES));
  const n = lanes.length;
  let state: Float32Array = new Float32Array(SILERO_STATE_SIZE * n);
  let input = new Float32Array(SILERO_INPUT_SAMPLES * n);
  const reportEvery = Math.max(1, Math.round(steps / 20));
  for (let t = 0; t < (frames === 0 ? 0 : steps); t++) {
    if (options.signal?.aborted) throw new AbortedError();
    const next = new Float32Array(SILERO_INPUT_SAMPLES * n);
    lanes.forEach((lane, b) => {
      const row = b * SILERO_INPUT_SAMPLES;
      // Context: the tail of this lane's previous frame (zeros before its first).
      if (t > 0) next.set(input.subarray(row + SILERO_FRAME_SAMPLES, row + SILERO_INPUT_SAMPLES), row);
      const start = (lane.firstFrame + t) * SILERO_FRAME_SAMPLES;
      if (start < pcm16k.length) {
        next.set(pcm16k.subarray(start, start + SILERO_FRAME_SAMPLES), row + SILERO_CONTEXT_SAMPLES);
      }
    });
    input = next;
    const result = await model.step(input.slice(), state, n);
    state = result.state;
    lanes.forEach((lane, b) => {
      const frame = lane.firstFrame + t;
      if (frame >= lane.keepFrom && frame < lane.keepTo) probabilities[frame] = result.probabilities[b]!;
    });
    if (options.onProgress && (t + 1) % reportEvery === 0) {
      options.onProgress({ kind: 'run', task: 'vad', done: t + 1, total: steps });
    }
  }
  options.onProgress?.({ kind: 'done', task: 'vad' });
  return probabilities;
}
