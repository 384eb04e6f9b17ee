/**
 * Node-only audio helpers for tests and benchmarks: real speech from espeak-ng (installed on
 * the dev machine and in CI), synthetic tones, and reading WAVs through the engine decoder.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeWav } from '../engine/audio/wav';
import { downmixToMono } from '../engine/audio/mix';
import { resample } from '../engine/audio/resample';

export interface EspeakOptions {
  /** espeak-ng voice, e.g. 'en-us+m3' or 'en-us+f3'. */
  voice?: string;
  /** Words per minute (espeak default 175). */
  speedWpm?: number;
  /** Base pitch 0..99 (espeak default 50). */
  pitch?: number;
}

export interface SpeechClip {
  sampleRateHz: number;
  pcm: Float32Array;
}

/** espeak-ng's native rate; everything it writes is 16-bit mono at this rate. */
export const ESPEAK_SAMPLE_RATE_HZ = 22050;

/** WAV bytes of `text` spoken by espeak-ng (`espeak-ng -w` into a temp dir that is removed). */
export function espeakWavBytes(text: string, options: EspeakOptions = {}): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'timbre-espeak-'));
  try {
    const path = join(dir, 'speech.wav');
    const args = ['-w', path, '-v', options.voice ?? 'en-us'];
    if (options.speedWpm !== undefined) args.push('-s', String(options.speedWpm));
    if (options.pitch !== undefined) args.push('-p', String(options.pitch));
    args.push('--', text);
    execFileSync('espeak-ng', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    return new Uint8Array(readFileSync(path));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** espeak-ng speech as mono float PCM, resampled to `sampleRateHz` with the engine resampler. */
export function espeakSpeech(text: string, sampleRateHz: number, options: EspeakOptions = {}): SpeechClip {
  const decoded = decodeWav(espeakWavBytes(text, options));
  const mono = downmixToMono(decoded.channels);
  return { sampleRateHz, pcm: resample(mono, decoded.sampleRateHz, sampleRateHz) };
}

/** Sentences long enough to give a few seconds of speech each. */
export const SPEECH_SENTENCES: readonly string[] = [
  'The quick brown fox jumps over the lazy dog while the farmer watches from the porch.',
  'Please call Stella and ask her to bring these things with her from the store.',
  'A rainbow is a division of white light into many beautiful colours after the rain.',
  'When the sunlight strikes raindrops in the air, they act as a prism and form a rainbow.',
];

/** Sum of sines at `harmonicsHz` with equal `amplitude` each, `seconds` long. */
export function tone(
  frequenciesHz: readonly number[],
  seconds: number,
  sampleRateHz: number,
  amplitude = 0.2,
): Float32Array {
  const out = new Float32Array(Math.round(seconds * sampleRateHz));
  for (let i = 0; i < out.length; i++) {
    let x = 0;
    for (const f of frequenciesHz) x += Math.sin((2 * Math.PI * f * i) / sampleRateHz);
    out[i] = amplitude * x;
  }
  return out;
}

/**
 * A harmonic tone like a buzzy voiced sound: f0 and its harmonics up to `maxHz`, amplitude
 * falling as 1/k, normalised so the peak is `peak`.
 */
export function harmonicTone(
  f0Hz: number,
  seconds: number,
  sampleRateHz: number,
  maxHz = 4000,
  peak = 0.5,
): Float32Array {
  const out = new Float32Array(Math.round(seconds * sampleRateHz));
  const harmonics = Math.max(1, Math.floor(maxHz / f0Hz));
  let maxAbs = 0;
  for (let i = 0; i < out.length; i++) {
    let x = 0;
    for (let k = 1; k <= harmonics; k++) x += Math.sin((2 * Math.PI * k * f0Hz * i) / sampleRateHz) / k;
    out[i] = x;
    maxAbs = Math.max(maxAbs, Math.abs(x));
  }
  for (let i = 0; i < out.length; i++) out[i] = (out[i]! / maxAbs) * peak;
  return out;
}
