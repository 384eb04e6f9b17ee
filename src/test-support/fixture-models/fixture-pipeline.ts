/**
 * Running the fixture models the way the studio does (Node, onnxruntime-web's WASM build):
 * phoneme ids with pads, the style row for a token count, 24 kHz rendering, and speaker
 * embeddings through the engine's resampler and Kaldi fbank. Shared by the fixture tests
 * and the speaker-encoder calibration.
 */
import * as ort from 'onnxruntime-web';
import { computeFbank, FBANK_MEL_BINS, FBANK_SAMPLE_RATE_HZ, meanNormalise } from '../../engine/audio/fbank';
import { resample } from '../../engine/audio/resample';
import { KokoroSessionRunner, type TensorConstructor } from '../../workers/ort/kokoro-runner';
import { KOKORO_SAMPLE_RATE_HZ } from './kokoro-fixture';
import { PAD_ID, readKokoroVocab } from './token-classes';
import { PACK_ROWS, STYLE_DIM } from './voice-stats';

export type Session = ort.InferenceSession;

export function createSession(model: Uint8Array): Promise<Session> {
  return ort.InferenceSession.create(model, { executionProviders: ['wasm'] });
}

let vocab: Record<string, number> | undefined;

/** Token ids for a phoneme string (unknown symbols dropped), with a pad at both ends. */
export function phonemeIds(phonemes: string): number[] {
  vocab ??= readKokoroVocab();
  const table = vocab;
  const ids = [...phonemes].map((symbol) => table[symbol]).filter((id): id is number => id !== undefined);
  return [PAD_ID, ...ids, PAD_ID];
}

/** Row `tokenCount` (without pads, clamped) of a [510, 1, 256] voice pack, as kokoro-js does. */
export function styleRow(pack: Float32Array, tokenCount: number): Float32Array {
  const row = Math.min(Math.max(tokenCount, 0), PACK_ROWS - 1);
  return pack.slice(row * STYLE_DIM, (row + 1) * STYLE_DIM);
}

const runners = new WeakMap<Session, KokoroSessionRunner>();

/** The studio's one Kokoro runner over `session` (one per session). */
export function kokoroRunner(session: Session): KokoroSessionRunner {
  let runner = runners.get(session);
  if (!runner) {
    runner = new KokoroSessionRunner(
      'wasm',
      'fixture',
      session,
      ort.Tensor as unknown as TensorConstructor,
      'fixture kokoro',
    );
    runners.set(session, runner);
  }
  return runner;
}

export async function renderKokoro(
  session: Session,
  ids: readonly number[],
  style: Float32Array,
  speed = 1,
): Promise<Float32Array> {
  return kokoroRunner(session).run(ids, style, speed);
}

/** Mean-normalised 16 kHz Kaldi fbank of 24 kHz audio, as the studio feeds the encoder. */
export function encoderFeatures(pcm24k: Float32Array): { data: Float32Array; frames: number } {
  const fbank = meanNormalise(computeFbank(resample(pcm24k, KOKORO_SAMPLE_RATE_HZ, FBANK_SAMPLE_RATE_HZ)));
  return { data: fbank.data, frames: fbank.frames };
}

/** Runs the encoder (or its calibration graph) on 24 kHz audio; returns the named output. */
export async function runEncoder(
  session: Session,
  pcm24k: Float32Array,
  output = 'last_hidden_state',
): Promise<Float32Array> {
  const { data, frames } = encoderFeatures(pcm24k);
  const result = await session.run({
    input_features: new ort.Tensor('float32', data, [1, frames, FBANK_MEL_BINS]),
  });
  return result[output]!.data as Float32Array;
}
