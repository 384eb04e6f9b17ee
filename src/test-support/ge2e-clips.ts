/**
 * The clips of the GE2E golden data (scripts/golden/ge2e_golden.py): LibriSpeech speech from
 * ../shared/speech converted with sox to 16-bit WAV at four rates, and one clip with long
 * silences. The golden script and the unit test make them the same way; the golden file keeps
 * each WAV's SHA-256, so a different sox is reported as such, not as a wrong embedding.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { sharedPath } from './shared';

export interface Ge2eClipSpec {
  name: string;
  /** FLAC paths under shared/speech/librispeech-test-other, joined with `silenceS` seconds of silence between them. */
  sources: string[];
  silenceS?: number;
  rateHz: number;
}

export const GE2E_GOLDEN_CLIPS: readonly Ge2eClipSpec[] = [
  { name: '1688-0003-16k.wav', sources: ['1688/1688-142285-0003.flac'], rateHz: 16000 },
  { name: '1688-0007-22k.wav', sources: ['1688/1688-142285-0007.flac'], rateHz: 22050 },
  { name: '1998-0001-16k.wav', sources: ['1998/1998-15444-0001.flac'], rateHz: 16000 },
  { name: '1998-0003-24k.wav', sources: ['1998/1998-15444-0003.flac'], rateHz: 24000 },
  { name: '2033-0001-48k.wav', sources: ['2033/2033-164914-0001.flac'], rateHz: 48000 },
  { name: '2033-0004-16k.wav', sources: ['2033/2033-164914-0004.flac'], rateHz: 16000 },
  { name: '2414-0001-22k.wav', sources: ['2414/2414-128291-0001.flac'], rateHz: 22050 },
  { name: '2414-0007-48k.wav', sources: ['2414/2414-128291-0007.flac'], rateHz: 48000 },
  { name: '2609-0001-24k.wav', sources: ['2609/2609-156975-0001.flac'], rateHz: 24000 },
  { name: '2609-0008-16k.wav', sources: ['2609/2609-156975-0008.flac'], rateHz: 16000 },
  { name: '2414-0009-24k-short.wav', sources: ['2414/2414-128291-0009.flac'], rateHz: 24000 },
  {
    name: '2033-silences-16k.wav',
    sources: ['2033/2033-164914-0005.flac', '2033/2033-164914-0007.flac'],
    silenceS: 3,
    rateHz: 16000,
  },
];

/** Writes the clip's WAV into `dir` (with sox) and returns its path. */
export function makeGe2eClip(spec: Ge2eClipSpec, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const out = join(dir, spec.name);
  if (existsSync(out)) return out;
  const inputs: string[] = [];
  spec.sources.forEach((source, i) => {
    if (i > 0 && spec.silenceS) {
      const silence = join(dir, 'parts', `silence-${spec.silenceS}s.wav`);
      mkdirSync(join(dir, 'parts'), { recursive: true });
      execFileSync('sox', [
        '-D',
        '-R',
        '-n',
        '-r',
        '16000',
        '-c',
        '1',
        '-b',
        '16',
        silence,
        'trim',
        '0',
        String(spec.silenceS),
      ]);
      inputs.push(silence);
    }
    inputs.push(sharedPath('speech', 'librispeech-test-other', source));
  });
  execFileSync('sox', [
    '-D',
    '-R',
    ...inputs,
    '-r',
    String(spec.rateHz),
    '-c',
    '1',
    '-b',
    '16',
    '-e',
    'signed-integer',
    out,
  ]);
  return out;
}
