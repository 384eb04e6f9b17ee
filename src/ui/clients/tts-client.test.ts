/**
 * The inference worker dying by itself (its script fails to load, an uncaught error) must not
 * leave calls waiting forever: they fail with a message, and the next call starts a new worker.
 * The Worker is a fake that never answers.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

class SilentWorker extends EventTarget {
  static made: SilentWorker[] = [];
  terminated = false;
  readonly posted: unknown[] = [];
  constructor(
    readonly url: URL,
    readonly options: WorkerOptions,
  ) {
    super();
    SilentWorker.made.push(this);
  }
  postMessage(message: unknown): void {
    this.posted.push(message);
  }
  terminate(): void {
    this.terminated = true;
  }
  fail(message: string): void {
    const event = new Event('error') as Event & { message: string };
    event.message = message;
    this.dispatchEvent(event);
  }
}

describe('the inference worker lost', () => {
  beforeEach(() => {
    vi.resetModules();
    SilentWorker.made = [];
    vi.stubGlobal('Worker', SilentWorker);
  });
  afterEach(() => vi.unstubAllGlobals());

  it('a pending call fails with a clear message; the worker is replaced on the next call, and connected workers are told', async () => {
    const client = await import('./tts-client');
    const restarts = vi.fn();
    client.onInferenceRestart(restarts);
    const first = client.ttsWorker();
    expect(SilentWorker.made).toHaveLength(1);
    const pending = first.listCached();
    let settled = false;
    void pending.catch(() => (settled = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(settled, 'no answer yet: the call waits').toBe(false);

    SilentWorker.made[0]!.fail('Failed to fetch a module script');
    await expect(pending).rejects.toThrow(client.InferenceWorkerLostError);
    await expect(pending).rejects.toThrow(/The voice engine stopped: Failed to fetch a module script/);
    expect(SilentWorker.made[0]!.terminated).toBe(true);
    expect(restarts).toHaveBeenCalledTimes(1);

    const second = client.ttsWorker();
    expect(second).not.toBe(first);
    expect(SilentWorker.made).toHaveLength(2);
  });

  it('the first message tells the worker the Kokoro backend choice (its onnxruntime build)', async () => {
    const client = await import('./tts-client');
    const { studio } = await import('../store/studio-store');
    studio.set({ backend: 'auto', webgpuUnreliable: true });
    client.ttsWorker();
    await new Promise((r) => setTimeout(r, 0));
    const first = SilentWorker.made[0]!.posted[0] as {
      type: string;
      path: string[];
      argumentList: { value: unknown }[];
    };
    expect(first.path).toEqual(['chooseRuntime']);
    expect(first.argumentList[0]!.value).toBe('wasm');
  });
});
