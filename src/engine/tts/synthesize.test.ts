import { describe, expect, it } from 'vitest';
import { checkAudio } from './audio-check';
import { concatPcm, fadeEdges } from './postprocess';
import { synthesizeChunks, withPads, type ChunkInput } from './synthesize';
import type { Backend, KokoroRunner } from './types';
import { readStockVoice } from '../../test-support/shared';

const tone = (n: number, amp = 0.3) => Float32Array.from({ length: n }, (_, i) => amp * Math.sin(i / 5));

describe('checkAudio', () => {
  const CASES: { name: string; pcm: Float32Array; ok: boolean; reason?: RegExp }[] = [
    { name: 'speech-like', pcm: tone(2400), ok: true },
    { name: 'NaN', pcm: Float32Array.from([0.1, Number.NaN, 0.2]), ok: false, reason: /NaN/ },
    { name: 'Inf', pcm: Float32Array.from([0.1, Number.POSITIVE_INFINITY]), ok: false, reason: /infinite/ },
    { name: 'absurd peak', pcm: Float32Array.from([0.1, 50, 0.1]), ok: false, reason: /peak/ },
    { name: 'absurd loudness', pcm: new Float32Array(100).fill(2), ok: false, reason: /loudness/ },
    { name: 'silence', pcm: new Float32Array(1000), ok: false, reason: /silence/ },
    { name: 'empty', pcm: new Float32Array(0), ok: false, reason: /no samples/ },
  ];
  for (const c of CASES) {
    it(c.name, () => {
      const verdict = checkAudio(c.pcm);
      expect(verdict.ok).toBe(c.ok);
      if (!verdict.ok && c.reason) expect(verdict.reason).toMatch(c.reason);
    });
  }
});

describe('postprocess', () => {
  it('fades both edges to zero and leaves the middle alone', () => {
    const pcm = fadeEdges(new Float32Array(24_000).fill(0.5));
    expect(pcm[0]).toBe(0);
    expect(Math.abs(pcm[pcm.length - 1]!)).toBeLessThan(1e-6);
    expect(pcm[12_000]).toBe(0.5);
  });
  it('concatenates in order', () => {
    expect(Array.from(concatPcm([Float32Array.of(1, 2), Float32Array.of(3)]))).toEqual([1, 2, 3]);
  });
});

class FakeRunner implements KokoroRunner {
  calls: { ids: readonly number[]; style: Float32Array; speed: number }[] = [];
  constructor(
    readonly backend: Backend,
    private readonly output: (ids: readonly number[]) => Float32Array,
  ) {}
  async run(ids: readonly number[], style: Float32Array, speed: number) {
    this.calls.push({ ids, style, speed });
    return this.output(ids);
  }
}

const CHUNKS: ChunkInput[] = [
  { start: 0, end: 10, tokenIds: [50, 51, 52] },
  { start: 11, end: 20, tokenIds: [53, 54] },
  { start: 21, end: 30, tokenIds: [55, 56, 57, 58] },
];

describe('synthesizeChunks', () => {
  const pack = readStockVoice('af_heart');

  it('runs every chunk in order with pads and the style row for its token count', async () => {
    const runner = new FakeRunner('wasm', (ids) => tone(ids.length * 600));
    const out = [];
    for await (const c of synthesizeChunks(CHUNKS, { pack, speed: 1.2, runner })) out.push(c);
    expect(out.map((c) => [c.index, c.start, c.end])).toEqual([
      [0, 0, 10],
      [1, 11, 20],
      [2, 21, 30],
    ]);
    expect(runner.calls[0]!.ids).toEqual(withPads([50, 51, 52]));
    expect(runner.calls[0]!.ids[0]).toBe(0);
    expect(runner.calls.every((c) => c.speed === 1.2)).toBe(true);
    // Style row rule: pack[tokens - 1] (the official pipeline's pack[len(ps) - 1]).
    expect(Array.from(runner.calls[1]!.style)).toEqual(Array.from(pack.subarray(1 * 256, 2 * 256)));
    expect(out[2]!.pcm.length).toBe(6 * 600);
  });

  it('re-runs a chunk on the fallback when WebGPU returns NaN, and stays there', async () => {
    const gpu = new FakeRunner('webgpu', (ids) =>
      ids.length === 4 ? new Float32Array(10).fill(Number.NaN) : tone(100),
    );
    const wasm = new FakeRunner('wasm', () => tone(100));
    const reasons: string[] = [];
    const out = [];
    const stream = synthesizeChunks(CHUNKS, {
      pack,
      speed: 1,
      runner: gpu,
      getFallback: async (reason) => {
        reasons.push(reason);
        return wasm;
      },
    });
    for await (const c of stream) out.push(c);
    expect(out.map((c) => c.backend)).toEqual(['webgpu', 'wasm', 'wasm']);
    expect(out[1]!.fellBack).toMatch(/NaN/);
    expect(reasons).toHaveLength(1);
    expect(wasm.calls).toHaveLength(2);
  });

  it('fails clearly when WASM output is bad too', async () => {
    const wasm = new FakeRunner('wasm', () => new Float32Array(10).fill(Number.NaN));
    const run = async () => {
      for await (const _ of synthesizeChunks(CHUNKS, { pack, speed: 1, runner: wasm })) void _;
    };
    await expect(run()).rejects.toThrow(/unusable audio on wasm: the model returned NaN/);
  });

  it('stops between chunks when aborted', async () => {
    const controller = new AbortController();
    const runner = new FakeRunner('wasm', () => tone(100));
    const seen: number[] = [];
    const run = async () => {
      for await (const c of synthesizeChunks(CHUNKS, { pack, speed: 1, runner, signal: controller.signal })) {
        seen.push(c.index);
        controller.abort();
      }
    };
    await expect(run()).rejects.toThrow(/Cancelled/);
    expect(seen).toEqual([0]);
    expect(runner.calls).toHaveLength(1);
  });
});
