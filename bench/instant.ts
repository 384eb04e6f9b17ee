/**
 * The instant estimate against the nearest stock voice, on bench:clone's hidden targets
 * (fixture models, same references, same scorer), in a minute or two instead of an hour:
 *
 *   npx tsx bench/instant.ts [--targets 5 --seed 1 --blends 48 --jitter 0.2]
 *
 * For every target: the best stock voice of the ranking, then each way of making the instant
 * estimate, scored fully (both renderings, no early exit), with the training renderings it
 * needed from a cold cache (the stock voices' renderings come with the ranking):
 * - before: the first version (stock voices as training pairs, blends jittered by 0.35);
 * - session.instant: what CloneSession.instant gives (the code bench:clone and the app run);
 * - local + prediction: local training (collectInstantSamples with the reference), then the
 *   map's prediction, as session.instant would be with only `reference` passed;
 * - estimateInstant: local training, then the best rendered candidate.
 */
import { coordinatesOfPack, packFromCoordinates } from '../src/engine/clone/basis';
import { MemoryMeasurementCache } from '../src/engine/clone/cache';
import {
  collectInstantSamples,
  estimateInstant,
  fitInstantMap,
  predictCoordinates,
  type InstantTrainingOptions,
} from '../src/engine/clone/instant';
import { SCORE_PRESETS } from '../src/engine/clone/score';
import { CloneSession } from '../src/engine/clone/session';
import type { Measurement } from '../src/engine/clone/types';
import { createFixtureCloneKit, probeOf, type FixtureCloneKit } from '../src/test-support/clone-fixtures';
import { makeHiddenTargets, type HiddenTarget } from './support/clone-targets';

function option(name: string, fallback: number): number {
  const argv = process.argv.slice(2);
  const index = argv.indexOf(`--${name}`);
  return index >= 0 && argv[index + 1] !== undefined ? Number(argv[index + 1]) : fallback;
}

const TARGETS = option('targets', 5);
const SEED = option('seed', 1);
const BLENDS = option('blends', 48);
const JITTER = option('jitter', 0.2);
/** The first version's jitter (and its stock-voice training pairs), for comparison. */
const BEFORE_JITTER = 0.35;

interface Outcome {
  target: number;
  score: number;
  renders: number;
}

type Variant = (session: CloneSession, training: InstantTrainingOptions) => Promise<Outcome>;

async function scored(
  session: CloneSession,
  coordinates: ArrayLike<number>,
  renders: number,
): Promise<Outcome> {
  const score = await session.scorer.score(packFromCoordinates(session.basis(), coordinates));
  return { target: score.targetSimilarity, score: score.score, renders };
}

const VARIANTS: Record<string, Variant> = {
  before: async (session, training) => {
    const stockPairs = [];
    for (const voice of training.stock) {
      const { embedding } = await training.measure(voice.pack, voice.id);
      stockPairs.push({ embedding, coordinates: coordinatesOfPack(training.basis, voice.pack) });
    }
    const { samples, renders } = await collectInstantSamples({ ...training, jitter: BEFORE_JITTER });
    const map = fitInstantMap([...stockPairs, ...samples]);
    return scored(session, predictCoordinates(map, session.reference.centroid), renders);
  },
  'session.instant': async (session, training) => {
    const estimate = await session.instant({
      blendCount: training.blendCount,
      jitter: training.jitter,
      seed: SEED,
    });
    return scored(session, estimate.coordinates, estimate.renders);
  },
  'local + prediction': async (session, training) => {
    const reference = session.reference.centroid;
    const { samples, renders } = await collectInstantSamples({ ...training, reference });
    return scored(session, predictCoordinates(fitInstantMap(samples), reference), renders);
  },
  estimateInstant: async (session, training) => {
    const estimate = await estimateInstant({ ...training, reference: session.reference.centroid });
    return scored(session, estimate.coordinates, estimate.renders);
  },
};

/** The stock voices' renderings, kept across sessions: every variant starts cold otherwise. */
const rankingEntries = new Map<string, Measurement>();

async function startSession(kit: FixtureCloneKit, pcm: Float32Array): Promise<CloneSession> {
  const cache = new MemoryMeasurementCache();
  for (const [key, value] of rankingEntries) cache.entries.set(key, value);
  const transcript = probeOf('stella');
  const session = await CloneSession.start(
    {
      renderer: kit.renderer,
      embedder: kit.embedder,
      stock: kit.stock,
      probes: { target: probeOf('sun'), self: probeOf('bread') },
      scorer: { weights: SCORE_PRESETS.kvoicewalk, earlyExitRatio: 0.98 },
      cache,
    },
    [{ pcm, sampleRateHz: 24_000, transcript: transcript.tokenIds }],
  );
  for (const [key, value] of cache.entries) rankingEntries.set(key, value);
  return session;
}

async function runTarget(kit: FixtureCloneKit, target: HiddenTarget): Promise<Record<string, Outcome>> {
  const pcm = await kit.renderer.render(target.pack, probeOf('stella'));
  const outcomes: Record<string, Outcome> = {};
  for (const [name, variant] of Object.entries(VARIANTS)) {
    const session = await startSession(kit, pcm);
    const top = session.ranking[0]!;
    outcomes['best stock'] ??= { target: top.score.targetSimilarity, score: top.score.score, renders: 0 };
    const training: InstantTrainingOptions = {
      basis: session.basis(),
      stock: kit.stock,
      blendCount: BLENDS,
      jitter: JITTER,
      seed: SEED,
      measure: async (pack, cacheId) => {
        const measured = await session.scorer.measure(pack, session.scorer.targetProbe, true, { cacheId });
        return { embedding: measured.measurement.embedding, renders: measured.renders };
      },
    };
    outcomes[name] = await variant(session, training);
  }
  return outcomes;
}

function printTable(targets: readonly HiddenTarget[], results: readonly Record<string, Outcome>[]): void {
  const names = Object.keys(results[0]!);
  const rows = [['target sim / score', ...targets.map((t) => t.name), 'mean', 'beats stock', 'renders']];
  for (const name of names) {
    const outcomes = results.map((result) => result[name]!);
    const mean = (pick: (o: Outcome) => number) =>
      outcomes.reduce((sum, o) => sum + pick(o), 0) / outcomes.length;
    const wins = outcomes.filter((o, t) => o.target > results[t]!['best stock']!.target).length;
    rows.push([
      name,
      ...outcomes.map((o) => `${o.target.toFixed(4)} / ${o.score.toFixed(4)}`),
      `${mean((o) => o.target).toFixed(4)} / ${mean((o) => o.score).toFixed(4)}`,
      name === 'best stock' ? '' : `${wins}/${outcomes.length}`,
      name === 'best stock' ? '' : String(Math.max(...outcomes.map((o) => o.renders))),
    ]);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  for (const row of rows) console.log(row.map((cell, c) => cell.padEnd(widths[c]!)).join('  '));
}

async function main(): Promise<void> {
  const started = performance.now();
  console.log(
    `bench/instant.ts  ${TARGETS} hidden targets (seed ${SEED}), ${BLENDS} training renderings, jitter ${JITTER}`,
  );
  const kit = await createFixtureCloneKit();
  const targets = makeHiddenTargets(kit.stock, TARGETS, SEED);
  const results: Record<string, Outcome>[] = [];
  for (const target of targets) {
    results.push(await runTarget(kit, target));
    process.stderr.write(`  ${target.name} done\n`);
  }
  for (const target of targets) console.log(`  ${target.name}: ${target.recipe}`);
  printTable(targets, results);
  console.log(
    `"beats stock": target similarity above the best stock voice's; renders: most training renderings on a cold cache.` +
      `\nwall time ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
}

await main();
