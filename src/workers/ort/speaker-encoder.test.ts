/**
 * The worker's encoder adapter on the fixture encoder (WeSpeaker's I/O contract), through
 * onnxruntime-web's Node build, fed the engine's mean-normalised fbank of espeak-ng speech.
 */
import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildFixtureEncoder } from '../../test-support/fixture-models/speaker-fixture';
import { computeFbank, meanNormalise } from '../../engine/audio/fbank';
import { cosineSimilarity } from '../../engine/reference/similarity';
import { espeakSpeech } from '../../test-support/audio';
import { OrtSpeakerEncoder } from './speaker-encoder';

const SENTENCES = [
  'The quick brown fox jumps over the lazy dog while the farmer watches.',
  'A rainbow is a division of white light into many beautiful colours.',
];

describe('OrtSpeakerEncoder', () => {
  let encoder: OrtSpeakerEncoder;
  const embed = (text: string, voice: string, pitch: number) =>
    encoder.embed(meanNormalise(computeFbank(espeakSpeech(text, 16000, { voice, pitch }).pcm)));

  beforeAll(async () => {
    ort.env.wasm.numThreads = 1;
    const session = await ort.InferenceSession.create(buildFixtureEncoder());
    encoder = new OrtSpeakerEncoder('wasm', 'fp32', session, ort);
  });

  it('returns a 256-d embedding, the same for the same audio', async () => {
    const a = await embed(SENTENCES[0]!, 'en-us+m3', 35);
    const b = await embed(SENTENCES[0]!, 'en-us+m3', 35);
    expect(a.length).toBe(256);
    expect(Array.from(a)).toEqual(Array.from(b));
  });

  it('scores two sentences of one voice above the same sentences in another voice', async () => {
    const [low1, low2, high1] = await Promise.all([
      embed(SENTENCES[0]!, 'en-us+m3', 35),
      embed(SENTENCES[1]!, 'en-us+m3', 35),
      embed(SENTENCES[0]!, 'en-us+f3', 75),
    ]);
    expect(cosineSimilarity(low1, low2)).toBeGreaterThan(cosineSimilarity(low1, high1) + 0.1);
  });

  it("refuses an embedding whose size is not the manifest's embeddingDim", async () => {
    const session = await ort.InferenceSession.create(buildFixtureEncoder());
    const strict = new OrtSpeakerEncoder('wasm', 'fp32', session, ort, 192);
    await expect(
      strict.embed(meanNormalise(computeFbank(espeakSpeech(SENTENCES[0]!, 16000).pcm))),
    ).rejects.toThrow(/embedding of 256 values; the manifest says 192/);
    await strict.release();
  });

  it('refuses a model without the encoder input', async () => {
    const fake = { inputNames: ['feats'] } as unknown as ort.InferenceSession;
    expect(() => new OrtSpeakerEncoder('wasm', 'fp32', fake, ort)).toThrow(/input_features/);
  });
});
