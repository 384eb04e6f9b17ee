/**
 * A fake of ../workers/ort/runtime for unit tests of model loading: the WebGPU probe answers
 * what a test sets, session creation makes fake sessions (a file whose first byte is 1 is a
 * Kokoro, any other a speaker encoder) or fails on the backends a test names, runs are logged
 * and can be held. One fake for every test that mocks the runtime:
 *
 *   const fakes = await vi.hoisted(async () => (await import('…/fake-ort-runtime')).createFakeOrt());
 *   vi.mock('…/ort/runtime', async (original) => ({ ...(await original()), ...fakeRuntime(fakes) }));
 */
import type { Backend } from '../engine/tts/types';
import type { WebGpuProbe } from '../workers/ort/runtime';

type Feeds = Record<string, { data: unknown; dims: number[] }>;

export interface FakeSession {
  model: 'kokoro' | 'speaker';
  backend: Backend;
  released: boolean;
  feeds: Feeds[];
  inputNames: string[];
  outputNames: string[];
  release(): Promise<void>;
  run(feeds: Feeds): Promise<Record<string, unknown>>;
}

export interface FakeOrt {
  probe: WebGpuProbe;
  /** Backends on which session creation fails, with the error message. */
  createFails: Map<Backend, string>;
  /** Backends on which every run (the warm-up too) fails. */
  runFails: Set<Backend>;
  sessions: FakeSession[];
  /** Runs in the order they reached a session: `<model>@<backend>:<speed>`. */
  runs: string[];
  /** While set, every run waits for it (so runs can be queued behind one). */
  hold: Promise<void> | undefined;
}

export const NVIDIA_ADAPTER: WebGpuProbe = { kind: 'adapter', adapter: { info: { architecture: 'nvidia' } } };

export function createFakeOrt(): FakeOrt {
  return {
    probe: NVIDIA_ADAPTER,
    createFails: new Map(),
    runFails: new Set(),
    sessions: [],
    runs: [],
    hold: undefined,
  };
}

/** Back to a fresh state between tests (the object stays the one the mock holds). */
export function resetFakeOrt(fakes: FakeOrt, probe: WebGpuProbe = NVIDIA_ADAPTER): void {
  fakes.probe = probe;
  fakes.createFails.clear();
  fakes.runFails.clear();
  fakes.sessions.length = 0;
  fakes.runs.length = 0;
  fakes.hold = undefined;
}

class Tensor {
  constructor(
    readonly type: string,
    readonly data: unknown,
    readonly dims: number[],
  ) {}
}

/** The members of ort/runtime the fake replaces. */
export function fakeRuntime(fakes: FakeOrt) {
  return {
    loadedOrt: () => ({ Tensor }),
    webGpuProbe: () => Promise.resolve(fakes.probe),
    createSession: (bytes: Uint8Array, backend: Backend) => {
      const model = bytes[0] === 1 ? 'kokoro' : 'speaker';
      // The real createSession frees the bytes, made or failed (freeModelBytes): a caller that
      // reads them again (a fallback reusing them) would find zeros here, a 'speaker' model.
      bytes.fill(0);
      const failure = fakes.createFails.get(backend);
      if (failure !== undefined) return Promise.reject(new Error(failure));
      const session: FakeSession = {
        model,
        backend,
        released: false,
        feeds: [],
        inputNames: model === 'kokoro' ? ['input_ids', 'style', 'speed'] : ['input_features'],
        outputNames: model === 'kokoro' ? ['waveform'] : ['last_hidden_state'],
        release: () => {
          session.released = true;
          return Promise.resolve();
        },
        run: async (feeds) => {
          session.feeds.push(feeds);
          await fakes.hold;
          if (fakes.runFails.has(backend)) throw new Error(`run failed on ${backend}`);
          const speed = (feeds.speed?.data as Float32Array | undefined)?.[0] ?? 0;
          fakes.runs.push(`${model}@${backend}:${speed}`);
          const data = new Float32Array(model === 'kokoro' ? 8 : 256).fill(0.1);
          const output = { getData: () => Promise.resolve(data), dispose: () => undefined };
          return model === 'kokoro' ? { waveform: output } : { last_hidden_state: output };
        },
      };
      fakes.sessions.push(session);
      return Promise.resolve(session);
    },
  };
}
