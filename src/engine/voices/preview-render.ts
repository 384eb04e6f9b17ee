/**
 * One preview render: text prepared once (token chunks), spoken with a given pack. Shared by
 * the TTS worker's renderPreview and the arithmetic benchmark so both run the same code.
 */
import { concatPcm } from '../tts/postprocess';
import { synthesizeChunks, type ChunkInput, type SynthesisOptions } from '../tts/synthesize';
import type { Backend } from '../tts/types';

export interface PreviewAudio {
  pcm: Float32Array;
  inferenceMs: number;
  backend: Backend;
  /** Set when a chunk had to be re-run on WASM because WebGPU returned bad audio. */
  fellBack?: string;
}

/** Renders every chunk with `options.pack` and joins them; throws AbortedError when cancelled. */
export async function renderPreviewAudio(
  chunks: readonly ChunkInput[],
  options: SynthesisOptions,
): Promise<PreviewAudio> {
  const parts: Float32Array[] = [];
  let inferenceMs = 0;
  let backend = options.runner.backend;
  let fellBack: string | undefined;
  for await (const chunk of synthesizeChunks(chunks, options)) {
    parts.push(chunk.pcm);
    inferenceMs += chunk.inferenceMs;
    backend = chunk.backend;
    fellBack ??= chunk.fellBack;
  }
  if (parts.length === 0) throw new Error('The preview sentence has nothing Kokoro can say.');
  return { pcm: concatPcm(parts), inferenceMs, backend, ...(fellBack ? { fellBack } : {}) };
}
