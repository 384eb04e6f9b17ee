/**
 * Cloning on the fixture models (onnxruntime-node): a hidden voice blended from stock packs
 * outside a small library is the reference; ranking, the instant estimate and the searches
 * run for real through CloneSession, on tiny budgets.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createFixtureCloneKit, probeOf } from '../../test-support/clone-fixtures';
import { packFromCoordinates } from './basis';
import { MemoryMeasurementCache } from './cache';
import { rankVoices } from './rank';
import type { CandidateScore } from './score';
import { inMeasureOf, type EvaluationRecord, type SavedSearch, type SearchController } from './search';
import { CloneSession, OLD_CHECKPOINT_MESSAGE, type InstantEstimate } from './session';

/** A small library keeps the test fast; the hidden voice blends two voices outside it. */
const LIBRARY = [
  'af_heart',
  'af_bella',
  'af_nicole',
  'am_adam',
  'am_michael',
  'bf_emma',
  'bm_george',
  'af_sky',
  'am_echo',
  'bf_lily',
  'am_onyx',
  'af_river',
];
const BLENDS = 12;

let session: CloneSession;
let instant: InstantEstimate;
let cache: MemoryMeasurementCache;

beforeAll(async () => {
  const kit = await createFixtureCloneKit();
  const a = kit.stock.find((v) => v.id === 'zf_xiaoyi')!.pack;
  const b = kit.stock.find((v) => v.id === 'bm_fable')!.pack;
  const hidden = a.map((value, i) => 0.6 * value + 0.4 * b[i]!);
  const transcript = probeOf('stella');
  const pcm = await kit.renderer.render(hidden, transcript);
  cache = new MemoryMeasurementCache();
  session = await CloneSession.start(
    {
      renderer: kit.renderer,
      embedder: kit.embedder,
      stock: kit.stock.filter((v) => LIBRARY.includes(v.id)),
      probes: { target: probeOf('sun'), self: probeOf('bread') },
      cache,
    },
    [{ pcm, sampleRateHz: 24_000, transcript: transcript.tokenIds }],
  );
  session.basis({ packAxes: 6, offsetAxes: 4 });
  instant = await session.instant({ blendCount: BLENDS, seed: 2 });
}, 120_000);

describe('ranking and instant estimate on the fixture models', () => {
  it('ranks every voice best first, renders the transcript, and costs nothing the second time', async () => {
    const { ranking, scorer } = session;
    expect(ranking.map((v) => v.id).sort()).toEqual([...LIBRARY].sort());
    for (let i = 1; i < ranking.length; i++)
      expect(ranking[i]!.score.score).toBeLessThanOrEqual(ranking[i - 1]!.score.score);
    expect(scorer.targetProbe.id).toBe('transcript');
    const rendersBefore = scorer.renders;
    const again = await rankVoices(ranking, scorer);
    expect(scorer.renders).toBe(rendersBefore);
    expect(again.map((v) => v.id)).toEqual(ranking.map((v) => v.id));
  });

  it('charges the map training renders as evaluations and predicts a pack in the basis', () => {
    expect(instant.renders).toBe(BLENDS); // stock renderings came from the ranking's cache
    expect(session.evaluations).toBe(LIBRARY.length + BLENDS);
    expect(instant.pack).toEqual(packFromCoordinates(session.basis(), instant.coordinates));
    expect(instant.map.inputDim).toBe(256);
  });
});

describe('searches on the fixture models', () => {
  const CASES: {
    name: string;
    budget: number;
    create: (onEvaluation: (r: EvaluationRecord) => void) => SearchController;
  }[] = [
    { name: 'walk', budget: 20, create: (on) => session.walk(3, on) },
    { name: 'timbre', budget: 24, create: (on) => session.timbre(instant.coordinates, { seed: 3 }, on) },
    { name: 'cma', budget: 20, create: (on) => session.cma(instant.coordinates, { seed: 3, lambda: 8 }, on) },
  ];

  it.each(CASES)(
    '$name: the best so far only goes up, ends above the start, and rescoring agrees',
    async ({ budget, create }) => {
      const records: EvaluationRecord[] = [];
      const controller = create((r) => records.push(r));
      await controller.run(session.evaluations + budget);
      expect(records).toHaveLength(budget);
      expect(records[0]!.evaluation).toBe(session.evaluations + 1);
      // Monotone in what the method maximises (reported in it; the walk: KVoiceWalk's own score).
      const value = (s: CandidateScore) => s.score;
      const best = records.map((r) => value(r.best!));
      for (let i = 1; i < best.length; i++) expect(best[i]).toBeGreaterThanOrEqual(best[i - 1]!);
      expect(best.at(-1)!).toBeGreaterThan(value(records[0]!.score));
      const rescored = await session.scorer.score(controller.best()!.pack);
      const inMeasure = inMeasureOf(controller.method.name, rescored);
      expect(inMeasure.score).toBeCloseTo(controller.best()!.score.score, 6);
    },
  );

  it('timbre: a checkpoint (through JSON) resumes with the same candidates as an uninterrupted run', async () => {
    const total = session.evaluations + 22;
    const reference: number[] = [];
    await session.timbre(instant.coordinates, { seed: 5 }, (r) => reference.push(r.score.score)).run(total);

    const resumed: number[] = [];
    const abort = new AbortController();
    const first = session.timbre(instant.coordinates, { seed: 5 }, (r) => {
      resumed.push(r.score.score);
      if (resumed.length === 11) abort.abort(); // inside an exploration batch
    });
    expect(await first.run(total, abort.signal)).toBe('aborted');
    const { checkpoint, bestPack } = first.checkpoint();
    const saved: SavedSearch = {
      checkpoint: JSON.parse(JSON.stringify(checkpoint)) as SavedSearch['checkpoint'],
      bestPack,
    };
    await session.resume(saved, (r) => resumed.push(r.score.score)).run(total);
    expect(resumed).toEqual(reference);
  });

  /** A checkpoint as saved before pooled target similarity: no probe fields in its scores. */
  function withoutProbeFields(saved: SavedSearch): SavedSearch {
    const strip = <T extends object>(score: T) => {
      const { probeSimilarity: _s, probeScore: _p, ...rest } = score as T & Record<string, unknown>;
      return rest as T;
    };
    const checkpoint = JSON.parse(JSON.stringify(saved.checkpoint)) as SavedSearch['checkpoint'];
    return {
      bestPack: saved.bestPack,
      checkpoint: {
        ...checkpoint,
        pending: checkpoint.pending.map(strip),
        best: checkpoint.best ? { ...checkpoint.best, score: strip(checkpoint.best.score) } : null,
      },
    };
  }

  it('refuses to resume a Timbre search saved before pooled scores, and resumes such a walk', async () => {
    const timbre = session.timbre(instant.coordinates, { seed: 5 });
    await timbre.run(session.evaluations + 4);
    const old = withoutProbeFields(timbre.checkpoint());
    expect(() => session.resume(old)).toThrow(OLD_CHECKPOINT_MESSAGE);
    expect(() => session.resume(timbre.checkpoint())).not.toThrow();

    const walk = session.walk(3);
    await walk.run(session.evaluations + 4);
    const before = walk.best()!.score.score;
    const resumed = session.resume(withoutProbeFields(walk.checkpoint()));
    expect(resumed.best()!.score.probeScore).toBe(before); // its values were the probe's own
    await resumed.run(session.evaluations + 8);
    expect(resumed.best()!.score.score).toBeGreaterThanOrEqual(before);
  });
});
