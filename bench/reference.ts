/**
 * Audio DSP speed on 30 s of espeak-ng speech, in Node, next to transformers.js's
 * WeSpeakerFeatureExtractor (the parity reference of computeFbank) on the same audio.
 * Run: npm run bench:reference  (tsx bench/reference.ts). Median of RUNS after a warm-up.
 */
import { WeSpeakerFeatureExtractor } from '@huggingface/transformers';
import { computeFbank, meanNormalise } from '../src/engine/audio/fbank';
import { extractVoiceFeatures } from '../src/engine/audio/features';
import { downmixToMono } from '../src/engine/audio/mix';
import { resample } from '../src/engine/audio/resample';
import { decodeWav, encodeWav } from '../src/engine/audio/wav';
import { espeakWavBytes, SPEECH_SENTENCES } from '../src/test-support/audio';

const CLIP_SECONDS = 30;
const RUNS = 5;

async function medianMs(run: () => unknown): Promise<number> {
  await run(); // warm-up: JIT, tables
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(RUNS / 2)]!;
}

function speechWav(): Uint8Array {
  const text = Array.from({ length: 3 }, () => SPEECH_SENTENCES.join(' ')).join(' ');
  const decoded = decodeWav(espeakWavBytes(text, { voice: 'en-us+m3' }));
  const samples = CLIP_SECONDS * decoded.sampleRateHz;
  const mono = downmixToMono(decoded.channels);
  if (mono.length < samples) throw new Error(`espeak produced only ${mono.length / decoded.sampleRateHz} s`);
  return encodeWav(mono.subarray(0, samples), decoded.sampleRateHz);
}

async function main(): Promise<void> {
  const wav = speechWav();
  const { sampleRateHz, channels } = decodeWav(wav);
  const mono = channels[0]!;
  const pcm16k = resample(mono, sampleRateHz, 16000);
  const pcm24k = resample(mono, sampleRateHz, 24000);
  const extractor = new WeSpeakerFeatureExtractor({
    feature_size: 80,
    num_mel_bins: 80,
    sampling_rate: 16000,
    fbank_centering_span: null, // null turns on its per-utterance mean normalisation
    min_num_frames: null,
  });

  const rows: [string, number][] = [
    ['decodeWav (30 s, 22.05 kHz 16-bit)', await medianMs(() => decodeWav(wav))],
    ['resample 22.05 kHz -> 16 kHz', await medianMs(() => resample(mono, sampleRateHz, 16000))],
    ['resample 22.05 kHz -> 24 kHz', await medianMs(() => resample(mono, sampleRateHz, 24000))],
    ['computeFbank + meanNormalise (16 kHz)', await medianMs(() => meanNormalise(computeFbank(pcm16k)))],
    ['extractVoiceFeatures (24 kHz)', await medianMs(() => extractVoiceFeatures(pcm24k))],
  ];
  const referenceMs = await medianMs(() => extractor(pcm16k));
  const oursFbankMs = rows[3]![1];

  const ours = meanNormalise(computeFbank(pcm16k)).data;
  const reference = (await extractor(pcm16k)).input_features.data as Float32Array;
  let maxDifference = 0;
  for (let i = 0; i < ours.length; i++)
    maxDifference = Math.max(maxDifference, Math.abs(ours[i]! - reference[i]!));

  console.log(
    `Audio DSP on ${CLIP_SECONDS} s of espeak-ng speech (median of ${RUNS} runs, Node ${process.version})`,
  );
  for (const [name, ms] of rows)
    console.log(
      `  ${name.padEnd(42)} ${ms.toFixed(1).padStart(8)} ms  (${((CLIP_SECONDS * 1000) / ms).toFixed(0)}x real time)`,
    );
  console.log(
    `  ${'transformers.js WeSpeakerFeatureExtractor'.padEnd(42)} ${referenceMs.toFixed(1).padStart(8)} ms`,
  );
  console.log(`  fbank speed ratio (transformers.js / ours): ${(referenceMs / oursFbankMs).toFixed(2)}x`);
  console.log(
    `  fbank parity: max |ours - transformers.js| = ${maxDifference.toExponential(2)} over ${ours.length} values`,
  );
}

await main();
