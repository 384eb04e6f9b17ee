import { describe, expect, it } from 'vitest';
import { createFakeCloneKit } from '../../test-support/clone-fixtures';
import { SEARCH_WORLD, searchMethodCases, throughJson } from '../../test-support/search-fixtures';
import { CloneScorer, type CandidateScore } from './score';
import { SCORE_MEASURE, SearchController, type EvaluationRecord, type SearchMethod } from './search';
import { ModelSearch } from './model-search';
import { KVoiceWalk } from './walk';

const { TARGET, SELF, embeddingOf, BASIS, HIDDEN, REFERENCE, OBJECTIVE } = SEARCH_WORLD;

function scorer(): CloneScorer {
  const kit = createFakeCloneKit(embeddingOf);
  return new CloneScorer({
    renderer: kit.renderer,
    embedder: kit.embedder,
    reference: REFERENCE,
    probes: { target: TARGET, self: SELF },
  });
}

const METHODS = searchMethodCases([new Float64Array(8)]);

/** What identifies an evaluation: the scores (they follow from the candidate pack exactly). */
const trace = (r: EvaluationRecord) => [
  r.evaluation,
  r.score.score,
  r.score.targetSimilarity,
  r.score.renders,
  r.best?.score ?? null,
];

describe.each(METHODS)('search controller with $name', ({ create, restore }) => {
  const TOTAL = 32;

  async function runUninterrupted() {
    const records: EvaluationRecord[] = [];
    const controller = new SearchController(create(), scorer(), { onEvaluation: (r) => records.push(r) });
    expect(await controller.run(TOTAL)).toBe('budget');
    return { records, controller };
  }
  let reference: ReturnType<typeof runUninterrupted> | undefined;
  /** The uninterrupted run, made once per method and compared against. */
  const uninterrupted = () => (reference ??= runUninterrupted());

  it('keeps the best so far monotone and counts every evaluation', async () => {
    const { records, controller } = await uninterrupted();
    expect(records.map((r) => r.evaluation)).toEqual(Array.from({ length: TOTAL }, (_, i) => i + 1));
    // Reported in the measure the method maximises (the walk: KVoiceWalk's probe-only score).
    const probe = SCORE_MEASURE[controller.method.name] === 'probe';
    if (probe) for (const r of records) expect(r.score.score).toBe(r.score.probeScore);
    const value = (s: CandidateScore) => s.score;
    for (let i = 1; i < records.length; i++)
      expect(value(records[i]!.best!)).toBeGreaterThanOrEqual(value(records[i - 1]!.best!));
    expect(value(records.at(-1)!.best!)).toBeGreaterThan(value(records[0]!.score));
    // Identity, compared as a boolean: a failing toBe would diff two whole packs for minutes.
    if (controller.method instanceof KVoiceWalk)
      expect(controller.best()!.pack === controller.method.current()).toBe(true);
    expect(controller.renderCount).toBe(records.reduce((n, r) => n + r.score.renders, 0));
    expect(controller.best()!.score).toEqual(records.at(-1)!.best);
  });

  const STOP_POINTS = [1, 13, 24];

  it.each(STOP_POINTS)(
    'resumes from a checkpoint taken after %i evaluations with the same candidates',
    async (stopAfter) => {
      const reference = (await uninterrupted()).records.map(trace);
      const records: EvaluationRecord[] = [];
      const abort = new AbortController();
      const first = new SearchController(create(), scorer(), {
        onEvaluation: (r) => {
          records.push(r);
          if (r.evaluation === stopAfter) abort.abort();
        },
      });
      expect(await first.run(TOTAL, abort.signal)).toBe('aborted');
      const saved = throughJson(first.checkpoint());
      const second = new SearchController(
        restore(saved),
        scorer(),
        { onEvaluation: (r) => records.push(r) },
        saved,
      );
      expect(await second.run(TOTAL)).toBe('budget');
      expect(records.map(trace)).toEqual(reference);
      expect(second.best()!.pack).toEqual((await uninterrupted()).controller.best()!.pack);
    },
  );

  it('pauses and continues on the same controller (abort, then run again)', async () => {
    const reference = (await uninterrupted()).records.map(trace);
    const records: EvaluationRecord[] = [];
    let abort = new AbortController();
    const controller = new SearchController(create(), scorer(), {
      onEvaluation: (r) => {
        records.push(r);
        if (r.evaluation % 10 === 6) abort.abort();
      },
    });
    let outcome = await controller.run(TOTAL, abort.signal);
    while (outcome === 'aborted') {
      abort = new AbortController();
      outcome = await controller.run(TOTAL, abort.signal);
    }
    expect(records.map(trace)).toEqual(reference);
  });

  it('stops at a budget mid-batch and continues to a larger one identically', async () => {
    const reference = (await uninterrupted()).records.map(trace);
    const records: EvaluationRecord[] = [];
    const controller = new SearchController(create(), scorer(), { onEvaluation: (r) => records.push(r) });
    await controller.run(17);
    expect(records).toHaveLength(17);
    await controller.run(TOTAL);
    expect(records.map(trace)).toEqual(reference);
  });
});

describe('model-based search', () => {
  it('scores at least what the hidden voice itself scores within 60 evaluations, and beats the walk', async () => {
    const BUDGET = 60;
    const bestAfter = async (method: SearchMethod) => {
      const controller = new SearchController(method, scorer());
      await controller.run(BUDGET);
      return controller.best()!.score.score;
    };
    const exact = (await scorer().score(HIDDEN)).score;
    const model = await bestAfter(METHODS[2]!.create());
    const walk = await bestAfter(METHODS[0]!.create());
    expect(model).toBeGreaterThanOrEqual(exact);
    expect(model).toBeGreaterThan(walk);
  });
});

describe('SearchController', () => {
  it('refuses a checkpoint of another method', () => {
    const saved = new SearchController(METHODS[0]!.create(), scorer()).checkpoint();
    expect(() => new SearchController(METHODS[1]!.create(), scorer(), {}, saved)).toThrow(/walk/);
  });

  it('counts from the offsets of earlier phases', async () => {
    const records: EvaluationRecord[] = [];
    const controller = new SearchController(METHODS[1]!.create(), scorer(), {
      evaluationOffset: 100,
      renderOffset: 150,
      onEvaluation: (r) => records.push(r),
    });
    await controller.run(103);
    expect(records.map((r) => r.evaluation)).toEqual([101, 102, 103]);
    expect(records[0]!.renders).toBe(150 + records[0]!.score.renders);
  });
});

describe('phases of the model search', () => {
  it('hands over to the walk-like polish once the model stops paying, keeping the best', async () => {
    // Self probe = target probe's embedding: the score peaks exactly at the hidden voice (in the basis).
    const kit = createFakeCloneKit(embeddingOf);
    const sameText = { id: 'same', tokenIds: TARGET.tokenIds };
    const exactScorer = new CloneScorer({
      renderer: kit.renderer,
      embedder: kit.embedder,
      reference: REFERENCE,
      probes: { target: TARGET, self: sameText },
    });
    const method = new ModelSearch(BASIS, OBJECTIVE, [new Float64Array(8)], { seed: 7 });
    const records: EvaluationRecord[] = [];
    const controller = new SearchController(method, exactScorer, { onEvaluation: (r) => records.push(r) });
    let polishFrom: number | undefined;
    while (polishFrom === undefined && controller.evaluationCount < 600) {
      await controller.run(controller.evaluationCount + 10);
      if (method.phase === 'polish') polishFrom = controller.evaluationCount;
    }
    expect(polishFrom).toBeDefined();
    expect(controller.best()!.score.targetSimilarity).toBeGreaterThan(0.9999);
    const bestBefore = controller.best()!.score.score;
    const batch = method.ask();
    expect(batch).toHaveLength(1); // one greedy step at a time
    await controller.run(controller.evaluationCount + 20);
    expect(controller.best()!.score.score).toBeGreaterThanOrEqual(bestBefore);
  });
});
