/**
 * The energy fallback VAD on espeak-ng speech with inserted silence (over several room-noise
 * levels) and on audio without speech: the speech must be kept, the silences found, and
 * steady sounds must not count as speech.
 */
import { describe, expect, it } from 'vitest';
import { espeakSpeech } from '../../test-support/audio';
import { dbToGain } from '../audio/mix';
import { energySpeechProbabilities, energyVadLevels, frameLevelsDb } from './energy-vad';
import { SILERO_FRAME_SAMPLES, SILERO_SAMPLE_RATE_HZ } from './silero';
import { speechSegments, trimToSegments, type SpeechSegment } from './vad-segments';

const RATE_HZ = SILERO_SAMPLE_RATE_HZ;
const BLOCK_S = 0.01;
/** A 10 ms block of the clean speech within this of its loudest block is speech that must stay. */
const ACTIVE_BELOW_LOUDEST_DB = 35;

/** Uniform white noise with RMS `rmsDbfs`, reproducible from `seed`. */
function seededNoise(length: number, rmsDbfs: number, seed = 1): Float32Array {
  const amplitude = dbToGain(rmsDbfs) * Math.sqrt(3); // uniform on [-a, a] has RMS a/sqrt(3)
  const out = new Float32Array(length);
  let s = seed;
  for (let i = 0; i < length; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    out[i] = ((s / 2 ** 32) * 2 - 1) * amplitude;
  }
  return out;
}

const SENTENCES = [
  'The quick brown fox jumps over the lazy dog.',
  'Please call Stella and ask her to bring these things.',
];
const speechCache = new Map<string, Float32Array>();
function speech(text: string): Float32Array {
  let pcm = speechCache.get(text);
  if (!pcm) speechCache.set(text, (pcm = espeakSpeech(text, RATE_HZ).pcm));
  return pcm;
}

interface Fixture {
  /** Speech plus room noise. */
  pcm: Float32Array;
  /** The speech alone, to find which blocks must be kept. */
  clean: Float32Array;
  /** Where the inserted silences are, seconds. */
  silences: [number, number][];
}

/** Silences (seconds) and sentences alternating, with `gainDb` on the speech and noise under all. */
function build(layout: readonly (number | string)[], gainDb: number, noiseDbfs?: number): Fixture {
  const parts = layout.map((p) => (typeof p === 'number' ? Math.round(p * RATE_HZ) : speech(p)));
  const length = parts.reduce<number>((n, p) => n + (typeof p === 'number' ? p : p.length), 0);
  const clean = new Float32Array(length);
  const silences: [number, number][] = [];
  const gain = dbToGain(gainDb);
  let offset = 0;
  for (const part of parts) {
    if (typeof part === 'number') silences.push([offset / RATE_HZ, (offset + part) / RATE_HZ]);
    else for (let i = 0; i < part.length; i++) clean[offset + i] = part[i]! * gain;
    offset += typeof part === 'number' ? part : part.length;
  }
  const pcm = noiseDbfs === undefined ? clean.slice() : seededNoise(length, noiseDbfs);
  if (noiseDbfs !== undefined) for (let i = 0; i < length; i++) pcm[i]! += clean[i]!;
  return { pcm, clean, silences };
}

function activeBlocks(clean: Float32Array): number[] {
  const block = Math.round(BLOCK_S * RATE_HZ);
  const energies: number[] = [];
  for (let start = 0; start + block <= clean.length; start += block) {
    let sum = 0;
    for (let i = start; i < start + block; i++) sum += clean[i]! * clean[i]!;
    energies.push(sum / block);
  }
  const loudest = Math.max(...energies);
  return energies.flatMap((e, i) =>
    e > 0 && 10 * Math.log10(e / loudest) > -ACTIVE_BELOW_LOUDEST_DB ? [i * BLOCK_S] : [],
  );
}

const covered = (t: number, segments: readonly SpeechSegment[]) =>
  segments.some((s) => t >= s.startS && t + BLOCK_S <= s.endS + 1e-9);

const [A, B] = SENTENCES as [string, string];

describe('energy VAD on espeak-ng speech with inserted silence', () => {
  const CASES = [
    { name: 'digital silence between sentences', layout: [1, A, 2, B, 1.5], gainDb: 0, noiseDbfs: undefined },
    { name: 'a quiet room (-66 dBFS noise)', layout: [1, A, 2, B, 1.5], gainDb: 0, noiseDbfs: -66 },
    { name: 'a noisy room (-45 dBFS noise)', layout: [1.5, A, 2, B, 1], gainDb: 0, noiseDbfs: -45 },
    { name: 'quiet speech (-30 dB) in a quiet room', layout: [1, A, 2.5, B, 1], gainDb: -30, noiseDbfs: -80 },
    { name: 'loud speech (+6 dB)', layout: [0.8, B, 1.2, A, 2], gainDb: 6, noiseDbfs: -60 },
    { name: 'speech without pauses', layout: [A, B], gainDb: 0, noiseDbfs: -66 },
  ];

  it.each(CASES)('$name: keeps the speech and drops the silences', ({ layout, gainDb, noiseDbfs }) => {
    const fixture = build(layout, gainDb, noiseDbfs);
    const durationS = fixture.pcm.length / RATE_HZ;
    const probabilities = energySpeechProbabilities(fixture.pcm);
    expect(probabilities.length).toBe(Math.ceil(fixture.pcm.length / SILERO_FRAME_SAMPLES));
    expect(probabilities.every((p) => p === 0 || p === 1)).toBe(true);

    const segments = speechSegments(probabilities, durationS);
    const blocks = activeBlocks(fixture.clean);
    const kept = blocks.filter((t) => covered(t, segments)).length;
    expect(kept / blocks.length).toBeGreaterThan(0.97);

    let insertedS = 0;
    for (const [start, end] of fixture.silences) {
      insertedS += end - start;
      // Away from the speech on either side (padding 0.1 s, a word's tail), nothing is kept.
      const inside = segments.some((s) => s.endS > start + 0.4 && s.startS < end - 0.4);
      expect(inside).toBe(false);
    }
    const trimmed = trimToSegments(fixture.pcm, RATE_HZ, segments);
    const removedS = durationS - trimmed.length / RATE_HZ;
    expect(removedS).toBeGreaterThan(0.75 * insertedS);
    expect(removedS).toBeLessThan(insertedS + 0.6);
  });
});

describe('energy VAD on audio without speech', () => {
  const SECONDS = 3;
  const length = SECONDS * RATE_HZ;
  const CASES = [
    { name: 'empty audio', pcm: new Float32Array(0) },
    { name: 'digital silence', pcm: new Float32Array(length) },
    { name: 'a quiet room (-66 dBFS noise)', pcm: seededNoise(length, -66, 3) },
    { name: 'steady loud noise (-20 dBFS)', pcm: seededNoise(length, -20, 5) },
    { name: 'steady noise at full scale', pcm: seededNoise(length, -4.8, 11) },
    {
      name: 'a 100 Hz hum (-25 dBFS) over a quiet room',
      pcm: seededNoise(length, -70, 7).map((x, i) => x + 0.08 * Math.sin((2 * Math.PI * 100 * i) / RATE_HZ)),
    },
    {
      name: 'very faint speech (-75 dB) in digital silence',
      pcm: build([0.5, A, 0.5], -75).pcm,
    },
  ];

  it.each(CASES)('$name: no speech', ({ pcm }) => {
    const probabilities = energySpeechProbabilities(pcm);
    expect(probabilities.length).toBe(Math.ceil(pcm.length / SILERO_FRAME_SAMPLES));
    expect(speechSegments(probabilities, pcm.length / RATE_HZ)).toEqual([]);
  });
});

describe('energy VAD levels', () => {
  it('sets onset and offset from the clip, with the offset below the onset', () => {
    const fixture = build([1, A, 2, B, 1], 0, -60);
    const levels = energyVadLevels(frameLevelsDb(fixture.pcm, SILERO_FRAME_SAMPLES))!;
    expect(levels.floorDb).toBeCloseTo(-60, 0);
    expect(levels.loudDb).toBeGreaterThan(-30);
    expect(levels.onsetDb).toBeCloseTo(levels.loudDb - 30, 5);
    expect(levels.offsetDb).toBeCloseTo(levels.onsetDb - 6, 5);
  });

  it('holds speech through dips between the offset and onset levels (hysteresis)', () => {
    // 0.32 s frames of loud, medium (between the thresholds), loud, then quiet.
    const frame = SILERO_FRAME_SAMPLES;
    const steps = [-80, -10, -10, -43, -43, -43, -10, -80, -80, -43, -80];
    const pcm = new Float32Array(steps.length * frame);
    steps.forEach((db, k) => pcm.set(seededNoise(frame, db, k + 1), k * frame));
    const options = { loudPercentile: 0.9, floorPercentile: 0.1, minContrastDb: 10 };
    const levels = energyVadLevels(frameLevelsDb(pcm, frame), options)!;
    expect(levels.onsetDb).toBeGreaterThan(-43);
    expect(levels.offsetDb).toBeLessThan(-43);
    // The medium frames continue speech that started loud, but do not start it on their own.
    expect(Array.from(energySpeechProbabilities(pcm, options))).toEqual([0, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0]);
  });
});
