/**
 * Calibrates the fixture speaker encoder on renderings of the 54 stock voices by the
 * fixture Kokoro: the average mean/spread shapes (subtracted in the graph, like a trained
 * network's normalisation statistics) and the typical norm of what is left.
 *
 * Rerun after changing the fixture Kokoro or the encoder's shape features:
 *   npx tsx src/test-support/fixture-models/speaker-calibration.ts
 * It rewrites speaker-calibration.json beside this file.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createSession, phonemeIds, renderKokoro, runEncoder, styleRow } from './fixture-pipeline';
import { buildFixtureKokoro } from './kokoro-fixture';
import {
  buildEncoderGraph,
  ENCODER_USED_BINS,
  SPEAKER_CALIBRATION_URL,
  SPREAD_WEIGHT,
  type SpeakerCalibration,
} from './speaker-fixture';
import { listStockVoiceIds, readVoicePack } from './voice-stats';

/** Misaki-style phonemes of three unrelated sentences. */
export const CALIBRATION_PHONEMES = [
  'ðə kwˈɪk bɹˈWn fˈɑks ʤˈʌmps ˌOvəɹ ðə lˈAzi dˈɑɡ.',
  'hˈɛlO, mˈI nˈAm ɪz ʤˈAn ænd aɪ lˈIv ɪn ə smˈɔl tˈWn bˈI ðə sˈi.',
  'wˈʌns əpˌɑn ə tˈIm ðɛɹ wʌz ə kˈɪŋ hu lˈʌvd ɡˈOld mˈɔɹ ðæn ˈɛniθˌɪŋ.',
];

export async function computeSpeakerCalibration(): Promise<SpeakerCalibration> {
  const kokoro = await createSession(buildFixtureKokoro());
  const shapes = await createSession(buildEncoderGraph().encode({ docString: 'calibration', metadata: {} }));
  const vectors: Float32Array[] = [];
  for (const voice of listStockVoiceIds()) {
    const pack = readVoicePack(voice);
    for (const phonemes of CALIBRATION_PHONEMES) {
      const ids = phonemeIds(phonemes);
      const audio = await renderKokoro(kokoro, ids, styleRow(pack, ids.length - 2));
      vectors.push(await runEncoder(shapes, audio, 'shapes'));
    }
  }
  const average = (offset: number) =>
    Array.from(
      { length: ENCODER_USED_BINS },
      (_, b) => vectors.reduce((sum, v) => sum + v[offset + b]!, 0) / vectors.length,
    );
  const meanShape = average(0);
  const spreadShape = average(ENCODER_USED_BINS);
  const centre = [...meanShape, ...spreadShape];
  const weight = (i: number) => (i < ENCODER_USED_BINS ? 1 : SPREAD_WEIGHT);
  const norms = vectors.map((v) =>
    Math.sqrt(v.reduce((sum, x, i) => sum + (weight(i) * (x - centre[i]!)) ** 2, 0)),
  );
  const featureNorm = norms.reduce((a, b) => a + b, 0) / norms.length;
  const round = (values: number[]) => values.map((x) => Math.round(x * 1e6) / 1e6);
  return {
    meanShape: round(meanShape),
    spreadShape: round(spreadShape),
    featureNorm: round([featureNorm])[0]!,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const calibration = await computeSpeakerCalibration();
  writeFileSync(SPEAKER_CALIBRATION_URL, `${JSON.stringify(calibration, null, 2)}\n`);
  console.log(`Wrote ${fileURLToPath(SPEAKER_CALIBRATION_URL)} (feature norm ${calibration.featureNorm})`);
}
