/** The Silero driver's framing and lanes, with a stand-in model that reads its input back. */
import { describe, expect, it } from 'vitest';
import {
  MAX_LANES,
  SILERO_CONTEXT_SAMPLES,
  SILERO_FRAME_SAMPLES,
  SILERO_INPUT_SAMPLES,
  speechProbabilities,
  type SileroModel,
} from './silero';

/**
 * "Probability" = the first new sample of the row; checks that every row's context is the
 * tail of the frame that lane fed before (or zeros at a lane's start) and that the state
 * comes back as it was returned.
 */
class EchoModel implements SileroModel {
  calls: number[] = [];
  contextErrors = 0;
  private previous = new Map<number, Float32Array>();
  async step(input: Float32Array, state: Float32Array, lanes: number) {
    this.calls.push(lanes);
    const probabilities = new Float32Array(lanes);
    for (let b = 0; b < lanes; b++) {
      const row = input.subarray(b * SILERO_INPUT_SAMPLES, (b + 1) * SILERO_INPUT_SAMPLES);
      const before = this.previous.get(b);
      const expected = before
        ? before.subarray(SILERO_FRAME_SAMPLES)
        : new Float32Array(SILERO_CONTEXT_SAMPLES);
      for (let i = 0; i < SILERO_CONTEXT_SAMPLES; i++) if (row[i] !== expected[i]) this.contextErrors++;
      this.previous.set(b, row.slice());
      probabilities[b] = row[SILERO_CONTEXT_SAMPLES]!;
      expect(state[b]).toBe(this.calls.length - 1); // the state we returned last time
    }
    return { probabilities, state: new Float32Array(state.length).fill(this.calls.length) };
  }
}

/** Sample f*512 holds f, so frame f's "probability" is f. */
function numbered(frames: number, tail = 0): Float32Array {
  const pcm = Float32Array.from({ length: frames * SILERO_FRAME_SAMPLES + tail }, (_, i) => i / 1e6);
  for (let f = 0; f * SILERO_FRAME_SAMPLES < pcm.length; f++) pcm[f * SILERO_FRAME_SAMPLES] = f;
  return pcm;
}

describe('speechProbabilities', () => {
  const CASES = [
    { name: 'empty clip', frames: 0, tail: 0, maxLanes: MAX_LANES, lanes: 0 },
    { name: 'partial frame only', frames: 0, tail: 100, maxLanes: MAX_LANES, lanes: 1 },
    { name: 'short clip: one lane', frames: 100, tail: 7, maxLanes: MAX_LANES, lanes: 1 },
    { name: 'long clip: several lanes', frames: 1000, tail: 300, maxLanes: MAX_LANES, lanes: 7 },
    { name: 'very long clip: lanes capped', frames: 5000, tail: 0, maxLanes: MAX_LANES, lanes: MAX_LANES },
    { name: 'sequential on request', frames: 1000, tail: 0, maxLanes: 1, lanes: 1 },
  ];
  it.each(CASES)('$name', async ({ frames, tail, maxLanes, lanes }) => {
    const pcm = numbered(frames, tail);
    const model = new EchoModel();
    const out = await speechProbabilities(pcm, model, { maxLanes });
    const expectedFrames = Math.ceil(pcm.length / SILERO_FRAME_SAMPLES);
    expect(out.length).toBe(expectedFrames);
    expect(Array.from(out)).toEqual(Array.from({ length: expectedFrames }, (_, f) => f));
    expect(model.contextErrors).toBe(0);
    expect(new Set(model.calls)).toEqual(new Set(lanes ? [lanes] : []));
    if (lanes > 1) expect(model.calls.length).toBeLessThan(expectedFrames / 2); // batching pays off
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      speechProbabilities(numbered(10), new EchoModel(), { signal: controller.signal }),
    ).rejects.toThrow(/Cancelled/);
  });
});
