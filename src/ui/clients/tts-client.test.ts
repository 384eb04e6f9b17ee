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

  it('a worker whose script fails: pending calls fail with a clear message, the studio shows it, the next call starts a new worker and reconnects the others', async () => {
    const client = await import('./tts-client');
    const { studio } = await import('../store/studio-store');
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
    expect(studio.get()).toMatchObject({
      phase: 'error',
      error: expect.stringMatching(/voice engine stopped/) as unknown,
    });
    // Not at once (a script that cannot load would start worker after worker)…
    await new Promise((r) => setTimeout(r, 0));
    expect(restarts).not.toHaveBeenCalled();
    expect(SilentWorker.made).toHaveLength(1);

    // …but when something asks again (Try again): a new worker, and the connected workers reconnect to it.
    const second = client.ttsWorker();
    expect(second).not.toBe(first);
    expect(SilentWorker.made).toHaveLength(2);
    await new Promise((r) => setTimeout(r, 0));
    expect(restarts).toHaveBeenCalledTimes(1);
  });

  it('an error after the worker has answered is reported, not taken for its death', async () => {
    const client = await import('./tts-client');
    const remote = client.ttsWorker();
    const created = SilentWorker.made[0]!;
    await new Promise((r) => setTimeout(r, 0));
    // The worker answers chooseRuntime (comlink's reply to the first message).
    const request = created.posted[0] as { id: string };
    created.dispatchEvent(
      new MessageEvent('message', { data: { id: request.id, type: 'RAW', value: undefined } }),
    );
    await new Promise((r) => setTimeout(r, 0));
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    created.fail('Uncaught TypeError in a handler');
    expect(errors).toHaveBeenCalled();
    expect(created.terminated).toBe(false);
    expect(client.ttsWorker()).toBe(remote);
    errors.mockRestore();
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

  it('a worker ended on purpose (a settings change) fails its pending calls, and its load no longer speaks for the studio', async () => {
    const client = await import('./tts-client');
    const { studio } = await import('../store/studio-store');
    const firstLoad = client.initEngine();
    const pending = client.ttsWorker().listCached();
    expect(studio.get().phase).toBe('loading');

    client.restartTtsWorker();
    expect(SilentWorker.made[0]!.terminated).toBe(true);
    await expect(pending).rejects.toThrow(client.InferenceWorkerRestartedError);
    await expect(pending).rejects.toThrow(/restarted with the new settings/);
    // The new worker's load has begun; the old one's end must not turn the studio to an error.
    const secondLoad = client.initEngine();
    expect(SilentWorker.made).toHaveLength(2);
    await firstLoad;
    expect(studio.get()).toMatchObject({ phase: 'loading', error: undefined });

    // A call to the new worker is not failed by the old one's end, and a later restart ends it too.
    const onNew = client.ttsWorker().listCached();
    let settled = false;
    void onNew.catch(() => (settled = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(settled).toBe(false);
    client.restartTtsWorker();
    await expect(onNew).rejects.toThrow(client.InferenceWorkerRestartedError);
    await secondLoad;
    expect(studio.get().phase).toBe('loading');
  });
});
