/**
 * The studio's model loading (the inference worker's ModelSessions over load-sessions.ts), with
 * the WebGPU probe and onnxruntime's session creation replaced by fakes: which backend is
 * planned, when WASM takes over, and the exact fallback wordings (the UI and e2e show them as
 * they are).
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ModelVariant, VoiceEntry } from '../../engine/models/manifest';
import type { Progress } from '../../engine/progress';
import type { Backend } from '../../engine/tts/types';
import type { WebGpuProbe } from '../ort/runtime';
import type { BackendChoice } from '../protocol';
import { resetFakeOrt } from '../../test-support/fake-ort-runtime';
import { minimalManifest } from '../../test-support/minimal-manifest';
import { ModelSessions, UI_HOLDER } from '../inference/model-sessions';
import {
  loadVoicePack,
  planBackend,
  type ModelKind,
  variantCacheTag,
  variantTag,
  type PlanOptions,
} from './load-sessions';
import type { ModelStore } from './model-store';

const fakes = await vi.hoisted(async () =>
  (await import('../../test-support/fake-ort-runtime')).createFakeOrt(),
);

vi.mock('../ort/runtime', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../ort/runtime')>()),
  ...(await import('../../test-support/fake-ort-runtime')).fakeRuntime(fakes),
}));

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

const KOKORO_FILE = { path: 'kokoro/model.onnx', url: 'https://example.test/k.onnx', bytes: 3 };
const SPEAKER_FILE = { path: 'speaker/model.onnx', url: 'https://example.test/s.onnx', bytes: 3 };

/** The inference worker's registry over a store that hands out each file (first byte: 1 Kokoro, 2 encoder) and counts reads. */
function modelSessions() {
  const reads: string[] = [];
  const store = {
    source: { kind: 'hub' },
    loadManifest: () => Promise.resolve(minimalManifest(KOKORO_FILE, SPEAKER_FILE)),
    isLocal: () => Promise.resolve(true),
    getFile: (file: { path: string }, onProgress?: (p: Progress) => void) => {
      reads.push(file.path);
      onProgress?.({ kind: 'download', file: file.path, loadedBytes: 3, totalBytes: 3, fromCache: true });
      return Promise.resolve(new Uint8Array([file.path.startsWith('kokoro') ? 1 : 2, 0, 0]));
    },
  } as unknown as ModelStore;
  return { sessions: new ModelSessions(() => store), reads };
}

const LOAD_CASES: {
  name: string;
  model: 'kokoro' | 'encoder';
  backend: Backend;
  createFails?: Backend[];
  runFails?: Backend[];
  expected: { backend: Backend; fallbackReason?: string; compiled: string[]; released: Backend[] };
}[] = [
  {
    name: 'Kokoro on WASM as asked',
    model: 'kokoro',
    backend: 'wasm',
    expected: { backend: 'wasm', compiled: ['Kokoro q8 on wasm'], released: [] },
  },
  {
    name: 'Kokoro on WebGPU as asked',
    model: 'kokoro',
    backend: 'webgpu',
    expected: { backend: 'webgpu', compiled: ['Kokoro q8 on webgpu'], released: [] },
  },
  {
    name: "WebGPU cannot create Kokoro's session",
    model: 'kokoro',
    backend: 'webgpu',
    createFails: ['webgpu'],
    expected: {
      backend: 'wasm',
      fallbackReason: 'WebGPU could not start Kokoro (create failed on webgpu).',
      compiled: ['Kokoro q8 on webgpu', 'Kokoro q8 on wasm'],
      released: [],
    },
  },
  {
    name: "Kokoro's warm-up fails on WebGPU: that session is released",
    model: 'kokoro',
    backend: 'webgpu',
    runFails: ['webgpu'],
    expected: {
      backend: 'wasm',
      fallbackReason: 'WebGPU could not start Kokoro (run failed on webgpu).',
      compiled: ['Kokoro q8 on webgpu', 'Kokoro q8 on wasm'],
      released: ['webgpu'],
    },
  },
  {
    name: 'the speaker encoder cannot start on WebGPU',
    model: 'encoder',
    backend: 'webgpu',
    createFails: ['webgpu'],
    expected: {
      backend: 'wasm',
      fallbackReason: 'WebGPU could not start the encoder (create failed on webgpu)',
      compiled: ['Speaker encoder q8 on webgpu', 'Speaker encoder q8 on wasm'],
      released: [],
    },
  },
];

beforeEach(() => resetFakeOrt(fakes, { kind: 'absent', reason: 'no adapter here' }));

describe('planBackend', () => {
  for (const c of PLAN_CASES) {
    it(c.name, async () => {
      fakes.probe = c.probe;
      expect(await planBackend(c.choice, c.model, c.options)).toEqual(c.expected);
    });
  }
});

describe('opening a model (ModelSessions, as the inference worker does)', () => {
  beforeEach(() => (fakes.probe = ADAPTER));

  for (const c of LOAD_CASES) {
    it(c.name, async () => {
      for (const backend of c.createFails ?? [])
        fakes.createFails.set(backend, `create failed on ${backend}`);
      for (const backend of c.runFails ?? []) fakes.runFails.add(backend);
      const { sessions } = modelSessions();
      const progress: Progress[] = [];
      const loaded =
        c.model === 'kokoro'
          ? await sessions.openKokoro({ backend: c.backend }, UI_HOLDER, (p) => progress.push(p))
          : await sessions.openEncoder({ backend: c.backend }, 'speaker-1', (p) => progress.push(p));
      expect(loaded.backend).toBe(c.expected.backend);
      if ('runner' in loaded) expect(loaded.runner.backend).toBe(c.expected.backend);
      expect(loaded.fallbackReason).toBe(c.expected.fallbackReason);
      const compiled = progress.flatMap((p) => (p.kind === 'compile' ? [`${p.model} on ${p.backend}`] : []));
      expect(compiled).toEqual(c.expected.compiled);
      expect(fakes.sessions.filter((s) => s.released).map((s) => s.backend)).toEqual(c.expected.released);
    });
  }

  it('throws a WASM failure as it is, without another attempt', async () => {
    fakes.createFails.set('wasm', 'out of memory');
    const { sessions } = modelSessions();
    const progress: Progress[] = [];
    await expect(
      sessions.openKokoro({ backend: 'wasm' }, UI_HOLDER, (p) => progress.push(p)),
    ).rejects.toThrow('out of memory');
    expect(progress.filter((p) => p.kind === 'compile')).toHaveLength(1);
  });

  it('throws the WASM error when both backends fail', async () => {
    fakes.createFails.set('webgpu', 'no shader');
    fakes.createFails.set('wasm', 'not an ONNX file');
    const { sessions } = modelSessions();
    await expect(sessions.openKokoro({ backend: 'webgpu' }, UI_HOLDER, () => undefined)).rejects.toThrow(
      'not an ONNX file',
    );
  });

  it('warms a Kokoro runner up with a few tokens and a zero style', async () => {
    const { sessions, reads } = modelSessions();
    await sessions.openKokoro({ backend: 'wasm' }, UI_HOLDER, () => undefined);
    const feeds = fakes.sessions[0]!.feeds;
    expect(feeds).toHaveLength(1);
    expect(Array.from(feeds[0]!.input_ids!.data as BigInt64Array, Number)).toEqual([0, 50, 83, 156, 43, 0]);
    expect(feeds[0]!.style!.dims).toEqual([1, 256]);
    expect(reads).toEqual([KOKORO_FILE.path]);
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
