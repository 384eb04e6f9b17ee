/**
 * Reading target clips for the real-model clone benchmark: any audio file sox can read
 * (WAV, FLAC, ...) as mono float PCM at its own rate, through sox (a dev tool on these
 * machines, as the GE2E golden data uses); WAV through the studio's own decoder.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { decodeWav } from '../../src/engine/audio/wav';
import { downmixToMono } from '../../src/engine/audio/mix';

/** Three sentences no search renders: the clone speaks them to check it is not overfitted to its probes. */
export const HELD_OUT_SENTENCES = [
  'A quiet morning settled over the harbour as the fishing boats returned.',
  'Please remember to water the plants before you leave for the weekend.',
  'Numbers and letters were painted in bright yellow on the old warehouse door.',
];

export interface TargetAudio {
  pcm: Float32Array;
  sampleRateHz: number;
}

export function readTargetAudio(path: string): TargetAudio {
  const bytes = path.toLowerCase().endsWith('.wav')
    ? new Uint8Array(readFileSync(path))
    : new Uint8Array(
        execFileSync('sox', [path, '-t', 'wav', '-e', 'signed-integer', '-b', '16', '-'], {
          maxBuffer: 1 << 30,
        }),
      );
  const decoded = decodeWav(bytes);
  return { pcm: downmixToMono(decoded.channels), sampleRateHz: decoded.sampleRateHz };
}
