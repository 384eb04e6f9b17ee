/**
 * Silero VAD v5 (the ONNX file shipped inside @ricky0123/vad-web) run through onnxruntime-web's
 * Node build on espeak-ng speech with inserted silence: the speech must be kept and the
 * silence removed.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { OrtSileroModel } from './speaker-silero';
import { espeakSpeech } from '../../test-support/audio';
import { cleanClip, ingestAudio } from '../../engine/reference/clean';
import { SILERO_SAMPLE_RATE_HZ, speechProbabilities } from '../../engine/reference/silero';
import { speechSegments, trimToSegments, type SpeechSegment } from '../../engine/reference/vad-segments';

const RATE_HZ = SILERO_SAMPLE_RATE_HZ;
const LEAD_SILENCE_S = 1;
const GAP_SILENCE_S = 2;
const TAIL_SILENCE_S = 1.5;
const INSERTED_SILENCE_S = LEAD_SILENCE_S + GAP_SILENCE_S + TAIL_SILENCE_S;
/** A quiet room: -66 dBFS white noise under everything, so "silence" is not digital zero. */
const NOISE_FLOOR = 0.0005;
const BLOCK_S = 0.01;

function sileroPath(): string {
  const require = createRequire(import.meta.url);
  return require.resolve('@ricky0123/vad-web/dist/silero_vad_v5.onnx');
}

function seededNoise(length: number, amplitude: number, seed = 1): Float32Array {
  const out = new Float32Array(length);
  let s = seed;
  for (let i = 0; i < length; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    out[i] = ((s / 2 ** 32) * 2 - 1) * amplitude;
  }
  return out;
}

interface Fixture {
  pcm: Float32Array;
  /** Where the inserted silences are, seconds. */
  silences: [number, number][];
}

function speechWithSilence(): Fixture {
  const a = espeakSpeech('The quick brown fox jumps over the lazy dog.', RATE_HZ).pcm;
  const b = espeakSpeech('Please call Stella and ask her to bring these things.', RATE_HZ).pcm;
  const parts = [LEAD_SILENCE_S * RATE_HZ, a, GAP_SILENCE_S * RATE_HZ, b, TAIL_SILENCE_S * RATE_HZ];
  const length = parts.reduce<number>((n, p) => n + (typeof p === 'number' ? p : p.length), 0);
  const pcm = seededNoise(length, NOISE_FLOOR);
  const silences: [number, number][] = [];
  let offset = 0;
  for (const part of parts) {
    if (typeof part === 'number') silences.push([offset / RATE_HZ, (offset + part) / RATE_HZ]);
    else for (let i = 0; i < part.length; i++) pcm[offset + i]! += part[i]!;
    offset += typeof part === 'number' ? part : part.length;
  }
  return { pcm, silences };
}

/** Start times of 10 ms blocks within 35 dB of the loudest block: where the speech is. */
function activeBlocks(pcm: Float32Array): number[] {
  const block = Math.round(BLOCK_S * RATE_HZ);
  const energies: number[] = [];
  for (let start = 0; start + block <= pcm.length; start += block) {
    let sum = 0;
    for (let i = start; i < start + block; i++) sum += pcm[i]! * pcm[i]!;
    energies.push(sum / block);
  }
  const loudest = Math.max(...energies);
  return energies.flatMap((e, i) => (10 * Math.log10(e / loudest) > -35 ? [i * BLOCK_S] : []));
}

function covered(t: number, segments: readonly SpeechSegment[]): boolean {
  return segments.some((s) => t >= s.startS && t + BLOCK_S <= s.endS + 1e-9);
}

function energy(pcm: Float32Array): number {
  let sum = 0;
  for (const x of pcm) sum += x * x;
  return sum;
}

describe('Silero VAD trimming on espeak-ng speech with inserted silence', () => {
  let model: OrtSileroModel;
  let fixture: Fixture;
  let probabilities: Float32Array;

  beforeAll(async () => {
    ort.env.wasm.numThreads = 1;
    const session = await ort.InferenceSession.create(new Uint8Array(readFileSync(sileroPath())));
    model = new OrtSileroModel(session, ort);
    fixture = speechWithSilence();
    probabilities = await speechProbabilities(fixture.pcm, model);
  });

  it('gives one probability per 32 ms frame, high in speech and low in the silences', () => {
    expect(probabilities.length).toBe(Math.ceil(fixture.pcm.length / 512));
    const frameOf = (t: number) => Math.floor((t * RATE_HZ) / 512);
    for (const [start, end] of fixture.silences) {
      // The middle of each silence, away from the speech either side of it.
      const middle = probabilities.subarray(frameOf(start + 0.35), frameOf(end - 0.35));
      expect(Math.max(...middle)).toBeLessThan(0.2);
    }
    const speechFrames = activeBlocks(fixture.pcm).map(frameOf);
    const confident = speechFrames.filter((f) => probabilities[f]! > 0.5).length;
    expect(confident / speechFrames.length).toBeGreaterThan(0.8);
  });

  it('keeps every active 10 ms block of speech inside a segment', () => {
    const segments = speechSegments(probabilities, fixture.pcm.length / RATE_HZ);
    const blocks = activeBlocks(fixture.pcm);
    const kept = blocks.filter((t) => covered(t, segments)).length;
    expect(kept / blocks.length).toBeGreaterThan(0.99);
    for (const [start, end] of fixture.silences) {
      const middle = (start + end) / 2;
      expect(segments.some((s) => middle >= s.startS && middle <= s.endS)).toBe(false);
    }
  });

  it('removes the inserted silence and keeps the speech energy', () => {
    const durationS = fixture.pcm.length / RATE_HZ;
    const segments = speechSegments(probabilities, durationS);
    const trimmed = trimToSegments(fixture.pcm, RATE_HZ, segments);
    const removedS = durationS - trimmed.length / RATE_HZ;
    expect(removedS).toBeGreaterThan(0.8 * INSERTED_SILENCE_S);
    expect(removedS).toBeLessThan(INSERTED_SILENCE_S + 0.5);
    expect(energy(trimmed) / energy(fixture.pcm)).toBeGreaterThan(0.99);
  });

  it('runs the same way inside the whole clean-up pipeline (24 kHz in, 24 kHz out)', async () => {
    const ingested = ingestAudio([fixture.pcm], RATE_HZ);
    const cleaned = await cleanClip(
      ingested,
      { trimSilence: true, denoise: false, normalise: false },
      { vadProbabilities: (pcm16k) => speechProbabilities(pcm16k, model) },
    );
    const durationS = fixture.pcm.length / RATE_HZ;
    expect(durationS - cleaned.durationS).toBeGreaterThan(0.8 * INSERTED_SILENCE_S);
    expect(cleaned.speechS).toBeGreaterThan(3);
    expect(cleaned.speechS).toBeLessThan(durationS - INSERTED_SILENCE_S + 0.5);
    expect(cleaned.warnings).toEqual([]);
  });

  it('gives the same segments whether frames run in parallel lanes or one by one', async () => {
    // The default run above used lanes (the recurrent state restarts in each, after a warm-up).
    expect(Math.floor(probabilities.length / 128)).toBeGreaterThan(1);
    const sequential = await speechProbabilities(fixture.pcm, model, { maxLanes: 1 });
    let sumDifference = 0;
    for (let i = 0; i < sequential.length; i++) sumDifference += Math.abs(sequential[i]! - probabilities[i]!);
    expect(sumDifference / sequential.length).toBeLessThan(0.02);
    const durationS = fixture.pcm.length / RATE_HZ;
    const a = speechSegments(probabilities, durationS);
    const b = speechSegments(sequential, durationS);
    expect(a.length).toBe(b.length);
    a.forEach((s, i) => {
      expect(Math.abs(s.startS - b[i]!.startS)).toBeLessThan(0.1);
      expect(Math.abs(s.endS - b[i]!.endS)).toBeLessThan(0.1);
    });
  });

  it('finds no speech in noise alone', async () => {
    const noise = seededNoise(3 * RATE_HZ, NOISE_FLOOR * 4, 7);
    const p = await speechProbabilities(noise, model);
    expect(speechSegments(p, 3)).toEqual([]);
  });
});
