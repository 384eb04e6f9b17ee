/**
 * Checks on what a backend returned. Some GPUs (AMD/Intel iGPUs, Android Chrome) give
 * corrupted WebGPU output while WASM is clean: NaN, Inf, silence, or absurd levels.
 */

/** Kokoro speaks well below full scale; a peak this high means garbage, not speech. */
export const MAX_PLAUSIBLE_PEAK = 4;
/** RMS of loud speech is ~0.1-0.3; noise bursts from a broken kernel sit far above. */
export const MAX_PLAUSIBLE_RMS = 1;
/** Below this everywhere, a chunk that has tokens came back silent. */
export const SILENCE_PEAK = 1e-5;

export type AudioVerdict = { ok: true; peak: number; rms: number } | { ok: false; reason: string };

export function checkAudio(pcm: Float32Array): AudioVerdict {
  if (pcm.length === 0) return { ok: false, reason: 'the model returned no samples' };
  let peak = 0;
  let sumSquares = 0;
  for (let i = 0; i < pcm.length; i++) {
    const x = pcm[i]!;
    if (!Number.isFinite(x)) {
      return { ok: false, reason: `the model returned ${Number.isNaN(x) ? 'NaN' : 'infinite'} samples` };
    }
    const a = Math.abs(x);
    if (a > peak) peak = a;
    sumSquares += x * x;
  }
  const rms = Math.sqrt(sumSquares / pcm.length);
  if (peak > MAX_PLAUSIBLE_PEAK) return { ok: false, reason: `implausible peak level ${peak.toFixed(1)}` };
  if (rms > MAX_PLAUSIBLE_RMS) return { ok: false, reason: `implausible loudness (RMS ${rms.toFixed(2)})` };
  if (peak < SILENCE_PEAK) return { ok: false, reason: 'the model returned silence' };
  return { ok: true, peak, rms };
}
