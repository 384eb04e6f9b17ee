/**
 * Intelligibility on the real Kokoro-82M int8: af_heart reads Harvard sentences (lists 1 and
 * 2) twice, once from Timbre's text frontend and once from misaki's token ids (the official
 * pipeline's G2P, golden data in src/engine/text/golden/g2p-misaki.json), and an ASR
 * (PocketSphinx 5.1.1, extracted by `npm run models:real`) transcribes both. PocketSphinx is
 * weak on synthetic speech, so only the difference means something: Timbre's word error rate
 * must not be worse than misaki's by more than 3 points.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { corpusWordErrorRate, wordErrors } from '../../engine/text/word-error-rate';
import { synthesizeChunks } from '../../engine/tts/synthesize';
import { KOKORO_SAMPLE_RATE_HZ } from '../../engine/tts/types';
import corpus from '../../engine/text/golden/g2p-corpus.json';
import misaki from '../../engine/text/golden/g2p-misaki.json';
import { transcribe } from '../../test-support/asr';
import { realKokoroRunner } from '../../test-support/real-models';
import { readStockVoice } from '../../test-support/shared';
import { createBenchFrontend, createDiskLexiconLoader } from '../../test-support/text-frontend';
import type { KokoroSessionRunner } from './kokoro-runner';

/** The corpus opens with Harvard lists 1 and 2 (20 sentences, American English). */
const HARVARD_COUNT = 20;
const MAX_POINTS_WORSE = 3;

let runner: KokoroSessionRunner;

beforeAll(async () => {
  runner = await realKokoroRunner(2);
});

async function render(tokenIds: readonly number[], pack: Float32Array): Promise<Float32Array> {
  const parts: Float32Array[] = [];
  for await (const chunk of synthesizeChunks([{ tokenIds, start: 0, end: 0 }], { pack, speed: 1, runner }))
    parts.push(chunk.pcm);
  if (parts.length !== 1) throw new Error(`expected one rendering, got ${parts.length}`);
  return parts[0]!;
}

describe('intelligibility: Timbre against misaki tokens, through an ASR', () => {
  it(`af_heart reading Harvard sentences: WER no more than ${MAX_POINTS_WORSE} points above misaki's`, async () => {
    const sentences = corpus.sentences.slice(0, HARVARD_COUNT);
    expect(sentences.every((s) => s.dialect === 'en-us')).toBe(true);
    expect(sentences[0]!.text).toBe('The birch canoe slid on the smooth planks.');
    const golden = misaki.sentences.slice(0, HARVARD_COUNT);
    expect(golden.map((g) => g.text)).toEqual(sentences.map((s) => s.text));

    const frontend = await createBenchFrontend(createDiskLexiconLoader());
    const pack = readStockVoice('af_heart');
    const ours: Float32Array[] = [];
    const theirs: Float32Array[] = [];
    for (const [i, sentence] of sentences.entries()) {
      const prepared = await frontend.prepare(sentence.text, 'en-us', { chunking: 'sentence' });
      const ids = prepared.chunks.flatMap((c) => c.tokenIds);
      ours.push(await render(ids, pack));
      theirs.push(await render(golden[i]!.ids, pack));
    }
    const heard = await transcribe(
      [...ours, ...theirs].map((pcm) => ({ pcm, sampleRateHz: KOKORO_SAMPLE_RATE_HZ })),
    );
    const oursHeard = heard.slice(0, sentences.length);
    const theirsHeard = heard.slice(sentences.length);
    sentences.forEach((s, i) => {
      const a = wordErrors(s.text, oursHeard[i]!).rate;
      const b = wordErrors(s.text, theirsHeard[i]!).rate;
      console.log(
        `ASR ${String(i + 1).padStart(2)}: "${s.text}"\n   timbre (${(a * 100).toFixed(0)} %): ${oursHeard[i]}\n   misaki (${(b * 100).toFixed(0)} %): ${theirsHeard[i]}`,
      );
    });
    const werOurs = corpusWordErrorRate(
      sentences.map((s, i) => ({ reference: s.text, hypothesis: oursHeard[i]! })),
    );
    const werTheirs = corpusWordErrorRate(
      sentences.map((s, i) => ({ reference: s.text, hypothesis: theirsHeard[i]! })),
    );
    console.log(
      `ASR word error rate over ${sentences.length} Harvard sentences (af_heart, Kokoro int8, PocketSphinx 5.1.1): ` +
        `timbre ${(werOurs * 100).toFixed(1)} %, misaki tokens ${(werTheirs * 100).toFixed(1)} %`,
    );
    // The ASR must hear something: a transcript of nothing would make both rates 100 % and equal.
    expect(werTheirs).toBeLessThan(0.9);
    expect((werOurs - werTheirs) * 100).toBeLessThanOrEqual(MAX_POINTS_WORSE);
  });
});
