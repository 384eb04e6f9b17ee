/**
 * Speech recognition for the intelligibility checks (tests and benchmarks; never the app):
 * PocketSphinx 5.1.1 and its bundled US English model, extracted by `npm run models:real`,
 * run in one python3 process per batch. Weak on synthetic speech (shared/docs/real-models.md):
 * compare word error rates of two renderings of the same text, do not read them as absolutes.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { resample } from '../engine/audio/resample';
import { encodeWav } from '../engine/audio/wav';
import { asrDir } from './model-cache-dirs';
import { REPO_ROOT } from './shared';

const run = promisify(execFile);
const ASR_RATE_HZ = 16_000;
const SCRIPT = join(REPO_ROOT, 'scripts', 'asr', 'pocketsphinx_transcribe.py');

export interface AsrClip {
  pcm: Float32Array;
  sampleRateHz: number;
}

/** Transcripts of the clips, in order (lower case words, as PocketSphinx gives them). */
export async function transcribe(clips: readonly AsrClip[]): Promise<string[]> {
  const dir = asrDir();
  if (!existsSync(join(dir, 'pocketsphinx', '__init__.py')))
    throw new Error(`The ASR (PocketSphinx 5.1.1) is not in ${dir}: run \`npm run models:real\` first.`);
  const work = mkdtempSync(join(tmpdir(), 'timbre-asr-'));
  try {
    const files = clips.map((clip, i) => {
      const path = join(work, `${i}.wav`);
      const pcm =
        clip.sampleRateHz === ASR_RATE_HZ ? clip.pcm : resample(clip.pcm, clip.sampleRateHz, ASR_RATE_HZ);
      writeFileSync(path, encodeWav(pcm, ASR_RATE_HZ));
      return path;
    });
    const { stdout } = await run(process.env.PYTHON ?? 'python3', [SCRIPT, ...files], {
      env: { ...process.env, PYTHONPATH: dir },
      maxBuffer: 16 * 1024 * 1024,
      timeout: 600_000,
    });
    const byFile = new Map<string, string>();
    for (const line of stdout.split('\n')) {
      if (!line.trim()) continue;
      const { file, text } = JSON.parse(line) as { file: string; text: string };
      byFile.set(file, text);
    }
    return files.map((file) => {
      const text = byFile.get(file);
      if (text === undefined) throw new Error(`PocketSphinx gave no transcript for clip ${file}.`);
      return text;
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
