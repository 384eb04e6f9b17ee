/**
 * Speak (or the preview) made the shared Kokoro session fall back from WebGPU to WASM: the
 * clone worker renders on WASM from then on, so its card must say WASM, its cache tag must
 * name WASM, and its speed must be measured again. The clone worker is a fake behind the
 * client's starter.
 */
import type * as Comlink from 'comlink';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { CloneEngineStatus, CloneWorkerApi } from '../../../workers/clone-protocol';

const WEBGPU: CloneEngineStatus = {
  backend: 'webgpu',
  kokoroVariant: 'q8',
  encoderVariant: 'ge2e',
  cacheTag: 'kokoro-q8@webgpu|ge2e@wasm',
  fixture: false,
};

describe('a WebGPU fallback reaches the Clone tab', () => {
  beforeEach(() => vi.resetModules());

  it('the card shows WASM with the reason, the cache tag names WASM, the speed is measured again', async () => {
    const client = await import('./clone-client');
    const tts = await import('../../clients/tts-client');
    const { studio } = await import('../../store/studio-store');
    const calls: string[] = [];
    const fellBack: string[] = [];
    const api: Partial<Record<keyof CloneWorkerApi, unknown>> = {
      init: () => Promise.resolve(WEBGPU),
      estimateSpeed: () => {
        calls.push(`estimateSpeed ${studio.get().cloneEngineStatus?.backend}`);
        return Promise.resolve({ msPerEvaluation: 1000, setupMsCold: 1, setupMsWarm: 1 });
      },
      kokoroFellBack: (reason: string) => {
        fellBack.push(reason);
        return Promise.resolve({
          ...WEBGPU,
          backend: 'wasm',
          cacheTag: 'kokoro-q8@wasm|ge2e@wasm',
          fallbackReason: `Kokoro runs on WASM now: ${reason}.`,
        });
      },
    };
    client.setCloneWorkerStarter(() => ({
      api: api as unknown as Comlink.Remote<CloneWorkerApi>,
      terminate: () => undefined,
    }));
    expect(await client.ensureCloneEngine()).toBe(true);
    await vi.waitFor(() => expect(studio.get().cloneSpeedPhase).toBe('ready'));
    expect(calls).toEqual(['estimateSpeed webgpu']);

    tts.noteWebGpuDropped('webgpu returned bad audio (NaN)');
    expect(fellBack).toEqual(['webgpu returned bad audio (NaN)']);
    await vi.waitFor(() => expect(calls).toHaveLength(2));
    expect(calls[1]).toBe('estimateSpeed wasm');
    expect(studio.get()).toMatchObject({
      webgpuUnreliable: true,
      backendNotice: expect.stringMatching(/WebGPU was dropped.*NaN.*now runs on WASM/) as unknown,
      cloneEngineStatus: {
        backend: 'wasm',
        cacheTag: 'kokoro-q8@wasm|ge2e@wasm',
        fallbackReason: expect.stringMatching(/WASM now/) as unknown,
      },
    });
    await vi.waitFor(() => expect(studio.get().cloneSpeedPhase).toBe('ready'));
  });
});
