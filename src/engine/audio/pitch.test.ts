import { describe, expect, it } from 'vitest';
import { harmonicTone, tone } from '../../test-support/audio';
import { PITCH_MAX_HZ, PITCH_MIN_HZ, trackPitch } from './pitch';

const RATE_HZ = 24000;

function voiced(track: Float32Array): number[] {
  return Array.from(track).filter((f) => f > 0);
}

describe('trackPitch (YIN)', () => {
  const TONES = [
    { f0Hz: 70, harmonic: true },
    { f0Hz: 100, harmonic: true },
    { f0Hz: 200, harmonic: true },
    { f0Hz: 300, harmonic: true },
    { f0Hz: 450, harmonic: true },
    { f0Hz: 220, harmonic: false },
  ];
  it.each(TONES)(
    '$f0Hz Hz tone (harmonics: $harmonic): every frame voiced and within 1 %',
    ({ f0Hz, harmonic }) => {
      const pcm = harmonic ? harmonicTone(f0Hz, 0.6, RATE_HZ) : tone([f0Hz], 0.6, RATE_HZ, 0.5);
      const { f0Hz: track, hopSeconds } = trackPitch(pcm, RATE_HZ);
      expect(hopSeconds).toBeCloseTo(0.01, 10);
      expect(track.length).toBeGreaterThan(40);
      // Skip the first and last frames, where the decimation filter's edge transient sits.
      const inner = voiced(track.subarray(2, -2));
      expect(inner.length).toBe(track.length - 4);
      for (const f of inner) expect(Math.abs(f / f0Hz - 1)).toBeLessThan(0.01);
    },
  );

  it('follows a glide from 120 to 240 Hz within 3 % of the instantaneous f0', () => {
    const seconds = 1;
    const pcm = new Float32Array(RATE_HZ * seconds);
    let phase = 0;
    for (let i = 0; i < pcm.length; i++) {
      const f = 120 * 2 ** (i / pcm.length);
      phase += (2 * Math.PI * f) / RATE_HZ;
      pcm[i] = 0.3 * (Math.sin(phase) + 0.5 * Math.sin(2 * phase) + 0.3 * Math.sin(3 * phase));
    }
    const { f0Hz: track, hopSeconds } = trackPitch(pcm, RATE_HZ);
    for (let t = 2; t < track.length - 2; t++) {
      // The analysis span is ~37 ms; compare with the f0 at its centre.
      const centreSeconds = t * hopSeconds + 0.018;
      const expected = 120 * 2 ** (centreSeconds / seconds);
      expect(Math.abs(track[t]! / expected - 1)).toBeLessThan(0.03);
    }
  });

  it('leaves white noise and silence unvoiced', () => {
    let state = 1;
    const noise = Float32Array.from({ length: RATE_HZ }, () => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return (state / 1073741824 - 1) * 0.3;
    });
    const noiseTrack = trackPitch(noise, RATE_HZ).f0Hz;
    expect(voiced(noiseTrack).length / noiseTrack.length).toBeLessThan(0.1);
    expect(voiced(trackPitch(new Float32Array(RATE_HZ), RATE_HZ).f0Hz)).toEqual([]);
  });

  it('returns no frames for input shorter than one analysis span, and stays in range', () => {
    expect(trackPitch(new Float32Array(100), RATE_HZ).f0Hz.length).toBe(0);
    const track = voiced(trackPitch(harmonicTone(160, 0.5, RATE_HZ), RATE_HZ).f0Hz);
    for (const f of track) expect(f >= PITCH_MIN_HZ * 0.9 && f <= PITCH_MAX_HZ * 1.1).toBe(true);
  });
});
