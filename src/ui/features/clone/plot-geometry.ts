/**
 * The score plot's geometry, pure and unit-tested: the axis ranges, "nice" ticks, and SVG
 * paths. Candidates are drawn as zero-length round-capped segments of ONE path per series,
 * so a thousand evaluations cost one DOM node instead of a thousand circles.
 */

/** One row of the plot history. */
export const HISTORY_STRIDE = 5;
export const H_EVALUATION = 0;
export const H_SCORE = 1;
export const H_TARGET = 2;
export const H_BEST_SCORE = 3;
export const H_BEST_TARGET = 4;

export interface Domain {
  min: number;
  max: number;
}

export interface PlotBox {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** Evenly spaced round values covering [min, max] (1, 2 or 5 x a power of ten apart). */
export function niceTicks(min: number, max: number, wanted = 5): number[] {
  if (!(max > min)) return [min];
  const rough = (max - min) / Math.max(1, wanted);
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  const ticks: number[] = [];
  for (let v = Math.ceil(min / step - 1e-9) * step; v <= max + step * 1e-9; v += step) {
    ticks.push(Number(v.toFixed(10)));
  }
  return ticks;
}

/**
 * The y range: from a little below the lowest value plotted (rounded down to 0.05) to 1.
 * Scores of 0 (early exits: the search skipped them) are ignored so they do not flatten the rest.
 */
export function similarityDomain(
  history: Float32Array,
  count: number,
  extra: readonly number[] = [],
): Domain {
  let low = Number.POSITIVE_INFINITY;
  const consider = (v: number) => {
    if (v > 0 && Number.isFinite(v)) low = Math.min(low, v);
  };
  for (let i = 0; i < count; i++) {
    const row = i * HISTORY_STRIDE;
    consider(history[row + H_SCORE]!);
    consider(history[row + H_TARGET]!);
  }
  extra.forEach(consider);
  if (low === Number.POSITIVE_INFINITY) return { min: 0, max: 1 }; // nothing plotted yet
  const min = Math.max(0, Math.floor((low - 0.02) * 20) / 20);
  return { min: Math.min(min, 0.95), max: 1 };
}

export function scale(value: number, domain: Domain, from: number, to: number): number {
  const span = domain.max - domain.min || 1;
  const t = Math.min(1, Math.max(0, (value - domain.min) / span));
  return from + t * (to - from);
}

/** One path of dots (column `column` against the evaluation), skipping zeros (early exits). */
export function dotsPath(
  history: Float32Array,
  count: number,
  column: number,
  x: Domain,
  y: Domain,
  box: PlotBox,
): string {
  const parts: string[] = [];
  for (let i = 0; i < count; i++) {
    const row = i * HISTORY_STRIDE;
    const value = history[row + column]!;
    if (!(value > 0)) continue;
    const px = scale(history[row + H_EVALUATION]!, x, box.left, box.width - box.right);
    const py = scale(value, y, box.height - box.bottom, box.top);
    parts.push(`M${px.toFixed(1)} ${py.toFixed(1)}h0`);
  }
  return parts.join('');
}

/** A step line (best so far only changes at improvements), from the first evaluation with a value. */
export function stepPath(
  history: Float32Array,
  count: number,
  column: number,
  x: Domain,
  y: Domain,
  box: PlotBox,
): string {
  const parts: string[] = [];
  let lastY: number | undefined;
  for (let i = 0; i < count; i++) {
    const row = i * HISTORY_STRIDE;
    const value = history[row + column]!;
    if (!(value > 0)) continue;
    const px = scale(history[row + H_EVALUATION]!, x, box.left, box.width - box.right).toFixed(1);
    const py = scale(value, y, box.height - box.bottom, box.top).toFixed(1);
    if (lastY === undefined) parts.push(`M${px} ${py}`);
    else parts.push(`H${px}V${py}`);
    lastY = Number(py);
  }
  return parts.join('');
}
