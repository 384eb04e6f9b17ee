/**
 * The worker's WebGPU adapter probe with a fake `navigator.gpu`: a stalled requestAdapter()
 * (SwiftShader under load) must turn into "no adapter" after WEBGPU_PROBE_TIMEOUT_MS, so the
 * worker falls back to WASM instead of leaving the page waiting.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  freeModelBytes,
  probeWebGpu,
  WEBGPU_PROBE_TIMEOUT_MS,
  type GpuLike,
  type WebGpuProbe,
} from './runtime';

const ADAPTER = { info: { architecture: 'swiftshader' } };
const NEVER = () => new Promise<unknown>(() => undefined);

/** A fake navigator.gpu whose requestAdapter() answers with `answer()` and counts its calls. */
function fakeGpu(answer: () => Promise<unknown>): GpuLike & { calls: number } {
  const gpu = {
    calls: 0,
    requestAdapter() {
      gpu.calls++;
      return answer();
    },
  };
  return gpu;
}

const CASES: { name: string; gpu: () => GpuLike | undefined; expected: WebGpuProbe }[] = [
  {
    name: 'an adapter',
    gpu: () => fakeGpu(() => Promise.resolve(ADAPTER)),
    expected: { kind: 'adapter', adapter: ADAPTER },
  },
  {
    name: 'an adapter after 3.9 s',
    gpu: () => fakeGpu(() => new Promise((resolve) => setTimeout(() => resolve(ADAPTER), 3_900))),
    expected: { kind: 'adapter', adapter: ADAPTER },
  },
  {
    name: 'no navigator.gpu',
    gpu: () => undefined,
    expected: { kind: 'absent', reason: 'this browser or device offers no WebGPU adapter' },
  },
  {
    name: 'a null adapter',
    gpu: () => fakeGpu(() => Promise.resolve(null)),
    expected: { kind: 'absent', reason: 'this browser or device offers no WebGPU adapter' },
  },
  {
    name: 'a stalled requestAdapter',
    gpu: () => fakeGpu(NEVER),
    expected: { kind: 'timed-out', reason: 'WebGPU did not answer within 4 s' },
  },
  {
    name: 'an adapter after 30 s',
    gpu: () => fakeGpu(() => new Promise((resolve) => setTimeout(() => resolve(ADAPTER), 30_000))),
    expected: { kind: 'timed-out', reason: 'WebGPU did not answer within 4 s' },
  },
  {
    name: 'a rejecting requestAdapter',
    gpu: () => fakeGpu(() => Promise.reject(new Error('GPU process crashed'))),
    expected: { kind: 'failed', reason: 'WebGPU gave no adapter (GPU process crashed)' },
  },
];

describe('probeWebGpu', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('waits 4 s', () => expect(WEBGPU_PROBE_TIMEOUT_MS).toBe(4_000));

  for (const { name, gpu, expected } of CASES) {
    it(`${name} → ${expected.kind}`, async () => {
      let result: WebGpuProbe | undefined;
      void probeWebGpu(gpu()).then((probe) => (result = probe));
      await vi.advanceTimersByTimeAsync(WEBGPU_PROBE_TIMEOUT_MS - 1);
      // Before the limit only a real answer may have arrived; a stall is still waiting.
      if (expected.kind === 'timed-out') expect(result).toBeUndefined();
      await vi.advanceTimersByTimeAsync(1);
      expect(result).toEqual(expected);
    });
  }
});

describe('webGpuProbe (per worker, through self.navigator.gpu)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    // The probe's answer is cached per module instance (one worker): start each test fresh.
    vi.resetModules();
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  const ANSWERS = [
    { name: 'a stalled probe', answer: NEVER, waitMs: WEBGPU_PROBE_TIMEOUT_MS, expected: false },
    { name: 'an adapter', answer: () => Promise.resolve(ADAPTER), waitMs: 0, expected: true },
    { name: 'a rejection', answer: () => Promise.reject(new Error('lost')), waitMs: 0, expected: false },
  ];

  for (const { name, answer, waitMs, expected } of ANSWERS) {
    it(`${name} → ${expected}, asked once however often the worker checks`, async () => {
      const gpu = fakeGpu(answer);
      vi.stubGlobal('self', { navigator: { gpu } });
      const { webGpuProbe } = await import('./runtime');
      const hasWebGpuAdapter = async () => (await webGpuProbe()).kind === 'adapter';
      const answers: boolean[] = [];
      for (let i = 0; i < 3; i++) void hasWebGpuAdapter().then((has) => answers.push(has));
      await vi.advanceTimersByTimeAsync(waitMs);
      expect(answers).toEqual([expected, expected, expected]);
      expect(await hasWebGpuAdapter()).toBe(expected);
      expect(gpu.calls).toBe(1);
    });
  }
});

/** Stands in for the throwaway probe worker: posts what the real one would (or nothing). */
class FakeProbeWorker {
  static behave: (worker: FakeProbeWorker) => void = () => undefined;
  static created: FakeProbeWorker[] = [];
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onerror: ((event: { preventDefault(): void }) => void) | null = null;
  terminated = false;
  /** True when its error was handled (not passed up as the inference worker's own). */
  errorHandled = false;
  constructor(readonly url: string) {
    FakeProbeWorker.created.push(this);
    setTimeout(() => FakeProbeWorker.behave(this), 10);
  }
  terminate() {
    this.terminated = true;
  }
}

const FACTS = { info: { isFallbackAdapter: true, architecture: 'swiftshader' } };

const OWN_WORKER_CASES: {
  name: string;
  behave: (worker: FakeProbeWorker) => void;
  expected: WebGpuProbe;
  askedHere: number;
}[] = [
  {
    name: 'it posts the adapter facts',
    behave: (w) => w.onmessage?.({ data: { kind: 'adapter', adapter: FACTS } }),
    expected: { kind: 'adapter', adapter: FACTS },
    askedHere: 0,
  },
  {
    name: 'it posts that there is none',
    behave: (w) => w.onmessage?.({ data: { kind: 'absent' } }),
    expected: { kind: 'absent', reason: 'this browser or device offers no WebGPU adapter' },
    askedHere: 0,
  },
  {
    name: 'it posts a failure',
    behave: (w) => w.onmessage?.({ data: { kind: 'failed', message: 'device lost' } }),
    expected: { kind: 'failed', reason: 'WebGPU gave no adapter (device lost)' },
    askedHere: 0,
  },
  {
    name: 'its thread is blocked (it never posts)',
    behave: () => undefined,
    expected: { kind: 'timed-out', reason: 'WebGPU did not answer within 4 s' },
    askedHere: 0,
  },
  {
    name: 'it cannot start (asked here after all)',
    behave: (w) => w.onerror?.({ preventDefault: () => (w.errorHandled = true) }),
    expected: { kind: 'adapter', adapter: ADAPTER },
    askedHere: 1,
  },
];

describe('webGpuProbe asks from a worker of its own', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.resetModules();
    FakeProbeWorker.created = [];
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  for (const { name, behave, expected, askedHere } of OWN_WORKER_CASES) {
    it(`when ${name}: ${expected.kind}, and the probe worker is ended`, async () => {
      const gpu = fakeGpu(() => Promise.resolve(ADAPTER));
      vi.stubGlobal('self', { navigator: { gpu } });
      vi.stubGlobal('Worker', FakeProbeWorker);
      FakeProbeWorker.behave = behave;
      const { webGpuProbe } = await import('./runtime');
      let result: WebGpuProbe | undefined;
      void webGpuProbe().then((probe) => (result = probe));
      await vi.advanceTimersByTimeAsync(WEBGPU_PROBE_TIMEOUT_MS);
      expect(result).toEqual(expected);
      expect(gpu.calls, 'requestAdapter() calls in the asking thread').toBe(askedHere);
      expect(FakeProbeWorker.created).toHaveLength(1);
      expect(FakeProbeWorker.created[0]!.url).toMatch(/^blob:/);
      expect(FakeProbeWorker.created[0]!.terminated).toBe(true);
      if (askedHere) expect(FakeProbeWorker.created[0]!.errorHandled).toBe(true);
    });
  }
});

/** A stand-in for one onnxruntime-web build: records the sessions created through it. */
function fakeOrtBuild(name: string) {
  return {
    name,
    env: { wasm: { numThreads: 0 }, logLevel: 'warning' },
    created: [] as string[],
    InferenceSession: {
      create(_bytes: Uint8Array, options: { executionProviders: string[] }) {
        this.owner.created.push(options.executionProviders.join(','));
        return Promise.resolve({ build: name });
      },
      owner: undefined as unknown as { created: string[] },
    },
  };
}

describe('one onnxruntime build per worker', () => {
  let webgpuBuild: ReturnType<typeof fakeOrtBuild>;
  let wasmBuild: ReturnType<typeof fakeOrtBuild>;
  beforeEach(() => {
    vi.resetModules();
    webgpuBuild = fakeOrtBuild('webgpu');
    webgpuBuild.InferenceSession.owner = webgpuBuild;
    wasmBuild = fakeOrtBuild('wasm');
    wasmBuild.InferenceSession.owner = wasmBuild;
    vi.doMock('onnxruntime-web', () => webgpuBuild);
    vi.doMock('onnxruntime-web/wasm', () => wasmBuild);
    vi.stubGlobal('self', { navigator: { hardwareConcurrency: 4 }, crossOriginIsolated: true });
  });
  afterEach(() => {
    vi.doUnmock('onnxruntime-web');
    vi.doUnmock('onnxruntime-web/wasm');
    vi.unstubAllGlobals();
  });

  it('Kokoro on WASM: the WASM-only build, threaded by the budget; a WebGPU session is refused, and the choice holds', async () => {
    const runtime = await import('./runtime');
    expect(runtime.ortBuild()).toBeUndefined();
    expect(() => runtime.loadedOrt()).toThrow(/not loaded/);
    await runtime.chooseOrtBuild(Promise.resolve(false));
    expect(runtime.ortBuild()).toBe('wasm');
    expect((runtime.loadedOrt() as unknown as { name: string }).name).toBe('wasm');
    expect(wasmBuild.env.wasm.numThreads).toBe(3);
    await runtime.createSession(new Uint8Array(1), 'wasm');
    await expect(runtime.createSession(new Uint8Array(1), 'webgpu')).rejects.toThrow(
      runtime.WASM_ONLY_BUILD_REASON,
    );
    await runtime.chooseOrtBuild(true); // told again: nothing changes, one build per worker
    expect(runtime.ortBuild()).toBe('wasm');
    expect(wasmBuild.created).toEqual(['wasm']);
    expect(webgpuBuild.created).toEqual([]);
  });

  it('Kokoro on WebGPU: the WebGPU build serves both backends', async () => {
    const runtime = await import('./runtime');
    await runtime.chooseOrtBuild(Promise.resolve(true));
    await runtime.createSession(new Uint8Array(1), 'webgpu');
    await runtime.createSession(new Uint8Array(1), 'wasm');
    expect(runtime.ortBuild()).toBe('webgpu');
    expect(webgpuBuild.created).toEqual(['webgpu', 'wasm']);
    expect(wasmBuild.created).toEqual([]);
  });

  it('no choice told: the first session loads the WebGPU build', async () => {
    const runtime = await import('./runtime');
    await runtime.createSession(new Uint8Array(1), 'wasm');
    expect(runtime.ortBuild()).toBe('webgpu');
  });

  it('a plan that failed: the WebGPU build (it serves every backend)', async () => {
    const runtime = await import('./runtime');
    await runtime.chooseOrtBuild(Promise.reject(new Error('probe broke')));
    expect(runtime.ortBuild()).toBe('webgpu');
    expect(wasmBuild.created).toEqual([]);
  });

  it('a build that failed to load is loaded again, the same one, by the next session', async () => {
    let failures = 1;
    vi.doMock('onnxruntime-web/wasm', () => {
      if (failures-- > 0) throw new Error('network error');
      return wasmBuild;
    });
    const runtime = await import('./runtime');
    await expect(runtime.chooseOrtBuild(false)).rejects.toThrow();
    expect(runtime.ortBuild()).toBeUndefined();
    vi.resetModules(); // the failed dynamic import is not cached as failed by the next attempt
    await runtime.createSession(new Uint8Array(1), 'wasm');
    expect(runtime.ortBuild()).toBe('wasm');
  });
});

describe('freeModelBytes', () => {
  /** Bytes whose buffer records its transfer() calls (Node 20 has no ArrayBuffer.transfer). */
  function ownedBytes(detached = false) {
    const bytes = new Uint8Array(new ArrayBuffer(16));
    const calls: (number | undefined)[] = [];
    Object.defineProperty(bytes.buffer, 'transfer', {
      value: (length?: number) => {
        calls.push(length);
        return new ArrayBuffer(length ?? 0);
      },
    });
    Object.defineProperty(bytes.buffer, 'detached', { value: detached });
    return { bytes, calls };
  }

  it('detaches the buffer to nothing, so its memory is returned at once', () => {
    const { bytes, calls } = ownedBytes();
    freeModelBytes(bytes);
    expect(calls).toEqual([0]);
  });

  it('leaves a buffer that is detached already', () => {
    const { bytes, calls } = ownedBytes(true);
    freeModelBytes(bytes);
    expect(calls).toEqual([]);
  });

  it('leaves the bytes to the collector where the runtime has no transfer()', () => {
    const bytes = new Uint8Array([1, 2, 3]);
    const transfer = (bytes.buffer as { transfer?: unknown }).transfer;
    if (transfer !== undefined) return expect(typeof transfer).toBe('function'); // a newer Node: covered above
    expect(() => freeModelBytes(bytes)).not.toThrow();
    expect([...bytes]).toEqual([1, 2, 3]);
  });
});
