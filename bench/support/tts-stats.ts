/** What one pipeline run measured, medians over runs, and the printed tables. */

export interface PipelineRun {
  /** NaN where the pipeline does not expose the stage on its own. */
  normaliseMs: number;
  phonemizeMs: number;
  tokenizeMs: number;
  inferenceMs: number;
  postprocessMs: number;
  firstAudioMs: number;
  totalMs: number;
  /** Phoneme tokens fed to the model, pads not counted. */
  tokens: number;
  /** Tokens of the first chunk: what time to first audio waits for. */
  firstChunkTokens: number;
  chunks: number;
  samples: number;
}

export type RunField = keyof PipelineRun;

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Field-by-field minima: the least disturbed run, when the machine is busy. */
export function bestRun(runs: readonly PipelineRun[]): PipelineRun {
  const fields = Object.keys(runs[0]!) as RunField[];
  return Object.fromEntries(
    fields.map((field) => [field, Math.min(...runs.map((run) => run[field]))]),
  ) as unknown as PipelineRun;
}

/** Field-by-field medians (each stage's own median, so stages need not add up to the total). */
export function medianRun(runs: readonly PipelineRun[]): PipelineRun {
  const fields = Object.keys(runs[0]!) as RunField[];
  return Object.fromEntries(
    fields.map((field) => [field, median(runs.map((run) => run[field]))]),
  ) as unknown as PipelineRun;
}

export function formatMs(ms: number): string {
  if (Number.isNaN(ms)) return '—';
  return ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
}

export function formatRatio(ours: number, theirs: number): string {
  if (!Number.isFinite(ours) || !Number.isFinite(theirs) || theirs <= 0) return '—';
  return `${(ours / theirs).toFixed(2)}x`;
}

/** Plain fixed-width table: first column left-aligned, the rest right-aligned. */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, col) => Math.max(...all.map((row) => (row[col] ?? '').length)));
  const line = (row: readonly string[]) =>
    row.map((cell, col) => (col === 0 ? cell.padEnd(widths[col]!) : cell.padStart(widths[col]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
