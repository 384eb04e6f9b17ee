/** The clone path trusts no rendering or measurement blindly. */
import { describe, expect, it } from 'vitest';
import type { Backend, KokoroRunner } from '../tts/types';
import { BadMeasurementError, createFbankEmbedder, createKokoroRenderer } from './render';

const PACK = new Float32Array(510 * 256).fill(0.1);
const PROBE = { id: 'probe', tokenIds: [50, 83, 156] };
const speech = () => Float32Array.from({ length: 24_000 }, (_, i) => 0.3 * Math.sin(i / 7));

function runner(backend: Backend, output: () => Float32Array): KokoroRunner & { calls: number } {
  const r = {
    backend,
    calls: 0,
    run: async () => {
      r.calls++;
      return output();
    },
  };
  return r;
}

describe('createKokoroRenderer checks every rendering', () => {
  it('re-renders bad WebGPU audio on the WASM fallback, asked for once', async () => {
    const gpu = runner('webgpu', () => new Float32Array(24_000).fill(Number.NaN));
    const wasm = runner('wasm', speech);
    let asked = 0;
    const renderer = createKokoroRenderer(gpu, 'k', {
      fallback: async () => {
        asked++;
        return wasm;
      },
    });
    expect(await renderer.render(PACK, PROBE)).toEqual(speech());
    await renderer.render(PACK, PROBE);
    expect(asked).toBe(1);
    expect(wasm.calls).toBe(2);
  });

  for (const [name, output] of [
    ['NaN', () => new Float32Array(24_000).fill(Number.NaN)],
    ['silence', () => new Float32Array(24_000)],
    ['an absurd peak', () => new Float32Array(24_000).fill(40)],
  ] as const) {
    it(`refuses ${name} on WASM with a BadMeasurementError`, async () => {
      const renderer = createKokoroRenderer(runner('wasm', output), 'k');
      await expect(renderer.render(PACK, PROBE)).rejects.toBeInstanceOf(BadMeasurementError);
    });
  }

  it('refuses when the fallback is bad too', async () => {
    const renderer = createKokoroRenderer(
      runner('webgpu', () => new Float32Array(100)),
      'k',
      {
        fallback: async () => runner('wasm', () => new Float32Array(100)),
      },
    );
    await expect(renderer.render(PACK, PROBE)).rejects.toThrow(/unusable audio/);
  });
});

describe('createFbankEmbedder checks every embedding', () => {
  for (const [name, values] of [
    ['NaN', [Number.NaN, 0.1]],
    ['zeros', [0, 0]],
    ['nothing', []],
  ] as const) {
    it(`refuses an embedding of ${name}`, async () => {
      const embedder = createFbankEmbedder({ run: async () => Float32Array.from(values) }, 'e');
      await expect(embedder.embed(new Float32Array(16_000).fill(0.1))).rejects.toBeInstanceOf(
        BadMeasurementError,
      );
    });
  }
});
