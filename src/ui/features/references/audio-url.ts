/** PCM -> things the page can play and draw: WAV object URLs and waveform peaks. */
import { encodeWav } from '../../../engine/audio/wav';

/** A WAV object URL; the caller revokes it. */
export function wavUrl(pcm: Float32Array, sampleRateHz: number): string {
  const wav = encodeWav(pcm, sampleRateHz);
  return URL.createObjectURL(new Blob([wav as Uint8Array<ArrayBuffer>], { type: 'audio/wav' }));
}

/** Max |x| per bucket, for drawing a waveform without decoding anything. */
export function waveformPeaks(pcm: Float32Array, points = 2000): Float32Array {
  const n = Math.max(1, Math.min(points, pcm.length));
  const out = new Float32Array(n);
  const step = pcm.length / n;
  for (let i = 0; i < n; i++) {
    let peak = 0;
    const end = Math.min(pcm.length, Math.floor((i + 1) * step));
    for (let j = Math.floor(i * step); j < end; j++) peak = Math.max(peak, Math.abs(pcm[j]!));
    out[i] = peak;
  }
  return out;
}
