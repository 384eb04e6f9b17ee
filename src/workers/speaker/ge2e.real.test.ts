/**
 * The GE2E port against Resemblyzer itself (golden/ge2e-resemblyzer.json, written by
 * scripts/golden/ge2e_golden.py): the same WAVs through our preprocess_wav (resampler,
 * volume, libfvad silence trim), mel spectrogram, partials and the ONNX graph built from the
 * real pretrained.pt. Every clip must reach cosine >= 0.995.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeWav } from '../../engine/audio/wav';
import { GE2E_GOLDEN_CLIPS, makeGe2eClip } from '../../test-support/ge2e-clips';
import { realGe2eRunner } from '../../test-support/real-models';
import { createWebRtcVad, type WebRtcVad } from '../audio/webrtc-vad';
import golden from './golden/ge2e-resemblyzer.json';
import { embedUtterance, preprocessWav, type Ge2eRunner } from '../../engine/speaker/ge2e';

const MIN_COSINE = 0.995;

let run: Ge2eRunner;
let vad: WebRtcVad;
const dir = mkdtempSync(join(tmpdir(), 'timbre-ge2e-'));
const cosines: string[] = [];

beforeAll(async () => {
  run = await realGe2eRunner();
  vad = await createWebRtcVad();
});

describe('GE2E against Resemblyzer 0.1.4', () => {
  it('covers at least 10 clips at 16, 22.05, 24 and 48 kHz, one with long silences', () => {
    expect(golden.clips.length).toBeGreaterThanOrEqual(10);
    expect(new Set(golden.clips.map((c) => c.sampleRateHz))).toEqual(new Set([16000, 22050, 24000, 48000]));
    expect(GE2E_GOLDEN_CLIPS.map((c) => c.name).sort()).toEqual(golden.clips.map((c) => c.file).sort());
    expect(GE2E_GOLDEN_CLIPS.some((c) => (c.silenceS ?? 0) >= 2)).toBe(true);
  });

  for (const clip of golden.clips) {
    it(`${clip.file}: cosine >= ${MIN_COSINE} to Resemblyzer's embedding`, async () => {
      const spec = GE2E_GOLDEN_CLIPS.find((c) => c.name === clip.file)!;
      const bytes = new Uint8Array(readFileSync(makeGe2eClip(spec, dir)));
      // Same input bytes as the golden script had (sox made both), or the comparison means nothing.
      expect(
        createHash('sha256').update(bytes).digest('hex'),
        'the WAV sox made here differs from the golden input',
      ).toBe(clip.sha256);
      const audio = decodeWav(bytes);
      expect(audio.sampleRateHz).toBe(clip.sampleRateHz);
      const wav = preprocessWav(audio.channels[0]!, audio.sampleRateHz, vad);
      // At 16 kHz nothing is resampled, so the trim must keep exactly what Resemblyzer kept.
      if (clip.sampleRateHz === 16000) expect(wav.length).toBe(clip.preprocessedSamples);
      else expect(Math.abs(wav.length - clip.preprocessedSamples)).toBeLessThanOrEqual(480 * 8);
      const ours = await embedUtterance(wav, run);
      let dot = 0;
      for (let i = 0; i < ours.length; i++) dot += (ours[i] as number) * (clip.embedding[i] as number);
      cosines.push(`${clip.file} ${dot.toFixed(5)}`);
      console.log(`GE2E parity ${clip.file} (${clip.sampleRateHz} Hz): cosine ${dot.toFixed(5)}`);
      expect(dot).toBeGreaterThanOrEqual(MIN_COSINE);
    });
  }
});
