/**
 * kokoro-js 1.2.1 (transformers.js 3.8 -> onnxruntime-node in Node) on a local copy of the
 * fixture model, with its stages timed from outside: kokoro-js exports neither its
 * normaliser nor its phonemiser, so the instance's `tokenizer` and `model` are wrapped
 * and the gaps between their calls are attributed per sentence:
 *
 *   normalise+phonemize = generator resumed -> tokenizer called (its internal text
 *                         normalisation, eSpeak, and its IPA fix-ups; not separable)
 *   tokenize            = sentence splitting (TextSplitterStream) + the tokenizer call
 *   inference           = the model call (transformers' wrapper around session.run)
 *   post-process        = model returned -> chunk yielded (RawAudio wrapping only)
 *
 * Streaming uses a TextSplitterStream we close ourselves: `stream(string)` never closes its
 * splitter, so the last sentence is never spoken and the generator never finishes.
 */
import { rmSync } from 'node:fs';
import { env } from '@huggingface/transformers';
import { KokoroTTS, TextSplitterStream } from 'kokoro-js';
import { writeKokoroHubLayout } from './tts-hub-layout';
import type { PipelineRun } from './tts-stats';

export const KOKORO_JS_VOICE = 'af_heart';

type Callable = (...args: unknown[]) => unknown;

interface StageClock {
  tokenizerStartMs: number;
  tokenizerEndMs: number;
  modelStartMs: number;
  modelEndMs: number;
  tokens: number;
}

export interface InstrumentedKokoroJs {
  tts: KokoroTTS;
  run(text: string): Promise<PipelineRun>;
  /** Deletes the temp copy of the model. */
  dispose(): void;
}

export async function loadKokoroJs(onnxPath: string): Promise<InstrumentedKokoroJs> {
  const layout = writeKokoroHubLayout(onnxPath);
  env.localModelPath = layout.root;
  env.allowLocalModels = true;
  env.allowRemoteModels = false;
  const tts = await KokoroTTS.from_pretrained(layout.modelId, { dtype: 'q8', device: 'cpu' });

  const clock: StageClock = {
    tokenizerStartMs: 0,
    tokenizerEndMs: 0,
    modelStartMs: 0,
    modelEndMs: 0,
    tokens: 0,
  };
  const tokenizer = tts.tokenizer as unknown as Callable;
  const model = tts.model as unknown as Callable;
  const timedTokenizer = (...args: unknown[]) => {
    clock.tokenizerStartMs = performance.now();
    const encoded = tokenizer(...args) as { input_ids: { dims: number[] } };
    clock.tokenizerEndMs = performance.now();
    clock.tokens = Math.max(0, (encoded.input_ids.dims.at(-1) ?? 2) - 2);
    return encoded;
  };
  const timedModel = async (...args: unknown[]) => {
    clock.modelStartMs = performance.now();
    const outputs = await model(...args);
    clock.modelEndMs = performance.now();
    return outputs;
  };
  Object.assign(tts, { tokenizer: timedTokenizer, model: timedModel });

  async function run(text: string): Promise<PipelineRun> {
    const startedMs = performance.now();
    const splitter = new TextSplitterStream();
    splitter.push(text);
    splitter.close();
    const splitMs = performance.now() - startedMs;
    const totals = { phonemizeMs: 0, tokenizeMs: splitMs, inferenceMs: 0, postprocessMs: 0 };
    let firstAudioMs = 0;
    let tokens = 0;
    let firstChunkTokens = 0;
    let samples = 0;
    let chunks = 0;
    let resumedMs = performance.now();
    for await (const chunk of tts.stream(splitter, { voice: KOKORO_JS_VOICE })) {
      const yieldedMs = performance.now();
      if (chunks === 0) {
        firstAudioMs = yieldedMs - startedMs;
        firstChunkTokens = clock.tokens;
      }
      chunks++;
      totals.phonemizeMs += clock.tokenizerStartMs - resumedMs;
      totals.tokenizeMs += clock.tokenizerEndMs - clock.tokenizerStartMs;
      totals.inferenceMs += clock.modelEndMs - clock.modelStartMs;
      totals.postprocessMs += yieldedMs - clock.modelEndMs;
      tokens += clock.tokens;
      samples += chunk.audio.audio.length;
      resumedMs = performance.now();
    }
    return {
      normaliseMs: NaN,
      ...totals,
      firstAudioMs,
      totalMs: performance.now() - startedMs,
      tokens,
      firstChunkTokens,
      chunks,
      samples,
    };
  }

  return {
    tts,
    run,
    dispose: () => rmSync(layout.root, { recursive: true, force: true }),
  };
}
