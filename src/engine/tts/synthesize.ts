/**
 * Chunk-by-chunk synthesis, independent of what runs the model. Yields each chunk as soon
 * as it is ready so playback can start while the rest is synthesised. Validates every
 * chunk; bad WebGPU output re-runs that chunk on the fallback runner (WASM).
 */
import { throwIfAborted } from '../progress';
import { styleForTokens } from '../voices/style';
import { checkAudio } from './audio-check';
import { fadeEdges } from './postprocess';
import { PAD_TOKEN_ID, type Backend, type KokoroRunner } from './types';

export interface ChunkInput {
  start: number;
  end: number;
  tokenIds: readonly number[];
}

export interface SynthesizedChunk {
  index: number;
  total: number;
  start: number;
  end: number;
  pcm: Float32Array;
  backend: Backend;
  /** Why this chunk was re-run on the fallback backend, when it was. */
  fellBack?: string;
  inferenceMs: number;
  postprocessMs: number;
}

export interface SynthesisOptions {
  /** Voice pack, float32 [510*256]. */
  pack: Float32Array;
  speed: number;
  runner: KokoroRunner;
  /** Called once when the primary runner returns bad audio; resolves to a WASM runner. */
  getFallback?: (reason: string) => Promise<KokoroRunner>;
  signal?: AbortSignal;
}

export class BadAudioError extends Error {
  override name = 'BadAudioError';
}

function nextMacrotask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

export function withPads(tokenIds: readonly number[]): number[] {
  return [PAD_TOKEN_ID, ...tokenIds, PAD_TOKEN_ID];
}

export async function* synthesizeChunks(
  chunks: readonly ChunkInput[],
  options: SynthesisOptions,
): AsyncGenerator<SynthesizedChunk> {
  let runner = options.runner;
  for (let index = 0; index < chunks.length; index++) {
    // Let the worker's message queue run (a Stop arrives as a message): inference promises
    // resolve as microtasks, which would otherwise starve it for the whole text.
    if (index > 0) await nextMacrotask();
    throwIfAborted(options.signal);
    const chunk = chunks[index]!;
    if (chunk.tokenIds.length === 0) continue;
    const style = styleForTokens(options.pack, chunk.tokenIds.length);
    const inputIds = withPads(chunk.tokenIds);

    const t0 = performance.now();
    let pcm = await runner.run(inputIds, style, options.speed);
    let verdict = checkAudio(pcm);
    let fellBack: string | undefined;
    if (!verdict.ok && runner.backend !== 'wasm' && options.getFallback) {
      fellBack = `${runner.backend} returned bad audio (${verdict.reason})`;
      runner = await options.getFallback(fellBack);
      throwIfAborted(options.signal);
      pcm = await runner.run(inputIds, style, options.speed);
      verdict = checkAudio(pcm);
    }
    if (!verdict.ok) {
      throw new BadAudioError(`Kokoro returned unusable audio on ${runner.backend}: ${verdict.reason}.`);
    }
    const t1 = performance.now();
    fadeEdges(pcm);
    const t2 = performance.now();
    yield {
      index,
      total: chunks.length,
      start: chunk.start,
      end: chunk.end,
      pcm,
      backend: runner.backend,
      ...(fellBack ? { fellBack } : {}),
      inferenceMs: t1 - t0,
      postprocessMs: t2 - t1,
    };
  }
}
