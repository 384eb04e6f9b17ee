/**
 * Memory of the studio in Chromium while it does everything at once (issue 14, part 3).
 *
 *   npm run bench:memory [-- --real] [--build] [--steps 4] [--budget 20] [--interval 10]
 *
 * The production build (dist/; `vite build` first with --build, when it is missing, or when
 * --real needs the real models copied into it) is served by `vite preview` (COOP/COEP: cross-origin
 * isolated) on a free port and opened in the system Chromium (/usr/bin/chromium, headless, the e2e
 * wasm project's flags: no WebGPU, so every model runs on onnxruntime-web's WASM; the URL also says
 * `?backend=wasm`). `--real` uses the real models self-hosted in public/models (`npm run
 * models:real`; GE2E as the encoder, since WeSpeaker is only on the hub); without it the fixture
 * models, served on a second origin as the e2e serves them, so a run takes two minutes and checks
 * the bench rather than the models (the fixture models weigh kilobytes: what is measured is then
 * the runtime's own cost per worker). TIMBRE_BENCH_CHROMIUM_ARGS adds flags for an experiment.
 *
 * Two fresh browser contexts, one after the other:
 *   baseline  open the studio (Kokoro loads in the TTS worker), speak one sentence, analyse one
 *             reference clip (the encoder loads in the speaker worker, the clean-up worker runs
 *             too), then wait for the renderer's RSS to settle: after an engine answers, V8 goes
 *             on compiling its worker's copy of onnxruntime-web's 28 MB WebAssembly with TurboFan
 *             in the background, and the renderer holds up to a gigabyte more meanwhile (with
 *             `--js-flags=--liftoff-only` those swings disappear). The settled sample is "one Kokoro
 *             session plus one encoder loaded alone" in today's design.
 *   scenario  open the studio, then 1 speak a paragraph (four sentences, waited to the end of
 *             synthesis), 2 play a blend preview (Voices), 3 analyse a reference clip
 *             (References), 4 clone it (`?cloneBudget=N`: N search evaluations after the ranking
 *             and the instant estimate) and, once the search has its first point, play an A/B
 *             row (the TTS worker renders it while the clone worker renders its own); stop at N
 *             (the search ends there by itself). `--steps k` stops after step k (0: the baseline
 *             and the studio opened).
 * A sample after each step, every `--interval` seconds during the clone, and when the A/B row plays.
 *
 * Each sample:
 *   page JS      `performance.measureUserAgentSpecificMemory()`: the total, the Window, each
 *                dedicated worker by script (`tts.worker`, `clone.worker`, `speaker.worker`,
 *                `audio-cleanup.worker`; instances summed) and what no single realm owns. It counts
 *                JS heaps, ArrayBuffers and shared WebAssembly memories (onnxruntime-web's threaded
 *                build, loaded when isolated: the weights are in it), not non-shared WebAssembly
 *                memories nor compiled code (see support/memory-probe.ts). Chromium runs with
 *                `--enable-blink-features=ForceEagerMeasureMemory`, so it answers at once.
 *   renderer     RSS and PSS (/proc/<pid>/status, smaps_rollup) summed over this browser's renderer
 *                processes (found under this Node process; Chromium's own WebUI renderer left out).
 *                Workers are threads of the page's renderer, so this is everything: heaps,
 *                WebAssembly memories and code, compiler transients, the allocators' retained
 *                pages. The primary figure. Between samples a poll of /proc every second keeps each
 *                context's highest renderer RSS (start-up transients last seconds: samples alone
 *                catch them by chance); the scenario's peak is the higher of the two. (VmHWM does
 *                not help: here it missed peaks, the kernel updates it lazily.)
 *   GPU, other   the GPU process's RSS; the browser, utility (network, storage, audio) and zygote.
 *
 * The ratio: the scenario's peak renderer RSS over the baseline's, printed last as `ratio R`
 * (goal R <= 1.3 once the app shares sessions; today the TTS and clone workers each load Kokoro
 * and the speaker and clone workers each load an encoder), with the same ratio by page JS and
 * by PSS above it. Main-thread long tasks (PerformanceObserver `longtask`, buffered, installed
 * before the app's first script, each with the longest script of its long animation frame) over
 * both contexts: the longest and how many (goal: none over 50 ms). Ctrl-C prints what was
 * measured so far.
 */
import { availableParallelism, loadavg } from 'node:os';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import {
  chromiumProcesses,
  drainLongTasks,
  installLongTaskObserver,
  measurePageMemory,
  megabytes,
  processTotals,
  setStep,
  waitProcessesGone,
  type LongTask,
} from './support/memory-probe';
import {
  longTaskLines,
  makeSample,
  pageTotal,
  peakOf,
  renderMemoryTable,
  sampleLine,
  type MemorySample,
  type Peak,
} from './support/memory-report';
import { CHROMIUM_BASE_ARGS, SYSTEM_CHROMIUM } from '../e2e/chromium';
import { DIST_DIR, ensureBuild, serve, type Served } from './support/memory-servers';
import {
  FIXTURE_LIMITS,
  MemoryStudio,
  PARAGRAPH,
  REAL_LIMITS,
  SHORT_SENTENCE,
  referenceClip,
} from './support/memory-steps';

interface Options {
  real: boolean;
  build: boolean;
  /** Scenario steps to run (0-4). */
  steps: number;
  /** Search evaluations of the clone (`?cloneBudget`). */
  budget: number;
  intervalS: number;
}

function parseOptions(argv: readonly string[]): Options {
  const value = (name: string, fallback: string) => {
    const index = argv.indexOf(`--${name}`);
    return index >= 0 && argv[index + 1] !== undefined ? argv[index + 1]! : fallback;
  };
  const options = {
    real: argv.includes('--real'),
    build: argv.includes('--build'),
    steps: Number(value('steps', '4')),
    budget: Number(value('budget', '20')),
    intervalS: Number(value('interval', '10')),
  };
  if (!(options.steps >= 0 && options.steps <= 4)) throw new Error('--steps takes 0 to 4');
  if (!(options.budget >= 4 && options.budget <= 5000)) throw new Error('--budget takes 4 to 5000');
  return options;
}

/** The e2e projects' flags (e2e/chromium.ts), without WebGPU, plus eager memory measurement. */
const CHROMIUM_ARGS = [...CHROMIUM_BASE_ARGS, '--enable-blink-features=ForceEagerMeasureMemory'];
const CHROMIUM = SYSTEM_CHROMIUM;
/** Extra Chromium flags for an experiment, e.g. TIMBRE_BENCH_CHROMIUM_ARGS='--js-flags=--liftoff-only'. */
const EXTRA_ARGS = (process.env.TIMBRE_BENCH_CHROMIUM_ARGS ?? '').split(' ').filter(Boolean);

const options = parseOptions(process.argv.slice(2));
const limits = options.real ? REAL_LIMITS : FIXTURE_LIMITS;
const started = Date.now();
const samples: MemorySample[] = [];
const longTasks: (LongTask & { context: string })[] = [];
let browser: Browser | undefined;
let served: Served | undefined;
let reported = false;
let interrupted = false;

/**
 * Between samples, the renderers' RSS read from /proc every second (no page involved): the
 * transients of engine start-up last seconds and samples alone catch them or not by chance.
 */
const POLL_MS = 1000;
interface PolledPeak {
  context: string;
  step: string;
  rss: number;
}
/** The polled peak of each step ("scenario: 4 clone"), in the order the steps came. */
const polled = new Map<string, PolledPeak>();
let current = { context: 'baseline', step: 'loading' };
const poller = setInterval(() => {
  const rss = processTotals(chromiumProcesses(process.pid, false)).rendererRss;
  const key = `${current.context}: ${current.step}`;
  if (!(rss <= (polled.get(key)?.rss ?? 0))) polled.set(key, { ...current, rss });
}, POLL_MS);
/** The highest polled peak of a context (the baseline, the scenario) and its step. */
function polledPeak(context: string): PolledPeak | undefined {
  let peak: PolledPeak | undefined;
  for (const entry of polled.values())
    if (entry.context === context && !(entry.rss <= (peak?.rss ?? 0))) peak = entry;
  return peak;
}
poller.unref();

/** Labels what follows, in the page (its long tasks) and here (the polled peak). */
async function step(context: string, page: Page, label: string): Promise<void> {
  current = { context, step: label };
  await setStep(page, label);
}

const seconds = () => (Date.now() - started) / 1000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const errorText = (error: unknown) =>
  (error instanceof Error ? error.message : String(error)).split('\n')[0]!;

async function sample(context: string, page: Page, point: string): Promise<void> {
  if (interrupted) return;
  const memory = await measurePageMemory(page).catch((error: unknown) => `failed: ${errorText(error)}`);
  const processes = chromiumProcesses();
  const tasks = await drainLongTasks(page).catch(() => []);
  longTasks.push(...tasks.map((task) => ({ ...task, context })));
  if (interrupted) return; // the report is out; the browser is closing
  const taken = makeSample(context, point, seconds(), memory, processes);
  samples.push(taken);
  console.log(sampleLine(taken));
}

async function newStudioPage(context: string): Promise<{ context: BrowserContext; page: Page }> {
  const browserContext = await browser!.newContext();
  await browserContext.addInitScript(installLongTaskObserver);
  const page = await browserContext.newPage();
  let errors = 0;
  page.on('pageerror', (error) => {
    if (errors++ < 10) console.error(`  (${context} page error: ${errorText(error)})`);
  });
  return { context: browserContext, page };
}

/**
 * Waits until the renderers' RSS holds still (eight readings 2 s apart within 1 %: an engine's
 * WebAssembly tier-up compiles in the background for a while after it answers) or `maxMs` has
 * passed; prints the readings and returns the seconds waited. Within 3 % was too loose: on
 * 2026-12-07 one run stopped at 686 MB while a second run of the same code went on from the
 * same 704 -> 686 MB to a drop of 43 MB more, 14 s later (643 MB, where session 9 settled too).
 */
async function settle(maxMs: number): Promise<number> {
  const begin = Date.now();
  const readings: number[] = [];
  for (;;) {
    readings.push(processTotals(chromiumProcesses(process.pid, false)).rendererRss); // RSS only: no smaps walk
    const last = readings.slice(-8);
    if (last.length === 8 && (Math.max(...last) - Math.min(...last)) / Math.max(...last) < 0.01) break;
    if (Date.now() - begin > maxMs) break;
    await sleep(2000);
  }
  console.log(`  settling, renderer RSS every 2 s (MB): ${readings.map((r) => megabytes(r)).join(' ')}`);
  return (Date.now() - begin) / 1000;
}

function studioUrl(appUrl: string, fixtureModels: string | undefined): string {
  const models = fixtureModels ? `&models=${encodeURIComponent(fixtureModels)}` : '';
  return `${appUrl}/?backend=wasm${models}&cloneBudget=${options.budget}`;
}

/** Baseline: one Kokoro (TTS worker) and one encoder (speaker worker), in a context of its own. */
async function baseline(url: string): Promise<void> {
  current = { context: 'baseline', step: 'loading' };
  const { context, page } = await newStudioPage('baseline');
  const studio = new MemoryStudio(page, options.real, limits);
  await studio.open(url);
  await sample('baseline', page, 'studio ready');
  await step('baseline', page, 'speak a sentence');
  await studio.speak(SHORT_SENTENCE);
  await sample('baseline', page, 'spoke a sentence');
  await step('baseline', page, 'analyse a clip');
  await studio.analyse(referenceClip(options.real));
  await sample('baseline', page, 'analysed a clip');
  // The baseline is what one Kokoro and one encoder hold once loaded, not the transient of
  // loading them (renderer RSS swings by a gigabyte for tens of seconds after an engine starts).
  current = { context: 'baseline', step: 'settling' };
  const waited = await settle(limits.settleMs);
  await sample('baseline', page, `settled ${waited.toFixed(0)} s later (1 Kokoro + 1 encoder)`);
  const renderers = chromiumProcesses(process.pid, false)
    .filter((p) => p.kind === 'renderer')
    .map((p) => p.pid);
  current = { context: 'closing', step: '' };
  await context.close();
  // Its renderer must be gone before the scenario's renderers are summed.
  if (!(await waitProcessesGone(renderers, 20_000)))
    console.warn('  (the baseline renderer is still alive: scenario renderer sums include it)');
}

async function scenario(url: string): Promise<void> {
  current = { context: 'scenario', step: 'loading' };
  const { page } = await newStudioPage('scenario');
  const studio = new MemoryStudio(page, options.real, limits);
  await studio.open(url);
  await sample('scenario', page, 'studio ready');
  if (options.steps < 1) return;
  await step('scenario', page, '1 speak');
  await studio.speak(PARAGRAPH);
  await sample('scenario', page, '1 spoke a paragraph');
  if (options.steps < 2) return;
  await step('scenario', page, '2 blend preview');
  await studio.playBlend();
  await sample('scenario', page, '2 blend preview playing');
  if (options.steps < 3) return;
  await step('scenario', page, '3 analyse');
  await studio.analyse(referenceClip(options.real));
  await sample('scenario', page, '3 analysed a clip');
  if (options.steps < 4) return;
  await step('scenario', page, '4 clone');
  await studio.openClone();
  await sample('scenario', page, '4 clone engine ready');
  await studio.startClone();
  await cloneWithAb(page, studio);
}

/** Samples the running clone every interval; plays an A/B row once the search has a point; stops at the budget. */
async function cloneWithAb(page: Page, studio: MemoryStudio): Promise<void> {
  const cloneStarted = Date.now();
  let lastSample = Date.now();
  let ab: Promise<void> | undefined;
  for (;;) {
    const job = await studio.job();
    const progress = `${job.evaluations} evaluations, ${job.points} searched`;
    if (!ab && job.points > 0)
      ab = studio.playAbRow().then(
        (row) => sample('scenario', page, `4 clone, A/B ${row} playing (${progress})`),
        (error: unknown) => console.warn(`  (A/B row did not play: ${errorText(error)})`),
      );
    if (['done', 'cancelled', 'error'].includes(job.state)) break;
    if (job.points >= options.budget || Date.now() - cloneStarted > limits.cloneMs) {
      // The search ends by itself at its budget; give it a little while, then stop it.
      const deadline = Date.now() + 120_000;
      while (Date.now() < deadline && !['done', 'cancelled', 'error'].includes((await studio.job()).state))
        await sleep(1000);
      if ((await studio.job()).state === 'running') await studio.cancelClone();
      break;
    }
    if (Date.now() - lastSample >= options.intervalS * 1000) {
      lastSample = Date.now();
      const elapsed = ((Date.now() - cloneStarted) / 1000).toFixed(0);
      await sample('scenario', page, `4 clone +${elapsed} s (${job.state}, ${progress})`);
    }
    await sleep(1000);
  }
  await ab;
  const job = await studio.job();
  await sample(
    'scenario',
    page,
    `4 clone ${job.state} (${job.evaluations} evaluations, ${job.points} searched)`,
  );
}

function report(): void {
  if (reported) return;
  reported = true;
  if (samples.length === 0) return;
  console.log('');
  console.log(renderMemoryTable(samples));
  console.log(
    'MB (2^20 bytes). page JS: measureUserAgentSpecificMemory; renderer RSS (n): summed over n renderers.',
  );
  console.log('');
  const base = [...samples].reverse().find((s) => s.context === 'baseline');
  const scene = samples.filter((s) => s.context === 'scenario');
  const ratio = (a: number, b: number) =>
    (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? a / b : Number.NaN).toFixed(2);
  const rss = peakOf(scene, (s) => s.totals.rendererRss);
  const pss = peakOf(scene, (s) => s.totals.rendererPss);
  const js = peakOf(scene, pageTotal);
  const at = (peak: Peak) => `${megabytes(peak.value)} MB at "${peak.sample?.point ?? ''}"`;
  const basePoll = polledPeak('baseline');
  const baseHigh = peakOf(
    samples.filter((s) => s.context === 'baseline'),
    (s) => s.totals.rendererRss,
  );
  const baseHighest =
    basePoll && !(basePoll.rss <= baseHigh.value)
      ? `${megabytes(basePoll.rss)} MB during "${basePoll.step}"`
      : at(baseHigh);
  if (base)
    console.log(
      `Baseline (1 Kokoro session + 1 encoder, "${base.point}"): renderer RSS ${megabytes(base.totals.rendererRss)} MB, ` +
        `PSS ${megabytes(base.totals.rendererPss)} MB, page JS ${megabytes(pageTotal(base))} MB ` +
        `(its highest renderer RSS, while loading: ${baseHighest})`,
    );
  const poll = polledPeak('scenario');
  if (rss.sample)
    console.log(
      `Scenario peaks: renderer RSS ${at(rss)}, polled every ${POLL_MS / 1000} s ${megabytes(poll?.rss ?? Number.NaN)} MB during "${poll?.step ?? ''}"; PSS ${at(pss)}; page JS ${at(js)}`,
    );
  const bySteps = [...polled].filter(([, peak]) => peak.context !== 'closing');
  if (bySteps.length > 0)
    console.log(
      `Polled peaks by step (renderer RSS, MB): ${bySteps.map(([step, peak]) => `${step} ${megabytes(peak.rss)}`).join('; ')}`,
    );
  const peakRss = Math.max(...[rss.value, poll?.rss ?? Number.NaN].filter(Number.isFinite));
  if (base) {
    console.log(`ratio by page JS (measureUserAgentSpecificMemory) ${ratio(js.value, pageTotal(base))}`);
    console.log(`ratio by renderer PSS ${ratio(pss.value, base.totals.rendererPss)}`);
  }
  for (const line of longTaskLines(longTasks)) console.log(line);
  console.log(`ratio ${base ? ratio(peakRss, base.totals.rendererRss) : 'NaN'}`);
}

async function shutdown(): Promise<void> {
  await browser?.close().catch(() => undefined);
  await served?.close().catch(() => undefined);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    interrupted = true;
    console.log(`\n${signal}: what was measured so far.`);
    report();
    void shutdown().then(() => process.exit(130));
  });

try {
  const load = loadavg()[0]! / availableParallelism();
  const build = await ensureBuild(options.build, options.real);
  served = await serve(options.real);
  // The handlers above close the browser; Playwright's own would exit before the report.
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [...CHROMIUM_ARGS, ...EXTRA_ARGS],
    handleSIGINT: false,
    handleSIGTERM: false,
  });
  const url = studioUrl(served.appUrl, served.fixtureModels);
  console.log(
    `Chromium ${browser.version()} (headless, ${CHROMIUM}); backend WASM (no WebGPU flag, ?backend=wasm); ` +
      `${options.real ? 'real models (public/models: Kokoro int8, GE2E)' : `fixture models (${served.fixtureModels})`}` +
      (EXTRA_ARGS.length > 0 ? `; extra flags ${EXTRA_ARGS.join(' ')}` : ''),
  );
  console.log(
    `${build}, built ${statSync(join(DIST_DIR, 'index.html')).mtime.toISOString()}; served by vite preview at ${served.appUrl}; ` +
      `clone budget ${options.budget}, steps ${options.steps}; load per core ${load.toFixed(2)} (${availableParallelism()} cores)`,
  );
  await baseline(url);
  await scenario(url);
  console.log(
    `Load per core at the end: ${(loadavg()[0]! / availableParallelism()).toFixed(2)}; ${seconds().toFixed(0)} s`,
  );
  report();
  await shutdown();
} catch (error) {
  if (!interrupted) {
    console.error(
      `bench:memory failed after ${seconds().toFixed(0)} s: ${error instanceof Error ? error.stack : error}`,
    );
    report();
    await shutdown();
    process.exit(1);
  }
}
