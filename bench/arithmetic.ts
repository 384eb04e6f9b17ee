/**
 * Live voice arithmetic, measured the way the Voices tab does it: the preview sentence is
 * prepared once (the engine's text frontend), every slider change becomes a blend (recipe ->
 * combine, as blend-actions.ts) handed to the same PreviewScheduler the UI uses. As in the
 * browser, inference runs off the main thread: a worker thread (this same file) prepares the
 * sentence once and runs renderPreviewAudio (as the TTS worker's renderPreview) on the fixture
 * Kokoro through onnxruntime-web's WASM build, with a cancel message per request.
 *
 * Prints (1) the time from a slider change to the first sample of new preview audio, and
 * (2) renders started / completed / cancelled / coalesced during a simulated drag of 30
 * changes per second for 3 seconds; (2) is repeated with a simulated slow renderer (real
 * Kokoro on a CPU is far slower than the fixture) to show the cancellation path.
 *
 * Run: npm run fixtures && npm run bench:arithmetic
 */
import type { KokoroRunner } from '../src/engine/tts/types';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import * as ort from 'onnxruntime-web';
import { phonemize } from 'phonemizer';
import type { ModelManifest } from '../src/engine/models/manifest';
import { AbortedError } from '../src/engine/progress';
import { createLexiconLoader, createTextFrontend, type TextChunk } from '../src/engine/text';
import { applyRecipe, createRecipe } from '../src/engine/voices/recipe';
import { renderPreviewAudio } from '../src/engine/voices/preview-render';
import {
  PREVIEW_DEBOUNCE_MS,
  PREVIEW_MAX_WAIT_MS,
  PreviewScheduler,
  type PreviewSchedulerStats,
} from '../src/engine/voices/preview-scheduler';
import { REPO_ROOT, sharedPath } from '../src/test-support/shared';
import { kokoroRunner } from '../src/test-support/fixture-models/fixture-pipeline';

const FIXTURE_DIR = join(REPO_ROOT, '.fixtures', 'models');
const PREVIEW_TEXT = 'The quick brown fox jumps over the lazy dog.';
const VOICES = ['af_bella', 'af_sky', 'am_adam'];
const SINGLE_CHANGES = 12;
const DRAG_RATE_HZ = 30;
const DRAG_SECONDS = 3;
/** A stand-in for a real CPU render of the sentence, to exercise cancellation. */
const SLOW_RENDER_MS = 800;

type ToWorker =
  | { type: 'init'; modelPath: string; text: string }
  | { type: 'render'; requestId: number; pack: Float32Array; speed: number }
  | { type: 'cancel'; requestId: number };
type FromWorker =
  | { type: 'ready'; prepareMs: number; tokens: number }
  | { type: 'rendered'; requestId: number; samples: number; inferenceMs: number }
  | { type: 'cancelled'; requestId: number }
  | { type: 'failed'; requestId: number; message: string };

/** The worker thread: the bench's stand-in for tts.worker.ts (preparePreview + renderPreview). */
async function serveRenders(): Promise<void> {
  const port = parentPort!;
  let runner: KokoroRunner | undefined;
  let chunks: TextChunk[] = [];
  const controllers = new Map<number, AbortController>();
  const reply = (message: FromWorker) => port.postMessage(message);
  port.on('message', (message: ToWorker) => {
    if (message.type === 'cancel') {
      controllers.get(message.requestId)?.abort();
      return;
    }
    if (message.type === 'init') {
      void (async () => {
        ort.env.wasm.numThreads = 1; // like a page that is not cross-origin isolated
        const session = await ort.InferenceSession.create(readFileSync(message.modelPath), {
          executionProviders: ['wasm'],
        });
        runner = kokoroRunner(session);
        const frontend = createTextFrontend({
          espeak: { phonemize: (text, language) => phonemize(text, language) },
          lexicons: createLexiconLoader((dialect, grade) =>
            readFile(sharedPath('misaki-lexicons', `${dialect}_${grade}.json`), 'utf8'),
          ),
        });
        const started = performance.now();
        chunks = (await frontend.prepare(message.text, 'en-us')).chunks;
        reply({
          type: 'ready',
          prepareMs: performance.now() - started,
          tokens: chunks.reduce((n, c) => n + c.tokenIds.length, 0),
        });
      })();
      return;
    }
    const { requestId, pack, speed } = message;
    const controller = new AbortController();
    controllers.set(requestId, controller);
    renderPreviewAudio(chunks, { pack, speed, runner: runner!, signal: controller.signal })
      .then(
        (audio) =>
          reply({ type: 'rendered', requestId, samples: audio.pcm.length, inferenceMs: audio.inferenceMs }),
        (error: unknown) =>
          reply(
            error instanceof AbortedError
              ? { type: 'cancelled', requestId }
              : { type: 'failed', requestId, message: String(error) },
          ),
      )
      .finally(() => controllers.delete(requestId));
  });
}

/** The main thread's handle on the render worker (the bench's tts-client). */
class RenderWorker {
  // Workers do not inherit tsx's loader: register it in the thread, then load this file there.
  private readonly worker = new Worker(
    `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(import.meta.url)}); });`,
    { eval: true },
  );
  private readonly waiting = new Map<number, (message: FromWorker) => void>();
  private nextId = 1;

  init(modelPath: string, text: string): Promise<{ prepareMs: number; tokens: number }> {
    return new Promise((resolve, reject) => {
      this.worker.on('error', reject);
      this.worker.on('message', (message: FromWorker) => {
        if (message.type === 'ready') resolve(message);
        else this.waiting.get(message.requestId)?.(message);
      });
      this.worker.postMessage({ type: 'init', modelPath, text } satisfies ToWorker);
    });
  }

  /** Resolves undefined when cancelled. */
  render(pack: Float32Array, signal: AbortSignal): Promise<{ samples: number } | undefined> {
    const requestId = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(requestId, (message) => {
        this.waiting.delete(requestId);
        if (message.type === 'rendered') resolve(message);
        else if (message.type === 'cancelled') resolve(undefined);
        else reject(new Error(message.type === 'failed' ? message.message : 'unexpected reply'));
      });
      signal.addEventListener(
        'abort',
        () => this.worker.postMessage({ type: 'cancel', requestId } satisfies ToWorker),
        { once: true },
      );
      this.worker.postMessage({ type: 'render', requestId, pack, speed: 1 } satisfies ToWorker, [
        pack.buffer as ArrayBuffer,
      ]);
    });
  }

  terminate(): Promise<number> {
    return this.worker.terminate();
  }
}

interface Job {
  adam: number;
  changedAt: number;
}
interface Rendered {
  job: Job;
  samples: number;
  renderMs: number;
}

function readPack(manifest: ModelManifest, id: string): Float32Array {
  const entry = manifest.voices.find((v) => v.id === id);
  if (!entry) throw new Error(`The fixture manifest has no voice ${id}`);
  const bytes = readFileSync(join(FIXTURE_DIR, entry.file.path));
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

/** The blend for one slider position, built as the UI builds it (a recipe, then applyRecipe). */
function blendFor(adam: number, packs: ReadonlyMap<string, Float32Array>): Float32Array {
  const recipe = createRecipe(
    'bench',
    [
      { voice: 'af_bella', coefficient: 1, part: 'both' },
      { voice: 'af_sky', coefficient: -1, part: 'both' },
      { voice: 'am_adam', coefficient: adam, part: 'both' },
    ],
    'none',
  );
  return applyRecipe(recipe, (name) => packs.get(name));
}

type RenderFn = (job: Job, signal: AbortSignal) => Promise<Rendered>;

function schedulerFor(render: RenderFn, onResult: (r: Rendered) => void): PreviewScheduler<Job, Rendered> {
  const controllers = new Map<number, AbortController>();
  return new PreviewScheduler<Job, Rendered>({
    render: async (job, requestId) => {
      const controller = new AbortController();
      controllers.set(requestId, controller);
      try {
        return await render(job, controller.signal);
      } catch (error) {
        if (error instanceof AbortedError) return undefined;
        throw error;
      } finally {
        controllers.delete(requestId);
      }
    },
    cancel: (requestId) => controllers.get(requestId)?.abort(),
    onResult,
    onError: (error) => console.error('render failed:', error),
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function untilIdle(scheduler: PreviewScheduler<Job, Rendered>): Promise<void> {
  while (scheduler.busy) await sleep(5);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

async function singleChanges(render: RenderFn): Promise<{ latencies: number[]; renderMs: number[] }> {
  const latencies: number[] = [];
  const renderMs: number[] = [];
  let last: Rendered | undefined;
  const scheduler = schedulerFor(render, (r) => (last = r));
  for (let i = 0; i < SINGLE_CHANGES; i++) {
    last = undefined;
    scheduler.schedule({ adam: 0.5 + 0.05 * i, changedAt: performance.now() });
    await untilIdle(scheduler);
    if (!last) throw new Error('a single change produced no audio');
    const rendered: Rendered = last;
    latencies.push(performance.now() - rendered.job.changedAt);
    renderMs.push(rendered.renderMs);
  }
  return { latencies, renderMs };
}

interface DragOutcome {
  stats: PreviewSchedulerStats;
  deliveredDuringDrag: number;
  settleMs: number;
  latestLate: number;
}

/** 30 changes a second for 3 s; changes are issued at their planned times even if the loop was busy. */
async function drag(render: RenderFn): Promise<DragOutcome> {
  const delivered: { at: number; job: Job }[] = [];
  const scheduler = schedulerFor(render, (r) => delivered.push({ at: performance.now(), job: r.job }));
  const intervalMs = 1000 / DRAG_RATE_HZ;
  const changes = DRAG_RATE_HZ * DRAG_SECONDS;
  const start = performance.now();
  let latestLate = 0;
  for (let i = 0; i < changes; i++) {
    const due = start + i * intervalMs;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    latestLate = Math.max(latestLate, performance.now() - due);
    scheduler.schedule({ adam: 1 - i / changes, changedAt: performance.now() });
  }
  const lastChange = performance.now();
  await untilIdle(scheduler);
  const final = delivered.at(-1);
  if (!final || final.job.adam !== 1 - (changes - 1) / changes)
    throw new Error('the final slider position was not rendered last');
  return {
    stats: scheduler.stats,
    deliveredDuringDrag: delivered.filter((d) => d.at <= lastChange).length,
    settleMs: final.at - lastChange,
    latestLate,
  };
}

function printDrag(label: string, outcome: DragOutcome): void {
  const { stats } = outcome;
  console.log(`  ${label}`);
  console.log(
    `    changes ${stats.requested} · renders started ${stats.started} · completed ${stats.completed} · cancelled ${stats.cancelled} · never started (coalesced) ${stats.coalesced}`,
  );
  console.log(
    `    audio delivered during the drag: ${outcome.deliveredDuringDrag} · last change -> its audio: ${outcome.settleMs.toFixed(0)} ms · worst lateness of a simulated change: ${outcome.latestLate.toFixed(0)} ms`,
  );
}

async function main(): Promise<void> {
  const manifestPath = join(FIXTURE_DIR, 'manifest.json');
  if (!existsSync(manifestPath))
    throw new Error(`No fixture models in ${FIXTURE_DIR}: run \`npm run fixtures\` first.`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as ModelManifest;
  const variant = manifest.kokoro.variants.find((v) => v.id === manifest.kokoro.defaultVariant.wasm)!;
  const worker = new RenderWorker();
  const prepared = await worker.init(join(FIXTURE_DIR, variant.path), PREVIEW_TEXT);
  const packs = new Map(VOICES.map((id) => [id, readPack(manifest, id)] as const));

  const fixtureRender: RenderFn = async (job, signal) => {
    const started = performance.now();
    const result = await worker.render(blendFor(job.adam, packs), signal);
    if (!result) throw new AbortedError();
    return { job, samples: result.samples, renderMs: performance.now() - started };
  };
  const slowRender: RenderFn = async (job, signal) => {
    const started = performance.now();
    blendFor(job.adam, packs);
    await sleep(SLOW_RENDER_MS);
    if (signal.aborted) throw new AbortedError();
    return { job, samples: 0, renderMs: performance.now() - started };
  };

  await fixtureRender({ adam: 1, changedAt: 0 }, new AbortController().signal); // warm-up
  const single = await singleChanges(fixtureRender);
  const blendMs = median(
    Array.from({ length: 9 }, (_, i) => {
      const t = performance.now();
      blendFor(0.3 + i * 0.1, packs);
      return performance.now() - t;
    }),
  );

  console.log(
    `Voice arithmetic live preview (fixture Kokoro ${variant.id}, onnxruntime-web WASM in a Node worker thread, ${process.version}, 1 ORT thread)`,
  );
  console.log(
    `  preview "${PREVIEW_TEXT}": ${prepared.tokens} tokens, prepared once in ${prepared.prepareMs.toFixed(0)} ms`,
  );
  console.log(
    `  scheduler: debounce ${PREVIEW_DEBOUNCE_MS} ms, max wait ${PREVIEW_MAX_WAIT_MS} ms during a drag`,
  );
  console.log('(1) one slider change -> first sample of the new preview audio');
  console.log(
    `    median ${median(single.latencies).toFixed(0)} ms (min ${Math.min(...single.latencies).toFixed(0)}, max ${Math.max(...single.latencies).toFixed(0)}) over ${SINGLE_CHANGES} changes`,
  );
  console.log(
    `    = debounce ${PREVIEW_DEBOUNCE_MS} ms + render ${median(single.renderMs).toFixed(0)} ms median (of which blending ${blendMs.toFixed(1)} ms on the main thread)`,
  );
  console.log(`(2) a drag: ${DRAG_RATE_HZ} changes/s for ${DRAG_SECONDS} s`);
  printDrag('fixture Kokoro', await drag(fixtureRender));
  printDrag(
    `simulated ${SLOW_RENDER_MS} ms renders (a stand-in for a slow CPU; not the model)`,
    await drag(slowRender),
  );
  await worker.terminate();
}

if (isMainThread) await main();
else await serveRenders();
