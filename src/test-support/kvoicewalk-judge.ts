/**
 * KVoiceWalk's own judge (scripts/judge/kvoicewalk_judge.py: Resemblyzer's GE2E in PyTorch and
 * KVoiceWalk's librosa feature similarity) run on renderings, for the real-model clone
 * benchmark's calibration and its feature-similarity term. Needs a Python with Resemblyzer 0.1.4
 * and librosa: TIMBRE_JUDGE_PYTHON, else ~/.cache/timbre/venv/bin/python (bench/README.md).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeWav } from '../engine/audio/wav';
import { REPO_ROOT } from './shared';

const SCRIPT = join(REPO_ROOT, 'scripts', 'judge', 'kvoicewalk_judge.py');
const RATE_HZ = 24_000;

export function judgePython(): string {
  return process.env.TIMBRE_JUDGE_PYTHON ?? join(homedir(), '.cache', 'timbre', 'venv', 'bin', 'python');
}

export function judgeAvailable(): boolean {
  return existsSync(judgePython());
}

export interface JudgeItem {
  id: string;
  /** 24 kHz renderings of the transcript and of the other text. */
  transcript: Float32Array;
  otherText: Float32Array;
}

export interface JudgeVerdict {
  id: string;
  targetSimilarity: number;
  selfSimilarity: number;
  featureSimilarity: number;
  score: number;
}

/** Scores every item against the 24 kHz target the way KVoiceWalk reports (one Python process). */
export async function kvoicewalkJudge(
  target24k: Float32Array,
  items: readonly JudgeItem[],
): Promise<JudgeVerdict[]> {
  const work = mkdtempSync(join(tmpdir(), 'timbre-judge-'));
  try {
    const write = (name: string, pcm: Float32Array) => {
      const path = join(work, `${name}.wav`);
      writeFileSync(path, encodeWav(pcm, RATE_HZ));
      return path;
    };
    const job = {
      target: write('target', target24k),
      items: items.map((item, i) => ({
        id: item.id,
        transcript: write(`t${i}`, item.transcript),
        other: write(`o${i}`, item.otherText),
      })),
    };
    const stdout = await new Promise<string>((resolve, reject) => {
      const child = execFile(
        judgePython(),
        [SCRIPT],
        { maxBuffer: 16 * 1024 * 1024, timeout: 1_800_000 },
        (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out)),
      );
      child.stdin?.end(JSON.stringify(job));
    });
    return stdout
      .split('\n')
      .filter((line) => line.trim())
      .map((line) => {
        const r = JSON.parse(line) as Record<string, number | string>;
        return {
          id: String(r.id),
          targetSimilarity: Number(r.target_similarity),
          selfSimilarity: Number(r.self_similarity),
          featureSimilarity: Number(r.feature_similarity),
          score: Number(r.score),
        };
      });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
