/**
 * Our TTS pipeline in Node, built from exactly the engine code the worker runs
 * (src/engine/text + src/engine/tts/synthesize.ts); only the I/O around it differs:
 * lexicons come from disk instead of fetch, and the KokoroRunner is an onnxruntime-web
 * (Node wasm build) or onnxruntime-node session instead of the worker's.
 */
import type { KokoroRunner } from '../../src/engine/tts/types';
import { availableParallelism } from 'node:os';
import * as ortWeb from 'onnxruntime-web';
import type { TextFrontend } from '../../src/engine/text';
import { synthesizeChunks } from '../../src/engine/tts/synthesize';
import { KokoroSessionRunner, type TensorConstructor } from '../../src/workers/ort/kokoro-runner';
import type { PipelineRun } from './tts-stats';

const DIALECT = 'en-us';
const SPEED = 1;

// The frontend and lexicon loader live in src/test-support (the unit tests use them too).
export { createBenchFrontend, createDiskLexiconLoader } from '../../src/test-support/text-frontend';

/** Same thread rule as src/workers/ort/runtime.ts on a cross-origin-isolated page. */
export function workerWasmThreads(): number {
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}

/** The studio's one Kokoro runner over onnxruntime-web's WASM build in Node, threaded as in the worker. */
export async function createWebWasmKokoroRunner(
  model: Uint8Array,
  fileName: string,
): Promise<KokoroSessionRunner> {
  ortWeb.env.wasm.numThreads = workerWasmThreads();
  ortWeb.env.logLevel = 'error';
  const session = await ortWeb.InferenceSession.create(model, {
    executionProviders: ['wasm'],
    graphOptimizationLevel: 'all',
  });
  return new KokoroSessionRunner(
    'wasm',
    'web-wasm',
    session,
    ortWeb.Tensor as unknown as TensorConstructor,
    fileName,
  );
}

/**
 * One request as the worker's `synthesize` handles it: prepare with stream chunking (sentences, a short first chunk), then
 * synthesise chunk by chunk. Time to first audio counts from before `prepare`.
 */
export async function runOurPipeline(
  frontend: TextFrontend,
  text: string,
  pack: Float32Array,
  runner: KokoroRunner,
): Promise<PipelineRun> {
  const startedMs = performance.now();
  const prepared = await frontend.prepare(text, DIALECT, { chunking: 'stream' });
  let inferenceMs = 0;
  let postprocessMs = 0;
  let firstAudioMs = 0;
  let samples = 0;
  let chunks = 0;
  for await (const chunk of synthesizeChunks(prepared.chunks, { pack, speed: SPEED, runner })) {
    if (chunks === 0) firstAudioMs = performance.now() - startedMs;
    chunks++;
    inferenceMs += chunk.inferenceMs;
    postprocessMs += chunk.postprocessMs;
    samples += chunk.pcm.length;
  }
  return {
    normaliseMs: prepared.timings.normaliseMs,
    phonemizeMs: prepared.timings.phonemizeMs,
    tokenizeMs: prepared.timings.tokenizeMs,
    inferenceMs,
    postprocessMs,
    firstAudioMs,
    totalMs: performance.now() - startedMs,
    tokens: prepared.chunks.reduce((sum, chunk) => sum + chunk.tokenIds.length, 0),
    firstChunkTokens: prepared.chunks.find((chunk) => chunk.tokenIds.length > 0)?.tokenIds.length ?? 0,
    chunks,
    samples,
  };
}
