/// <reference types="vite/client" />
/**
 * The inference worker's session registry and port service with onnxruntime's session creation
 * and the WebGPU probe replaced by fakes: one session per (source, model, variant, backend)
 * whoever asks, nothing loaded that was not asked for, sessions released when no holder is
 * left, a WebGPU Kokoro replaced by its WASM twin released at once, and clone runs served after
 * interactive ones and cancelled by client.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ModelFile } from '../../engine/models/manifest';
import type { ModelStore } from '../models/model-store';
import { resetFakeOrt } from '../../test-support/fake-ort-runtime';
import { minimalManifest } from '../../test-support/minimal-manifest';
import { ModelSessions, UI_HOLDER } from './model-sessions';
import { InferencePortService } from './port-service';

const fakes = await vi.hoisted(async () =>
  (await import('../../test-support/fake-ort-runtime')).createFakeOrt(),
);

vi.mock('@ricky0123/vad-web/dist/silero_vad_v5.onnx?url', () => ({ default: 'silero.onnx' }));
vi.mock('../ort/runtime', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../ort/runtime')>()),
  ...(await import('../../test-support/fake-ort-runtime')).fakeRuntime(fakes),
}));

const KOKORO_FILE: ModelFile = { path: 'kokoro/model.onnx', url: 'https://example.test/k.onnx', bytes: 3 };
const SPEAKER_FILE: ModelFile = { path: 'speaker/model.onnx', url: 'https://example.test/s.onnx', bytes: 3 };

function fakeStore(): ModelStore {
  return {
    source: { kind: 'hub' },
    loadManifest: () => Promise.resolve(minimalManifest(KOKORO_FILE, SPEAKER_FILE)),
    getFile: (file: ModelFile) =>
      Promise.resolve(new Uint8Array([file.path.startsWith('kokoro') ? 1 : 2, 0, 0])),
    isLocal: () => Promise.resolve(true),
  } as unknown as ModelStore;
}

const noProgress = () => undefined;
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

beforeEach(() => resetFakeOrt(fakes));

describe('ModelSessions', () => {
  it('Speak and Clone asking for the same Kokoro share one session', async () => {
    const sessions = new ModelSessions(fakeStore);
    const speak = await sessions.openKokoro({ backend: 'auto' }, UI_HOLDER, noProgress);
    const clone = await sessions.openKokoro({ backend: 'auto' }, 'clone-1', noProgress);
    expect(clone.runner).toBe(speak.runner);
    expect(clone.key).toBe(speak.key);
    expect(fakes.sessions.filter((s) => s.model === 'kokoro')).toHaveLength(1);
    expect(sessions.describe()).toEqual([{ key: speak.key, holders: [UI_HOLDER, 'clone-1'] }]);
  });

  it('References and Clone share one encoder session; an encoder never loads Kokoro and Kokoro never loads an encoder', async () => {
    const sessions = new ModelSessions(fakeStore);
    const references = await sessions.openEncoder({ backend: 'auto' }, 'speaker-1', noProgress);
    expect(fakes.sessions.map((s) => s.model)).toEqual(['speaker']);
    const clone = await sessions.openEncoder({ backend: 'auto' }, 'clone-1', noProgress);
    expect(clone.key).toBe(references.key);
    expect(references.backend).toBe('wasm'); // the one rule: encoders run on WASM under 'auto'
    expect(fakes.sessions.map((s) => s.model)).toEqual(['speaker']);
    await sessions.openKokoro({ backend: 'wasm' }, UI_HOLDER, noProgress);
    expect(fakes.sessions.map((s) => s.model)).toEqual(['speaker', 'kokoro']);
  });

  it('auto on a software adapter runs Kokoro on WASM for every feature', async () => {
    fakes.probe = { kind: 'adapter', adapter: { info: { architecture: 'swiftshader' } } };
    const sessions = new ModelSessions(fakeStore);
    const speak = await sessions.openKokoro({ backend: 'auto' }, UI_HOLDER, noProgress);
    expect(speak.backend).toBe('wasm');
    expect(speak.fallbackReason).toMatch(/software renderer/);
    expect(fakes.sessions.map((s) => s.backend)).toEqual(['wasm']);
  });

  it('a session is released when its last holder lets go, not before', async () => {
    const sessions = new ModelSessions(fakeStore);
    await sessions.openKokoro({ backend: 'wasm' }, UI_HOLDER, noProgress);
    await sessions.openKokoro({ backend: 'wasm' }, 'clone-1', noProgress);
    await sessions.openEncoder({ backend: 'wasm' }, 'clone-1', noProgress);
    await sessions.releaseHolder('clone-1');
    const [kokoro, encoder] = fakes.sessions;
    expect(kokoro!.released).toBe(false); // Speak still holds it
    expect(encoder!.released).toBe(true); // only the clone held it
    expect(sessions.describe().map((d) => d.holders)).toEqual([[UI_HOLDER]]);
    // Asked for again: opened again.
    await sessions.openEncoder({ backend: 'wasm' }, 'speaker-2', noProgress);
    expect(fakes.sessions.filter((s) => s.model === 'speaker')).toHaveLength(2);
  });

  it('a WebGPU session that cannot start leaves only the WASM one behind', async () => {
    fakes.createFails.set('webgpu', 'create failed on webgpu');
    const sessions = new ModelSessions(fakeStore);
    const speak = await sessions.openKokoro({ backend: 'webgpu' }, UI_HOLDER, noProgress);
    expect(speak.backend).toBe('wasm');
    expect(speak.fallbackReason).toBe('WebGPU could not start Kokoro (create failed on webgpu).');
    expect(sessions.describe().map((d) => d.key)).toEqual([speak.key]);
  });

  it('a WebGPU Kokoro replaced by WASM after bad audio is released, and every feature moves to WASM', async () => {
    const sessions = new ModelSessions(fakeStore);
    const speak = await sessions.openKokoro({ backend: 'webgpu' }, UI_HOLDER, noProgress);
    await sessions.openKokoro({ backend: 'webgpu' }, 'clone-1', noProgress);
    expect(speak.backend).toBe('webgpu');
    const wasm = await sessions.replaceKokoro(speak.key, 'NaN on WebGPU', noProgress);
    const gpuSession = fakes.sessions.find((s) => s.backend === 'webgpu')!;
    await settle();
    expect(gpuSession.released).toBe(true);
    expect(wasm.backend).toBe('wasm');
    expect(await sessions.kokoroRunner(speak.key)).toBe(wasm); // the clone's key now reaches WASM
    // A clone still naming the WebGPU key is served by the WASM twin.
    const clone = new InferencePortService(sessions, 'clone-1');
    fakes.runs.length = 0;
    await clone.runKokoro(speak.key, [0, 5, 0], new Float32Array(256), 3, 'background');
    expect(fakes.runs).toEqual(['kokoro@wasm:3']);
    const again = await sessions.openKokoro({ backend: 'webgpu' }, 'clone-2', noProgress);
    expect(again).toMatchObject({ backend: 'wasm', fallbackReason: 'NaN on WebGPU' });
    expect(again.runner).toBe(wasm);
    expect(sessions.describe()).toEqual([{ key: again.key, holders: [UI_HOLDER, 'clone-1', 'clone-2'] }]);
  });

  it('a client that leaves while its model is still opening holds nothing: the session is released, not kept for no one', async () => {
    const sessions = new ModelSessions(fakeStore);
    const opening = sessions.openKokoro({ backend: 'wasm' }, 'clone-1', noProgress);
    await sessions.releaseHolder('clone-1'); // the clone worker ended before Kokoro was ready
    await opening;
    await settle();
    expect(sessions.describe()).toEqual([]);
    expect(fakes.sessions.map((s) => s.released)).toEqual([true]);
    // Another client's session is not touched by a leaver's late open.
    await sessions.openKokoro({ backend: 'wasm' }, UI_HOLDER, noProgress);
    const late = sessions.openKokoro({ backend: 'wasm' }, 'clone-2', noProgress);
    await sessions.releaseHolder('clone-2');
    await late;
    expect(sessions.describe()).toEqual([
      { key: expect.stringContaining('kokoro') as unknown, holders: [UI_HOLDER] },
    ]);
    // A leaver and a live client waiting on one open: the live one keeps the session.
    const sharedSessions = new ModelSessions(fakeStore);
    const createdBefore = fakes.sessions.length;
    const leaving = sharedSessions.openEncoder({ backend: 'wasm' }, 'speaker-9', noProgress);
    const staying = sharedSessions.openEncoder({ backend: 'wasm' }, 'clone-9', noProgress);
    await sharedSessions.releaseHolder('speaker-9');
    await Promise.all([leaving, staying]);
    await settle();
    expect(fakes.sessions.length - createdBefore, 'one encoder session, opened once').toBe(1);
    expect(fakes.sessions.at(-1)!.released).toBe(false);
    expect(sharedSessions.describe()).toEqual([
      { key: expect.stringContaining('wespeaker') as unknown, holders: ['clone-9'] },
    ]);
    // Connected again under its id (admit): it holds what it opens.
    sessions.admit('clone-2');
    await sessions.openKokoro({ backend: 'wasm' }, 'clone-2', noProgress);
    expect(sessions.describe()[0]!.holders).toEqual([UI_HOLDER, 'clone-2']);
  });

  it("the clone's WASM re-rendering session goes with the clone, the WebGPU one stays for Speak", async () => {
    const sessions = new ModelSessions(fakeStore);
    const speak = await sessions.openKokoro({ backend: 'webgpu' }, UI_HOLDER, noProgress);
    await sessions.openKokoro({ backend: 'webgpu' }, 'clone-1', noProgress);
    const fallback = await sessions.openKokoroWasm(speak.key, 'clone-1', noProgress);
    expect(fallback.backend).toBe('wasm');
    await sessions.releaseHolder('clone-1');
    const [gpu, cpu] = fakes.sessions;
    expect(gpu!.released).toBe(false);
    expect(cpu!.released).toBe(true);
  });
});

describe('InferencePortService', () => {
  it("prepares a clone's text with the inference worker's frontend, passing the chunking and token cap", async () => {
    const asked: unknown[] = [];
    const frontend = () => ({
      prepare: (text: string, dialect: string, options?: unknown) => {
        asked.push([text, dialect, options]);
        return Promise.resolve({
          chunks: [{ start: 0, end: text.length, text, phonemes: 'hˈɛloʊ', tokenIds: [50, 83] }],
          unspeakable: [],
          droppedSymbols: [],
          timings: { normaliseMs: 0, phonemizeMs: 0, tokenizeMs: 0 },
        });
      },
    });
    const clone = new InferencePortService(new ModelSessions(fakeStore), 'clone-1', frontend);
    const prepared = await clone.prepareText('Hello.', 'en-us', { chunking: 'sentence', maxTokens: 120 });
    expect(prepared.chunks[0]!.tokenIds).toEqual([50, 83]);
    await clone.prepareText('Hi.', 'en-gb', {});
    expect(asked).toEqual([
      ['Hello.', 'en-us', { chunking: 'sentence', maxTokens: 120 }],
      ['Hi.', 'en-gb', {}],
    ]);
    const without = new InferencePortService(new ModelSessions(fakeStore), 'speaker-1');
    await expect(without.prepareText('Hi.', 'en-us', {})).rejects.toThrow(/no text frontend/);
  });

  it("serves a clone's queued renders after Speak's, and cancels only that client's queue", async () => {
    const sessions = new ModelSessions(fakeStore);
    const speak = await sessions.openKokoro({ backend: 'wasm' }, UI_HOLDER, noProgress);
    const clone = new InferencePortService(sessions, 'clone-1');
    const info = await clone.openKokoro({ backend: 'wasm' }, noProgress);
    const style = new Float32Array(256);
    fakes.runs.length = 0; // the warm-up run
    let open: () => void = () => undefined;
    fakes.hold = new Promise((resolve) => (open = resolve));
    // speed tags the run: clone renders 1..3 (background), Speak's 9 (interactive) comes last.
    const cloneRuns = [1, 2, 3].map((tag) => clone.runKokoro(info.key, [0, 5, 0], style, tag, 'background'));
    await settle();
    const speakRun = speak.runner.run([0, 5, 0], style, 9);
    open();
    fakes.hold = undefined;
    await Promise.all([...cloneRuns, speakRun]);
    expect(fakes.runs).toEqual(['kokoro@wasm:1', 'kokoro@wasm:9', 'kokoro@wasm:2', 'kokoro@wasm:3']);

    fakes.runs.length = 0;
    fakes.hold = new Promise((resolve) => (open = resolve));
    const running = clone.runKokoro(info.key, [0, 5, 0], style, 1, 'background');
    const queued = [2, 3].map((tag) => clone.runKokoro(info.key, [0, 5, 0], style, tag, 'background'));
    await settle();
    const other = new InferencePortService(sessions, 'speaker-1');
    const otherRun = speak.runner.run([0, 5, 0], style, 7, { owner: other.clientId, priority: 'background' });
    await settle();
    expect(clone.cancelQueued()).toBe(2);
    for (const p of queued) await expect(p).rejects.toMatchObject({ name: 'AbortError' });
    open();
    fakes.hold = undefined;
    await running; // a running run is never cut off
    await otherRun;
    expect(fakes.runs).toEqual(['kokoro@wasm:1', 'kokoro@wasm:7']);
  });
});

describe('progress of a shared open', () => {
  it('a feature that asks for a model another is loading sees the same download progress, and a listener that fails stops no one', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const store = (): ModelStore =>
      ({
        ...fakeStore(),
        getFile: async (file: ModelFile, onProgress: (p: unknown) => void) => {
          onProgress({ kind: 'download', file: file.path, loaded: 1, total: 3 });
          await gate;
          onProgress({ kind: 'download', file: file.path, loaded: 3, total: 3 });
          return new Uint8Array([file.path.startsWith('kokoro') ? 1 : 2, 0, 0]);
        },
      }) as unknown as ModelStore;
    const sessions = new ModelSessions(store);
    const speak: unknown[] = [];
    const clone: unknown[] = [];
    const speakOpen = sessions.openKokoro({ backend: 'auto' }, UI_HOLDER, () => {
      speak.push('event');
      throw new Error('a proxy to a worker that has gone');
    });
    await settle();
    const cloneOpen = sessions.openKokoro({ backend: 'auto' }, 'clone-1', (p) => clone.push(p));
    await settle();
    release();
    const [a, b] = await Promise.all([speakOpen, cloneOpen]);
    expect(b.runner).toBe(a.runner);
    expect(clone).toContainEqual(expect.objectContaining({ kind: 'download', loaded: 3, total: 3 }));
    expect(speak.length).toBeGreaterThan(clone.length); // Speak heard the start, Clone joined later
    // The same for an encoder that References is loading when Clone asks.
    const encoderEvents: unknown[] = [];
    const references = sessions.openEncoder({ backend: 'auto' }, 'speaker-1', noProgress);
    const cloneEncoder = sessions.openEncoder({ backend: 'auto' }, 'clone-1', (p) => encoderEvents.push(p));
    await Promise.all([references, cloneEncoder]);
    expect(encoderEvents).toContainEqual(expect.objectContaining({ kind: 'download', loaded: 3 }));
    // Once open, later asks find it at once and their callbacks are not kept (each is a proxy
    // to another worker's port): a third open gets no event and leaves nothing behind.
    const late: unknown[] = [];
    await sessions.openKokoro({ backend: 'auto' }, 'clone-2', (p) => late.push(p));
    expect(late).toEqual([]);
    const kept = (sessions as unknown as { kokoroOpens: Map<string, { listeners: Set<unknown> }> })
      .kokoroOpens;
    expect([...kept.values()].every((open) => open.listeners.size === 0)).toBe(true);
  });
});
