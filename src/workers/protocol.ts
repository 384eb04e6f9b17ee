/**
 * The typed contract between the UI and the TTS worker. Types only: importing this file
 * never pulls onnxruntime-web into the UI bundle.
 */
import type { VoiceDirection } from '../engine/voices/directions';
import type { VoiceMapModel } from '../engine/voices/pca';
import type { ProgressCallback } from '../engine/progress';
import type { ModelManifest } from '../engine/models/manifest';

import type { Backend } from '../engine/tts/types';

export type { Backend };
export type BackendChoice = Backend | 'auto';
export type Dialect = 'en-us' | 'en-gb';

export interface TtsInitOptions {
  /** Model source base URL (a folder holding manifest.json); undefined = self-hosted, then the hub. */
  modelBase?: string;
  backend: BackendChoice;
  /** Kokoro variant id (`fp32`, `q8`); undefined = the manifest default for the backend. */
  variant?: string;
}

export interface EngineStatus {
  backend: Backend;
  variant: string;
  webgpuAvailable: boolean;
  /** Set when WebGPU was asked for (or chosen) but the worker runs on WASM, and why. */
  fallbackReason?: string;
  manifest: ModelManifest;
  /** Where the models came from: `hub`, `self-hosted`, or the custom base URL. */
  source: string;
}

export interface TextAnalysis {
  characters: number;
  tokens: number;
  chunks: number;
  /** Characters or words that cannot be spoken (dropped by Kokoro's vocab), to show the user. */
  unspeakable: string[];
}

export type VoiceRef = { kind: 'stock'; id: string } | { kind: 'pack'; name: string; data: Float32Array };

export interface SynthesisRequest {
  requestId: number;
  text: string;
  voice: VoiceRef;
  speed: number;
  dialect: Dialect;
}

export interface StageTimingsMs {
  normalise: number;
  phonemize: number;
  tokenize: number;
  inference: number;
  postprocess: number;
}

export interface SynthesisChunk {
  requestId: number;
  index: number;
  total: number;
  /** Character range of this chunk in the request text. */
  start: number;
  end: number;
  pcm: Float32Array;
  sampleRateHz: number;
  backend: Backend;
  /** Set when this chunk had to be re-run on WASM because WebGPU returned bad audio. */
  fellBack?: string;
}

export interface SynthesisSummary {
  requestId: number;
  chunks: number;
  samples: number;
  cancelled: boolean;
  timings: StageTimingsMs;
  firstAudioMs: number;
}

export interface CachedFile {
  url: string;
  path: string;
  bytes: number;
}

/** Preview text prepared once (tokens kept in the worker), rendered many times with different packs. */
export interface PreviewPrepared {
  previewId: number;
  tokens: number;
  chunks: number;
  /** Characters or words the preview cannot speak. */
  unspeakable: string[];
}

export interface PreviewRenderRequest {
  /** The caller's id for this render, for cancelPreview (its own sequence, apart from synthesize's). */
  requestId: number;
  previewId: number;
  /** Voice pack, float32 [510*256]. */
  pack: Float32Array;
  speed: number;
}

export interface PreviewRenderResult {
  requestId: number;
  /** True when cancelPreview stopped it before it finished; `pcm` is then empty. */
  cancelled: boolean;
  pcm: Float32Array;
  sampleRateHz: number;
  backend: Backend;
  /** Model time only, and the whole call (queueing, style rows, post-processing). */
  inferenceMs: number;
  renderMs: number;
  fellBack?: string;
}

/** A stock voice's pack as the worker loaded it (through the model store and its cache). */
export interface StockVoicePack {
  id: string;
  pack: Float32Array;
}

export interface TtsWorkerApi {
  /** The studio's Kokoro backend choice, told before anything else: picks onnxruntime's build. */
  chooseRuntime(choice: BackendChoice): void;
  /**
   * Opens Kokoro. `onFallback` is called once if the shared session is later replaced by its
   * WASM twin (WebGPU returned bad audio to Speak or the preview), whatever became of the
   * request that saw it (stopped, cancelled): every feature runs on WASM from then on.
   */
  init(
    options: TtsInitOptions,
    onProgress: ProgressCallback,
    onFallback?: (reason: string) => void,
  ): Promise<EngineStatus>;
  analyse(text: string, dialect: Dialect): Promise<TextAnalysis>;
  synthesize(
    request: SynthesisRequest,
    onChunk: (chunk: SynthesisChunk) => void,
    onProgress: ProgressCallback,
  ): Promise<SynthesisSummary>;
  cancel(requestId: number): void;
  /** Prepares preview text once (normalise, phonemize, tokenize); forget it by preparing others. */
  preparePreview(text: string, dialect: Dialect): Promise<PreviewPrepared>;
  /** Renders a prepared preview with a pack; resolves `cancelled` when cancelPreview stopped it. */
  renderPreview(request: PreviewRenderRequest): Promise<PreviewRenderResult>;
  cancelPreview(requestId: number): void;
  /** Stock voice packs by id (cached in the worker and in Cache Storage); copies for the caller. */
  loadVoicePacks(ids: readonly string[], onProgress: ProgressCallback): Promise<StockVoicePack[]>;
  /**
   * The Voices tab's map, computed here where the stock packs are (loads every stock pack;
   * `onLoaded` counts them): the PCA fitted on the stock voices and each one's place on it.
   */
  stockVoiceMap(onLoaded: (loaded: number, total: number) => void): Promise<VoiceMapModel>;
  /** The built-in directions (female - male, American - British), from the English stock packs. */
  builtInDirections(): Promise<VoiceDirection[]>;
  listCached(): Promise<CachedFile[]>;
  deleteCached(url?: string): Promise<void>;
  /**
   * Serves another worker's runs over `port` (inference-protocol.ts: the clone worker, the
   * speaker worker); `clientId` names that worker. Pass the port with Comlink.transfer.
   */
  connect(port: MessagePort, clientId: string): void;
  /** That worker is gone (or restarting): its queued runs are cancelled and the sessions only it held released. */
  disconnect(clientId: string): void;
  /** The open sessions with their holders, and the runs waiting by priority. */
  describeSessions(): {
    sessions: { key: string; holders: string[] }[];
    queued: { interactive: number; background: number };
  };
}
