import { KOKORO_SAMPLE_RATE_HZ } from './types';

/** Short raised-cosine fades so chunk boundaries never click. */
export const EDGE_FADE_MS = 4;

/** Fades both ends in place and returns the same array. */
export function fadeEdges(pcm: Float32Array, sampleRateHz = KOKORO_SAMPLE_RATE_HZ): Float32Array {
  const fade = Math.min(Math.floor((EDGE_FADE_MS / 1000) * sampleRateHz), Math.floor(pcm.length / 2));
  for (let i = 0; i < fade; i++) {
    const gain = 0.5 - 0.5 * Math.cos((Math.PI * i) / fade);
    pcm[i]! *= gain;
    pcm[pcm.length - 1 - i]! *= gain;
  }
  return pcm;
}

/** Joins chunk PCM into one buffer (for the waveform and the WAV download). */
export function concatPcm(parts: readonly Float32Array[]): Float32Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Float32Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
