/**
 * Every onnxruntime session of the studio, in the inference worker: one per (model source,
 * model, variant, backend), opened on first use (References never loads Kokoro, Speak never
 * loads an encoder), shared by every feature that asks for the same thing, and released when
 * nothing holds it any more or when a fallback replaced it.
 *
 * Holders: each session remembers who holds it ('ui' for the worker's own Speak/preview
 * Kokoro, a client id for each connected worker). `releaseHolder(id)` (a clone worker ended, a
 * speaker worker restarted) releases the sessions no one else holds. A Kokoro on WebGPU that
 * gave bad audio mid-run is replaced by its WASM twin (`replaceKokoro`): the WebGPU session is
 * released at once and later asks for it get the WASM one.
 */
import type { ModelManifest, ModelVariant } from '../../engine/models/manifest';
import { sourceFromBase } from '../../engine/models/sources';
import { resolveVariant } from '../../engine/models/variants';
import type { ProgressCallback } from '../../engine/progress';
import type { Backend } from '../../engine/tts/types';
import type { EncoderSessionInfo, KokoroSessionInfo, SessionSourceOptions } from '../inference-protocol';
import {
  openKokoroRunner,
  openSession,
  planBackend,
  variantCacheTag,
  variantTag,
  withWasmFallback,
} from '../models/load-sessions';
import { createBrowserModelStore, type ModelStore } from '../models/model-store';
import { GE2E_EMBEDDING_DIM } from '../../engine/speaker/ge2e';
import { GE2E_ENCODER_ID, loadGe2eEncoder, type Ge2eEncoder } from '../ort/ge2e-encoder';
import type { KokoroSessionRunner } from '../ort/kokoro-runner';
import { loadedOrt, createSession } from '../ort/runtime';
import { OrtSileroModel } from '../ort/speaker-silero';
import { OrtSpeakerEncoder } from '../ort/speaker-encoder';

const VAD_KEY = 'silero:wasm';

/** The worker's own holder (Speak, the preview). */
export const UI_HOLDER = 'ui';

interface Releasable {
  release(): Promise<void>;
}

interface SessionEntry {
  value: Promise<Releasable>;
  holders: Set<string>;
}

interface Source {
  store: ModelStore;
  manifest: Promise<ModelManifest>;
}

/**
 * An open under way and everyone waiting for it: a feature that asks for a model while another
 * is loading it sees the same download's progress (not a silent "Loading…").
 */
interface SharedOpen<T> {
  value: Promise<T>;
  listeners: Set<ProgressCallback>;
  /** Resolved or failed: there is no progress left to hear, so no listener is kept. */
  settled: boolean;
}

function shareOpen<T>(
  make: (onProgress: ProgressCallback) => Promise<T>,
  first: ProgressCallback,
): SharedOpen<T> {
  const listeners = new Set([first]);
  const value = make((progress) => {
    // A listener in a worker that has gone (a comlink proxy) rejects: the others still hear.
    for (const listener of listeners) {
      try {
        void Promise.resolve(listener(progress) as unknown).catch(() => undefined);
      } catch {
        // its own failure, not the open's
      }
    }
  });
  const shared: SharedOpen<T> = { value, listeners, settled: false };
  const settle = () => {
    shared.settled = true;
    listeners.clear();
  };
  value.then(settle, settle);
  return shared;
}

export interface OpenedKokoro extends KokoroSessionInfo {
  runner: KokoroSessionRunner;
  manifest: ModelManifest;
}

export class ModelSessions {
  private readonly sources = new Map<string, Source>();
  private readonly sessions = new Map<string, SessionEntry>();
  /** What a Kokoro request (source, choice, variant) resolved to, so the next ask is instant. */
  private readonly kokoroOpens = new Map<string, SharedOpen<KokoroSessionInfo>>();
  private readonly encoderOpens = new Map<string, SharedOpen<EncoderSessionInfo>>();
  /** Clients that left (releaseHolder): an open they started and that ends later holds nothing for them. */
  private readonly departed = new Set<string>();
  /** WebGPU Kokoro keys replaced by their WASM twin after bad audio. */
  private readonly replacedBy = new Map<string, { key: string; reason: string }>();

  constructor(
    private readonly createStore = (base?: string) => createBrowserModelStore(sourceFromBase(base)),
  ) {}

  source(modelBase: string | undefined): Source {
    const base = modelBase ?? '';
    let source = this.sources.get(base);
    if (!source) {
      const store = this.createStore(modelBase);
      const manifest = store.loadManifest();
      source = { store, manifest };
      this.sources.set(base, source);
      manifest.catch(() => this.sources.delete(base)); // a failed manifest is asked again next time
    }
    return source;
  }

  /** Loads Kokoro by the one backend rule (or finds it loaded); `holder` holds it. */
  async openKokoro(
    options: SessionSourceOptions,
    holder: string,
    onProgress: ProgressCallback,
  ): Promise<OpenedKokoro> {
    let info = await this.shared(this.kokoroOpens, 'kokoro', options, onProgress, (progress) =>
      this.resolveKokoro(options, progress),
    );
    const replaced = this.replacedBy.get(info.key);
    if (replaced) info = { ...info, key: replaced.key, backend: 'wasm', fallbackReason: replaced.reason };
    const entry = this.sessions.get(info.key);
    if (!entry) {
      // Released meanwhile (its holders left): open it again.
      this.kokoroOpens.delete(requestKey('kokoro', options));
      return this.openKokoro(options, holder, onProgress);
    }
    this.hold(info.key, holder);
    const runner = (await entry.value) as KokoroSessionRunner;
    return { ...info, runner, manifest: await this.source(options.modelBase).manifest };
  }

  private async resolveKokoro(
    options: SessionSourceOptions,
    onProgress: ProgressCallback,
  ): Promise<KokoroSessionInfo> {
    const { store, manifest: manifestLoading } = this.source(options.modelBase);
    const manifest = await manifestLoading;
    const plan = await planBackend(options.backend, 'kokoro', {
      noAdapterReason: (reason) => `${reason}, so Kokoro runs on the CPU.`,
    });
    const variant = await resolveVariant(
      manifest.kokoro,
      plan.backend,
      (file) => store.isLocal(file),
      options.variant,
    );
    const loaded = await withWasmFallback(
      plan.backend,
      async (on) => {
        const key = kokoroKey(options.modelBase, variant.id, on);
        await this.kokoroSession(key, options.modelBase, variant, on, onProgress);
        return key;
      },
      (message) => `WebGPU could not start Kokoro (${message}).`,
    );
    const fallbackReason = loaded.fallbackReason ?? plan.fallbackReason;
    return {
      key: loaded.value,
      backend: loaded.backend,
      variant: variant.id,
      cacheTag: variantCacheTag('kokoro', variant),
      webgpuAvailable: plan.webgpuAvailable,
      fixture: manifest.fixture === true,
      ...(fallbackReason ? { fallbackReason } : {}),
    };
  }

  /** The Kokoro session of `key` (made once: downloaded, compiled, warmed up). */
  private kokoroSession(
    key: string,
    modelBase: string | undefined,
    variant: ModelVariant,
    backend: Backend,
    onProgress: ProgressCallback,
  ): Promise<KokoroSessionRunner> {
    return this.session(key, async () => {
      const { store } = this.source(modelBase);
      const bytes = await store.getFile(variant, onProgress);
      return openSession(bytes, backend, `Kokoro ${variant.id}`, onProgress, openKokoroRunner(variant));
    }) as Promise<KokoroSessionRunner>;
  }

  /** The runner of a Kokoro key (following a replacement); undefined when it is not open. */
  async kokoroRunner(key: string): Promise<KokoroSessionRunner | undefined> {
    const entry = this.sessions.get(this.replacedBy.get(key)?.key ?? key);
    return entry ? ((await entry.value) as KokoroSessionRunner) : undefined;
  }

  /** The WASM twin of a Kokoro key (same file), held by `holder`. */
  async openKokoroWasm(key: string, holder: string, onProgress: ProgressCallback): Promise<OpenedKokoro> {
    const parsed = parseKokoroKey(key);
    const manifest = await this.source(parsed.modelBase).manifest;
    const variant = manifest.kokoro.variants.find((v) => v.id === parsed.variant);
    if (!variant) throw new Error(`The manifest has no Kokoro variant "${parsed.variant}".`);
    const wasmKey = kokoroKey(parsed.modelBase, variant.id, 'wasm');
    const runner = await this.kokoroSession(wasmKey, parsed.modelBase, variant, 'wasm', onProgress);
    this.hold(wasmKey, holder);
    return {
      key: wasmKey,
      backend: 'wasm',
      variant: variant.id,
      cacheTag: variantCacheTag('kokoro', variant),
      webgpuAvailable: parsed.backend === 'webgpu',
      fixture: manifest.fixture === true,
      runner,
      manifest,
    };
  }

  /**
   * After bad WebGPU audio mid-run: the WASM twin takes over `key` for everyone (its holders
   * move over), and the WebGPU session is released now.
   */
  async replaceKokoro(
    key: string,
    reason: string,
    onProgress: ProgressCallback,
  ): Promise<KokoroSessionRunner> {
    const current = this.replacedBy.get(key)?.key ?? key;
    const old = this.sessions.get(current);
    const wasm = await this.openKokoroWasm(current, UI_HOLDER, onProgress);
    if (current !== wasm.key) {
      this.replacedBy.set(key, { key: wasm.key, reason });
      const entry = this.sessions.get(wasm.key);
      for (const holder of old?.holders ?? []) entry?.holders.add(holder);
      this.sessions.delete(current);
      if (old) void old.value.then((value) => value.release()).catch(() => undefined);
    }
    return wasm.runner;
  }

  /** Loads a WeSpeaker variant or GE2E by the one backend rule (or finds it loaded); `holder` holds it. */
  async openEncoder(
    options: SessionSourceOptions,
    holder: string,
    onProgress: ProgressCallback,
  ): Promise<EncoderSessionInfo> {
    const info = await this.shared(this.encoderOpens, 'encoder', options, onProgress, (progress) =>
      options.variant === GE2E_ENCODER_ID
        ? this.resolveGe2e(options, progress)
        : this.resolveWespeaker(options, progress),
    );
    const entry = this.sessions.get(info.key);
    if (!entry) {
      this.encoderOpens.delete(requestKey('encoder', options));
      return this.openEncoder(options, holder, onProgress);
    }
    this.hold(info.key, holder);
    await entry.value;
    return info;
  }

  private async resolveWespeaker(
    options: SessionSourceOptions,
    onProgress: ProgressCallback,
  ): Promise<EncoderSessionInfo> {
    const { store, manifest: manifestLoading } = this.source(options.modelBase);
    const manifest = await manifestLoading;
    const plan = await planBackend(options.backend, 'speaker-encoder', {
      noAdapterReason: (reason) => reason,
    });
    const spec = manifest.speakerEncoder;
    const variantId = options.variant ?? spec.defaultVariant[plan.backend];
    const variant = spec.variants.find((v) => v.id === variantId);
    if (!variant) throw new Error(`The manifest has no speaker-encoder variant "${variantId}".`);
    const loaded = await withWasmFallback(
      plan.backend,
      async (on) => {
        const key = `${options.modelBase ?? ''}|wespeaker:${variant.id}:${on}`;
        await this.session(key, async () => {
          const bytes = await store.getFile(variant, onProgress);
          return openSession(
            bytes,
            on,
            `Speaker encoder ${variant.id}`,
            onProgress,
            async (session, backend) =>
              new OrtSpeakerEncoder(backend, variant.id, session, loadedOrt(), spec.embeddingDim),
          );
        });
        return key;
      },
      (message) => `WebGPU could not start the encoder (${message})`,
    );
    const fallbackReason = loaded.fallbackReason ?? plan.fallbackReason;
    return {
      key: loaded.value,
      kind: 'wespeaker',
      backend: loaded.backend,
      variant: variant.id,
      cacheTag: variantCacheTag('speaker', variant),
      variantTag: variantTag(variant),
      embeddingDim: spec.embeddingDim,
      ...(fallbackReason ? { fallbackReason } : {}),
    };
  }

  private async resolveGe2e(
    options: SessionSourceOptions,
    onProgress: ProgressCallback,
  ): Promise<EncoderSessionInfo> {
    const { store, manifest: manifestLoading } = this.source(options.modelBase);
    const manifest = await manifestLoading;
    const plan = await planBackend(options.backend, 'ge2e');
    const key = `${options.modelBase ?? ''}|ge2e:wasm`;
    const ge2e = (await this.session(key, () => loadGe2eEncoder(store, manifest, onProgress))) as Ge2eEncoder;
    return {
      key,
      kind: 'ge2e',
      backend: 'wasm',
      variant: GE2E_ENCODER_ID,
      cacheTag: ge2e.cacheTag,
      variantTag: ge2e.cacheTag,
      embeddingDim: GE2E_EMBEDDING_DIM,
      ...(plan.fallbackReason ? { fallbackReason: plan.fallbackReason } : {}),
    };
  }

  async wespeaker(key: string): Promise<OrtSpeakerEncoder> {
    const entry = this.sessions.get(key);
    if (!entry || !key.includes('|wespeaker:')) throw new Error('The speaker encoder is not loaded.');
    return (await entry.value) as OrtSpeakerEncoder;
  }

  async ge2e(key: string): Promise<Ge2eEncoder> {
    const entry = this.sessions.get(key);
    if (!entry || !key.endsWith('|ge2e:wasm')) throw new Error('The GE2E encoder is not loaded.');
    return (await entry.value) as Ge2eEncoder;
  }

  /** Silero VAD v5 (shipped with the app, `url`), on WASM; `holder` holds it. */
  async openVad(url: string, holder: string): Promise<OrtSileroModel> {
    const value = this.session(VAD_KEY, async () => {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const session = await createSession(new Uint8Array(await response.arrayBuffer()), 'wasm');
      return new OrtSileroModel(session, loadedOrt());
    });
    const model = (await value) as OrtSileroModel;
    this.hold(VAD_KEY, holder);
    return model;
  }

  async vad(): Promise<OrtSileroModel> {
    const entry = this.sessions.get(VAD_KEY);
    if (!entry) throw new Error('Silero VAD is not loaded.');
    return (await entry.value) as OrtSileroModel;
  }

  /**
   * `holder` holds the session of `key`, unless it has left meanwhile (a worker ended while its
   * model was still opening): then it is not added, and a session that no one else holds is
   * released rather than kept for no one.
   */
  private hold(key: string, holder: string): void {
    const entry = this.sessions.get(key);
    if (!entry) return;
    if (!this.departed.has(holder)) {
      entry.holders.add(holder);
      return;
    }
    // Others waiting on the same open hold it in this same turn (their awaits resume together):
    // look again once they have, and release only what no one holds.
    setTimeout(() => {
      if (this.sessions.get(key) !== entry || entry.holders.size > 0) return;
      this.sessions.delete(key);
      void entry.value.then((value) => value.release()).catch(() => undefined);
    }, 0);
  }

  /** `holder` (a client connecting, or connecting again under its id) may hold sessions. */
  admit(holder: string): void {
    this.departed.delete(holder);
  }

  /** `holder` lets go of everything it held; what no one holds any more is released. */
  async releaseHolder(holder: string): Promise<void> {
    // Client ids are never reused: one that left stays gone (see hold). The UI's own holder is never released.
    if (holder !== UI_HOLDER) this.departed.add(holder);
    const released: Promise<void>[] = [];
    for (const [key, entry] of this.sessions) {
      if (!entry.holders.delete(holder) || entry.holders.size > 0) continue;
      this.sessions.delete(key);
      released.push(entry.value.then((value) => value.release()).catch(() => undefined));
    }
    await Promise.all(released);
  }

  /** Keys of the open sessions and their holders (tests, diagnostics). */
  describe(): { key: string; holders: string[] }[] {
    return [...this.sessions].map(([key, entry]) => ({ key, holders: [...entry.holders] }));
  }

  /**
   * What a request (model, source, backend choice, variant) resolves to, resolved once: a
   * second ask while it resolves joins it and hears its progress; a failure is forgotten.
   */
  private shared<T>(
    opens: Map<string, SharedOpen<T>>,
    model: 'kokoro' | 'encoder',
    options: SessionSourceOptions,
    onProgress: ProgressCallback,
    resolve: (onProgress: ProgressCallback) => Promise<T>,
  ): Promise<T> {
    const request = requestKey(model, options);
    let opening = opens.get(request);
    if (!opening) {
      opening = shareOpen(resolve, onProgress);
      opens.set(request, opening);
      opening.value.catch(() => opens.delete(request));
    } else if (!opening.settled) opening.listeners.add(onProgress);
    return opening.value;
  }

  /** The session of `key`, made once by `open`; a failure is forgotten (the next ask tries again). */
  private session(key: string, open: () => Promise<Releasable>): Promise<Releasable> {
    const existing = this.sessions.get(key);
    if (existing) return existing.value;
    const value = open();
    const entry: SessionEntry = { value, holders: new Set() };
    this.sessions.set(key, entry);
    value.catch(() => {
      if (this.sessions.get(key) === entry) this.sessions.delete(key);
    });
    return value;
  }
}

function requestKey(model: 'kokoro' | 'encoder', options: SessionSourceOptions): string {
  return JSON.stringify([model, options.modelBase ?? '', options.backend, options.variant ?? '']);
}

export function kokoroKey(modelBase: string | undefined, variant: string, backend: Backend): string {
  return `${modelBase ?? ''}|kokoro:${variant}:${backend}`;
}

function parseKokoroKey(key: string): { modelBase: string | undefined; variant: string; backend: Backend } {
  const bar = key.lastIndexOf('|');
  const [kind, variant, backend] = key.slice(bar + 1).split(':');
  if (kind !== 'kokoro' || !variant || (backend !== 'wasm' && backend !== 'webgpu'))
    throw new Error(`Not a Kokoro session: ${key}`);
  const base = key.slice(0, bar);
  return { modelBase: base === '' ? undefined : base, variant, backend };
}
