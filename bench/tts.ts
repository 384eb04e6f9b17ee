/**
 * Text-to-first-audio and per-stage times of our TTS pipeline next to kokoro-js's, on the
 * same 10-sentence paragraph, the same .onnx file (the fixture Kokoro) and the same voice.
 * Run: npm run bench:tts  (tsx bench/tts.ts). TTS_BENCH_RUNS=n changes the repetitions.
 *
 * Pipelines (all runs interleaved, after one warm-up run each; medians printed):
 *   ours (wasm)  engine text frontend + synthesizeChunks over onnxruntime-web's Node wasm build
 *                (what the worker runs in the browser, thread rule included)
 *   ours (node)  the same engine code over onnxruntime-node with transformers.js's session
 *                options: the apples-to-apples inference comparison with kokoro-js
 *   kokoro-js    KokoroTTS.stream(), transformers.js -> onnxruntime-node, local model copy
 */
import type { KokoroRunner } from '../src/engine/tts/types';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ortNode from 'onnxruntime-node';
import { phonemize } from 'phonemizer';
import { KOKORO_SAMPLE_RATE_HZ } from '../src/engine/tts/types';
import { renameOnnxValues } from '../src/engine/onnx/rename-io';
import { realKokoroFile, realModelPath } from '../src/test-support/real-models';
import { REPO_ROOT, sharedPath } from '../src/test-support/shared';
import { DEFAULT_FIXTURES_DIR, makeFixtures } from '../scripts/make-fixtures';
import { nodeKokoroRunner } from './support/ort-node';
import { KOKORO_JS_VOICE, loadKokoroJs, type InstrumentedKokoroJs } from './support/tts-kokoro-js';
import {
  createBenchFrontend,
  createDiskLexiconLoader,
  runOurPipeline,
  createWebWasmKokoroRunner,
  workerWasmThreads,
} from './support/tts-ours';
import {
  bestRun,
  formatMs,
  formatRatio,
  median,
  medianRun,
  renderTable,
  type PipelineRun,
} from './support/tts-stats';

const RUNS = Number(process.env.TTS_BENCH_RUNS ?? 5);
const WARM_UP_RUNS = 1;
/** --real: the real Kokoro-82M int8 (npm run models:real) instead of the fixture. */
const REAL = process.argv.includes('--real');
const MODEL_PATH = REAL
  ? realModelPath(realKokoroFile())
  : join(DEFAULT_FIXTURES_DIR, 'models', 'kokoro', 'onnx', 'model_quantized.onnx');
const VOICE_PATH = REAL
  ? sharedPath('kokoro-voices', `${KOKORO_JS_VOICE}.bin`)
  : join(DEFAULT_FIXTURES_DIR, 'models', 'voices', `${KOKORO_JS_VOICE}.bin`);

/**
 * kokoro-js only runs onnx-community's names (input_ids -> waveform); the real file is
 * kokoro-onnx's (tokens -> audio). A copy with the inputs and outputs renamed and every other
 * byte as it was, checked to give the same audio as the original on the same input.
 */
async function kokoroJsModelPath(): Promise<{ path: string; note: string }> {
  const original = new Uint8Array(readFileSync(MODEL_PATH));
  const names = (await ortNode.InferenceSession.create(original)).inputNames;
  if (names.includes('input_ids')) return { path: MODEL_PATH, note: 'the same file' };
  const renamed = renameOnnxValues(original, { tokens: 'input_ids', audio: 'waveform' });
  const dir = mkdtempSync(join(tmpdir(), 'timbre-bench-renamed-'));
  const path = join(dir, 'model_quantized.onnx');
  writeFileSync(path, renamed);
  const ids = [0, 50, 83, 156, 43, 102, 16, 0];
  const style = readPack().slice(ids.length * 256, (ids.length + 1) * 256);
  const a = nodeKokoroRunner(await ortNode.InferenceSession.create(original), MODEL_PATH);
  const b = nodeKokoroRunner(await ortNode.InferenceSession.create(renamed), path);
  const [x, y] = [await a.run(ids, style, 1), await b.run(ids, style, 1)];
  const same = x.length === y.length && x.every((v, i) => v === y[i]);
  if (!same) throw new Error('The renamed copy does not give the same audio as the original.');
  return {
    path,
    note: `a copy with tokens/audio renamed to input_ids/waveform (${renamed.length - original.length} bytes longer, weights untouched; same audio on a test input, checked)`,
  };
}

/** Ten sentences of ordinary prose with a few numbers, a title, money and a quotation. */
const SENTENCES = [
  'Dr. Ellis reached the old observatory at 7:45, just as the first stars appeared over the ridge.',
  'She had spent twelve winters studying how small buildings lose their heat to the night sky.',
  'Her first paper, published in 1998, surprised almost everyone who worked in the field.',
  'Heat, it turned out, escaped less through the windows than through the wooden floors.',
  'Over the years her team measured more than 3,000 rooms in four different countries.',
  'Each measurement cost about $12.50 in equipment and several hours of patient work.',
  'Critics called the method slow, expensive and hopelessly old-fashioned.',
  'Builders, however, quietly adopted most of her recommendations within a decade.',
  'Today nearly every new house in the valley uses the insulation she proposed.',
  'Asked about her legacy, she only smiled and said, "Houses breathe too, you know."',
];
const PARAGRAPH = SENTENCES.join(' ');
/** Stages whose work differs too much between the pipelines for a ratio to mean anything. */
const NO_RATIO_STAGES = new Set(['normalise', 'post-process']);

interface Pipeline {
  name: string;
  run(): Promise<PipelineRun>;
}

function packageVersion(name: string): string {
  const manifest = JSON.parse(
    readFileSync(join(REPO_ROOT, 'node_modules', name, 'package.json'), 'utf8'),
  ) as { version: string };
  return manifest.version;
}

async function timed<T>(load: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const value = await load();
  return [value, performance.now() - started];
}

function ensureFixtures(): void {
  if (REAL) return;
  if (existsSync(MODEL_PATH) && existsSync(VOICE_PATH)) return;
  console.log('No fixture model yet: writing .fixtures (npm run fixtures) ...');
  makeFixtures();
}

function readPack(): Float32Array {
  const bytes = readFileSync(VOICE_PATH);
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

function stageRows(columns: readonly PipelineRun[], kokoroJs: PipelineRun | undefined): string[][] {
  const frontendMs = (run: PipelineRun) =>
    (Number.isNaN(run.normaliseMs) ? 0 : run.normaliseMs) + run.phonemizeMs;
  const rows: [string, (run: PipelineRun) => number][] = [
    ['normalise', (run) => run.normaliseMs],
    ['phonemize', (run) => run.phonemizeMs],
    ['normalise+phonemize', frontendMs],
    ['tokenize (+ sentence split)', (run) => run.tokenizeMs],
    ['inference', (run) => run.inferenceMs],
    ['post-process', (run) => run.postprocessMs],
    ['total', (run) => run.totalMs],
    ['time to first audio', (run) => run.firstAudioMs],
  ];
  return rows.map(([label, pick]) => [
    label,
    ...columns.map((run) =>
      label === 'normalise' && Number.isNaN(run.normaliseMs) ? 'in phonemize' : formatMs(pick(run)),
    ),
    ...(kokoroJs && !NO_RATIO_STAGES.has(label)
      ? columns.slice(0, 2).map((run) => formatRatio(pick(run), pick(kokoroJs)))
      : []),
  ]);
}

function describeOutput(columns: readonly PipelineRun[]): string[][] {
  return [
    ['tokens (no pads)', ...columns.map((run) => String(run.tokens))],
    ['first chunk tokens', ...columns.map((run) => String(run.firstChunkTokens))],
    ['chunks (sentences)', ...columns.map((run) => String(run.chunks))],
    ['audio seconds', ...columns.map((run) => (run.samples / KOKORO_SAMPLE_RATE_HZ).toFixed(1))],
    ['inference ms per token', ...columns.map((run) => (run.inferenceMs / run.tokens).toFixed(2))],
  ];
}

/** `label`: wasm and node ratios of total and time to first audio against kokoro-js. */
function printRatios(label: string, ours: readonly PipelineRun[], kokoroJs: PipelineRun): void {
  const [wasm, node] = ours as [PipelineRun, PipelineRun];
  const pair = (pick: (run: PipelineRun) => number) =>
    `${formatRatio(pick(wasm), pick(kokoroJs))} (wasm)  ${formatRatio(pick(node), pick(kokoroJs))} (node, same runtime)`;
  console.log(
    `  ${label.padEnd(9)} total ${pair((run) => run.totalMs)};  time to first audio ${pair((run) => run.firstAudioMs)}`,
  );
}

/** 1-minute load average per core: above 1, other processes are competing for the CPU. */
function loadPerCore(): string {
  return (loadavg()[0]! / availableParallelism()).toFixed(1);
}

async function main(): Promise<void> {
  const loadBefore = loadPerCore();
  ensureFixtures();
  const model = new Uint8Array(readFileSync(MODEL_PATH));
  const pack = readPack();
  const lexicons = createDiskLexiconLoader();
  await (await createBenchFrontend(lexicons)).prepare('Warm up eSpeak.', 'en-us'); // eSpeak WASM start-up

  const [wasmRunner, wasmLoadMs] = await timed(() => createWebWasmKokoroRunner(model, MODEL_PATH));
  // transformers.js passes only executionProviders: ['cpu'] for device 'cpu'; copy that.
  const [nodeRunner, nodeLoadMs] = await timed(async () =>
    nodeKokoroRunner(
      await ortNode.InferenceSession.create(MODEL_PATH, { executionProviders: ['cpu'] }),
      MODEL_PATH,
    ),
  );
  let kokoroJs: InstrumentedKokoroJs | undefined;
  let kokoroJsLoadMs = NaN;
  let kokoroJsError: unknown;
  let kokoroJsNote = 'a byte-identical copy';
  try {
    const forKokoroJs = await kokoroJsModelPath();
    kokoroJsNote = forKokoroJs.note;
    [kokoroJs, kokoroJsLoadMs] = await timed(() => loadKokoroJs(forKokoroJs.path));
  } catch (error) {
    kokoroJsError = error;
  }

  let warmCachePhonemizeMs: number[] = [];
  const ourRun = (runner: KokoroRunner, recordWarmCache: boolean) => async () => {
    const frontend = await createBenchFrontend(lexicons); // empty eSpeak word cache, like new text
    const result = await runOurPipeline(frontend, PARAGRAPH, pack, runner);
    if (recordWarmCache)
      warmCachePhonemizeMs.push(
        (await frontend.prepare(PARAGRAPH, 'en-us', { chunking: 'stream' })).timings.phonemizeMs,
      );
    return result;
  };
  const pipelines: Pipeline[] = [
    { name: 'ours (wasm)', run: ourRun(wasmRunner, true) },
    { name: 'ours (node)', run: ourRun(nodeRunner, false) },
    ...(kokoroJs ? [{ name: 'kokoro-js', run: () => kokoroJs.run(PARAGRAPH) }] : []),
  ];

  for (let i = 0; i < WARM_UP_RUNS; i++) for (const pipeline of pipelines) await pipeline.run();
  warmCachePhonemizeMs = [];
  const results = pipelines.map(() => [] as PipelineRun[]);
  for (let i = 0; i < RUNS; i++)
    for (const [index, pipeline] of pipelines.entries()) results[index]!.push(await pipeline.run());
  const medians = results.map(medianRun);
  const kokoroJsMedian = kokoroJs ? medians[2] : undefined;

  console.log(
    `\nTimbre TTS bench: ${SENTENCES.length}-sentence English paragraph (${PARAGRAPH.length} chars), voice ${KOKORO_JS_VOICE}, speed 1, dialect en-us`,
  );
  console.log(
    REAL
      ? `Model: ${MODEL_PATH.replace(`${REPO_ROOT}/`, '')} (${statSync(MODEL_PATH).size} bytes): the REAL Kokoro-82M v1.0 int8 (kokoro-onnx export)`
      : `Model: ${MODEL_PATH.replace(`${REPO_ROOT}/`, '')} (${statSync(MODEL_PATH).size} bytes): the FIXTURE Kokoro, a tiny synthetic graph with Kokoro-82M's I/O, not the real weights`,
  );
  console.log(`Runtimes (same weights everywhere; kokoro-js reads ${kokoroJsNote}):`);
  console.log(
    `  ours (wasm)  onnxruntime-web ${packageVersion('onnxruntime-web')} Node wasm build, ${workerWasmThreads()} thread(s) (the worker's rule), session load ${formatMs(wasmLoadMs)} ms`,
  );
  console.log(
    `  ours (node)  onnxruntime-node ${packageVersion('onnxruntime-node')} CPU EP, default threads, session load ${formatMs(nodeLoadMs)} ms`,
  );
  if (kokoroJs)
    console.log(
      `  kokoro-js    kokoro-js ${packageVersion('kokoro-js')} + @huggingface/transformers ${packageVersion('@huggingface/transformers')} -> onnxruntime-node ${packageVersion('onnxruntime-node')} CPU, from_pretrained ${formatMs(kokoroJsLoadMs)} ms (stream(), q8, device cpu)`,
    );
  console.log(
    `Medians of ${RUNS} runs after ${WARM_UP_RUNS} warm-up run, pipelines interleaved. Times in ms.`,
  );
  console.log(
    `Machine: ${availableParallelism()} cores, load per core ${loadBefore} before / ${loadPerCore()} after (above 1: timings are inflated and noisy)\n`,
  );

  const names = pipelines.map((pipeline) => pipeline.name);
  const ratioHeader = kokoroJs ? ['wasm/kjs', 'node/kjs'] : [];
  console.log(renderTable(['stage', ...names, ...ratioHeader], stageRows(medians, kokoroJsMedian)));
  console.log('');
  const spread = results.map((runs) => {
    const totals = runs.map((run) => run.totalMs);
    return `${formatMs(Math.min(...totals))}..${formatMs(Math.max(...totals))}`;
  });
  console.log(
    renderTable(['output', ...names], [...describeOutput(medians), ['total ms, min..max', ...spread]]),
  );
  console.log(
    `\nours, same text again (eSpeak word cache warm): phonemize ${formatMs(median(warmCachePhonemizeMs))} ms`,
  );

  if (kokoroJsMedian) {
    console.log('\nours/kokoro-js (below 1 = ours faster):');
    printRatios('median', medians, kokoroJsMedian);
    printRatios('best run', results.map(bestRun), bestRun(results[2]!));
    console.log(
      '\nComparable stages: normalise+phonemize (kokoro-js does not expose its normaliser: its normalise time is inside',
    );
    console.log(
      '"phonemize"), inference (same file; compare ours (node) for the same runtime), total and time to first audio.',
    );
    console.log(
      'Roughly comparable: tokenize (ours: symbols -> ids + sentence chunk planning; kokoro-js: TextSplitterStream +',
    );
    console.log(
      'transformers tokenizer). Post-process: ours = edge fades; kokoro-js does none (RawAudio wrapping only).',
    );
    console.log(
      'Ours phonemizes the whole text before the first chunk; kokoro-js phonemizes sentence by sentence.',
    );
    console.log(
      'kokoro-js is fed a TextSplitterStream we close: its stream(string) never closes its splitter, so the last sentence is never spoken.',
    );
    console.log(
      'Token counts differ (misaki lexicon + mapped eSpeak vs raw eSpeak IPA), so per-token inference is shown too.',
    );
  } else {
    console.log(`\nkokoro-js could not run on the local model copy: ${String(kokoroJsError)}`);
    const espeakMs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now();
      await phonemize(PARAGRAPH, 'en-us');
      espeakMs.push(performance.now() - started);
    }
    console.log(
      `Fallback: eSpeak alone on the paragraph (the core of kokoro-js's phonemize) ${formatMs(median(espeakMs))} ms`,
    );
  }
  const rtf = medians.map(
    (run, i) => `${names[i]} ${(run.totalMs / 1000 / (run.samples / KOKORO_SAMPLE_RATE_HZ)).toFixed(2)}`,
  );
  console.log(
    `\nReal-time factor (processing seconds per second of audio, below 1 keeps up with playback): ${rtf.join(', ')}`,
  );
  await wasmRunner.release();
  kokoroJs?.dispose();
  if (kokoroJsMedian) {
    const ours = medians[0]!;
    console.log(`total ours(wasm)/kokoro-js ${formatRatio(ours.totalMs, kokoroJsMedian.totalMs)}`);
    console.log(`time to first audio ours(wasm)/kokoro-js stream():`);
    console.log(`ratio ${(ours.firstAudioMs / kokoroJsMedian.firstAudioMs).toFixed(2)}`);
  } else console.log('ratio not measured (kokoro-js did not run)');
}

await main();
