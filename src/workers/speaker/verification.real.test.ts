/**
 * Speaker verification on real human speech (../shared/speech: LibriSpeech test-other, five
 * speakers, ten clips each): every pair of the 50 clips scored by GE2E (the real pretrained.pt
 * through our port) and by the model-free voice features; the equal error rate of each, side by
 * side. GE2E must stay under its bound; the features are printed as the baseline they are.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { resample } from '../../engine/audio/resample';
import { decodeWav } from '../../engine/audio/wav';
import { extractVoiceFeatures, featureSimilarity, type VoiceFeatures } from '../../engine/audio/features';
import { realGe2eRunner } from '../../test-support/real-models';
import { sharedPath } from '../../test-support/shared';
import { createWebRtcVad } from '../audio/webrtc-vad';
import { embedUtterance, preprocessWav } from '../../engine/speaker/ge2e';

/** GE2E on clean read speech is far better than this; a broken port lands near 0.5. */
const GE2E_MAX_EER = 0.03; // measured 0.4 % here

interface Clip {
  speaker: string;
  ge2e: Float32Array;
  features: VoiceFeatures;
}

/** The threshold where false accepts equal false rejects, by sweeping every score. */
export function equalErrorRate(same: number[], different: number[]): number {
  const thresholds = [...same, ...different].sort((a, b) => a - b);
  let best = 1;
  for (const t of thresholds) {
    const falseReject = same.filter((s) => s < t).length / same.length;
    const falseAccept = different.filter((s) => s >= t).length / different.length;
    best = Math.min(best, Math.max(falseReject, falseAccept));
  }
  return best;
}

const clips: Clip[] = [];

beforeAll(async () => {
  const run = await realGe2eRunner(2);
  const vad = await createWebRtcVad();
  const root = sharedPath('speech', 'librispeech-test-other');
  const dir = mkdtempSync(join(tmpdir(), 'timbre-sv-'));
  for (const speaker of readdirSync(root).sort()) {
    for (const name of readdirSync(join(root, speaker))
      .filter((n) => n.endsWith('.flac'))
      .sort()) {
      const wavPath = join(dir, name.replace('.flac', '.wav'));
      execFileSync('sox', ['-D', join(root, speaker, name), '-b', '16', wavPath]);
      const audio = decodeWav(new Uint8Array(readFileSync(wavPath)));
      const pcm = audio.channels[0]!;
      const ge2e = await embedUtterance(preprocessWav(pcm, audio.sampleRateHz, vad), run);
      const features = extractVoiceFeatures(resample(pcm, audio.sampleRateHz, 24000));
      clips.push({ speaker, ge2e, features });
    }
  }
}, 600_000);

describe('speaker verification on 50 LibriSpeech clips', () => {
  it(`GE2E's equal error rate is under ${GE2E_MAX_EER}; the model-free features' is printed beside it`, () => {
    expect(clips).toHaveLength(50);
    const ge2e = { same: [] as number[], different: [] as number[] };
    const features = { same: [] as number[], different: [] as number[] };
    for (let i = 0; i < clips.length; i++)
      for (let j = i + 1; j < clips.length; j++) {
        const a = clips[i]!;
        const b = clips[j]!;
        let dot = 0;
        for (let k = 0; k < a.ge2e.length; k++) dot += (a.ge2e[k] as number) * (b.ge2e[k] as number);
        const kind = a.speaker === b.speaker ? 'same' : 'different';
        ge2e[kind].push(dot);
        features[kind].push(featureSimilarity(a.features, b.features));
      }
    expect(ge2e.same).toHaveLength(225);
    expect(ge2e.different).toHaveLength(1000);
    const ge2eEer = equalErrorRate(ge2e.same, ge2e.different);
    const featureEer = equalErrorRate(features.same, features.different);
    console.log(
      `Speaker verification, 5 speakers x 10 clips (225 same / 1000 different pairs): ` +
        `EER GE2E ${(ge2eEer * 100).toFixed(1)} %, model-free voice features ${(featureEer * 100).toFixed(1)} %`,
    );
    expect(ge2eEer).toBeLessThan(GE2E_MAX_EER);
  });

  it('the equal error rate of separable scores is 0, of identical ones 1/2 or more', () => {
    expect(equalErrorRate([0.9, 0.8], [0.1, 0.2, 0.3])).toBe(0);
    expect(equalErrorRate([0.5, 0.5], [0.5, 0.5])).toBeGreaterThanOrEqual(0.5);
  });
});
