import { describe, expect, it } from 'vitest';
import { speechSegments, totalSpeechSeconds, trimToSegments } from './vad-segments';

/** 0.1 s frames make the arithmetic readable; no padding unless a case sets it. */
const BASE = {
  frameS: 0.1,
  threshold: 0.5,
  negativeThreshold: 0.35,
  minSpeechS: 0.25,
  minSilenceS: 0.3,
  padS: 0,
};

const round = (segments: { startS: number; endS: number }[]) =>
  segments.map((s) => [Math.round(s.startS * 1000) / 1000, Math.round(s.endS * 1000) / 1000]);

describe('speechSegments', () => {
  const CASES = [
    { name: 'all silence', probs: [0, 0.1, 0.2, 0.1], options: {}, expected: [] },
    {
      name: 'one segment in the middle',
      probs: [0, 0, 0.9, 0.9, 0.9, 0, 0, 0, 0],
      options: {},
      expected: [[0.2, 0.5]],
    },
    { name: 'speech to the end', probs: [0, 0.8, 0.9, 0.9], options: {}, expected: [[0.1, 0.4]] },
    {
      name: 'burst shorter than min speech is dropped',
      probs: [0, 0.9, 0.9, 0, 0, 0, 0],
      options: {},
      expected: [],
    },
    {
      name: 'short pause does not split',
      probs: [0.9, 0.9, 0.9, 0.1, 0.1, 0.9, 0.9, 0.9, 0, 0, 0],
      options: {},
      expected: [[0, 0.8]],
    },
    {
      name: 'long pause splits',
      probs: [0.9, 0.9, 0.9, 0.1, 0.1, 0.1, 0.1, 0.9, 0.9, 0.9, 0, 0, 0],
      options: {},
      expected: [
        [0, 0.3],
        [0.7, 1],
      ],
    },
    {
      name: 'hysteresis: dips between the thresholds keep speech going',
      probs: [0.9, 0.4, 0.4, 0.4, 0.4, 0.9, 0, 0, 0],
      options: {},
      expected: [[0, 0.6]],
    },
    {
      name: 'padding is added and clamped to the audio',
      probs: [0.9, 0.9, 0.9, 0, 0, 0, 0, 0],
      options: { padS: 0.2 },
      expected: [[0, 0.5]],
    },
    {
      name: 'padding merges segments that come close',
      probs: [0, 0.9, 0.9, 0.9, 0, 0, 0, 0.9, 0.9, 0.9, 0, 0, 0, 0],
      options: { padS: 0.2 },
      expected: [[0, 1.2]],
    },
  ];
  it.each(CASES)('$name', ({ probs, options, expected }) => {
    const durationS = probs.length * BASE.frameS;
    expect(round(speechSegments(probs, durationS, { ...BASE, ...options }))).toEqual(expected);
  });

  it('rejects an offset threshold above the onset threshold', () => {
    expect(() => speechSegments([0.5], 0.1, { ...BASE, negativeThreshold: 0.6 })).toThrow(RangeError);
  });

  it('sums segment durations', () => {
    expect(
      totalSpeechSeconds([
        { startS: 0, endS: 1 },
        { startS: 2, endS: 2.5 },
      ]),
    ).toBeCloseTo(1.5, 9);
  });
});

describe('trimToSegments', () => {
  const RATE_HZ = 1000;
  const ramp = Float32Array.from({ length: 5000 }, (_, i) => 1 + i / 5000);

  const CASES = [
    { name: 'no segments leave nothing', segments: [], maxGapS: 0.3, length: 0 },
    { name: 'one segment', segments: [{ startS: 1, endS: 2 }], maxGapS: 0.3, length: 1000 },
    {
      name: 'long pause shortened to the max gap',
      segments: [
        { startS: 0.5, endS: 1 },
        { startS: 3, endS: 4 },
      ],
      maxGapS: 0.3,
      length: 500 + 300 + 1000,
    },
    {
      name: 'short pause kept whole',
      segments: [
        { startS: 0.5, endS: 1 },
        { startS: 1.2, endS: 2 },
      ],
      maxGapS: 0.3,
      length: 500 + 200 + 800,
    },
  ];
  it.each(CASES)('$name', ({ segments, maxGapS, length }) => {
    expect(trimToSegments(ramp, RATE_HZ, segments, { maxGapS }).length).toBe(length);
  });

  it('copies the kept audio in order and fades only at the cuts', () => {
    const out = trimToSegments(ramp, RATE_HZ, [{ startS: 1, endS: 2 }], { maxGapS: 0 });
    expect(out[0]).toBe(0); // fade-in starts from silence
    expect(out[500]).toBeCloseTo(ramp[1500]!, 6); // middle untouched
    expect(out[999]).toBeLessThan(ramp[1999]! / 4); // fade-out at the cut
    const whole = trimToSegments(ramp, RATE_HZ, [{ startS: 0, endS: 5 }]);
    expect(whole).toEqual(ramp); // no cut, no fade
  });
});
