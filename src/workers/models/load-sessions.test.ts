/**
 * The shared model loading of the tts, speaker and clone workers, with the WebGPU probe and
 * onnxruntime's session creation replaced by fakes: which backend is planned, when WASM takes
 * over, and the exact fallback wordings each worker passes (the UI and e2e show them as they are).
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ModelVariant, VoiceEntry } from '../../engine/models/manifest';
import type { Progress } from '../../engine/progress';
import type { Backend } from '../../engine/tts/types';
import type { WebGpuProbe } from '../ort/runtime';
import type { BackendChoice } from '../protocol';
import {
  loadVariantSession,
  loadVoicePack,
  openKokoroRunner,
  planBackend,
  type ModelKind,
  variantCacheTag,
  variantTag,
  type PlanOptions,
  type VariantSessionWording,
} from './load-sessions';
import type { ModelStore } from './model-store';

interface FakeSession {
  backend: Backend;
  released: boolean;
  feeds: Record<string, { data: unknown; dims: number[] }>[];
  inputNames: string[];
  outputNames: string[];
  release(): Promise<void>;
  run(feeds: Record<string, { data: unknown; dims: number[] }>): Promise<Record<string, unknown>>;
}

const fakes = vi.hoisted(() => ({
  probe: { kind: 'absent', reason: 'no adapter here' } as WebGpuProbe,
  /** Backends on which session creation fails, with the error message. */
  createFails: new Map<Backend, string>(),
  /** Backends on which a run (the warm-up) fails. */
  runFails: new Set<Backend>(),
  sessions: [] as FakeSession[],
}));

vi.mock('../ort/runtime', async (importOriginal) => {
  const original = await importOriginal<typeof import('../ort/runtime')>();
  class Tensor {
    constructor(
      readonly type: string,
      readonly data: unknown,
      readonly dims: number[],
    ) {}
  }
  return {
    ...original,
    loadedOrt: () => ({ Tensor }),
    webGpuProbe: () => Promise.resolve(fakes.probe),
    createSession: (bytes: Uint8Array, backend: Backend) => {
      const failure = fakes.createFails.get(backend);
      if (failure) return Promise.reject(new Error(failure));
      const session: FakeSession = {
        backend,
        released: false,
        feeds: [],
        inputNames: ['input_ids', 'style', 'speed'],
        outputNames: ['waveform'],
        release: () => {
          session.released = true;
          return Promise.resolve();
        },
        run: (feeds) => {
          session.feeds.push(feeds);
          if (fakes.runFails.has(backend)) return Promise.reject(new Error(`run failed on ${backend}`));
          const waveform = { getData: () => Promise.resolve(new Float32Array(8)), dispose: () => undefined };
          return Promise.resolve({ waveform });
        },
      };
      fakes.sessions.push(session);
      return Promise.resolve(session);
    },
  };
});

const VARIANT: ModelVariant = {
  id: 'q8',
  label: 'Quantised',
  path: 'kokoro/model_q8.onnx',
  url: 'https://example.test/model_q8.onnx',
  bytes: 1234,
  sha256: 'abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789',
};

/** A model store that hands out `bytes` for every file and counts the reads. */
function fakeStore(bytes: Uint8Array<ArrayBuffer> = new Uint8Array([1, 2, 3])) {
  const reads: string[] = [];
  const store = {
    getFile: (file: { path: string }, onProgress?: (p: Progress) => void) => {
      reads.push(file.path);
      onProgress?.({ kind: 'download', file: file.path, loadedBytes: 3, totalBytes: 3, fromCache: true });
      return Promise.resolve(bytes);
    },
  } as unknown as ModelStore;
  return { store, reads };
}

const ADAPTER: WebGpuProbe = { kind: 'adapter', adapter: { info: { architecture: 'nvidia' } } };
const SOFTWARE_ADAPTER: WebGpuProbe = { kind: 'adapter', adapter: { info: { architecture: 'swiftshader' } } };
const NO_ADAPTER: WebGpuProbe = { kind: 'timed-out', reason: 'WebGPU did not answer within 4 s' };
const KOKORO_PLAN: PlanOptions = { noAdapterReason: (reason) => `${reason}, so Kokoro runs on the CPU.` };
const SPEAKER_PLAN: PlanOptions = { noAdapterReason: (reason) => reason };

const PLAN_CASES: {
  name: string;
  choice: BackendChoice;
  probe: WebGpuProbe;
  model?: ModelKind;
  options?: PlanOptions;
  expected: { backend: Backend; webgpuAvailable: boolean; fallbackReason?: string };
}[] = [
  {
    name: 'auto without an adapter, default wording',
    choice: 'auto',
    probe: NO_ADAPTER,
    expected: {
      backend: 'wasm',
      webgpuAvailable: false,
      fallbackReason: 'WebGPU did not answer within 4 s, so the models run on the CPU.',
    },
  },
  {
    name: 'auto without an adapter, Kokoro wording',
    choice: 'auto',
    probe: NO_ADAPTER,
    options: KOKORO_PLAN,
    expected: {
      backend: 'wasm',
      webgpuAvailable: false,
      fallbackReason: 'WebGPU did not answer within 4 s, so Kokoro runs on the CPU.',
    },
  },
  {
    name: 'webgpu without an adapter, speaker wording (the bare reason)',
    choice: 'webgpu',
    probe: NO_ADAPTER,
    options: SPEAKER_PLAN,
    expected: { backend: 'wasm', webgpuAvailable: false, fallbackReason: 'WebGPU did not answer within 4 s' },
  },
  {
    name: 'wasm with an adapter',
    choice: 'wasm',
    probe: ADAPTER,
    options: KOKORO_PLAN,
    expected: { backend: 'wasm', webgpuAvailable: true },
  },
  {
    name: 'wasm without an adapter: nothing to explain',
    choice: 'wasm',
    probe: NO_ADAPTER,
    options: KOKORO_PLAN,
    expected: { backend: 'wasm', webgpuAvailable: false },
  },
  {
    name: 'auto with a software adapter: every feature avoids it',
    choice: 'auto',
    probe: SOFTWARE_ADAPTER,
    options: KOKORO_PLAN,
    expected: {
      backend: 'wasm',
      webgpuAvailable: true,
      fallbackReason:
        'the only WebGPU adapter is a software renderer (slower than the CPU path), so the models run on WASM.',
    },
  },
  {
    name: 'webgpu with a software adapter (an explicit choice is kept)',
    choice: 'webgpu',
    probe: SOFTWARE_ADAPTER,
    expected: { backend: 'webgpu', webgpuAvailable: true },
  },
  {
    name: 'auto with a hardware adapter',
    choice: 'auto',
    probe: ADAPTER,
    expected: { backend: 'webgpu', webgpuAvailable: true },
  },
  {
    name: 'the speaker encoder under auto: WASM, even with a hardware adapter',
    choice: 'auto',
    probe: ADAPTER,
    model: 'speaker-encoder',
    expected: { backend: 'wasm', webgpuAvailable: false },
  },
  {
    name: 'the speaker encoder on webgpu with a software adapter (an explicit choice is kept)',
    choice: 'webgpu',
    probe: SOFTWARE_ADAPTER,
    model: 'speaker-encoder',
    options: SPEAKER_PLAN,
    expected: { backend: 'webgpu', webgpuAvailable: true },
  },
  {
    name: 'GE2E on webgpu: WASM, and why',
    choice: 'webgpu',
    probe: ADAPTER,
    model: 'ge2e',
    expected: {
      backend: 'wasm',
      webgpuAvailable: false,
      fallbackReason: 'GE2E runs on WASM: WebGPU has no LSTM kernels',
    },
  },
  {
    name: 'GE2E under auto: WASM, nothing to explain',
    choice: 'auto',
    probe: ADAPTER,
    model: 'ge2e',
    expected: { backend: 'wasm', webgpuAvailable: false },
  },
];

const SPEAKER_WORDING: VariantSessionWording = {
  compileName: 'Speaker encoder',
  webGpuFailure: (message) => `WebGPU could not start the encoder (${message})`,
};

const LOAD_CASES: {
  name: string;
  backend: Backend;
  label: string;
  wording?: VariantSessionWording;
  createFails?: Backend[];
  runFails?: Backend[];
  expected: { backend: Backend; fallbackReason?: string; compiled: string[]; released: Backend[] };
}[] = [
  {
    name: 'WASM as asked',
    backend: 'wasm',
    label: 'Kokoro',
    expected: { backend: 'wasm', compiled: ['Kokoro q8 on wasm'], released: [] },
  },
  {
    name: 'WebGPU as asked',
    backend: 'webgpu',
    label: 'Kokoro',
    expected: { backend: 'webgpu', compiled: ['Kokoro q8 on webgpu'], released: [] },
  },
  {
    name: 'WebGPU cannot create the session',
    backend: 'webgpu',
    label: 'Kokoro',
    createFails: ['webgpu'],
    expected: {
      backend: 'wasm',
      fallbackReason: 'WebGPU could not start Kokoro (create failed on webgpu).',
      compiled: ['Kokoro q8 on webgpu', 'Kokoro q8 on wasm'],
      released: [],
    },
  },
  {
    name: 'the warm-up fails on WebGPU: that session is released',
    backend: 'webgpu',
    label: 'the speaker encoder',
    runFails: ['webgpu'],
    expected: {
      backend: 'wasm',
      fallbackReason: 'WebGPU could not start the speaker encoder (run failed on webgpu).',
      compiled: ['the speaker encoder q8 on webgpu', 'the speaker encoder q8 on wasm'],
      released: ['webgpu'],
    },
  },
  {
    name: 'the speaker worker wording',
    backend: 'webgpu',
    label: 'the encoder',
    wording: SPEAKER_WORDING,
    createFails: ['webgpu'],
    expected: {
      backend: 'wasm',
      fallbackReason: 'WebGPU could not start the encoder (create failed on webgpu)',
      compiled: ['Speaker encoder q8 on webgpu', 'Speaker encoder q8 on wasm'],
      released: [],
    },
  },
];

beforeEach(() => {
  fakes.createFails.clear();
  fakes.runFails.clear();
  fakes.sessions.length = 0;
});

describe('planBackend', () => {
  for (const c of PLAN_CASES) {
    it(c.name, async () => {
      fakes.probe = c.probe;
      expect(await planBackend(c.choice, c.model, c.options)).toEqual(c.expected);
    });
  }
});

describe('loadVariantSession', () => {
  for (const c of LOAD_CASES) {
    it(c.name, async () => {
      for (const backend of c.createFails ?? [])
        fakes.createFails.set(backend, `create failed on ${backend}`);
      for (const backend of c.runFails ?? []) fakes.runFails.add(backend);
      const { store, reads } = fakeStore();
      const progress: Progress[] = [];
      const loaded = await loadVariantSession(
        store,
        VARIANT,
        c.backend,
        c.label,
        (p) => progress.push(p),
        openKokoroRunner(VARIANT),
        c.wording,
      );
      expect(loaded.backend).toBe(c.expected.backend);
      expect(loaded.value.backend).toBe(c.expected.backend);
      expect(loaded.fallbackReason).toBe(c.expected.fallbackReason);
      const compiled = progress.flatMap((p) => (p.kind === 'compile' ? [`${p.model} on ${p.backend}`] : []));
      expect(compiled).toEqual(c.expected.compiled);
      expect(fakes.sessions.filter((s) => s.released).map((s) => s.backend)).toEqual(c.expected.released);
      expect(reads).toEqual([VARIANT.path]); // one read for both attempts
    });
  }

  it('throws a WASM failure as it is, without another attempt', async () => {
    fakes.createFails.set('wasm', 'out of memory');
    const { store } = fakeStore();
    const progress: Progress[] = [];
    const load = loadVariantSession(
      store,
      VARIANT,
      'wasm',
      'Kokoro',
      (p) => progress.push(p),
      openKokoroRunner(VARIANT),
    );
    await expect(load).rejects.toThrow('out of memory');
    expect(progress.filter((p) => p.kind === 'compile')).toHaveLength(1);
  });

  it('throws the WASM error when both backends fail', async () => {
    fakes.createFails.set('webgpu', 'no shader');
    fakes.createFails.set('wasm', 'not an ONNX file');
    const { store } = fakeStore();
    const load = loadVariantSession(
      store,
      VARIANT,
      'webgpu',
      'Kokoro',
      () => undefined,
      openKokoroRunner(VARIANT),
    );
    await expect(load).rejects.toThrow('not an ONNX file');
  });

  it('warms a Kokoro runner up with a few tokens and a zero style', async () => {
    const { store } = fakeStore();
    await loadVariantSession(store, VARIANT, 'wasm', 'Kokoro', () => undefined, openKokoroRunner(VARIANT));
    const feeds = fakes.sessions[0]!.feeds;
    expect(feeds).toHaveLength(1);
    expect(Array.from(feeds[0]!.input_ids!.data as BigInt64Array, Number)).toEqual([0, 50, 83, 156, 43, 0]);
    expect(feeds[0]!.style!.dims).toEqual([1, 256]);
  });
});

describe('cache tags and voice packs', () => {
  const TAG_CASES: { name: string; variant: ModelVariant; tag: string }[] = [
    { name: 'with a SHA-256', variant: VARIANT, tag: 'q8-abcdef012345' },
    { name: 'without one (the size)', variant: { ...VARIANT, sha256: undefined }, tag: 'q8-1234b' },
  ];
  for (const c of TAG_CASES) {
    it(c.name, () => {
      expect(variantTag(c.variant)).toBe(c.tag);
      expect(variantCacheTag('kokoro', c.variant)).toBe(`kokoro-${c.tag}`);
    });
  }

  it('reads a voice pack from a view into a larger buffer', async () => {
    const values = new Float32Array([9, 1.5, -2, 9]);
    const view = new Uint8Array(values.buffer, 4, 8);
    const { store } = fakeStore(view);
    const entry = { id: 'af_test', file: { path: 'voices/af_test.bin' } } as VoiceEntry;
    expect(Array.from(await loadVoicePack(store, entry, () => undefined))).toEqual([1.5, -2]);
  });
});
