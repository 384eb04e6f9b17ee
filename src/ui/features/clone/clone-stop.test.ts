/**
 * Pause and Cancel while the clone worker is inside a rendering it cannot leave (an
 * onnxruntime run): the page settles within STOP_GRACE_MS by ending the worker, keeps the best
 * and the checkpoint, does not call it a crash, and Resume goes on from the checkpoint in a
 * fresh worker. The worker is a fake behind the client's starter; timers are fake.
 */
import type * as Comlink from 'comlink';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CandidateScore } from '../../../engine/clone/score';
import type { SavedSearch } from '../../../engine/clone/search';
import type {
  CloneEvent,
  CloneJobRequest,
  CloneJobResult,
  CloneWorkerApi,
} from '../../../workers/clone-protocol';
import type { CloneCheckpoint } from './clone-db';

/** What the job wrote to IndexedDB (clone-db is replaced: no IndexedDB in Node). */
const db = vi.hoisted(() => ({ puts: [] as unknown[] }));

vi.mock('./clone-db', () => ({
  putCheckpoint: (record: unknown) => {
    db.puts.push(record);
    return Promise.resolve();
  },
  readTargetClips: () =>
    Promise.resolve([{ pcm: new Float32Array(1600).fill(0.1), sampleRateHz: 16_000, createdAt: 1 }]),
  idbMeasurementStore: () => ({ get: () => Promise.resolve(undefined), set: () => Promise.resolve() }),
}));

const SCORE: CandidateScore = {
  score: 0.81,
  targetSimilarity: 0.9,
  probeSimilarity: 0.89,
  probeScore: 0.8,
  selfSimilarity: 0.7,
  featureSimilarity: 0.6,
  complete: true,
  renders: 2,
};
const SEARCH_START = 10;
const CHECKPOINT_AT = 12;
const BUDGET = 40;

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

interface WorkerOptions {
  /** 'hang': pause and cancel arrive while a rendering runs, so nothing answers them. */
  mode: 'hang' | 'honour';
  /** Emit a checkpoint before the rendering that hangs (the search's first few seconds have none). */
  checkpoint?: boolean;
  /** init waits for this (the models loading). */
  initGate?: Promise<void>;
}

interface FakeWorker {
  index: number;
  terminated: boolean;
  calls: string[];
  requests: CloneJobRequest[];
  /** Resolves when startJob or resume is called. */
  runStarted: Promise<void>;
  /** A crash: what the browser's error event would report. */
  crash(message: string): void;
}

function fakeWorkers(options: () => WorkerOptions) {
  const workers: FakeWorker[] = [];
  const starter = (onLost: (message: string) => void) => {
    const opts = options();
    const runStarted = deferred();
    let pending: ReturnType<typeof deferred<CloneJobResult>> | undefined;
    const result = (jobId: string, outcome: CloneJobResult['outcome']): CloneJobResult => ({
      jobId,
      outcome,
      evaluations: CHECKPOINT_AT,
      searchStartEvaluation: SEARCH_START,
      renders: 2 * CHECKPOINT_AT,
      best: { pack: new Float32Array(8).fill(0.5), score: SCORE, evaluation: CHECKPOINT_AT },
      nearestStock: null,
      instant: null,
    });
    const fake: FakeWorker = {
      index: workers.length,
      terminated: false,
      calls: [],
      requests: [],
      runStarted: runStarted.promise,
      crash: (message) => onLost(message),
    };
    const run = () => {
      pending = deferred<CloneJobResult>();
      runStarted.resolve();
      return pending.promise;
    };
    const stop = (name: string, jobId: string, outcome: 'paused' | 'cancelled') => {
      fake.calls.push(name);
      // A worker between renderings answers at once; one inside a rendering never gets the message.
      if (opts.mode === 'honour') pending?.resolve(result(jobId, outcome));
    };
    const api: Partial<Record<keyof CloneWorkerApi, unknown>> = {
      init: async () => {
        fake.calls.push('init');
        await opts.initGate;
        return {
          backend: 'wasm',
          kokoroVariant: 'fp32',
          encoderVariant: 'wespeaker',
          cacheTag: 'tag',
          fixture: true,
        };
      },
      estimateSpeed: () => {
        fake.calls.push('estimateSpeed');
        return Promise.resolve({ msPerEvaluation: 8000, setupMsCold: 60_000, setupMsWarm: 20_000 });
      },
      startJob: (request: CloneJobRequest, onEvent: (event: CloneEvent) => void) => {
        fake.calls.push('startJob');
        fake.requests.push(request);
        const { jobId } = request;
        const start = request.resumeFrom?.checkpoint.evaluations ?? SEARCH_START;
        onEvent({ kind: 'phase', jobId, phase: 'search', done: 0, total: BUDGET });
        for (let evaluation = start + 1; evaluation <= CHECKPOINT_AT; evaluation++) {
          onEvent({
            kind: 'evaluation',
            jobId,
            record: { evaluation, score: SCORE, renders: 2 * evaluation, improved: true, best: SCORE },
          });
        }
        onEvent({ kind: 'best', jobId, pack: new Float32Array(8).fill(0.5), score: SCORE, evaluation: 12 });
        if (opts.checkpoint !== false) {
          const saved = {
            checkpoint: { evaluations: CHECKPOINT_AT, best: { score: SCORE, evaluation: CHECKPOINT_AT } },
            bestPack: new Float32Array(8).fill(0.5),
          } as unknown as SavedSearch;
          onEvent({ kind: 'checkpoint', jobId, saved, searchStartEvaluation: SEARCH_START });
        }
        return run(); // then the next rendering, which takes its time
      },
      resume: () => {
        fake.calls.push('resume');
        return run();
      },
      pause: (jobId: string) => stop('pause', jobId, 'paused'),
      cancel: (jobId: string) => stop('cancel', jobId, 'cancelled'),
    };
    workers.push(fake);
    return {
      api: api as unknown as Comlink.Remote<CloneWorkerApi>,
      terminate: () => void (fake.terminated = true),
    };
  };
  return { workers, starter };
}

const SETTINGS = {
  version: 1 as const,
  targetName: 'Ann',
  method: 'timbre' as const,
  scorePreset: 'kvoicewalk' as const,
  weights: { target: 0.48, self: 0.5, feature: 0.02 },
  budget: BUDGET,
  seed: 1234,
  dialect: 'en-us' as const,
};

type Modules = {
  job: typeof import('./clone-job');
  client: typeof import('./clone-client');
  registry: typeof import('./clone-registry');
  studio: (typeof import('../../store/studio-store'))['studio'];
};

let m: Modules;
let options: WorkerOptions;
let fakes: ReturnType<typeof fakeWorkers>;

beforeEach(async () => {
  vi.useFakeTimers();
  vi.resetModules();
  db.puts.length = 0;
  m = {
    job: await import('./clone-job'),
    client: await import('./clone-client'),
    registry: await import('./clone-registry'),
    studio: (await import('../../store/studio-store')).studio,
  };
  options = { mode: 'hang' };
  fakes = fakeWorkers(() => options);
  m.client.setCloneWorkerStarter(fakes.starter);
});

afterEach(() => {
  vi.useRealTimers();
});

const jobView = () => m.studio.get().cloneJob;
const lastPut = () => db.puts.at(-1) as CloneCheckpoint | undefined;

/** Starts job-1 and waits until its run is in the first worker, with its events shown. */
async function startRunning(): Promise<FakeWorker> {
  void m.job.runNewJob('job-1', 'target-1', { ...SETTINGS });
  const worker = fakes.workers[0]!;
  await worker.runStarted;
  await vi.advanceTimersByTimeAsync(100); // the plot's flush shows the events
  expect(jobView()).toMatchObject({ state: 'running', evaluations: CHECKPOINT_AT });
  return worker;
}

describe('Pause and Cancel during a rendering that does not end', () => {
  it('Pause settles as paused within the grace period by ending the worker; the best and checkpoint stay', async () => {
    const worker = await startRunning();
    m.job.pauseClone();
    expect(jobView()?.state).toBe('pausing');
    expect(worker.calls).toContain('pause'); // asked first, as always
    await vi.advanceTimersByTimeAsync(m.job.STOP_GRACE_MS - 1);
    expect(jobView()?.state).toBe('pausing');
    expect(worker.terminated).toBe(false);

    await vi.advanceTimersByTimeAsync(1);
    expect(worker.terminated).toBe(true);
    expect(jobView()).toMatchObject({ state: 'paused', outcome: 'paused', best: { score: SCORE } });
    expect(m.registry.packs.best).toEqual(new Float32Array(8).fill(0.5));
    // Screen readers hear it (the notice is a polite live region).
    expect(m.studio.get().cloneNotice).toMatch(
      /^Search paused \(the rendering under way was stopped\)\. Resume goes on from the last checkpoint, evaluation 2 of 40/,
    );
    await vi.advanceTimersByTimeAsync(0);
    expect(lastPut()).toMatchObject({
      id: 'job-1',
      evaluations: CHECKPOINT_AT,
      state: { outcome: 'paused', checkpoint: { evaluations: CHECKPOINT_AT }, hasSearchBest: true },
    });
  });

  it('a deliberate end is not a crash: no error, models simply unloaded, nothing late changes the page', async () => {
    const worker = await startRunning();
    m.job.pauseClone();
    await vi.advanceTimersByTimeAsync(m.job.STOP_GRACE_MS);
    // Some browsers report an error event from a worker being torn down.
    worker.crash('terminated');
    await vi.advanceTimersByTimeAsync(1000);
    const state = m.studio.get();
    expect(state.cloneJob).toMatchObject({ state: 'paused' });
    expect(state.cloneJob?.error).toBeUndefined();
    expect(state.cloneError).toBeUndefined();
    expect(state.cloneEnginePhase).toBe('idle');
    expect(state.cloneSpeedPhase).toBe('idle');
    expect(m.job.canResumeAfterError()).toBe(true); // the checkpoint is still there
  });

  it('a real crash is still reported as one', async () => {
    const worker = await startRunning();
    worker.crash('out of memory');
    await vi.advanceTimersByTimeAsync(0);
    expect(jobView()).toMatchObject({ state: 'error' });
    expect(jobView()?.error).toMatch(/^The cloning worker stopped: out of memory\. /);
  });

  it('Resume after that starts a fresh worker, loads the models (shown as loading) and goes on from the checkpoint', async () => {
    const first = await startRunning();
    m.job.pauseClone();
    await vi.advanceTimersByTimeAsync(m.job.STOP_GRACE_MS);
    expect(first.terminated).toBe(true);

    const models = deferred();
    options = { mode: 'hang', initGate: models.promise };
    void m.job.resumeClone();
    expect(fakes.workers).toHaveLength(2);
    expect(m.studio.get().cloneEnginePhase).toBe('loading');
    expect(jobView()).toMatchObject({ state: 'starting', phase: 'loading', resumed: true });
    expect(m.studio.get().cloneNotice).toBeUndefined();
    const second = fakes.workers[1]!;
    expect(second.calls).toEqual(['init']);

    models.resolve();
    await second.runStarted;
    expect(m.studio.get().cloneEnginePhase).toBe('ready');
    expect(second.calls).toContain('startJob');
    expect(second.calls).not.toContain('resume');
    const request = second.requests[0]!;
    expect(request).toMatchObject({
      jobId: 'job-1',
      seed: SETTINGS.seed,
      searchStartEvaluation: SEARCH_START,
    });
    expect(request.resumeFrom?.checkpoint.evaluations).toBe(CHECKPOINT_AT);
    expect(request.resumeFrom?.bestPack).toEqual(new Float32Array(8).fill(0.5));
    expect(jobView()?.state).toBe('running');
    expect(second.terminated).toBe(false);
  });

  it('Cancel settles as cancelled within the grace period, keeping the best', async () => {
    const worker = await startRunning();
    m.job.cancelClone();
    expect(jobView()?.state).toBe('cancelling');
    expect(worker.calls).toContain('cancel');
    await vi.advanceTimersByTimeAsync(m.job.STOP_GRACE_MS);
    expect(worker.terminated).toBe(true);
    expect(jobView()).toMatchObject({ state: 'cancelled', outcome: 'cancelled', best: { score: SCORE } });
    expect(m.registry.packs.best).toEqual(new Float32Array(8).fill(0.5));
    expect(m.studio.get().cloneNotice).toBe(
      'Search cancelled. The best voice so far is kept (score 0.810 · target similarity 0.900): save it or download it.',
    );
    expect(m.studio.get().cloneJob?.error).toBeUndefined();
    await vi.advanceTimersByTimeAsync(0);
    expect(lastPut()).toMatchObject({ id: 'job-1', state: { outcome: 'cancelled' } });
  });

  it('Cancel after Pause keeps the first deadline and ends the job cancelled, ending the worker once', async () => {
    const worker = await startRunning();
    m.job.pauseClone();
    await vi.advanceTimersByTimeAsync(200);
    m.job.cancelClone();
    expect(jobView()?.state).toBe('cancelling');
    await vi.advanceTimersByTimeAsync(m.job.STOP_GRACE_MS - 200);
    expect(worker.terminated).toBe(true);
    expect(jobView()).toMatchObject({ state: 'cancelled', outcome: 'cancelled' });
    expect(fakes.workers).toHaveLength(1);
  });

  it('paused before the first checkpoint: Resume starts the same search again in a fresh worker', async () => {
    options = { mode: 'hang', checkpoint: false };
    await startRunning();
    m.job.pauseClone();
    await vi.advanceTimersByTimeAsync(m.job.STOP_GRACE_MS);
    expect(jobView()?.state).toBe('paused');
    expect(m.studio.get().cloneNotice).toMatch(/no checkpoint yet, so Resume starts it again/);
    void m.job.resumeClone();
    const second = fakes.workers[1]!;
    await second.runStarted;
    expect(second.requests[0]).toMatchObject({ jobId: 'job-1', seed: SETTINGS.seed });
    expect(second.requests[0]?.resumeFrom).toBeUndefined();
  });
});

describe('a worker that answers in time is left alone', () => {
  it('a pause honoured at once does not end the worker; Resume continues in the same worker', async () => {
    options = { mode: 'honour' };
    const worker = await startRunning();
    m.job.pauseClone();
    await vi.advanceTimersByTimeAsync(100); // the result lands with the next flush
    expect(jobView()).toMatchObject({ state: 'paused', outcome: 'paused' });
    expect(m.studio.get().cloneNotice).toBe('Search paused. Resume goes on where it stopped.');
    await vi.advanceTimersByTimeAsync(10 * m.job.STOP_GRACE_MS);
    expect(worker.terminated).toBe(false);
    expect(jobView()?.state).toBe('paused');

    void m.job.resumeClone();
    await vi.advanceTimersByTimeAsync(0);
    expect(worker.calls.filter((c) => c === 'resume')).toHaveLength(1);
    expect(fakes.workers).toHaveLength(1);
    expect(jobView()?.state).toBe('running');
  });

  it('a cancel honoured at once does not end the worker', async () => {
    options = { mode: 'honour' };
    const worker = await startRunning();
    m.job.cancelClone();
    await vi.advanceTimersByTimeAsync(10 * m.job.STOP_GRACE_MS);
    expect(worker.terminated).toBe(false);
    expect(jobView()).toMatchObject({ state: 'cancelled', outcome: 'cancelled' });
  });

  it('a cancel that arrives while the pause is on its way back ends the job cancelled', async () => {
    options = { mode: 'honour' };
    const worker = await startRunning();
    m.job.pauseClone();
    await vi.advanceTimersByTimeAsync(0); // answered: the result waits for the next flush
    expect(jobView()?.state).toBe('pausing');
    m.job.cancelClone();
    await vi.advanceTimersByTimeAsync(100);
    expect(jobView()).toMatchObject({ state: 'cancelled', outcome: 'cancelled' });
    expect(worker.calls.filter((c) => c === 'cancel')).toHaveLength(1); // the worker forgets the paused job
    expect(worker.terminated).toBe(false);
  });

  it('Cancel while the models load ends the job at once, and no run starts afterwards', async () => {
    const models = deferred();
    options = { mode: 'hang', initGate: models.promise };
    void m.job.runNewJob('job-1', 'target-1', { ...SETTINGS });
    expect(jobView()?.state).toBe('starting');
    m.job.cancelClone();
    expect(jobView()).toMatchObject({ state: 'cancelled', outcome: 'cancelled' });
    expect(m.studio.get().cloneNotice).toBe('Search cancelled before it found a voice.');
    models.resolve();
    await vi.advanceTimersByTimeAsync(1000);
    const worker = fakes.workers[0]!;
    expect(worker.calls).not.toContain('startJob');
    expect(worker.terminated).toBe(false); // the models stay loaded for the next search
    expect(jobView()?.state).toBe('cancelled');
    expect(m.studio.get().cloneEnginePhase).toBe('ready');
  });
});
