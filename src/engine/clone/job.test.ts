/**
 * The clone job runner on the fake clone kit (no models): event order, pause/resume and
 * resume from a stored checkpoint giving exactly the evaluations of an uninterrupted run,
 * cancel keeping the best, checkpoint cadence on an injected clock, and the speech check.
 */
import { describe, expect, it } from 'vitest';
import {
  createFakeCloneKit,
  randomNamedPacks,
  styleRowEmbedding,
  referenceAwareEmbedder,
} from '../../test-support/clone-fixtures';
import { PACK_LENGTH } from '../voices/pack';
import { MemoryMeasurementCache } from './cache';
import {
  CloneJob,
  estimateSetupMs,
  librarySeed,
  referenceSpeechProblem,
  tolerantCache,
  windowedEmbedder,
  type CloneJobEvent,
  type CloneJobMethod,
  type CloneJobSummary,
} from './job';
import { SeededRandom } from './random';
import type { EvaluationRecord, SavedSearch } from './search';
import type { Probe, Renderer } from './types';

const RATE_HZ = 24_000;
const TARGET: Probe = { id: 'target', tokenIds: [50, 51, 52, 53, 54] };
const SELF: Probe = { id: 'self', tokenIds: [60, 61, 62, 63, 64] };
const BLENDS = 6;
const BUDGET = 14;

const embeddingOf = styleRowEmbedding(SELF.id);

const STOCK = randomNamedPacks(8, 1);
const HIDDEN = STOCK[0]!.pack.map((v, i) => 0.5 * v + 0.5 * STOCK[3]!.pack[i]! + 0.05);

function tone(seconds: number, amplitude = 0.2): Float32Array {
  return Float32Array.from(
    { length: Math.round(seconds * RATE_HZ) },
    (_, i) => amplitude * Math.sin((2 * Math.PI * 150 * i) / RATE_HZ),
  );
}

interface Harness {
  job: CloneJob;
  events: CloneJobEvent[];
  /** Fake time in ms; the test moves it. */
  time: { ms: number };
}

interface HarnessOptions {
  method: CloneJobMethod;
  cache?: MemoryMeasurementCache;
  resumeFrom?: { saved: SavedSearch; searchStartEvaluation?: number };
  onEvent?: (event: CloneJobEvent, time: { ms: number }) => void;
  clips?: { pcm: Float32Array; sampleRateHz: number }[];
  /** The renderer the job gets, made from the fake kit's. */
  renderer?: (inner: Renderer) => Renderer;
}

async function harness(options: HarnessOptions): Promise<Harness> {
  const kit = createFakeCloneKit(embeddingOf);
  // The fake embedder returns the embedding of the pack rendered last; the reference clip
  // embeds as the hidden voice instead.
  const embedder = referenceAwareEmbedder(kit, embeddingOf(HIDDEN, TARGET));
  const events: CloneJobEvent[] = [];
  const time = { ms: 0 };
  const job = new CloneJob({
    jobId: 'job-1',
    setup: {
      renderer: options.renderer ? options.renderer(kit.renderer) : kit.renderer,
      embedder,
      stock: STOCK,
      probes: { target: TARGET, self: SELF },
      cache: options.cache ?? new MemoryMeasurementCache(),
    },
    clips: options.clips ?? [{ pcm: tone(1), sampleRateHz: RATE_HZ }],
    method: options.method,
    budget: BUDGET,
    seed: 7,
    instant: { blendCount: BLENDS, seed: 3 },
    basis: { packAxes: 4, offsetAxes: 3 },
    ...(options.resumeFrom ? { resumeFrom: options.resumeFrom.saved } : {}),
    ...(options.resumeFrom?.searchStartEvaluation !== undefined
      ? { searchStartEvaluation: options.resumeFrom.searchStartEvaluation }
      : {}),
    clock: { now: () => time.ms, yieldToEvents: () => new Promise((resolve) => setImmediate(resolve)) },
    onEvent: (event) => {
      events.push(event);
      options.onEvent?.(event, time);
    },
  });
  return { job, events, time };
}

const records = (events: CloneJobEvent[]): EvaluationRecord[] =>
  events.flatMap((e) => (e.kind === 'evaluation' ? [e.record] : []));
/** What identifies an evaluation: its number and scores (they follow from the candidate exactly). */
const trace = (r: EvaluationRecord) => [
  r.evaluation,
  r.score.score,
  r.score.targetSimilarity,
  r.score.complete,
  r.best?.score ?? null,
];
const lastBest = (events: CloneJobEvent[]) => events.filter((e) => e.kind === 'best').at(-1);

/** Stops the job with `reason` once `when` says so. */
function stopper(reason: 'paused' | 'cancelled', when: (event: CloneJobEvent) => boolean) {
  const controller = new AbortController();
  return {
    signal: controller.signal,
    onEvent: (event: CloneJobEvent) => (when(event) ? controller.abort(reason) : undefined),
  };
}

/** One uninterrupted run per method, shared by the tests that compare against it. */
const uninterruptedRuns = new Map<
  CloneJobMethod,
  Promise<{ events: CloneJobEvent[]; summary: CloneJobSummary }>
>();
function uninterrupted(method: CloneJobMethod) {
  let run = uninterruptedRuns.get(method);
  if (!run) {
    run = harness({ method }).then(async ({ job, events }) => ({ events, summary: await job.run() }));
    uninterruptedRuns.set(method, run);
  }
  return run;
}

const SEARCH_START = STOCK.length + BLENDS + 1; // ranking, map training, the instant pack scored
const METHODS: CloneJobMethod[] = ['timbre', 'walk'];

describe('CloneJob events', () => {
  it.each(METHODS)(
    '%s: phases, ranking and instant come first, then every evaluation in order, then a checkpoint',
    async (method) => {
      const { events, summary } = await uninterrupted(method);
      const kinds = events.map((e) => (e.kind === 'phase' ? `phase:${e.phase}` : e.kind));
      const firstOf = (kind: string) => kinds.indexOf(kind);
      expect(kinds[0]).toBe('phase:reference');
      expect(firstOf('phase:ranking')).toBeLessThan(firstOf('ranking'));
      expect(firstOf('ranking')).toBeLessThan(firstOf('phase:instant'));
      expect(firstOf('phase:instant')).toBeLessThan(firstOf('instant'));
      expect(firstOf('instant')).toBeLessThan(firstOf('phase:search'));
      expect(firstOf('phase:search')).toBeLessThan(firstOf('evaluation'));
      expect(kinds.at(-1)).toBe('checkpoint');

      const ranking = events.find((e) => e.kind === 'ranking')!;
      expect(ranking.kind === 'ranking' && ranking.voices.map((v) => v.id).sort()).toEqual(
        STOCK.map((v) => v.id).sort(),
      );
      expect(records(events).map((r) => r.evaluation)).toEqual(
        Array.from({ length: BUDGET }, (_, i) => SEARCH_START + 1 + i),
      );
      expect(summary).toMatchObject({
        outcome: 'budget',
        evaluations: SEARCH_START + BUDGET,
        searchStartEvaluation: SEARCH_START,
      });
      const best = lastBest(events);
      expect(best?.kind === 'best' && best.score).toEqual(summary.best!.score);
      // Timbre's first batch holds the top stock voice, so its best is at least that good.
      if (method === 'timbre')
        expect(summary.best!.score.score).toBeGreaterThanOrEqual(summary.nearestStock!.score.score - 1e-9);
      expect(summary.instant!.pack.length).toBe(PACK_LENGTH);
    },
  );

  it('rejects a silent reference before rendering anything', async () => {
    await expect(
      harness({ method: 'walk', clips: [{ pcm: new Float32Array(RATE_HZ), sampleRateHz: RATE_HZ }] }),
    ).rejects.toThrow(/silent/);
  });
});

describe('CloneJob pause, resume and cancel', () => {
  const inSearch = (e: CloneJobEvent) => e.kind === 'evaluation' && e.record.evaluation === SEARCH_START + 5;
  const inRanking = (e: CloneJobEvent) => e.kind === 'phase' && e.phase === 'ranking' && e.done === 3;
  const PAUSES = [
    { method: 'timbre' as const, name: 'inside the search', when: inSearch },
    { method: 'walk' as const, name: 'inside the search', when: inSearch },
    { method: 'walk' as const, name: 'during the ranking', when: inRanking },
  ];

  it.each(PAUSES)(
    '$method: paused $name then run again gives the evaluations of an uninterrupted run',
    async ({ method, when }) => {
      const reference = await uninterrupted(method);
      const stop = stopper('paused', when);
      const paused = await harness({ method, onEvent: stop.onEvent });
      const first = await paused.job.run(stop.signal);
      expect(first.outcome).toBe('paused');
      const second = await paused.job.run(new AbortController().signal);
      expect(second.outcome).toBe('budget');
      expect(records(paused.events).map(trace)).toEqual(records(reference.events).map(trace));
      expect(second.best!.score).toEqual(reference.summary.best!.score);
    },
  );

  const RESUMES = [
    { method: 'timbre' as const, keepsStart: true },
    { method: 'walk' as const, keepsStart: true },
    { method: 'walk' as const, keepsStart: false },
  ];

  it.each(RESUMES)(
    '$method: a stored checkpoint (through JSON) resumes in a new job with the same evaluations (start kept: $keepsStart)',
    async ({ method, keepsStart }) => {
      const reference = await uninterrupted(method);
      const stop = stopper(
        'paused',
        (e) => e.kind === 'evaluation' && e.record.evaluation === SEARCH_START + 6,
      );
      const cache = new MemoryMeasurementCache();
      const before = await harness({ method, cache, onEvent: stop.onEvent });
      await before.job.run(stop.signal);
      const stored = before.events.filter((e) => e.kind === 'checkpoint').at(-1)!;
      if (stored.kind !== 'checkpoint') throw new Error('no checkpoint');
      const saved = JSON.parse(
        JSON.stringify({ ...stored.saved, bestPack: Array.from(stored.saved.bestPack ?? []) }),
      ) as {
        checkpoint: SavedSearch['checkpoint'];
        bestPack: number[];
      };
      const after = await harness({
        method,
        cache,
        resumeFrom: {
          saved: { checkpoint: saved.checkpoint, bestPack: Float32Array.from(saved.bestPack) },
          // Without the start, the warm cache must not shorten the budget (the setup now costs no renders).
          ...(keepsStart ? { searchStartEvaluation: stored.searchStartEvaluation } : {}),
        },
      });
      const summary = await after.job.run();
      expect([summary.evaluations, summary.searchStartEvaluation]).toEqual([
        SEARCH_START + BUDGET,
        SEARCH_START,
      ]);
      expect([...records(before.events), ...records(after.events)].map(trace)).toEqual(
        records(reference.events).map(trace),
      );
    },
  );

  it('cancel resolves with the best so far and a final checkpoint', async () => {
    const stop = stopper(
      'cancelled',
      (e) => e.kind === 'evaluation' && e.record.evaluation === SEARCH_START + 8,
    );
    const { job, events } = await harness({ method: 'timbre', onEvent: stop.onEvent });
    const summary: CloneJobSummary = await job.run(stop.signal);
    expect(summary.outcome).toBe('cancelled');
    expect(summary.evaluations).toBe(SEARCH_START + 8);
    const best = lastBest(events);
    expect(best?.kind === 'best' && [best.evaluation, best.score]).toEqual([
      summary.best!.evaluation,
      summary.best!.score,
    ]);
    expect(Array.from(summary.best!.pack)).toEqual(best?.kind === 'best' ? Array.from(best.pack) : []);
    const last = events.at(-1)!;
    expect(last.kind === 'checkpoint' && last.saved.checkpoint.evaluations).toBe(SEARCH_START + 8);
  });
});

describe('CloneJob checkpoints', () => {
  const CADENCES = [
    { msPerEvaluation: 1000, expected: [3, 6, 9, 12, 14] },
    { msPerEvaluation: 100, expected: [14] },
  ];

  it.each(CADENCES)(
    'every 3 s of search ($msPerEvaluation ms per evaluation) and at the end',
    async ({ msPerEvaluation, expected }) => {
      const { job, events } = await harness({
        method: 'walk',
        onEvent: (event, time) => {
          if (event.kind === 'evaluation') time.ms += msPerEvaluation;
        },
      });
      await job.run();
      const at = events.flatMap((e) =>
        e.kind === 'checkpoint' ? [e.saved.checkpoint.evaluations - e.searchStartEvaluation] : [],
      );
      expect(at).toEqual(expected);
    },
  );
});

describe('referenceSpeechProblem', () => {
  const noise = (seconds: number, amplitude: number) => {
    const rng = new SeededRandom(5);
    return Float32Array.from({ length: seconds * RATE_HZ }, () => amplitude * rng.gaussian());
  };
  const CASES = [
    { name: 'no clips', clips: [], problem: /no reference audio/ },
    { name: 'digital silence', clips: [new Float32Array(2 * RATE_HZ)], problem: /silent/ },
    { name: 'a -70 dBFS hiss', clips: [noise(2, 10 ** (-70 / 20))], problem: /silent/ },
    { name: 'a 0.2 s burst', clips: [tone(0.2)], problem: /almost no audible speech \(0\.20 s\)/ },
    { name: 'a 1 s tone', clips: [tone(1)], problem: undefined },
    { name: 'two 0.3 s bursts in two clips', clips: [tone(0.3), tone(0.3)], problem: undefined },
  ];

  it.each(CASES)('$name', ({ clips, problem }) => {
    const result = referenceSpeechProblem(clips.map((pcm) => ({ pcm, sampleRateHz: RATE_HZ })));
    if (problem) expect(result).toMatch(problem);
    else expect(result).toBeUndefined();
  });
});

describe('estimateSetupMs', () => {
  it('charges ranking, training renders and the instant evaluation cold; warm, the ranking is lookups', () => {
    const input = {
      stockCount: 28,
      blendCount: 96,
      msPerEvaluation: 500,
      msPerTargetRendering: 260,
      msPerCacheLookup: 2,
    };
    expect(estimateSetupMs(input)).toEqual({
      cold: 28 * 500 + 96 * 260 + 500,
      warm: 3 * 28 * 2 + 96 * 260 + 500,
    });
  });
});

describe('job helpers', () => {
  it('librarySeed: the same for the same library, different when a voice or its file changes', () => {
    const library = [
      { id: 'af_heart', fingerprint: 'aa11' },
      { id: 'bm_george', fingerprint: 'bb22' },
    ];
    const seed = librarySeed(library);
    expect(Number.isInteger(seed) && seed > 0 && seed < 2 ** 31).toBe(true);
    expect(librarySeed(library.map((v) => ({ ...v })))).toBe(seed);
    expect(librarySeed([library[0]!, { id: 'bm_george', fingerprint: 'bb23' }])).not.toBe(seed);
    expect(librarySeed([library[0]!])).not.toBe(seed);
  });

  it('tolerantCache: a failing store reads as a miss and swallows writes', async () => {
    const broken = {
      get: () => Promise.reject(new Error('IndexedDB is closed')),
      set: () => Promise.reject(new DOMException('full', 'QuotaExceededError')),
    };
    const cache = tolerantCache(broken);
    await expect(cache.get('k')).resolves.toBeUndefined();
    await expect(cache.set('k', { embedding: new Float32Array(2) })).resolves.toBeUndefined();
    const memory = new MemoryMeasurementCache();
    await tolerantCache(memory).set('k', { embedding: Float32Array.of(1, 2) });
    expect(Array.from((await tolerantCache(memory).get('k'))!.embedding)).toEqual([1, 2]);
  });

  const WINDOW_CASES = [
    { seconds: 20, windows: 1 },
    { seconds: 65, windows: 2 },
  ];

  it.each(WINDOW_CASES)(
    'windowedEmbedder: $seconds s of audio in $windows encoder pass(es), unit average',
    async ({ seconds, windows }) => {
      const RATE = 16_000;
      const lengths: number[] = [];
      const inner = {
        variant: 'inner',
        embed: async (pcm: Float32Array) => {
          lengths.push(pcm.length);
          return Float32Array.of(pcm[0]!, 1); // windows start at different values: distinct embeddings
        },
      };
      const pcm = Float32Array.from({ length: seconds * RATE }, (_, i) => (i < 30 * RATE ? 0 : 3));
      const embedding = await windowedEmbedder(inner, RATE).embed(pcm);
      expect(lengths).toHaveLength(windows);
      expect(lengths.reduce((a, b) => a + b, 0)).toBe(pcm.length);
      if (windows === 1) expect(Array.from(embedding)).toEqual([0, 1]);
      else expect(Math.hypot(...embedding)).toBeCloseTo(1, 6);
    },
  );

  it("the cache keys follow the renderer's tag while the job runs (a WebGPU session replaced by WASM mid-job)", async () => {
    const keys: string[] = [];
    const cache = new MemoryMeasurementCache();
    const set = cache.set.bind(cache);
    cache.set = (key, value) => {
      keys.push(key);
      return set(key, value);
    };
    const tag = { backend: 'webgpu' };
    const { job } = await harness({
      method: 'timbre',
      cache,
      renderer: (inner) => ({
        get variant() {
          return `kokoro-q8@${tag.backend}`;
        },
        render: (pack, probe, signal) => inner.render(pack, probe, signal),
      }),
      // The ranking is done on WebGPU; then Speak's fallback moves the session to WASM.
      onEvent: (event) => {
        if (event.kind === 'phase' && event.phase === 'instant') tag.backend = 'wasm';
      },
    });
    await job.run();
    const ranked = keys.slice(0, STOCK.length * 2);
    const later = keys.slice(STOCK.length * 2);
    expect(ranked.length).toBeGreaterThan(0);
    expect(later.length).toBeGreaterThan(0);
    expect(ranked.every((k) => k.includes('kokoro-q8@webgpu'))).toBe(true);
    expect(later.every((k) => k.includes('kokoro-q8@wasm'))).toBe(true);
  });
});
