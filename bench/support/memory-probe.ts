/**
 * The measurements of bench/memory.ts, from inside the page and from outside the browser:
 *
 *   - `performance.measureUserAgentSpecificMemory()` in the page (needs cross-origin
 *     isolation): the page's memory split by attribution scope (the Window, each
 *     DedicatedWorker by its script URL). Checked in this Chromium (156) with a probe page: it
 *     counts JS heaps, ArrayBuffers and *shared* WebAssembly memories, not non-shared ones.
 *     onnxruntime-web's threaded build (what the workers load when the page is isolated, even
 *     at one thread) has a shared memory, so the models' weights and arenas are in it; small
 *     non-shared WASM modules (RNNoise, fvad) are not. (DevTools' Runtime.getHeapUsage
 *     `backingStorageSize` counts neither kind of WebAssembly memory, so it is not used.)
 *     Chromium waits for a garbage collection before answering (~15 s here) unless launched
 *     with `--enable-blink-features=ForceEagerMeasureMemory`.
 *   - /proc for every Chromium process under this Node process: RSS (VmRSS), its high-water
 *     mark (VmHWM) and, where /proc/<pid>/smaps_rollup is readable, PSS (shared pages split
 *     between the processes that map them). Workers are threads of the page's renderer, so
 *     the renderer's RSS holds their WebAssembly heaps (onnxruntime's, with the model weights).
 *   - Main-thread long tasks (PerformanceObserver `longtask`, buffered) and long animation
 *     frames (`long-animation-frame`, for the script that caused them), collected by an init
 *     script that runs before the app's own code.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';

const MB = 1024 * 1024;

/** One entry of `measureUserAgentSpecificMemory()`'s breakdown. */
interface UaBreakdownEntry {
  bytes: number;
  attribution: { url?: string; scope?: string }[];
  types: string[];
}

interface UaMemoryResult {
  bytes: number;
  breakdown: UaBreakdownEntry[];
}

/** The page's JS memory, by who it is attributed to. Bytes. */
export interface PageMemory {
  total: number;
  /** The Window realm(s). */
  window: number;
  /** Per dedicated worker script (file name without Vite's hash, e.g. `tts.worker`), summed. */
  workers: Record<string, number>;
  /** Not attributed to one realm: `Shared`, `DOM`, or several realms at once. */
  other: number;
}

/** The worker's script name without the folder and Vite's content hash. */
export function workerName(url: string): string {
  if (url.startsWith('blob:')) return 'blob worker';
  const file = url.split(/[?#]/)[0]!.split('/').pop() ?? url;
  return file.replace(/-[\w-]{8}\.m?js$/, '').replace(/\.m?js$/, '');
}

export function groupBreakdown(result: UaMemoryResult): PageMemory {
  const memory: PageMemory = { total: result.bytes, window: 0, workers: {}, other: 0 };
  for (const entry of result.breakdown) {
    const scopes = entry.attribution;
    if (scopes.length !== 1) memory.other += entry.bytes;
    else if (scopes[0]!.scope === 'Window') memory.window += entry.bytes;
    else {
      const name = workerName(scopes[0]!.url ?? '?');
      memory.workers[name] = (memory.workers[name] ?? 0) + entry.bytes;
    }
  }
  return memory;
}

/** The page's JS memory now, or undefined (with the reason) when the API is not available. */
export async function measurePageMemory(page: Page): Promise<PageMemory | string> {
  const result = await page.evaluate(async () => {
    const perf = performance as Performance & { measureUserAgentSpecificMemory?: () => Promise<unknown> };
    if (!crossOriginIsolated) return 'the page is not cross-origin isolated';
    if (!perf.measureUserAgentSpecificMemory) return 'no performance.measureUserAgentSpecificMemory';
    // The measurement collects garbage in every realm of the page: a pause of the bench's own
    // making, kept apart from the app's long tasks (drainLongTasks).
    const w = window as unknown as { __timbreMeasuring?: [number, number][] };
    const started = performance.now();
    try {
      return JSON.stringify(await perf.measureUserAgentSpecificMemory());
    } finally {
      (w.__timbreMeasuring ??= []).push([started, performance.now()]);
    }
  });
  return result.startsWith('{') ? groupBreakdown(JSON.parse(result) as UaMemoryResult) : result;
}

export type ProcessKind = 'browser' | 'renderer' | 'gpu' | 'utility' | 'zygote' | 'other';

export interface ProcessMemory {
  pid: number;
  kind: ProcessKind;
  /** e.g. `network.mojom.NetworkService` for a utility process. */
  detail: string;
  rss: number;
  /** Peak RSS over the process's life (VmHWM). */
  hwm: number;
  /** Proportional set size; NaN when smaps_rollup cannot be read. */
  pss: number;
  /** RSS split: anonymous (heaps, WebAssembly memories), shared memory (SharedArrayBuffer-backed memories, IPC), files. */
  anon: number;
  shmem: number;
  file: number;
  threads: number;
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined; // the process ended meanwhile, or is not ours to read
  }
}

function kbField(text: string | undefined, field: string): number {
  const match = text?.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
  return match ? Number(match[1]) * 1024 : Number.NaN;
}

/** Parent pid of every process (field 4 of /proc/<pid>/stat; the name in parentheses may hold spaces). */
function parentPids(): Map<number, number> {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readText(`/proc/${entry}/stat`);
    if (!stat) continue;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    parents.set(Number(entry), Number(fields[1]));
  }
  return parents;
}

function kindOf(args: readonly string[]): { kind: ProcessKind; detail: string } {
  const type = args.find((a) => a.startsWith('--type='))?.slice('--type='.length);
  const detail = args.find((a) => a.startsWith('--utility-sub-type='))?.slice('--utility-sub-type='.length);
  if (args[0]?.includes('crashpad')) return { kind: 'other', detail: 'crashpad' };
  if (type === undefined) return { kind: 'browser', detail: '' };
  // Chromium's own UI (headless keeps a WebUI renderer) is not the page's.
  if (type === 'renderer' && args.includes('--top-chrome-webui')) return { kind: 'other', detail: 'webui' };
  if (type === 'renderer') return { kind: 'renderer', detail: '' };
  if (type === 'gpu-process') return { kind: 'gpu', detail: '' };
  if (type === 'utility') return { kind: 'utility', detail: detail ?? '' };
  if (type === 'zygote') return { kind: 'zygote', detail: '' };
  return { kind: 'other', detail: type };
}

/**
 * Every Chromium process descending from `rootPid` (this Node process), with its memory.
 * `withPss: false` skips smaps_rollup (a page-table walk per process) for frequent polling.
 */
export function chromiumProcesses(rootPid = process.pid, withPss = true): ProcessMemory[] {
  const parents = parentPids();
  const children = new Map<number, number[]>();
  for (const [pid, parent] of parents) children.set(parent, [...(children.get(parent) ?? []), pid]);
  const out: ProcessMemory[] = [];
  const queue = [...(children.get(rootPid) ?? [])];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    queue.push(...(children.get(pid) ?? []));
    // Zygote children rewrite their command line into one space-separated string.
    const args = (readText(`/proc/${pid}/cmdline`) ?? '').split(/\0| /).filter(Boolean);
    if (!args[0]?.endsWith('/chromium') && !args[0]?.includes('chrome')) continue;
    const status = readText(`/proc/${pid}/status`);
    const rss = kbField(status, 'VmRSS');
    if (Number.isNaN(rss)) continue; // a zombie, or gone
    out.push({
      pid,
      ...kindOf(args),
      rss,
      hwm: kbField(status, 'VmHWM'),
      pss: withPss ? kbField(readText(`/proc/${pid}/smaps_rollup`), 'Pss') : Number.NaN,
      anon: kbField(status, 'RssAnon'),
      shmem: kbField(status, 'RssShmem'),
      file: kbField(status, 'RssFile'),
      threads: Number(status?.match(/^Threads:\s+(\d+)/m)?.[1] ?? Number.NaN),
    });
  }
  return out;
}

/** Sums over the processes of one kind. */
export interface ProcessTotals {
  rendererRss: number;
  rendererPss: number;
  renderers: number;
  gpuRss: number;
  /** Browser, utility (network, storage, audio), zygote and the rest. */
  otherRss: number;
}

export function processTotals(processes: readonly ProcessMemory[]): ProcessTotals {
  const sum = (kinds: ProcessKind[], field: 'rss' | 'pss') =>
    processes.filter((p) => kinds.includes(p.kind)).reduce((n, p) => n + p[field], 0);
  return {
    rendererRss: sum(['renderer'], 'rss'),
    rendererPss: sum(['renderer'], 'pss'),
    renderers: processes.filter((p) => p.kind === 'renderer').length,
    gpuRss: sum(['gpu'], 'rss'),
    otherRss: sum(['browser', 'utility', 'zygote', 'other'], 'rss'),
  };
}

/** Waits until none of `pids` is alive any more (a closed context's renderer), or `timeoutMs`. */
export async function waitProcessesGone(pids: readonly number[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const alive = pids.filter((pid) => readText(`/proc/${pid}/status`)?.match(/^State:\s+[^Z]/m));
    if (alive.length === 0) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export function megabytes(bytes: number): string {
  return Number.isFinite(bytes) ? (bytes / MB).toFixed(1) : '—';
}

/** A main-thread long task, with the bench step that was running and the frame's top script. */
export interface LongTask {
  startMs: number;
  durationMs: number;
  step: string;
  /** `self`, `same-origin-descendant`, … (PerformanceLongTaskTiming.name). */
  name: string;
  /** The longest script of the long animation frame that overlaps it, when one does. */
  script: string;
  /** True when it began while the bench was measuring the page's memory (its garbage collection). */
  duringMeasurement?: boolean;
}

/**
 * Runs in the page before the app (page.addInitScript): keeps every long task and every long
 * animation frame's longest scripts in window globals that `drainLongTasks` empties. The step
 * label is whatever the bench last wrote into `window.__timbreBenchStep`.
 */
export function installLongTaskObserver(): void {
  interface Frame {
    start: number;
    end: number;
    script: string;
  }
  const w = window as unknown as {
    __timbreLongTasks: LongTask[];
    __timbreFrames: Frame[];
    __timbreBenchStep?: string;
  };
  w.__timbreLongTasks = [];
  w.__timbreFrames = [];
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries())
        w.__timbreLongTasks.push({
          startMs: entry.startTime,
          durationMs: entry.duration,
          step: w.__timbreBenchStep ?? 'loading',
          name: entry.name,
          script: '',
        });
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    // no Long Tasks API: nothing is recorded, and the report says so
  }
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        const scripts = (
          entry as PerformanceEntry & {
            scripts?: { duration: number; invoker: string; sourceURL: string; sourceFunctionName: string }[];
          }
        ).scripts;
        const top = [...(scripts ?? [])].sort((a, b) => b.duration - a.duration)[0];
        const where = top ? `${top.sourceURL.split('/').pop() ?? ''} ${top.sourceFunctionName}`.trim() : '';
        w.__timbreFrames.push({
          start: entry.startTime,
          end: entry.startTime + entry.duration,
          script: top ? `${top.invoker} (${Math.round(top.duration)} ms${where ? `, ${where}` : ''})` : '',
        });
      }
    }).observe({ type: 'long-animation-frame', buffered: true });
  } catch {
    // no Long Animation Frames API: long tasks keep no script
  }
}

/** The long tasks recorded since the last call (each matched with its frame's top script). */
export async function drainLongTasks(page: Page): Promise<LongTask[]> {
  return page.evaluate(() => {
    const w = window as unknown as {
      __timbreLongTasks?: LongTask[];
      __timbreFrames?: { start: number; end: number; script: string }[];
    };
    const tasks = w.__timbreLongTasks?.splice(0) ?? [];
    const frames = w.__timbreFrames ?? [];
    const measuring =
      (window as unknown as { __timbreMeasuring?: [number, number][] }).__timbreMeasuring ?? [];
    for (const task of tasks) {
      const frame = frames.find((f) => f.start <= task.startMs + 1 && task.startMs < f.end);
      task.script = frame?.script ?? '';
      task.duringMeasurement = measuring.some(
        ([start, end]) => task.startMs < end && task.startMs + task.durationMs > start,
      );
    }
    // Frames older than the last task are no longer needed.
    const last = tasks.reduce((n, t) => Math.max(n, t.startMs), 0);
    w.__timbreFrames = frames.filter((f) => f.end >= last);
    return tasks;
  });
}

/** Labels the long tasks that follow with the bench step. */
export async function setStep(page: Page, step: string): Promise<void> {
  await page.evaluate((label) => {
    (window as unknown as { __timbreBenchStep?: string }).__timbreBenchStep = label;
  }, step);
}
