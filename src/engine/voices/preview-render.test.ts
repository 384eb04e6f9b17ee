import { describe, expect, it } from 'vitest';
import { AbortedError } from '../progress';
import type { KokoroRunner } from '../tts/types';
import { PACK_LENGTH, STYLE_DIM } from './pack';
import { renderPreviewAudio } from './preview-render';
import { styleRowIndex } from './style';

/** A runner whose "audio" is the style's first value repeated once per input id. */
function fakeRunner(calls: { ids: readonly number[]; style0: number }[]): KokoroRunner {
  return {
    backend: 'wasm',
    run: async (ids, style) => {
      calls.push({ ids, style0: style[0]! });
      return new Float32Array(ids.length * 100).fill(style[0]!);
    },
  };
}

/** A pack whose row r is filled with r/1000, so the chosen row shows in the output. */
function rowPack(): Float32Array {
  const pack = new Float32Array(PACK_LENGTH);
  for (let i = 0; i < pack.length; i++) pack[i] = Math.floor(i / STYLE_DIM) / 1000;
  return pack;
}

const CASES = [
  { name: 'one chunk', chunks: [[5, 6, 7]] },
  { name: 'two chunks, one empty skipped', chunks: [[5, 6], [], [8, 9, 10, 11]] },
];

describe('renderPreviewAudio', () => {
  it.each(CASES)('$name: joins chunk audio, each styled by its own token count', async ({ chunks }) => {
    const calls: { ids: readonly number[]; style0: number }[] = [];
    const input = chunks.map((tokenIds, i) => ({ start: i, end: i + 1, tokenIds }));
    const audio = await renderPreviewAudio(input, { pack: rowPack(), speed: 1, runner: fakeRunner(calls) });
    const spoken = chunks.filter((c) => c.length > 0);
    expect(calls.map((c) => c.ids)).toEqual(spoken.map((c) => [0, ...c, 0]));
    expect(calls.map((c) => c.style0)).toEqual(
      spoken.map((c) => Math.fround(styleRowIndex(c.length) / 1000)),
    );
    expect(audio.pcm.length).toBe(spoken.reduce((n, c) => n + (c.length + 2) * 100, 0));
    expect(audio.backend).toBe('wasm');
    expect(audio.fellBack).toBeUndefined();
  });

  it('a cancelled render throws AbortedError and runs nothing', async () => {
    const calls: { ids: readonly number[]; style0: number }[] = [];
    const controller = new AbortController();
    controller.abort();
    const render = renderPreviewAudio([{ start: 0, end: 1, tokenIds: [5] }], {
      pack: rowPack(),
      speed: 1,
      runner: fakeRunner(calls),
      signal: controller.signal,
    });
    await expect(render).rejects.toBeInstanceOf(AbortedError);
    expect(calls).toEqual([]);
  });

  it('text with no tokens is an error, not silence', async () => {
    const render = renderPreviewAudio([{ start: 0, end: 1, tokenIds: [] }], {
      pack: rowPack(),
      speed: 1,
      runner: fakeRunner([]),
    });
    await expect(render).rejects.toThrow(/nothing Kokoro can say/);
  });
});
