/**
 * Zero-shot cloning benchmark on the fixture models: KVoiceWalk's random walk vs Timbre's
 * search (instant estimate + the model-based trust-region search), same scorer, same evaluation count.
 *
 *   npm run bench:clone [-- --targets 5 --budget 2000 --blends 48 --workers 2 --seed 1 --preset kvoicewalk]
 *   npm run bench:clone -- --quick     (QUICK_DEFAULTS: 3 targets, budget 600; flags given still win)
 *
 * Five hidden targets (blends of stock packs + a perturbation, not in the library) speak a
 * short transcript through the fixture Kokoro; that is the reference (transcript given, as
 * KVoiceWalk requires). Both methods are charged for everything from the first ranking on:
 * ranking = 54 evaluations; the map's training renderings count one evaluation each.
 * "Best" = the highest-scoring candidate so far, stock voices of the ranking included.
 * Targets are split over worker processes (one ONNX thread each).
 */
import { fileURLToPath } from 'node:url';
import { MemoryMeasurementCache } from '../src/engine/clone/cache';
import { SCORE_PRESETS, type ScorePreset } from '../src/engine/clone/score';
import type { EvaluationRecord } from '../src/engine/clone/search';
import { CloneSession } from '../src/engine/clone/session';
import { createFixtureCloneKit, probeOf } from '../src/test-support/clone-fixtures';
import { makeHiddenTargets } from './support/clone-targets';
import { runBenchChild } from './support/child';
import { printReport, type TargetResult } from './support/clone-report';

interface Options {
  quick: boolean;
  targets: number;
  budget: number;
  blends: number;
  workers: number;
  seed: number;
  preset: ScorePreset;
  only: number[] | undefined;
  strategy: string;
  skipWalk: boolean;
}

/**
 * `--quick`: the everyday check, under ~10 minutes on two cores. The first three targets of
 * the full run (same seeds, so their rows compare with it) and the table up to 600
 * evaluations; the ratio is then against the walk at 600, not 2,000.
 */
const QUICK_DEFAULTS = { targets: 3, budget: 600 };

function parseOptions(argv: readonly string[]): Options {
  const value = (name: string, fallback: string) => {
    const index = argv.indexOf(`--${name}`);
    return index >= 0 && argv[index + 1] !== undefined ? argv[index + 1]! : fallback;
  };
  const only = value('only', '');
  const quick = argv.includes('--quick');
  return {
    quick,
    targets: Number(value('targets', String(quick ? QUICK_DEFAULTS.targets : 5))),
    budget: Number(value('budget', String(quick ? QUICK_DEFAULTS.budget : 2000))),
    blends: Number(value('blends', '48')),
    workers: Number(value('workers', '2')),
    seed: Number(value('seed', '1')),
    preset: value('preset', 'kvoicewalk') as ScorePreset,
    only: only ? only.split(',').map(Number) : undefined,
    strategy: value('method', 'timbre'),
    skipWalk: argv.includes('--skip-walk'),
  };
}

/** Per evaluation (index = evaluation - 1): best target similarity and best score so far. */
interface Curve {
  target: number[];
  score: number[];
}

function tracker(curve: Curve, start: { target: number; score: number }) {
  let best = start;
  return (record: EvaluationRecord) => {
    while (curve.target.length < record.evaluation - 1) {
      curve.target.push(best.target); // evaluations spent before the search (ranking, map training)
      curve.score.push(best.score);
    }
    if (record.best && record.best.score > best.score)
      best = { target: record.best.targetSimilarity, score: record.best.score };
    curve.target.push(best.target);
    curve.score.push(best.score);
  };
}

async function runTarget(index: number, options: Options): Promise<TargetResult> {
  const kit = await createFixtureCloneKit();
  const target = makeHiddenTargets(kit.stock, options.targets, options.seed)[index]!;
  const transcript = probeOf('stella');
  const pcm = await kit.renderer.render(target.pack, transcript);
  const session = await CloneSession.start(
    {
      renderer: kit.renderer,
      embedder: kit.embedder,
      stock: kit.stock,
      probes: { target: probeOf('sun'), self: probeOf('bread') },
      scorer: { weights: SCORE_PRESETS[options.preset], earlyExitRatio: 0.98 },
      cache: new MemoryMeasurementCache(),
    },
    [{ pcm, sampleRateHz: 24_000, transcript: transcript.tokenIds }],
  );
  const top = session.ranking[0]!;
  const stockBest = { target: top.score.targetSimilarity, score: top.score.score };

  const walkCurve: Curve = { target: [], score: [] };
  const walk = session.walk(options.seed, tracker(walkCurve, stockBest));
  let started = performance.now();
  await walk.run(options.skipWalk ? session.evaluations + 1 : options.budget);
  const walkMs = performance.now() - started;
  const walkEvaluations = walk.evaluationCount - session.evaluations;
  const walkRenders = walk.renderCount - session.renders;

  started = performance.now();
  const instant = await session.instant({ blendCount: options.blends, seed: options.seed });
  const instantMs = performance.now() - started;
  const timbreCurve: Curve = { target: [], score: [] };
  let instantScore: { target: number; score: number } | undefined;
  const track = tracker(timbreCurve, stockBest);
  const onTimbre = (record: EvaluationRecord) => {
    instantScore ??= { target: record.score.targetSimilarity, score: record.score.score };
    track(record);
  };
  const timbre =
    options.strategy === 'cma'
      ? session.cma(instant.coordinates, { seed: options.seed }, onTimbre)
      : session.timbre(instant.coordinates, { seed: options.seed }, onTimbre);
  started = performance.now();
  await timbre.run(options.budget);
  const timbreMs = performance.now() - started;

  return {
    name: target.name,
    recipe: target.recipe,
    rankingEvaluations: session.ranking.length,
    instantEvaluations: instant.renders,
    stockBest: { id: top.id, ...stockBest },
    instant: instantScore!,
    walk: { curve: walkCurve, ms: walkMs, evaluations: walkEvaluations, renders: walkRenders },
    timbre: {
      curve: timbreCurve,
      ms: timbreMs + instantMs,
      evaluations: timbre.evaluationCount - session.evaluations + instant.renders,
      renders: timbre.renderCount - session.renders + instant.renders,
    },
  };
}

const RESULT_PREFIX = 'CLONE_RESULT ';

async function runWorker(indices: number[], argv: readonly string[]): Promise<TargetResult[]> {
  const lines = await runBenchChild(
    fileURLToPath(import.meta.url),
    [...argv, '--only', indices.join(',')],
    RESULT_PREFIX,
  );
  return lines.map((line) => JSON.parse(line) as TargetResult);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const options = parseOptions(argv);
  if (options.only) {
    for (const index of options.only) {
      const result = await runTarget(index, options);
      process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
      process.stderr.write(
        `  ${result.name} done (walk ${(result.walk.ms / 1000).toFixed(0)} s, timbre ${(result.timbre.ms / 1000).toFixed(0)} s)\n`,
      );
    }
    return;
  }
  const started = performance.now();
  console.log(
    `bench:clone${options.quick ? ' --quick' : ''}  ${options.targets} hidden targets, budget ${options.budget} evaluations, ${options.blends} map renderings, ` +
      `${options.workers} worker process(es), scorer '${options.preset}', seed ${options.seed}`,
  );
  const groups = Array.from({ length: Math.max(1, options.workers) }, (_, w) =>
    Array.from({ length: options.targets }, (_, t) => t).filter(
      (t) => t % Math.max(1, options.workers) === w,
    ),
  ).filter((group) => group.length > 0);
  const results = (await Promise.all(groups.map((group) => runWorker(group, argv)))).flat();
  results.sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
  printReport(results, options.budget);
  console.log(`\nwall time ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

if (process.argv.includes('--real') && process.argv.includes('--probes')) {
  const { runProbeAgreement } = await import('./clone-probes');
  await runProbeAgreement(process.argv.slice(2));
} else if (process.argv.includes('--real')) {
  const { runRealBench } = await import('./clone-real');
  await runRealBench(process.argv.slice(2));
} else await main();
