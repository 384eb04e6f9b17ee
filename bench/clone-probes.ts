/**
 * `npm run bench:clone -- --real --probes [--candidates 16] [--seed 7]`: how well the search's
 * probes predict the final evaluation, on the real models and KVoiceWalk's target.
 *
 * Candidates: the mean of the three library voices nearest the target by the final evaluation
 * (bench/README's calibration: am_onyx, bm_lewis, am_santa), and that centre moved by
 * `step * sum_k w_k (v_k - mean)` with unit-norm Gaussian weights w over the library voices v_k,
 * for step 0.15, 0.3 or 0.5: search-sized moves to blend-sized ones. (The distance moved varies
 * with the draw; the groups are labelled by the sd of the final similarity they produce.) For
 * each, GE2E similarity to the target of
 *   full       the whole transcript (the final evaluation's target similarity)
 *   held       two sentences no probe speaks
 *   p128/p64/p32   the transcript's first 128 / 64 (the app's transcript probe) / 32 tokens
 *   p64pooled/p32pooled   the same pooled with the self probe, as the search scores
 * and then the Pearson correlation of each with `full` and with `held`, over all candidates and
 * per step size. Not a goal: a measurement of how much of a search's own gain can carry over.
 */
import { transcriptProbeTokens } from '../src/engine/clone/config';
import { CloneScorer, prepareReference } from '../src/engine/clone/score';
import { embed24k, renderText } from '../src/engine/clone/final-evaluation';
import { SeededRandom } from '../src/engine/clone/random';
import type { Probe } from '../src/engine/clone/types';
import { createRealCloneKit } from '../src/test-support/real-clone-kit';
import { KVOICEWALK_TRANSCRIPT, kvoicewalkTargetPath } from '../src/test-support/shared';
import { availableParallelism } from 'node:os';
import { option } from './support/args';
import { HELD_OUT_SENTENCES, readTargetAudio } from './support/real-targets';

const CENTRE_VOICES = ['am_onyx', 'bm_lewis', 'am_santa'];
const STEP_SIZES = [0.15, 0.3, 0.5];
/** Two of the full bench's held-out sentences, spoken as one text. */
const HELD_TEXT = HELD_OUT_SENTENCES.slice(0, 2).join(' ');
const COLUMNS = ['full', 'held', 'p128', 'p64', 'p64pooled', 'p32', 'p32pooled'] as const;
type Column = (typeof COLUMNS)[number];

function pearson(a: readonly number[], b: readonly number[]): number {
  const n = a.length;
  const ma = a.reduce((s, x) => s + x, 0) / n;
  const mb = b.reduce((s, x) => s + x, 0) / n;
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < n; i++) {
    ab += (a[i]! - ma) * (b[i]! - mb);
    aa += (a[i]! - ma) ** 2;
    bb += (b[i]! - mb) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

function sd(a: readonly number[]): number {
  const m = a.reduce((s, x) => s + x, 0) / a.length;
  return Math.sqrt(a.reduce((s, x) => s + (x - m) ** 2, 0) / (a.length - 1));
}

export async function runProbeAgreement(argv: readonly string[]): Promise<void> {
  const count = Number(option(argv, 'candidates') ?? 16);
  const rng = new SeededRandom(Number(option(argv, 'seed') ?? 7));
  const kit = await createRealCloneKit(availableParallelism());
  const reference = await prepareReference([readTargetAudio(kvoicewalkTargetPath())], kit.embedder);
  const full = await kit.chunksOf(KVOICEWALK_TRANSCRIPT, 'full');
  const held = await kit.chunksOf(HELD_TEXT, 'held');
  // The transcript's first tokens, cut as the app cuts its transcript probe (p64 is that probe).
  const prefix = async (maxTokens: number): Promise<Probe> => {
    const tokenIds = await transcriptProbeTokens(kit.frontend, KVOICEWALK_TRANSCRIPT, 'en-us', maxTokens);
    if (!tokenIds) throw new Error('The transcript has no speech');
    return { id: `p${maxTokens}`, tokenIds };
  };
  // The search's own similarities: cosine to the reference centroid, and the pooled one.
  const scorer = new CloneScorer({
    renderer: kit.renderer,
    embedder: kit.embedder,
    reference,
    probes: kit.probes,
  });
  const [p128, p64, p32] = await Promise.all([prefix(128), prefix(64), prefix(32)]);
  const library = kit.library;
  const centre = new Float32Array(library[0]!.pack.length);
  for (const id of CENTRE_VOICES) {
    const pack = library.find((v) => v.id === id)?.pack;
    if (!pack) throw new Error(`No library voice ${id}`);
    pack.forEach((x, i) => (centre[i]! += x / CENTRE_VOICES.length));
  }
  const mean = new Float32Array(centre.length);
  for (const v of library) v.pack.forEach((x, i) => (mean[i]! += x / library.length));
  console.log(
    `bench:clone --real --probes  KVoiceWalk's target, ${count} candidates around the mean of ${CENTRE_VOICES.join(', ')}; ` +
      `tokens: full ${full.map((c) => c.tokenIds.length).join('+')}, p128 ${p128!.tokenIds.length}, p64 ${p64!.tokenIds.length}, p32 ${p32!.tokenIds.length}`,
  );
  console.log(`  #  step  ${COLUMNS.map((c) => c.padStart(9)).join(' ')}`);
  const rows: { step: number; values: Record<Column, number> }[] = [];
  const embedding = async (pack: Float32Array, chunks: readonly Probe[]) =>
    embed24k(kit.embedder, await renderText(kit.renderer, pack, chunks));
  for (let n = 0; n < count; n++) {
    const step = n === 0 ? 0 : STEP_SIZES[n % STEP_SIZES.length]!;
    const pack = Float32Array.from(centre);
    if (step > 0) {
      const weights = library.map(() => rng.gaussian());
      const length = Math.hypot(...weights);
      library.forEach((v, k) => {
        const c = (step * weights[k]!) / length;
        for (let i = 0; i < pack.length; i++) pack[i]! += c * (v.pack[i]! - mean[i]!);
      });
    }
    const self = await embedding(pack, [kit.probes.self]);
    const similarity = async (chunks: readonly Probe[]) =>
      scorer.targetSimilarityOf(await embedding(pack, chunks));
    const e64 = await embedding(pack, [p64!]);
    const e32 = await embedding(pack, [p32!]);
    const values: Record<Column, number> = {
      full: await similarity(full),
      held: await similarity(held),
      p128: await similarity([p128!]),
      p64: scorer.targetSimilarityOf(e64),
      p64pooled: scorer.pooledSimilarityOf(e64, self),
      p32: scorer.targetSimilarityOf(e32),
      p32pooled: scorer.pooledSimilarityOf(e32, self),
    };
    rows.push({ step, values });
    console.log(
      `  ${String(n).padStart(2)}  ${step.toFixed(2)}  ${COLUMNS.map((c) => values[c].toFixed(4).padStart(9)).join(' ')}`,
    );
  }
  const groups: [string, typeof rows][] = [
    ['all', rows],
    ...STEP_SIZES.map((s): [string, typeof rows] => [
      `step ${s} (and the centre)`,
      rows.filter((r) => r.step === s || r.step === 0),
    ]),
  ];
  for (const against of ['full', 'held'] as const) {
    console.log(`\nPearson r with ${against} (its sd in brackets):`);
    for (const [label, group] of groups) {
      if (group.length < 3) continue;
      const target = group.map((r) => r.values[against]);
      console.log(
        `  ${label.padEnd(26)} n=${String(group.length).padStart(2)} (sd ${sd(target).toFixed(4)})  ` +
          COLUMNS.filter((c) => c !== against)
            .map(
              (c) =>
                `${c} ${pearson(
                  group.map((r) => r.values[c]),
                  target,
                ).toFixed(2)}`,
            )
            .join('  '),
      );
    }
  }
}
