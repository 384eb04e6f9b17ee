/**
 * The clone worker: the English stock voices and the engine's CloneJob (reference -> ranking
 * -> instant estimate -> search) behind comlink. It opens no onnxruntime session: Kokoro and
 * the speaker encoder are the inference worker's shared sessions, reached over the
 * MessagePort the UI hands to `connect` (inference-protocol.ts), and every rendering and
 * embedding asks for them at 'background' priority, so Speak, the preview and the References
 * analysis go first; a paused or cancelled job takes its queued runs out of that queue.
 * A thin adapter: scheduling, pause/resume, checkpoints and the speech check are engine code
 * (src/engine/clone/job.ts); this file asks for models, tokenises text and moves data.
 */
import * as Comlink from 'comlink';
import { FBANK_MEL_BINS, FBANK_SAMPLE_RATE_HZ } from '../engine/audio/fbank';
import { checkedEmbedder, createFbankEmbedder, createKokoroRenderer } from '../engine/clone/render';
import { DEFAULT_INSTANT_TRAINING } from '../engine/clone/instant';
import {
  CloneJob,
  estimateSetupMs,
  librarySeed,
  tolerantCache,
  windowedEmbedder,
  type CloneJobEvent,
  type CloneJobSummary,
} from '../engine/clone/job';
import { DEFAULT_EARLY_EXIT_RATIO, measureRendering } from '../engine/clone/score';
import { cloneProbes, isLibraryVoice, transcriptProbeTokens } from '../engine/clone/config';
import type { Embedder, NamedPack, Probe, Renderer } from '../engine/clone/types';
import type { ModelManifest } from '../engine/models/manifest';
import { sourceFromBase } from '../engine/models/sources';
import type { Progress, ProgressCallback } from '../engine/progress';
import type { KokoroRunner } from '../engine/tts/types';
import type {
  CloneEngineStatus,
  CloneEvent,
  CloneInitOptions,
  CloneJobRequest,
  CloneJobResult,
  CloneMeasurementStore,
  CloneSpeedEstimate,
  CloneWorkerApi,
} from './clone-protocol';
import type { EncoderSessionInfo, InferencePortApi, KokoroSessionInfo } from './inference-protocol';
import type { TextFrontend } from '../engine/text';
import { loadVoicePack } from './models/voice-pack';
import { createBrowserModelStore } from './models/model-store';
import type { Dialect } from './protocol';

/** Evaluations timed by estimateSpeed (after one untimed warm-up). */
const SPEED_EVALUATIONS = 2;
/** Jobs kept for resume (paused or finished); the oldest idle one is forgotten first. */
const MAX_KEPT_JOBS = 4;
/** One measurement-cache read through comlink and the UI's IndexedDB (assumed, not timed). */
const CACHE_LOOKUP_MS = 3;

interface LoadedEngine {
  key: string;
  status: CloneEngineStatus;
  renderer: Renderer;
  /** The backend Kokoro renders on now: the renderer's cache tag follows it (kokoroFellBack). */
  kokoroBackend: { current: KokoroSessionInfo['backend'] };
  /** The encoder's part of the status' cache tag. */
  embedderTag: string;
  embedder: Embedder;
  stock: NamedPack[];
  /** Seed of the instant map's training blends: fixed per library (the same reference gets the same estimate). */
  librarySeed: number;
}

interface JobEntry {
  /** Undefined while the job's text is being prepared (pause and cancel already work then). */
  job: CloneJob | undefined;
  running: AbortController | undefined;
  /** Resolves once the UI has received every event sent so far. */
  delivered: Promise<unknown>;
}

/** Events with packs go out as transfers (the engine hands out fresh copies). */
function transferable(event: CloneJobEvent): CloneEvent {
  if (event.kind === 'instant' || event.kind === 'best') return Comlink.transfer(event, [event.pack.buffer]);
  if (event.kind === 'checkpoint' && event.saved.bestPack)
    return Comlink.transfer(event, [event.saved.bestPack.buffer]);
  return event;
}

function transferableResult(summary: CloneJobSummary): CloneJobResult {
  const buffers = [summary.best?.pack.buffer, summary.instant?.pack.buffer].filter(
    (b): b is ArrayBuffer => b instanceof ArrayBuffer,
  );
  return Comlink.transfer(summary, buffers);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Clone renderings and embeddings wait for Speak, the preview and the References analysis. */
const CLONE_PRIORITY = 'background';

/** Kokoro in the inference worker, behind the engine's KokoroRunner interface. */
function remoteKokoro(inference: Comlink.Remote<InferencePortApi>, info: KokoroSessionInfo): KokoroRunner {
  return {
    backend: info.backend,
    run: (inputIds, style, speed) =>
      inference.runKokoro(info.key, [...inputIds], style, speed, CLONE_PRIORITY),
  };
}

/** The encoder in the inference worker as the job's Embedder (WeSpeaker: fbank here, windows averaged). */
function remoteEmbedder(inference: Comlink.Remote<InferencePortApi>, info: EncoderSessionInfo): Embedder {
  const tag = `${info.cacheTag}@${info.backend}`;
  if (info.kind === 'ge2e')
    return checkedEmbedder(tag, (pcm16k) =>
      inference.embedGe2e(info.key, pcm16k, FBANK_SAMPLE_RATE_HZ, CLONE_PRIORITY),
    );
  const runner = {
    run: (data: Float32Array, frames: number) => {
      if (data.length !== frames * FBANK_MEL_BINS) throw new Error('The fbank has the wrong shape.');
      return inference.runEncoder(info.key, data, frames, CLONE_PRIORITY);
    },
  };
  return windowedEmbedder(createFbankEmbedder(runner, tag), FBANK_SAMPLE_RATE_HZ);
}

class CloneWorker implements CloneWorkerApi {
  private engine: LoadedEngine | undefined;
  private probes = new Map<Dialect, { target: Probe; self: Probe }>();
  private jobs = new Map<string, JobEntry>();
  private inference: Comlink.Remote<InferencePortApi> | undefined;
  /** Why the inference worker's Kokoro fell back to WASM, once it has (kokoroFellBack). */
  private kokoroFallback: string | undefined;

  connect(port: MessagePort): void {
    this.inference = Comlink.wrap<InferencePortApi>(port);
  }

  async init(options: CloneInitOptions, onProgress: ProgressCallback): Promise<CloneEngineStatus> {
    const key = JSON.stringify(options);
    if (this.engine?.key === key) return this.engine.status;
    if ([...this.jobs.values()].some((entry) => entry.running))
      throw new Error('Pause or cancel the running clone before changing models.');
    const inference = this.inference;
    if (!inference) throw new Error('The clone worker is not connected to the inference worker.');
    // The UI's progress callback, handed on to the inference worker as a callback of our own.
    const progress = Comlink.proxy((event: Progress) => void onProgress(event));
    const source = {
      backend: options.backend,
      ...(options.modelBase ? { modelBase: options.modelBase } : {}),
    };
    const store = createBrowserModelStore(sourceFromBase(options.modelBase));
    const manifest = await store.loadManifest();
    const kokoro = await inference.openKokoro(
      { ...source, ...(options.kokoroVariant ? { variant: options.kokoroVariant } : {}) },
      progress,
    );
    const encoder = await inference.openEncoder(
      { ...source, ...(options.encoderVariant ? { variant: options.encoderVariant } : {}) },
      progress,
    );
    const stock = await this.loadLibrary(manifest, store, onProgress);
    const fingerprints = new Map(manifest.voices.map((v) => [v.id, v.file.sha256 ?? `${v.file.bytes}b`]));
    this.jobs.clear();
    // Cache keys name the exact file and the backend that runs it (WebGPU and WASM can differ);
    // a fallback of the shared session to WASM changes the backend under a running job.
    const kokoroBackend = { current: kokoro.backend };
    const kokoroRenderer = createKokoroRenderer(remoteKokoro(inference, kokoro), kokoro.cacheTag, {
      // A bad WebGPU rendering (NaN, silence, an absurd peak) is rendered again on WASM: the
      // inference worker's WASM session of the same file, released when this worker goes.
      fallback: async () => remoteKokoro(inference, await inference.openKokoroWasm(kokoro.key, progress)),
    });
    const renderer: Renderer = {
      get variant() {
        return `${kokoro.cacheTag}@${kokoroBackend.current}`;
      },
      render: (pack, probe, signal) => kokoroRenderer.render(pack, probe, signal),
    };
    const embedder = remoteEmbedder(inference, encoder);
    // Each reason once: the encoder's "no adapter" reason is already in Kokoro's sentence.
    const fallbackReason = [kokoro.fallbackReason, encoder.fallbackReason]
      .filter(
        (reason, i, all): reason is string => !!reason && !all.slice(0, i).some((r) => r?.includes(reason)),
      )
      .join(' ');
    const status: CloneEngineStatus = {
      backend: kokoro.backend,
      kokoroVariant: kokoro.variant,
      encoderVariant: encoder.variant,
      cacheTag: `${renderer.variant}|${embedder.variant}`,
      fixture: manifest.fixture === true,
      ...(fallbackReason ? { fallbackReason } : {}),
    };
    this.engine = {
      key,
      status,
      renderer,
      kokoroBackend,
      embedderTag: embedder.variant,
      embedder,
      stock,
      librarySeed: librarySeed(stock.map(({ id }) => ({ id, fingerprint: fingerprints.get(id) ?? '' }))),
    };
    if (this.kokoroFallback) this.applyKokoroFallback(this.engine, this.kokoroFallback);
    onProgress({ kind: 'done', task: 'clone-init' });
    return this.engine.status;
  }

  private async loadLibrary(
    manifest: ModelManifest,
    store: ReturnType<typeof createBrowserModelStore>,
    onProgress: ProgressCallback,
  ): Promise<NamedPack[]> {
    const entries = manifest.voices.filter((voice) => isLibraryVoice(voice.id));
    if (entries.length < 2) throw new Error('The manifest has too few English voices to clone with.');
    return Promise.all(
      entries.map(async (entry) => ({ id: entry.id, pack: await loadVoicePack(store, entry, onProgress) })),
    );
  }

  private ready(): LoadedEngine {
    if (!this.engine) throw new Error('The clone worker is not initialised.');
    return this.engine;
  }

  /**
   * The text frontend of the inference worker, over the port: this worker loads no eSpeak and
   * no lexicons of its own (memory, and the thread budget: eSpeak runs in one worker only).
   */
  private textFrontend(): Pick<TextFrontend, 'prepare'> {
    const inference = this.inference;
    if (!inference) throw new Error('The clone worker is not connected to the inference worker.');
    return {
      // An AbortSignal cannot cross the port; the clone's texts are short and never cancelled.
      prepare: (text, dialect, { signal: _signal, ...options } = {}) =>
        inference.prepareText(text, dialect, options),
    };
  }

  private async probesFor(dialect: Dialect): Promise<{ target: Probe; self: Probe }> {
    const known = this.probes.get(dialect);
    if (known) return known;
    const probes = await cloneProbes(this.textFrontend(), dialect);
    this.probes.set(dialect, probes);
    return probes;
  }

  kokoroFellBack(reason: string): CloneEngineStatus | undefined {
    // While the engine loads, it is applied when it is ready (the shared session stays WASM).
    this.kokoroFallback = reason;
    return this.engine ? this.applyKokoroFallback(this.engine, reason) : undefined;
  }

  private applyKokoroFallback(engine: LoadedEngine, reason: string): CloneEngineStatus | undefined {
    if (engine.kokoroBackend.current === 'wasm') return undefined;
    engine.kokoroBackend.current = 'wasm';
    engine.status = {
      ...engine.status,
      backend: 'wasm',
      cacheTag: `${engine.renderer.variant}|${engine.embedderTag}`,
      fallbackReason: `Kokoro runs on WASM now: ${reason}.`,
    };
    return engine.status;
  }

  async estimateSpeed(): Promise<CloneSpeedEstimate> {
    const { renderer, embedder, stock } = this.ready();
    const probes = await this.probesFor('en-us');
    const pack = (stock[0] as NamedPack).pack;
    const timed = async (run: () => Promise<unknown>) => {
      const started = performance.now();
      await run();
      return performance.now() - started;
    };
    let targetMs = Infinity;
    let selfMs = Infinity;
    // Measured directly (no scorer, no cache): nothing is stored. The first evaluation is not
    // timed: new input shapes cost compilation (WebGPU shaders, WASM kernels) once. The fastest
    // of the timed ones counts: a rendering that waited behind Speak or the preview (the clone's
    // runs yield to them) measured the queue, not this device.
    await measureRendering(renderer, embedder, pack, probes.target, true);
    await measureRendering(renderer, embedder, pack, probes.self, false);
    for (let i = 0; i < SPEED_EVALUATIONS; i++) {
      targetMs = Math.min(
        targetMs,
        await timed(() => measureRendering(renderer, embedder, pack, probes.target, true)),
      );
      selfMs = Math.min(
        selfMs,
        await timed(() => measureRendering(renderer, embedder, pack, probes.self, false)),
      );
    }
    const msPerTargetRendering = targetMs;
    const msPerEvaluation = targetMs + selfMs;
    const counts = {
      stockCount: stock.length,
      blendCount: DEFAULT_INSTANT_TRAINING.blendCount,
      msPerCacheLookup: CACHE_LOOKUP_MS,
    };
    const setup = estimateSetupMs({ ...counts, msPerEvaluation, msPerTargetRendering });
    return {
      msPerEvaluation,
      setupMsCold: setup.cold,
      setupMsWarm: setup.warm,
      msPerTargetRendering,
      targetProbeTokens: probes.target.tokenIds.length,
      ...counts,
    };
  }

  async transcriptProbeTokens(transcript: string, dialect: Dialect): Promise<number> {
    if (!transcript.trim()) return 0;
    return (await transcriptProbeTokens(this.textFrontend(), transcript, dialect))?.length ?? 0;
  }

  async startJob(
    request: CloneJobRequest,
    onEvent: (event: CloneEvent) => void,
    store: CloneMeasurementStore,
  ): Promise<CloneJobResult> {
    const engine = this.ready();
    const { jobId } = request;
    if (this.jobs.get(jobId)?.running) throw new Error('This clone is already running.');
    // Registered before the text is prepared, so a pause or cancel right away is not lost.
    const entry: JobEntry = { job: undefined, running: new AbortController(), delivered: Promise.resolve() };
    this.jobs.set(jobId, entry);
    for (const [id, kept] of this.jobs) {
      if (this.jobs.size <= MAX_KEPT_JOBS) break;
      if (!kept.running) this.jobs.delete(id);
    }
    // Events travel on the callback's own port: the result could overtake the last ones, so
    // run() waits for the last delivery (calls on one port arrive in order) before resolving.
    const send = (event: CloneEvent) => {
      entry.delivered = Promise.resolve(onEvent(event)).catch(() => undefined);
    };
    try {
      send({ kind: 'phase', jobId, phase: 'loading', done: 0, total: 1 });
      const probes = await this.probesFor(request.dialect);
      const transcript = request.transcript?.trim()
        ? await transcriptProbeTokens(this.textFrontend(), request.transcript, request.dialect)
        : undefined;
      send({ kind: 'phase', jobId, phase: 'loading', done: 1, total: 1 });
      entry.job = new CloneJob({
        jobId,
        setup: {
          renderer: engine.renderer,
          embedder: engine.embedder,
          stock: engine.stock,
          probes,
          scorer: { weights: { ...request.weights }, earlyExitRatio: DEFAULT_EARLY_EXIT_RATIO },
          cache: tolerantCache(store),
        },
        clips: request.clips.map((clip, i) => ({
          pcm: clip.pcm,
          sampleRateHz: clip.sampleRateHz,
          ...(i === 0 && transcript ? { transcript } : {}),
        })),
        method: request.method,
        budget: request.budget,
        seed: request.seed,
        ...(request.resumeFrom ? { resumeFrom: request.resumeFrom } : {}),
        ...(request.searchStartEvaluation !== undefined
          ? { searchStartEvaluation: request.searchStartEvaluation }
          : {}),
        instant: { seed: engine.librarySeed },
        clock: {
          now: () => performance.now(),
          yieldToEvents: () => new Promise((resolve) => setTimeout(resolve, 0)),
        },
        onEvent: (event) => send(transferable(event)),
      });
    } catch (error) {
      this.jobs.delete(jobId);
      throw error;
    }
    return this.run(entry, entry.job, 0, entry.running);
  }

  private async run(
    entry: JobEntry,
    job: CloneJob,
    extraBudget: number,
    controller = new AbortController(),
  ): Promise<CloneJobResult> {
    entry.running = controller;
    // A pause or cancel also takes this worker's queued runs out of the inference worker's queue.
    const dropQueued = () => void this.inference?.cancelQueued().catch(() => undefined);
    controller.signal.addEventListener('abort', dropQueued, { once: true });
    try {
      const summary = await job.run(controller.signal, extraBudget);
      await entry.delivered;
      if (summary.outcome === 'cancelled') this.jobs.delete(job.jobId);
      return transferableResult(summary);
    } catch (error) {
      this.jobs.delete(job.jobId);
      throw new Error(`Cloning failed: ${errorText(error)}`, { cause: error });
    } finally {
      controller.signal.removeEventListener('abort', dropQueued);
      entry.running = undefined;
    }
  }

  async resume(jobId: string, extraBudget: number): Promise<CloneJobResult> {
    const entry = this.jobs.get(jobId);
    if (!entry)
      throw new Error('This clone is no longer in the worker: start it again from its last checkpoint.');
    if (entry.running || !entry.job) throw new Error('This clone is already running.');
    return this.run(entry, entry.job, Math.max(0, Math.floor(extraBudget)));
  }

  pause(jobId: string): void {
    this.jobs.get(jobId)?.running?.abort('paused');
  }

  cancel(jobId: string): void {
    const entry = this.jobs.get(jobId);
    if (entry?.running) entry.running.abort('cancelled');
    else this.jobs.delete(jobId);
  }
}

Comlink.expose(new CloneWorker());
