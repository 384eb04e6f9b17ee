import { describe, expect, it } from 'vitest';
import { clipWarnings, formatMinutes, MAX_CLIP_S, truncateToMax } from './clip-policy';

describe('clipWarnings', () => {
  const CASES = [
    { name: 'a good clip', facts: { sourceS: 20, speechS: 15, clippingFraction: 0 }, kinds: [] },
    { name: 'VAD not run', facts: { sourceS: 20, clippingFraction: 0 }, kinds: [] },
    { name: 'no speech', facts: { sourceS: 20, speechS: 0, clippingFraction: 0 }, kinds: ['no-speech'] },
    {
      name: 'short speech',
      facts: { sourceS: 5, speechS: 2.4, clippingFraction: 0 },
      kinds: ['short-speech'],
    },
    { name: 'just enough speech', facts: { sourceS: 5, speechS: 3, clippingFraction: 0 }, kinds: [] },
    { name: 'too long', facts: { sourceS: 425, speechS: 300, clippingFraction: 0 }, kinds: ['truncated'] },
    {
      name: 'exactly 5 minutes',
      facts: { sourceS: MAX_CLIP_S, speechS: 250, clippingFraction: 0 },
      kinds: [],
    },
    { name: 'clipping', facts: { sourceS: 10, speechS: 8, clippingFraction: 0.01 }, kinds: ['clipping'] },
    {
      name: 'one stray full-scale sample',
      facts: { sourceS: 10, speechS: 8, clippingFraction: 1e-6 },
      kinds: [],
    },
    {
      name: 'several problems, most serious first',
      facts: { sourceS: 400, speechS: 1, clippingFraction: 0.02 },
      kinds: ['short-speech', 'truncated', 'clipping'],
    },
  ];
  it.each(CASES)('$name', ({ facts, kinds }) => {
    expect(clipWarnings(facts).map((w) => w.kind)).toEqual(kinds);
  });

  it('never rounds short speech up to the limit', () => {
    expect(clipWarnings({ sourceS: 5, speechS: 2.99, clippingFraction: 0 })[0]?.message).toContain(
      'Only 2.9 s of speech',
    );
  });

  it('says how much speech there was and how long the file was', () => {
    const [short, truncated] = clipWarnings({ sourceS: 425, speechS: 2.4, clippingFraction: 0 });
    expect(short?.message).toContain('2.4 s of speech');
    expect(truncated?.message).toContain('7:05');
    expect(truncated?.message).toContain('first 5 minutes');
  });
});

describe('truncateToMax', () => {
  const CASES = [
    { name: 'short audio is kept as is', seconds: 2, maxS: 3, length: 20, truncated: false },
    { name: 'exactly the limit', seconds: 3, maxS: 3, length: 30, truncated: false },
    { name: 'longer audio keeps the start', seconds: 5, maxS: 3, length: 30, truncated: true },
  ];
  it.each(CASES)('$name', ({ seconds, maxS, length, truncated }) => {
    const pcm = Float32Array.from({ length: seconds * 10 }, (_, i) => i);
    const out = truncateToMax(pcm, 10, maxS);
    expect(out.pcm.length).toBe(length);
    expect(out.truncated).toBe(truncated);
    expect(out.pcm[0]).toBe(0);
  });
});

describe('formatMinutes', () => {
  const CASES = [
    { seconds: 0, text: '0:00' },
    { seconds: 59.6, text: '1:00' },
    { seconds: 425, text: '7:05' },
  ];
  it.each(CASES)('$seconds s -> $text', ({ seconds, text }) => expect(formatMinutes(seconds)).toBe(text));
});
