/**
 * The fixture speaker encoder through onnxruntime-web (WASM), fed like the studio feeds the
 * real one: fixture-Kokoro audio at 24 kHz -> 16 kHz -> Kaldi fbank -> mean normalisation.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-web';
import { cosineSimilarity } from '../src/test-support/fixture-models/analysis';
import {
  createSession,
  phonemeIds,
  renderKokoro,
  runEncoder,
  styleRow,
  type Session,
} from '../src/test-support/fixture-models/fixture-pipeline';
import { buildFixtureKokoro } from '../src/test-support/fixture-models/kokoro-fixture';
import {
  buildFixtureEncoder,
  ENCODER_EMBEDDING_DIM,
  ENCODER_USED_BINS,
  readSpeakerCalibration,
} from '../src/test-support/fixture-models/speaker-fixture';
import { readVoicePack } from '../src/test-support/fixture-models/voice-stats';

const TEXT_A = phonemeIds('ðə nˈɔɹθ wˈɪnd ænd ðə sˈʌn wɜɹ dɪspjˈuɾɪŋ wˈɪʧ wʌz ðə stɹˈɔŋɡəɹ.');
const TEXT_B = phonemeIds('ʃi sˈɛlz sˈi ʃˈɛlz bˈI ðə sˈi ʃˈɔɹ, ænd ʃi ɪz vˈɛɹi hˈæpi.');
const VOICES = ['af_heart', 'am_adam', 'bf_emma', 'zm_yunxi', 'jf_alpha'];

let kokoro: Session;
let encoder: Session;

async function embed(ids: readonly number[], style: Float32Array): Promise<Float32Array> {
  return runEncoder(encoder, await renderKokoro(kokoro, ids, style));
}

function voiceStyle(voice: string, ids: readonly number[]): Float32Array {
  return styleRow(readVoicePack(voice), ids.length - 2);
}

beforeAll(async () => {
  kokoro = await createSession(buildFixtureKokoro());
  encoder = await createSession(buildFixtureEncoder());
});

describe('fixture speaker encoder: I/O contract', () => {
  it('has the WeSpeaker names, dtypes and a dynamic frame axis', () => {
    expect(encoder.inputNames).toEqual(['input_features']);
    expect(encoder.outputNames).toEqual(['last_hidden_state']);
    const input = encoder.inputMetadata[0]!;
    expect(input.isTensor && [input.type, input.shape]).toEqual(['float32', [1, 'num_frames', 80]]);
    const output = encoder.outputMetadata[0]!;
    expect(output.isTensor && [output.type, output.shape]).toEqual(['float32', [1, ENCODER_EMBEDDING_DIM]]);
  });

  const FRAME_COUNTS = [1, 37, 600];
  it.each(FRAME_COUNTS)(
    'returns a finite [1, 256] embedding for %i frames (including all-zero input)',
    async (frames) => {
      for (const fill of [() => 0, (i: number) => Math.sin(i * 0.37) * 3]) {
        const data = Float32Array.from({ length: frames * 80 }, (_, i) => fill(i));
        const result = await encoder.run({
          input_features: new ort.Tensor('float32', data, [1, frames, 80]),
        });
        const embedding = result.last_hidden_state!;
        expect(embedding.dims).toEqual([1, ENCODER_EMBEDDING_DIM]);
        expect(embedding.type).toBe('float32');
        expect((embedding.data as Float32Array).every(Number.isFinite)).toBe(true);
      }
    },
  );

  it('is small, deterministic and marked as a fixture', () => {
    const bytes = buildFixtureEncoder();
    expect(bytes.length).toBeLessThan(200 * 1024);
    expect(new TextDecoder().decode(bytes)).toContain('timbre_fixture');
    expect(buildFixtureEncoder()).toEqual(bytes);
    const calibration = readSpeakerCalibration();
    expect(calibration.meanShape).toHaveLength(ENCODER_USED_BINS);
    expect(calibration.spreadShape).toHaveLength(ENCODER_USED_BINS);
  });
});

describe('fixture speaker encoder: follows the voice', () => {
  it('scores the same voice on two texts above any two different voices', async () => {
    const a = new Map<string, Float32Array>();
    const b = new Map<string, Float32Array>();
    for (const voice of VOICES) {
      a.set(voice, await embed(TEXT_A, voiceStyle(voice, TEXT_A)));
      b.set(voice, await embed(TEXT_B, voiceStyle(voice, TEXT_B)));
    }
    const same = VOICES.map((v) => cosineSimilarity(a.get(v)!, b.get(v)!));
    const different = VOICES.flatMap((v) =>
      VOICES.filter((w) => w !== v).map((w) => cosineSimilarity(a.get(v)!, b.get(w)!)),
    );
    expect(Math.min(...same)).toBeGreaterThan(0.85);
    expect(Math.min(...same)).toBeGreaterThan(Math.max(...different));
    const mean = (x: number[]) => x.reduce((s, y) => s + y, 0) / x.length;
    expect(mean(same) - mean(different)).toBeGreaterThan(0.3);
  });

  const CHANGES = [
    { change: 'pitch and timing (prosody half)', half: 'prosody' },
    { change: 'spectral envelope (timbre half)', half: 'timbre' },
  ] as const;
  it.each(CHANGES)('moves when only the $change changes', async ({ half }) => {
    const heart = voiceStyle('af_heart', TEXT_A);
    const adam = voiceStyle('am_adam', TEXT_A);
    const mixed = new Float32Array(heart);
    const range = half === 'timbre' ? [0, 128] : [128, 256];
    mixed.set(adam.subarray(range[0], range[1]), range[0]);
    const base = await embed(TEXT_A, heart);
    const otherText = await embed(TEXT_B, voiceStyle('af_heart', TEXT_B));
    const changed = await embed(TEXT_A, mixed);
    // Changing half the voice moves the embedding more than changing every word.
    expect(cosineSimilarity(base, changed)).toBeLessThan(cosineSimilarity(base, otherText) - 0.1);
  });

  it('q8 variant gives nearly the same embeddings', async () => {
    const q8 = await createSession(buildFixtureEncoder({ variant: 'q8' }));
    for (const voice of ['af_heart', 'am_adam']) {
      const audio = await renderKokoro(kokoro, TEXT_A, voiceStyle(voice, TEXT_A));
      const expected = await runEncoder(encoder, audio);
      const actual = await runEncoder(q8, audio);
      expect(cosineSimilarity(expected, actual)).toBeGreaterThan(0.995);
      expect(actual).not.toEqual(expected);
    }
  });
});
