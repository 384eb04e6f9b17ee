/**
 * The inference worker (named tts.worker.ts for history): the one worker that owns
 * onnxruntime-web sessions, so one onnxruntime instance and one WASM thread pool serve the
 * whole studio (ort/thread-budget.ts). It speaks (Speak, the Voices preview) with its text
 * frontend, and serves the other workers' runs over MessagePorts (`connect`): the clone
 * worker's renderings and embeddings, the speaker worker's embeddings (inference/port-service.ts).
 * Sessions are shared and opened on first use (inference/model-sessions.ts); every run goes
 * through one priority scheduler (ort/session-scheduler.ts): Speak, the preview and the
 * References analysis before clone evaluations. A thin comlink adapter over src/engine.
 */
import * as Comlink from 'comlink';
import type { ModelManifest } from '../engine/models/manifest';
import { AbortedError, type ProgressCallback } from '../engine/progress';
import { synthesizeChunks } from '../engine/tts/synthesize';
import { KOKORO_SAMPLE_RATE_HZ } from '../engine/tts/types';
import { cancellableBy, type KokoroSessionRunner } from './ort/kokoro-runner';
import { describeSource, sourceFromBase } from '../engine/models/sources';
import { hasOnlySoftwareWebGpu, loadVoicePack, planBackend } from './models/load-sessions';
import { chooseOrtBuild } from './ort/runtime';
import { createBrowserModelStore, type ModelStore } from './models/model-store';
import { ModelSessions, UI_HOLDER } from './inference/model-sessions';
import { InferencePortService } from './inference/port-service';
import { sessionScheduler } from './ort/session-scheduler';
import { getTextFrontend } from './text/frontend-loader';
import { renderPreviewAudio } from '../engine/voices/preview-render';
import { builtInDirections, ENGLISH_STOCK_ID, type VoiceDirection } from '../engine/voices/directions';
import { mapVoices, type VoiceMapModel } from '../engine/voices/pca';
import { RecentCache } from '../engine/recent-cache';
import type { TextChunk } from '../engine/text';
import type {
  BackendChoice,
  CachedFile,
  Dialect,
  EngineStatus,
  PreviewPrepared,
  PreviewRenderRequest,
  PreviewRenderResult,
  StockVoicePack,
  SynthesisChunk,
  SynthesisRequest,
  SynthesisSummary,
  TextAnalysis,
  TtsInitOptions,
  TtsWorkerApi,
} from './protocol';

/** Prepared preview texts kept at once; the oldest is forgotten first. */
const MAX_PREVIEWS = 16;
/** Stock packs kept in the worker (522 kB each): the voices in use lately, not all 54. */
const STOCK_PACKS_KEPT = 8;
/**
 * Longest part (phoneme tokens) on a software WebGPU adapter (SwiftShader), used only when the
 * user picks WebGPU there ('auto' runs on WASM). One fixture-Kokoro run of ~200 tokens kept
 * SwiftShader busy ~70 s, and an ORT run cannot be interrupted: work already handed to the GPU
 * process runs on after Stop and stalls every tab that draws through it. Short parts bound
 * what a Stop leaves behind to one short run.
 */
export const SOFTWARE_GPU_MAX_TOKENS = 32;

class TtsWorker implements TtsWorkerApi {
  private readonly sessions = new ModelSessions();
  private readonly clients = new Map<string, { port: MessagePort; service: InferencePortService }>();
  private store: ModelStore | undefined;
  private manifest: ModelManifest | undefined;
  private active: KokoroSessionRunner | undefined;
  /** The session key of the active Kokoro (in `sessions`). */
  private activeKey: string | undefined;
  private status: EngineStatus | undefined;
  /**
   * Stock packs read lately (Speak's voice, the preview's): a few, not every pack ever read. The
   * voice map and the built-in directions read all 54 once (28 MB), and do not keep them.
   */
  private voices = new RecentCache<string, Promise<Float32Array>>(STOCK_PACKS_KEPT);
  private requests = new Map<number, AbortController>();
  private previews = new Map<number, TextChunk[]>();
  private nextPreviewId = 1;
  private previewRequests = new Map<number, AbortController>();
  private softwareGpu = false;
  private onFallback: ((reason: string) => void) | undefined;

  /**
   * The studio's Kokoro backend choice, told once when the worker starts (before any session):
   * onnxruntime's WASM-only build is loaded when Kokoro will run on WASM by the one rule, the
   * WebGPU build otherwise (ort/runtime.ts). A new choice restarts the worker.
   */
  chooseRuntime(choice: BackendChoice): void {
    void chooseOrtBuild(
      choice === 'wasm' ? false : planBackend(choice, 'kokoro').then((plan) => plan.backend === 'webgpu'),
    ).catch(() => undefined); // a build that failed to load fails the sessions, with its message, until one loads
  }

  async init(
    options: TtsInitOptions,
    onProgress: ProgressCallback,
    onFallback?: (reason: string) => void,
  ): Promise<EngineStatus> {
    this.onFallback = onFallback;
    const source = this.sessions.source(options.modelBase);
    this.store = source.store;
    const manifest = await source.manifest;
    this.manifest = manifest;
    // The studio's one backend rule (planBackend): 'auto' never picks a software WebGPU adapter.
    const opened = await this.sessions.openKokoro(
      {
        backend: options.backend,
        ...(options.modelBase ? { modelBase: options.modelBase } : {}),
        ...(options.variant ? { variant: options.variant } : {}),
      },
      UI_HOLDER,
      onProgress,
    );
    this.active = opened.runner;
    this.activeKey = opened.key;
    this.softwareGpu = this.active.backend === 'webgpu' && (await hasOnlySoftwareWebGpu());
    onProgress({ kind: 'done', task: 'init' });
    this.status = {
      backend: this.active.backend,
      variant: this.active.variant,
      webgpuAvailable: opened.webgpuAvailable,
      ...(opened.fallbackReason ? { fallbackReason: opened.fallbackReason } : {}),
      manifest,
      source: describeSource(this.store.source),
    };
    return this.status;
  }

  /**
   * Serves another worker over `port` (see inference-protocol.ts); `clientId` names it for
   * disconnect. The UI makes the channel and hands the other port to that worker.
   */
  connect(port: MessagePort, clientId: string): void {
    this.disconnect(clientId);
    this.sessions.admit(clientId); // connected (again): its opens hold sessions
    const service = new InferencePortService(this.sessions, clientId, getTextFrontend);
    Comlink.expose(service, port);
    this.clients.set(clientId, { port, service });
  }

  /**
   * The UI ended that worker (or restarts it): its queued runs are cancelled (a running one
   * finishes), its port is closed, and the sessions only it held are released. MessagePort has
   * no dependable close event, so the UI says so itself.
   */
  disconnect(clientId: string): void {
    sessionScheduler.cancelOwner(clientId);
    const client = this.clients.get(clientId);
    client?.port.close();
    this.clients.delete(clientId);
    void this.sessions.releaseHolder(clientId);
  }

  /** Open sessions and who holds them, and the runs waiting (e2e and diagnostics). */
  describeSessions(): {
    sessions: { key: string; holders: string[] }[];
    queued: { interactive: number; background: number };
  } {
    return { sessions: this.sessions.describe(), queued: sessionScheduler.pending };
  }

  /** Keeps parts short while the active runner is WebGPU on a software adapter. */
  private chunkCap(): { maxTokens?: number } {
    return this.softwareGpu && this.active?.backend === 'webgpu'
      ? { maxTokens: SOFTWARE_GPU_MAX_TOKENS }
      : {};
  }

  private ready() {
    if (!this.store || !this.manifest) throw new Error('The TTS worker is not initialised.');
    return { store: this.store, manifest: this.manifest };
  }

  async analyse(text: string, dialect: Dialect): Promise<TextAnalysis> {
    const estimate = await getTextFrontend().analyse(text, dialect, 'sentence');
    return {
      characters: estimate.characters,
      tokens: estimate.tokens,
      chunks: estimate.chunks,
      unspeakable: estimate.unspeakable,
    };
  }

  private async voicePack(request: SynthesisRequest, onProgress: ProgressCallback): Promise<Float32Array> {
    if (request.voice.kind === 'pack') return request.voice.data;
    return this.stockPack(request.voice.id, onProgress);
  }

  async synthesize(
    request: SynthesisRequest,
    onChunk: (chunk: SynthesisChunk) => void,
    onProgress: ProgressCallback,
  ): Promise<SynthesisSummary> {
    const runner = this.active;
    if (!runner) throw new Error('The TTS worker is not initialised.');
    const controller = new AbortController();
    this.requests.set(request.requestId, controller);
    // Clone evaluations wait for the whole synthesis, not only for its next sentence.
    const releaseBackground = sessionScheduler.holdBackground();
    const started = performance.now();
    const timings = { normalise: 0, phonemize: 0, tokenize: 0, inference: 0, postprocess: 0 };
    let firstAudioMs = 0;
    let samples = 0;
    let emitted = 0;
    try {
      const pack = await this.voicePack(request, onProgress);
      const prepared = await getTextFrontend().prepare(request.text, request.dialect, {
        chunking: 'stream',
        signal: controller.signal,
        ...this.chunkCap(),
      });
      timings.normalise = prepared.timings.normaliseMs;
      timings.phonemize = prepared.timings.phonemizeMs;
      timings.tokenize = prepared.timings.tokenizeMs;
      if (prepared.chunks.every((c) => c.tokenIds.length === 0)) {
        throw new Error(nothingToSay(prepared.unspeakable));
      }
      // Stop takes runs still queued (behind a clone evaluation) out of the queue at once.
      const bound = cancellableBy(controller.signal);
      const chunks = synthesizeChunks(prepared.chunks, {
        pack,
        speed: request.speed,
        runner: bound(runner),
        signal: controller.signal,
        getFallback: async (reason) => bound(await this.fallBackToWasm(runner, reason, onProgress)),
      });
      for await (const chunk of chunks) {
        timings.inference += chunk.inferenceMs;
        timings.postprocess += chunk.postprocessMs;
        if (emitted === 0) firstAudioMs = performance.now() - started;
        emitted++;
        samples += chunk.pcm.length;
        const message: SynthesisChunk = {
          requestId: request.requestId,
          index: chunk.index,
          total: chunk.total,
          start: chunk.start,
          end: chunk.end,
          pcm: chunk.pcm,
          sampleRateHz: KOKORO_SAMPLE_RATE_HZ,
          backend: chunk.backend,
          ...(chunk.fellBack ? { fellBack: chunk.fellBack } : {}),
        };
        onChunk(Comlink.transfer(message, [chunk.pcm.buffer]));
        onProgress({ kind: 'run', task: 'synthesize', done: chunk.index + 1, total: chunk.total });
      }
      onProgress({ kind: 'done', task: 'synthesize' });
      return {
        requestId: request.requestId,
        chunks: emitted,
        samples,
        cancelled: false,
        timings,
        firstAudioMs,
      };
    } catch (error) {
      if (error instanceof AbortedError || controller.signal.aborted) {
        return {
          requestId: request.requestId,
          chunks: emitted,
          samples,
          cancelled: true,
          timings,
          firstAudioMs,
        };
      }
      throw error;
    } finally {
      releaseBackground();
      this.requests.delete(request.requestId);
    }
  }

  cancel(requestId: number): void {
    this.requests.get(requestId)?.abort();
  }

  async preparePreview(text: string, dialect: Dialect): Promise<PreviewPrepared> {
    const frontend = await getTextFrontend();
    const prepared = await frontend.prepare(text, dialect, this.chunkCap());
    const chunks = prepared.chunks.filter((c) => c.tokenIds.length > 0);
    if (chunks.length === 0) throw new Error(nothingToSay(prepared.unspeakable));
    const previewId = this.nextPreviewId++;
    this.previews.set(previewId, chunks);
    while (this.previews.size > MAX_PREVIEWS)
      this.previews.delete(this.previews.keys().next().value as number);
    const tokens = chunks.reduce((n, c) => n + c.tokenIds.length, 0);
    return { previewId, tokens, chunks: chunks.length, unspeakable: prepared.unspeakable };
  }

  async renderPreview(request: PreviewRenderRequest): Promise<PreviewRenderResult> {
    const runner = this.active;
    if (!runner) throw new Error('The TTS worker is not initialised.');
    const chunks = this.previews.get(request.previewId);
    if (!chunks) throw new Error('The preview sentence is no longer prepared; prepare it again.');
    const controller = new AbortController();
    this.previewRequests.set(request.requestId, controller);
    const releaseBackground = sessionScheduler.holdBackground();
    const started = performance.now();
    const base = { requestId: request.requestId, sampleRateHz: KOKORO_SAMPLE_RATE_HZ };
    // A cancelled preview's runs leave the scheduler's queue at once (a running one finishes).
    const bound = cancellableBy(controller.signal);
    try {
      const audio = await renderPreviewAudio(chunks, {
        pack: request.pack,
        speed: request.speed,
        runner: bound(runner),
        signal: controller.signal,
        getFallback: async (reason) => bound(await this.fallBackToWasm(runner, reason)),
      });
      const result: PreviewRenderResult = {
        ...base,
        cancelled: false,
        pcm: audio.pcm,
        backend: audio.backend,
        inferenceMs: audio.inferenceMs,
        renderMs: performance.now() - started,
        ...(audio.fellBack ? { fellBack: audio.fellBack } : {}),
      };
      return Comlink.transfer(result, [audio.pcm.buffer]);
    } catch (error) {
      if (error instanceof AbortedError || controller.signal.aborted) {
        const renderMs = performance.now() - started;
        return {
          ...base,
          cancelled: true,
          pcm: new Float32Array(0),
          backend: runner.backend,
          inferenceMs: 0,
          renderMs,
        };
      }
      throw error;
    } finally {
      releaseBackground();
      this.previewRequests.delete(request.requestId);
    }
  }

  cancelPreview(requestId: number): void {
    this.previewRequests.get(requestId)?.abort();
  }

  async loadVoicePacks(ids: readonly string[], onProgress: ProgressCallback): Promise<StockVoicePack[]> {
    const packs = await Promise.all(
      ids.map(async (id) => ({ id, pack: (await this.stockPack(id, onProgress)).slice() })),
    );
    return Comlink.transfer(
      packs,
      packs.map((p) => p.pack.buffer),
    );
  }

  async stockVoiceMap(onLoaded: (loaded: number, total: number) => void): Promise<VoiceMapModel> {
    const ids = this.ready().manifest.voices.map((v) => v.id);
    let loaded = 0;
    onLoaded(0, ids.length);
    const voices = await Promise.all(
      ids.map(async (id) => {
        const pack = await this.stockPack(id, () => undefined);
        onLoaded(++loaded, ids.length);
        return { id, pack };
      }),
    );
    return mapVoices(voices);
  }

  async builtInDirections(): Promise<VoiceDirection[]> {
    const ids = this.ready()
      .manifest.voices.map((v) => v.id)
      .filter((id) => ENGLISH_STOCK_ID.test(id));
    const packs = new Map(
      await Promise.all(ids.map(async (id) => [id, await this.stockPack(id, () => undefined)] as const)),
    );
    const directions = builtInDirections(packs);
    return Comlink.transfer(
      directions,
      directions.map((d) => d.vector.buffer),
    );
  }

  /** A stock pack through the model store; the few read last are kept (same cache as synthesize's). */
  private async stockPack(id: string, onProgress: ProgressCallback): Promise<Float32Array> {
    // The read itself is kept: asked again while it is read (the map and the directions read the
    // same packs at once), a pack is read once.
    const kept = this.voices.get(id);
    if (kept) return kept;
    const { store, manifest } = this.ready();
    const entry = manifest.voices.find((v) => v.id === id);
    if (!entry) throw new Error(`Unknown voice "${id}".`);
    const read = loadVoicePack(store, entry, onProgress);
    this.voices.set(id, read);
    // A failed read is tried again by the next ask.
    read.catch(() => {
      if (this.voices.get(id) === read) this.voices.delete(id);
    });
    return read;
  }

  /**
   * After a WebGPU failure mid-run: the same variant on WASM from now on, for every feature
   * (the shared session is replaced and the WebGPU one released), and the status says why.
   */
  private async fallBackToWasm(
    runner: KokoroSessionRunner,
    reason: string,
    onProgress: ProgressCallback = () => undefined,
  ): Promise<KokoroSessionRunner> {
    if (!this.activeKey) throw new Error('The TTS worker is not initialised.');
    if (this.active !== runner && this.active?.backend === 'wasm') return this.active;
    const wasm = await this.sessions.replaceKokoro(this.activeKey, reason, onProgress);
    const replaced = this.active?.backend !== 'wasm';
    this.active = wasm;
    if (this.status) this.status = { ...this.status, backend: 'wasm', fallbackReason: reason };
    // The studio hears it here, once, not from the request that saw it (it may have been stopped).
    if (replaced) void Promise.resolve(this.onFallback?.(reason) as unknown).catch(() => undefined);
    return wasm;
  }

  async listCached(): Promise<CachedFile[]> {
    const store = this.store ?? createBrowserModelStore(sourceFromBase(undefined));
    return store.listCached();
  }

  async deleteCached(url?: string): Promise<void> {
    const store = this.store ?? createBrowserModelStore(sourceFromBase(undefined));
    await store.deleteCached(url);
  }
}

function nothingToSay(unspeakable: readonly string[]): string {
  const sample = unspeakable.slice(0, 5).join(' ');
  return sample
    ? `There is nothing Kokoro can say in this text (it cannot pronounce: ${sample}).`
    : 'There is nothing Kokoro can say in this text.';
}

Comlink.expose(new TtsWorker());
