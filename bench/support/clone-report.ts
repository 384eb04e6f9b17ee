/** Tables for bench:clone: similarity after N evaluations, evaluations to match the walk, timing. */

export interface MethodRun {
  /** Best-so-far per evaluation (index = evaluation - 1), counting from the first ranking. */
  curve: { target: number[]; score: number[] };
  ms: number;
  /** Evaluations and renderings this method itself spent (map training included for timbre). */
  evaluations: number;
  renders: number;
}

export interface TargetResult {
  name: string;
  recipe: string;
  rankingEvaluations: number;
  instantEvaluations: number;
  stockBest: { id: string; target: number; score: number };
  instant: { target: number; score: number };
  walk: MethodRun;
  timbre: MethodRun;
}

export const MARKS = [100, 300, 1000, 2000];

const at = (values: number[], evaluation: number): number | undefined =>
  values[Math.min(evaluation, values.length) - 1];
const f4 = (value: number | undefined) => (value === undefined ? '   -  ' : value.toFixed(4));

/** First evaluation at which `values` reaches `goal`, or undefined. */
export function evaluationsToReach(values: readonly number[], goal: number): number | undefined {
  const index = values.findIndex((value) => value >= goal);
  return index < 0 ? undefined : index + 1;
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  return rows.map((row) => row.map((cell, c) => pad(cell, widths[c]!)).join('  ')).join('\n');
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function printReport(results: readonly TargetResult[], budget: number): void {
  // The budget itself is always the last column (a --quick run's 600 is not one of MARKS).
  const marks = [...MARKS.filter((m) => m < budget), budget];
  for (const result of results) console.log(`  ${result.name}: ${result.recipe}`);

  console.log('\nTarget similarity of the best candidate (by score) after N evaluations:');
  const header = [
    'target',
    'best stock',
    'instant',
    ...marks.map((m) => `walk@${m}`),
    ...marks.map((m) => `timbre@${m}`),
  ];
  const rows = results.map((r) => [
    r.name,
    `${f4(r.stockBest.target)} ${r.stockBest.id}`,
    f4(r.instant.target),
    ...marks.map((m) => f4(at(r.walk.curve.target, m))),
    ...marks.map((m) => f4(at(r.timbre.curve.target, m))),
  ]);
  const meanRow = [
    'mean',
    f4(mean(results.map((r) => r.stockBest.target))),
    f4(mean(results.map((r) => r.instant.target))),
    ...marks.map((m) => f4(mean(results.map((r) => at(r.walk.curve.target, m)!)))),
    ...marks.map((m) => f4(mean(results.map((r) => at(r.timbre.curve.target, m)!)))),
  ];
  console.log(table([header, ...rows, meanRow]));

  console.log('\nScore (weighted harmonic mean) of the best candidate after N evaluations:');
  const scoreRows = results.map((r) => [
    r.name,
    f4(r.stockBest.score),
    f4(r.instant.score),
    ...marks.map((m) => f4(at(r.walk.curve.score, m))),
    ...marks.map((m) => f4(at(r.timbre.curve.score, m))),
  ]);
  console.log(table([header, ...scoreRows]));

  console.log(
    `\nEvaluations timbre needs to reach what walk reaches at ${budget} (ratio = ${budget} / that):`,
  );
  const ratioRows: string[][] = [
    [
      'target',
      `walk@${budget} target`,
      'timbre evals',
      'ratio',
      `walk@${budget} score`,
      'timbre evals',
      'ratio',
    ],
  ];
  const targetRatios: number[] = [];
  const scoreRatios: number[] = [];
  for (const r of results) {
    const walkTarget = at(r.walk.curve.target, budget)!;
    const walkScore = at(r.walk.curve.score, budget)!;
    const byTarget = evaluationsToReach(r.timbre.curve.target, walkTarget);
    const byScore = evaluationsToReach(r.timbre.curve.score, walkScore);
    // Not reached within the budget: count the budget (the ratio is then at most 1).
    const targetRatio = budget / (byTarget ?? budget);
    const scoreRatio = budget / (byScore ?? budget);
    targetRatios.push(targetRatio);
    scoreRatios.push(scoreRatio);
    ratioRows.push([
      r.name,
      f4(walkTarget),
      byTarget === undefined ? `>${budget}` : String(byTarget),
      `${targetRatio.toFixed(1)}x`,
      f4(walkScore),
      byScore === undefined ? `>${budget}` : String(byScore),
      `${scoreRatio.toFixed(1)}x`,
    ]);
  }
  ratioRows.push([
    'median',
    '',
    '',
    `${median(targetRatios).toFixed(1)}x`,
    '',
    '',
    `${median(scoreRatios).toFixed(1)}x`,
  ]);
  console.log(table(ratioRows));

  const first = results[0]!;
  console.log(
    `\nCounting: ranking ${first.rankingEvaluations} evaluations (both methods), timbre's map training ` +
      `${first.instantEvaluations} renderings = ${first.instantEvaluations} evaluations.`,
  );
  console.log('Timing (wall, per worker process, one ONNX thread):');
  const timingRows = [['method', 'evaluations', 'renderings', 'renderings/eval', 'ms/eval']];
  for (const method of ['walk', 'timbre'] as const) {
    const evaluations = results.reduce((n, r) => n + r[method].evaluations, 0);
    const renders = results.reduce((n, r) => n + r[method].renders, 0);
    const ms = results.reduce((n, r) => n + r[method].ms, 0);
    timingRows.push([
      method,
      String(evaluations),
      String(renders),
      (renders / evaluations).toFixed(2),
      (ms / evaluations).toFixed(1),
    ]);
  }
  console.log(table(timingRows));
}
