/** The samples bench/memory.ts takes, and its printed table, long-task lines and ratio. */
import {
  megabytes,
  processTotals,
  type LongTask,
  type PageMemory,
  type ProcessMemory,
  type ProcessTotals,
} from './memory-probe';

export interface MemorySample {
  /** `baseline` or `scenario`. */
  context: string;
  point: string;
  atS: number;
  /** The reason when the page could not measure (not isolated, API missing, page busy). */
  page: PageMemory | string;
  processes: ProcessMemory[];
  totals: ProcessTotals;
}

export function makeSample(
  context: string,
  point: string,
  atS: number,
  page: PageMemory | string,
  processes: ProcessMemory[],
): MemorySample {
  return { context, point, atS, page, processes, totals: processTotals(processes) };
}

function pad(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
}

/** One line per sample as it is taken, so a long run shows its progress. */
export function sampleLine(sample: MemorySample): string {
  const page = typeof sample.page === 'string' ? `page JS n/a (${sample.page})` : describePage(sample.page);
  const t = sample.totals;
  const largest = [...sample.processes.filter((p) => p.kind === 'renderer')].sort((a, b) => b.rss - a.rss)[0];
  const split = largest
    ? ` (largest: anon ${megabytes(largest.anon)}, shmem ${megabytes(largest.shmem)}, file ${megabytes(largest.file)}, ${largest.threads} threads)`
    : '';
  return `[${sample.atS.toFixed(0).padStart(5)} s] ${sample.context}: ${sample.point}: ${page}; renderer RSS ${megabytes(t.rendererRss)} MB${split}, PSS ${megabytes(t.rendererPss)} MB; GPU ${megabytes(t.gpuRss)} MB`;
}

function describePage(page: PageMemory): string {
  const workers = Object.entries(page.workers)
    .map(([name, bytes]) => `${name} ${megabytes(bytes)}`)
    .join(', ');
  return `page JS ${megabytes(page.total)} MB (window ${megabytes(page.window)}${workers ? `, ${workers}` : ''})`;
}

/** The table: one row per sample; MB throughout. */
export function renderMemoryTable(samples: readonly MemorySample[]): string {
  const workerNames = [
    ...new Set(samples.flatMap((s) => (typeof s.page === 'string' ? [] : Object.keys(s.page.workers)))),
  ].sort();
  const head = [
    'point',
    'page JS',
    'window',
    ...workerNames,
    'unattrib.',
    'renderer RSS',
    'renderer PSS',
    'GPU RSS',
    'other RSS',
  ];
  const rows = samples.map((s) => {
    const page = typeof s.page === 'string' ? undefined : s.page;
    const mb = (bytes: number | undefined) => (bytes === undefined ? '—' : megabytes(bytes));
    return [
      `${s.context}: ${s.point}`,
      mb(page?.total),
      mb(page?.window),
      ...workerNames.map((name) => mb(page ? (page.workers[name] ?? 0) : undefined)),
      mb(page?.other),
      `${megabytes(s.totals.rendererRss)} (${s.totals.renderers})`,
      megabytes(s.totals.rendererPss),
      megabytes(s.totals.gpuRss),
      megabytes(s.totals.otherRss),
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [
    pad(head, widths),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.map((r) => pad(r, widths)),
  ].join('\n');
}

export interface Peak {
  value: number;
  sample: MemorySample | undefined;
}

export function peakOf(samples: readonly MemorySample[], value: (s: MemorySample) => number): Peak {
  let best: Peak = { value: Number.NaN, sample: undefined };
  for (const sample of samples) {
    const v = value(sample);
    if (Number.isFinite(v) && !(v <= best.value)) best = { value: v, sample };
  }
  return best;
}

export const pageTotal = (s: MemorySample): number =>
  typeof s.page === 'string' ? Number.NaN : s.page.total;

/**
 * The same count without the tasks that overlap the bench's own memory measurements (each
 * forces a garbage collection in the page): what the app alone did.
 */
function appTaskLine(tasks: readonly (LongTask & { context: string })[]): string {
  const measured = tasks.filter((t) => t.duringMeasurement);
  const app = tasks.filter((t) => !t.duringMeasurement);
  const longest = app.reduce((max, t) => Math.max(max, t.durationMs), 0);
  const where = app.find((t) => t.durationMs === longest);
  return (
    `Outside the bench's memory measurements: longest ${Math.round(longest)} ms` +
    (where ? ` in ${where.context}: ${where.step}${where.script ? ` [${where.script}]` : ''}` : '') +
    `, ${app.filter((t) => t.durationMs > 50).length} over 50 ms` +
    ` (${measured.length} long task${measured.length === 1 ? '' : 's'} overlapped a measurement)`
  );
}

/** `longest main-thread task N ms (K over 50 ms)`, with where the longest happened. */
export function longTaskLines(tasks: readonly (LongTask & { context: string })[]): string[] {
  if (tasks.length === 0) return ['longest main-thread task 0 ms (0 over 50 ms)'];
  const sorted = [...tasks].sort((a, b) => b.durationMs - a.durationMs);
  const longest = sorted[0]!;
  const over = tasks.filter((t) => t.durationMs > 50).length;
  const byStep = new Map<string, { count: number; maxMs: number }>();
  for (const task of tasks) {
    const key = `${task.context}: ${task.step}`;
    const entry = byStep.get(key) ?? { count: 0, maxMs: 0 };
    byStep.set(key, { count: entry.count + 1, maxMs: Math.max(entry.maxMs, task.durationMs) });
  }
  return [
    'Long tasks (main thread, > 50 ms) per step: ' +
      [...byStep].map(([step, e]) => `${step} ${e.count} (max ${Math.round(e.maxMs)} ms)`).join('; '),
    'Five longest: ' +
      sorted
        .slice(0, 5)
        .map(
          (t) =>
            `${Math.round(t.durationMs)} ms in ${t.context}: ${t.step}${t.script ? ` [${t.script}]` : ''}`,
        )
        .join('; '),
    appTaskLine(tasks),
    `longest main-thread task ${Math.round(longest.durationMs)} ms (${over} over 50 ms)`,
  ];
}
