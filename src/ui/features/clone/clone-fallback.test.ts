/**
 * Speak (or the preview) made the shared Kokoro session fall back from WebGPU to WASM: the
 * clone worker renders on WASM from then on, so its card must say WASM, its cache tag must
 * name WASM, and its speed must be measured again. The clone worker is a fake behind the
 * client's starter.
 */
import type * as Comlink from 'comlink';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { CloneEngineStatus, CloneWorkerApi } from '../../../workers/clone-protocol';
import type { CloneJobView } from '../../store/slices/clone';

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

  it('while a job runs, the speed is not measured beside it but before the next job', async () => {
    const client = await import('./clone-client');
    const tts = await import('../../clients/tts-client');
    const { studio } = await import('../../store/studio-store');
    // WebGPU chosen by the user: the engine's key stays (under 'auto' the next load restarts the worker on WASM).
    studio.set({ backend: 'webgpu' });
    let estimates = 0;
    const api: Partial<Record<keyof CloneWorkerApi, unknown>> = {
      init: () => Promise.resolve(WEBGPU),
      estimateSpeed: () => {
        estimates++;
        return Promise.resolve({ msPerEvaluation: 1000, setupMsCold: 1, setupMsWarm: 1 });
      },
      kokoroFellBack: () =>
        Promise.resolve({ ...WEBGPU, backend: 'wasm', cacheTag: 'kokoro-q8@wasm|ge2e@wasm' }),
    };
    client.setCloneWorkerStarter(() => ({
      api: api as unknown as Comlink.Remote<CloneWorkerApi>,
      terminate: () => undefined,
    }));
    expect(await client.ensureCloneEngine()).toBe(true);
    await vi.waitFor(() => expect(studio.get().cloneSpeedPhase).toBe('ready'));
    expect(estimates).toBe(1);
    studio.set({ cloneJob: { state: 'running' } as CloneJobView });

    tts.noteWebGpuDropped('webgpu returned bad audio (NaN)');
    await vi.waitFor(() => expect(studio.get().cloneEngineStatus?.backend).toBe('wasm'));
    await new Promise((r) => setTimeout(r, 20));
    expect(estimates, 'not beside the running job').toBe(1);

    studio.set({ cloneJob: { state: 'done' } as CloneJobView });
    expect(await client.ensureCloneEngine()).toBe(true); // the next job (or a visit) asks for the engine
    await vi.waitFor(() => expect(estimates).toBe(2));
  });
});
