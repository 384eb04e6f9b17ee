/**
 * Audio DSP speed on 30 s of espeak-ng speech, in Node, next to transformers.js's
 * WeSpeakerFeatureExtractor (the parity reference of computeFbank) on the same audio; and the
 * reference clean-up: Silero VAD (the ONNX file shipped in @ricky0123/vad-web, through
 * onnxruntime-web's Node build, as in the worker), RNNoise (WASM) and the whole cleanClip.
 * Run: npm run bench:reference  (tsx bench/reference.ts). Median of RUNS after a warm-up.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { WeSpeakerFeatureExtractor } from '@huggingface/transformers';
import * as ort from 'onnxruntime-web';
import { cleanClip, ingestAudio } from '../src/engine/reference/clean';
import { denoise48k, RNNOISE_FRAME_SAMPLES, type FrameDenoiser } from '../src/engine/reference/denoise';
import { speechProbabilities } from '../src/engine/reference/silero';
import { OrtSileroModel } from '../src/workers/ort/speaker-silero';
import { computeFbank, meanNormalise } from '../src/engine/audio/fbank';
import { extractVoiceFeatures } from '../src/engine/audio/features';
import { downmixToMono } from '../src/engine/audio/mix';
import { resample } from '../src/engine/audio/resample';
import { decodeWav, encodeWav } from '../src/engine/audio/wav';
import { espeakWavBytes, SPEECH_SENTENCES } from '../src/test-support/audio';

const CLIP_SECONDS = 30;
const RUNS = 5;

async function medianMs(run: () => unknown, runs = RUNS): Promise<number> {
  await run(); // warm-up: JIT, tables
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(runs / 2)]!;
}

/** Fewer runs for the model-driven stages: each takes seconds. */
const MODEL_RUNS = 3;

async function loadSilero(): Promise<OrtSileroModel> {
  const require = createRequire(import.meta.url);
  ort.env.wasm.numThreads = 1; // the worker's rule on a 2-core machine
  const bytes = readFileSync(require.resolve('@ricky0123/vad-web/dist/silero_vad_v5.onnx'));
  return new OrtSileroModel(await ort.InferenceSession.create(new Uint8Array(bytes)), ort);
}

interface RnnoiseModule {
  HEAPF32: Float32Array;
  _malloc(bytes: number): number;
  _rnnoise_create(): number;
  _rnnoise_process_frame(state: number, out: number, input: number): number;
}

async function loadRnnoise(): Promise<() => FrameDenoiser> {
  const specifier = '@jitsi/rnnoise-wasm/dist/rnnoise-sync.js'; // untyped package
  const { default: create } = (await import(specifier)) as { default: () => Promise<RnnoiseModule> };
  const module = await create();
  return () => {
    const state = module._rnnoise_create();
    const ptr = module._malloc(RNNOISE_FRAME_SAMPLES * 4);
    return {
      processFrame(frame) {
        module.HEAPF32.set(frame, ptr >> 2);
        const voice = module._rnnoise_process_frame(state, ptr, ptr);
        frame.set(module.HEAPF32.subarray(ptr >> 2, (ptr >> 2) + RNNOISE_FRAME_SAMPLES));
        return voice;
      },
    };
  };
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

  const silero = await loadSilero();
  const createDenoiser = await loadRnnoise();
  const ingested = ingestAudio([mono], sampleRateHz);
  const pcm48k = resample(mono, sampleRateHz, 48000);
  const vadRows: [string, number][] = [
    [
      'Silero VAD, one frame per call (16 kHz)',
      await medianMs(() => speechProbabilities(pcm16k, silero, { maxLanes: 1 }), MODEL_RUNS),
    ],
    [
      'Silero VAD, up to 16 lanes per call',
      await medianMs(() => speechProbabilities(pcm16k, silero), MODEL_RUNS),
    ],
    ['RNNoise denoise (48 kHz)', await medianMs(() => denoise48k(pcm48k, createDenoiser()), MODEL_RUNS)],
    [
      'cleanClip: VAD + trim + loudness (24 kHz)',
      await medianMs(
        () =>
          cleanClip(
            ingested,
            { trimSilence: true, denoise: false, normalise: true },
            { vadProbabilities: (pcm) => speechProbabilities(pcm, silero) },
          ),
        MODEL_RUNS,
      ),
    ],
  ];

  const ours = meanNormalise(computeFbank(pcm16k)).data;
  const reference = (await extractor(pcm16k)).input_features.data as Float32Array;
  let maxDifference = 0;
  for (let i = 0; i < ours.length; i++)
    maxDifference = Math.max(maxDifference, Math.abs(ours[i]! - reference[i]!));

  console.log(
    `Audio DSP on ${CLIP_SECONDS} s of espeak-ng speech (median of ${RUNS} runs, models ${MODEL_RUNS}; Node ${process.version}; load per core ${(loadavg()[0]! / cpus().length).toFixed(2)})`,
  );
  for (const [name, ms] of [...rows, ...vadRows])
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
