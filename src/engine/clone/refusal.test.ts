/**
 * Refused candidates (issue 11, "Bad input"): a rendering or embedding that is unusable
 * (BadMeasurementError) is refused where it happens, on the fake clone kit. The search spends
 * an evaluation on it, tells its method (the walk and CMA-ES: the worst candidate; the model
 * search: skipped) and goes on, until the refusal rule stops it; the ranking and the instant
 * map's training skip what they cannot measure. Aborts still win.
 */
import { describe, expect, it } from 'vitest';
import { createFakeCloneKit } from '../../test-support/clone-fixtures';
import { SEARCH_WORLD, searchMethodCases, throughJson } from '../../test-support/search-fixtures';
import { AbortedError } from '../progress';
import { packFromCoordinates } from './basis';
import { CmaSearch, fitnessOf, REFUSED_FITNESS } from './cma-search';
import { collectInstantSamples, packCacheId, type InstantTrainingOptions } from './instant';
import { ModelSearch, type ModelSearchState } from './model-search';
import { rankVoices } from './rank';
import { BadMeasurementError, checkedEmbedder } from './render';
import { CloneScorer } from './score';
import {
  REFUSAL_RUN_LIMIT,
  REFUSAL_WINDOW,
  RendersKeepFailingError,
  SearchController,
  type EvaluationRecord,
} from './search';
import type { Embedder, Probe, Renderer } from './types';
import { elementwiseMeanStd, KVoiceWalk, type WalkState } from './walk';

const { TARGET, SELF, embeddingOf, STOCK, BASIS, HIDDEN, REFERENCE } = SEARCH_WORLD;

const NAN_AUDIO = 'Kokoro rendered unusable audio (the model returned NaN samples).';

/** A number in [0, 16) fixed by the pack's contents: which candidates fail does not depend on call order. */
const packHash = (pack: Float32Array) => parseInt(packCacheId(pack).slice(-1), 16);

interface RefusingKit {
  renderer: Renderer;
  embedder: Embedder;
  /** Every rendering asked for, refused ones included. */
  calls: { count: number };
  /** Packs whose rendering was refused, in order (one per refused candidate). */
  refused: Float32Array[];
}

/**
 * The fake kit with a renderer that throws BadMeasurementError (as createKokoroRenderer does
 * after a bad WASM re-rendering) when `refuse` says so. `refuse` gets the target-probe
 * rendering's index (0, 1, ...: one per candidate) and may act on the signal's controller.
 */
function refusingKit(
  refuse: (pack: Float32Array, probe: Probe, targetIndex: number) => boolean,
): RefusingKit {
  const kit = createFakeCloneKit(embeddingOf);
  const calls = { count: 0 };
  const refused: Float32Array[] = [];
  let targets = 0;
  const renderer: Renderer = {
    variant: kit.renderer.variant,
    async render(pack, probe) {
      calls.count++;
      const index = probe.id === TARGET.id ? targets++ : -1;
      if (refuse(pack, probe, index)) {
        refused.push(pack);
        throw new BadMeasurementError(NAN_AUDIO);
      }
      return kit.renderer.render(pack, probe);
    },
  };
  return { renderer, embedder: kit.embedder, calls, refused };
}

function scorerOf(kit: { renderer: Renderer; embedder: Embedder }): CloneScorer {
  return new CloneScorer({
    renderer: kit.renderer,
    embedder: kit.embedder,
    reference: REFERENCE,
    probes: { target: TARGET, self: SELF },
  });
}

/** One candidate in eight refused on its target rendering, one in eight on its self rendering. */
const someFail = (pack: Float32Array, probe: Probe) =>
  packHash(pack) % 8 === (probe.id === TARGET.id ? 0 : 1);

const STARTS = [
  new Float64Array(8),
  Float64Array.from([0.5, 0, -0.5, 0, 0.5, 0, 0, 0]),
  Float64Array.from([-0.5, 0.5, 0, 0, 0, -0.5, 0, 0]),
];

const METHODS = searchMethodCases(STARTS);

const trace = (r: EvaluationRecord) => [r.evaluation, r.score.score, r.score.renders, r.best?.score ?? null];

describe.each(METHODS)('refused candidates in the $name search', ({ create, restore }) => {
  const TOTAL = 40;

  async function runWithRefusals() {
    const kit = refusingKit(someFail);
    const records: EvaluationRecord[] = [];
    const method = create();
    const controller = new SearchController(method, scorerOf(kit), { onEvaluation: (r) => records.push(r) });
    const outcome = await controller.run(TOTAL);
    return { kit, records, method, controller, outcome };
  }
  let shared: ReturnType<typeof runWithRefusals> | undefined;
  const uninterrupted = () => (shared ??= runWithRefusals());

  it('spends an evaluation on each, reports no score for it, and reaches the budget', async () => {
    const { kit, records, controller, outcome } = await uninterrupted();
    expect(outcome).toBe('budget');
    expect(controller.evaluationCount).toBe(TOTAL);
    expect(kit.refused.length).toBeGreaterThanOrEqual(3);
    expect(controller.refusals).toMatchObject({
      count: kit.refused.length,
      reason: 'Kokoro rendered unusable audio (the model returned NaN samples)',
    });
    expect(records).toHaveLength(TOTAL - kit.refused.length);
    const numbers = records.map((r) => r.evaluation);
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(numbers.every((n) => n >= 1 && n <= TOTAL)).toBe(true);
    // Every rendering asked for is charged, the refused ones (and a refused self rendering's target) too.
    expect(controller.renderCount).toBe(kit.calls.count);
    expect(controller.checkpoint().checkpoint.refusals?.count).toBe(kit.refused.length);
  });

  it('never keeps a refused candidate as the best', async () => {
    const { kit, records, controller } = await uninterrupted();
    const refusedIds = new Set(kit.refused.map(packCacheId));
    const best = controller.best()!;
    expect(refusedIds.has(packCacheId(best.pack))).toBe(false);
    expect(best.score.complete).toBe(true);
    expect(best.score.score).toBe(
      Math.max(...records.filter((r) => r.score.complete).map((r) => r.score.score)),
    );
  });

  it("does not learn from a refused candidate's (empty) measurement", async () => {
    const { kit, method } = await uninterrupted();
    const refusedIds = new Set(kit.refused.map(packCacheId));
    const state = method.saveState() as unknown;
    if (method instanceof ModelSearch) {
      const archive = (state as ModelSearchState).archive;
      expect(archive.length).toBeGreaterThan(0);
      for (const point of archive) {
        expect(point.target.length).toBeGreaterThan(0);
        expect(refusedIds.has(packCacheId(packFromCoordinates(BASIS, point.x)))).toBe(false);
      }
    } else if (method instanceof KVoiceWalk) {
      expect(refusedIds.has(packCacheId(method.current()))).toBe(false);
      expect((state as WalkState).current?.complete).toBe(true);
    } else if (method instanceof CmaSearch) {
      const best = packFromCoordinates(BASIS, method.bestCoordinates()!);
      expect(refusedIds.has(packCacheId(best))).toBe(false);
    }
  });

  it('resumes from a checkpoint taken right after a refusal with the same evaluations and count', async () => {
    const reference = await uninterrupted();
    const kit = refusingKit(someFail);
    const records: EvaluationRecord[] = [];
    const first = new SearchController(create(), scorerOf(kit), { onEvaluation: (r) => records.push(r) });
    while (first.refusals.count === 0) await first.run(first.evaluationCount + 1);
    const saved = throughJson(first.checkpoint());
    expect(saved.checkpoint.refusals).toEqual({ count: 1, recent: [first.evaluationCount] });
    const second = new SearchController(
      restore(saved),
      scorerOf(kit),
      { onEvaluation: (r) => records.push(r) },
      saved,
    );
    expect(await second.run(TOTAL)).toBe('budget');
    expect(records.map(trace)).toEqual(reference.records.map(trace));
    expect(second.refusals.count).toBe(reference.controller.refusals.count);
    expect(second.best()!.pack).toEqual(reference.controller.best()!.pack);
  });

  it(`stops with a RendersKeepFailingError after ${REFUSAL_RUN_LIMIT} refusals in a row (every rendering fails)`, async () => {
    const kit = refusingKit(() => true);
    const controller = new SearchController(create(), scorerOf(kit));
    const error = await controller.run(TOTAL).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RendersKeepFailingError);
    expect((error as Error).message).toMatch(
      /the last 5 candidates were all refused \(Kokoro rendered unusable audio/,
    );
    expect((error as Error).message).toMatch(/WASM/);
    expect(controller.evaluationCount).toBe(REFUSAL_RUN_LIMIT);
    expect(controller.refusals.count).toBe(REFUSAL_RUN_LIMIT);
    expect(controller.renderCount).toBe(REFUSAL_RUN_LIMIT);
    expect(controller.best()).toBeUndefined();
    // The window starts afresh for a resumed search; the count goes on.
    expect(controller.checkpoint().checkpoint.refusals).toEqual({ count: REFUSAL_RUN_LIMIT, recent: [] });
  });
});

describe('the refusal rule', () => {
  it(`stops when more than half of the last ${REFUSAL_WINDOW} evaluations were refused, never ${REFUSAL_RUN_LIMIT} in a row`, async () => {
    // Three refused, one fine, over and over: the 11th refusal comes at evaluation 14.
    const kit = refusingKit((_pack, probe, index) => probe.id === TARGET.id && index % 4 !== 3);
    const controller = new SearchController(METHODS[0]!.create(), scorerOf(kit));
    await expect(controller.run(100)).rejects.toThrow(/11 of the last 20 candidates were refused/);
    expect(controller.evaluationCount).toBe(14);
    expect(controller.refusals.count).toBe(11);
  });

  it('lets scattered refusals through (4 in a row, then a good one, for 60 evaluations)', async () => {
    const kit = refusingKit((_pack, probe, index) => probe.id === TARGET.id && index % 10 < 4);
    const controller = new SearchController(METHODS[2]!.create(), scorerOf(kit));
    expect(await controller.run(60)).toBe('budget');
    expect(controller.refusals.count).toBe(24);
  });

  it('counts a NaN embedding (checkedEmbedder) as a refusal too', async () => {
    const poisoned = (pack: Float32Array, probe: Probe) =>
      packHash(pack) % 4 === 0 ? new Float32Array(13).fill(Number.NaN) : embeddingOf(pack, probe);
    const kit = createFakeCloneKit(poisoned);
    const embedder = checkedEmbedder('fake-checked', (pcm) => kit.embedder.embed(pcm));
    const controller = new SearchController(
      METHODS[0]!.create(),
      scorerOf({ renderer: kit.renderer, embedder }),
    );
    expect(await controller.run(30)).toBe('budget');
    expect(controller.refusals.count).toBeGreaterThan(0);
    expect(controller.refusals.reason).toMatch(/embedding of NaN/);
    expect(controller.renderCount).toBe(kit.renderer.calls);
  });
});

describe('an abort during a refused candidate', () => {
  const CASES = [
    { name: 'walk', method: 0 },
    { name: 'timbre', method: 2 },
  ];

  it.each(CASES)('$name: is an abort; the candidate is asked again and counted once', async ({ method }) => {
    const abort = new AbortController();
    let badPack: string | undefined;
    const kit = refusingKit((pack, probe, index) => {
      if (probe.id !== TARGET.id) return false;
      if (index === 2) {
        badPack = packCacheId(pack);
        abort.abort('paused'); // the pause arrives while the bad rendering is being made
      }
      return packCacheId(pack) === badPack;
    });
    const controller = new SearchController(METHODS[method]!.create(), scorerOf(kit));
    expect(await controller.run(12, abort.signal)).toBe('aborted');
    expect(controller.evaluationCount).toBe(2);
    expect(controller.refusals.count).toBe(0);
    expect(controller.checkpoint().checkpoint.pending.some((p) => p.refused)).toBe(false);
    expect(await controller.run(12, new AbortController().signal)).toBe('budget');
    expect(kit.refused.map(packCacheId)).toEqual([badPack, badPack]); // refused once aborted, once counted
    expect(controller.refusals.count).toBe(1);
    expect(controller.evaluationCount).toBe(12);
  });
});

describe('methods told of a refused candidate', () => {
  it('CMA-ES ranks it below every early exit', () => {
    const refused = {
      score: 0,
      targetSimilarity: -1,
      probeSimilarity: -1,
      probeScore: 0,
      selfSimilarity: null,
      featureSimilarity: null,
      complete: false,
      renders: 1,
      refused: true,
    };
    const worstEarlyExit = { ...refused, refused: undefined };
    expect(fitnessOf(refused)).toBe(REFUSED_FITNESS);
    expect(fitnessOf(refused)).toBeLessThan(fitnessOf(worstEarlyExit));
  });

  it('the walk: a refused start is a placeholder incumbent (no early exit), replaced by the first real candidate, and resumes', async () => {
    const population = STOCK.slice(0, 4);
    const start = packCacheId(elementwiseMeanStd(population.map((v) => v.pack)).mean);
    const kit = refusingKit((pack) => packCacheId(pack) === start);
    const walk = new KVoiceWalk(population, 7);
    const records: EvaluationRecord[] = [];
    const controller = new SearchController(walk, scorerOf(kit), { onEvaluation: (r) => records.push(r) });
    await controller.run(1);
    expect(controller.refusals.count).toBe(1);
    expect(walk.earlyExitReference()).toBeUndefined();
    const saved = throughJson(controller.checkpoint());
    expect(saved.bestPack).toBeNull();
    const resumed = new KVoiceWalk(population, 7, {
      state: saved.checkpoint.state as unknown as WalkState,
      bestPack: saved.bestPack,
    });
    const again = new SearchController(
      resumed,
      scorerOf(kit),
      { onEvaluation: (r) => records.push(r) },
      saved,
    );
    await again.run(2);
    expect(records).toHaveLength(1);
    expect(records[0]!.improved).toBe(true);
    expect(resumed.earlyExitReference()).toBe(records[0]!.score.probeSimilarity);
    expect(resumed.current() === again.best()!.pack).toBe(true); // no diff of whole packs on failure
  });
});

describe('ranking with unusable renderings', () => {
  it('leaves those stock voices out and reports them', async () => {
    const bad = new Set([STOCK[1]!.pack, STOCK[4]!.pack]);
    const kit = refusingKit((pack) => bad.has(pack));
    const skips: [string, string, number][] = [];
    const progress: number[] = [];
    const ranked = await rankVoices(STOCK, scorerOf(kit), {
      onSkip: (voice, reason, skipped) => skips.push([voice.id, reason, skipped]),
      onVoice: (_voice, done) => progress.push(done),
    });
    expect(ranked.map((v) => v.id).sort()).toEqual(['v0', 'v2', 'v3', 'v5']);
    expect(skips).toEqual([
      ['v1', 'Kokoro rendered unusable audio (the model returned NaN samples)', 1],
      ['v4', 'Kokoro rendered unusable audio (the model returned NaN samples)', 2],
    ]);
    expect(progress.at(-1)).toBe(STOCK.length);
  });

  it('fails when every stock voice is refused', async () => {
    const ranking = rankVoices(STOCK, scorerOf(refusingKit(() => true)));
    await expect(ranking).rejects.toThrow(RendersKeepFailingError);
    await expect(ranking).rejects.toThrow(/every stock voice was refused .*WASM/);
  });

  it('an abort during a refused voice is an abort', async () => {
    const abort = new AbortController();
    const kit = refusingKit((pack) => {
      if (pack !== STOCK[2]!.pack) return false;
      abort.abort('paused');
      return true;
    });
    await expect(rankVoices(STOCK, scorerOf(kit), { signal: abort.signal })).rejects.toBeInstanceOf(
      AbortedError,
    );
  });
});

describe('instant training with unusable renderings', () => {
  const IDEAL = embeddingOf(HIDDEN, TARGET);

  function training(blendCount: number, refuse: (cacheId: string) => boolean) {
    const skips: number[] = [];
    const progress: number[] = [];
    const options: InstantTrainingOptions = {
      basis: BASIS,
      stock: STOCK,
      blendCount,
      jitter: 0.2,
      seed: 4,
      reference: IDEAL,
      measure: (pack, cacheId) =>
        refuse(cacheId)
          ? Promise.reject(new BadMeasurementError(NAN_AUDIO))
          : Promise.resolve({ embedding: embeddingOf(pack, TARGET), renders: 1 }),
      onSkip: (_reason, skipped) => skips.push(skipped),
      onSample: (done) => progress.push(done),
    };
    return { options, skips, progress };
  }

  it('skips them, counts them, charges their renderings, and still ends after blendCount renderings', async () => {
    const refused = new Set<string>();
    const { options, skips, progress } = training(15, (id) => {
      const bad = id === 'v3' || (id.startsWith('instant-') && parseInt(id.slice(-1), 16) % 3 === 0);
      if (bad) refused.add(id);
      return bad;
    });
    const { samples, renders, skipped } = await collectInstantSamples(options);
    expect(skipped).toBe(skips.length);
    expect(skipped).toBeGreaterThanOrEqual(2); // v3 and at least one blend
    expect(refused.has('v3')).toBe(true);
    const blendSkips = skipped - 1;
    expect(samples).toHaveLength(15 - blendSkips);
    expect(renders).toBe(15); // every training rendering, refused ones too (stock voices are the ranking's)
    expect(progress.at(-1)).toBe(STOCK.length + 15);
    for (const sample of samples)
      expect(refused.has(packCacheId(packFromCoordinates(BASIS, sample.coordinates)))).toBe(false);
  });

  it('fails when fewer than 3 training renderings are usable', async () => {
    const collecting = collectInstantSamples(training(8, (id) => id.startsWith('instant-')).options);
    await expect(collecting).rejects.toThrow(RendersKeepFailingError);
    await expect(collecting).rejects.toThrow(/only 0 of 8 renderings for the instant estimate were usable/);
  });

  it('fails when no stock voice can be measured', async () => {
    const { options } = training(8, (id) => !id.startsWith('instant-'));
    await expect(collectInstantSamples(options)).rejects.toThrow(/no stock voice could be measured/);
  });
});
