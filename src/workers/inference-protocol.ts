/**
 * What the inference worker (tts.worker.ts, the one worker that owns onnxruntime sessions)
 * serves to the other workers over a MessagePort: the clone worker's renderings and
 * embeddings, the speaker worker's embeddings, the audio clean-up worker's Silero VAD. The UI makes a MessageChannel, hands one port to
 * the inference worker (`connect(port, clientId)`) and the other to the worker that needs
 * models (its `init`). Types only: importing it never pulls onnxruntime-web anywhere.
 *
 * Every run goes through the inference worker's one scheduler: 'interactive' (Speak, the
 * preview, the References analysis) before 'background' (clone evaluations). Sessions are
 * shared: the clone's Kokoro is the Kokoro Speak uses when they ask for the same source,
 * backend choice and variant, and one encoder session serves References and Clone.
 */
import type { ProgressCallback } from '../engine/progress';
import type { TaskPriority } from '../engine/scheduler/priority-scheduler';
import type { PreparedText, PrepareOptions } from '../engine/text';
import type { Backend, BackendChoice, Dialect } from './protocol';

/** What of the frontend's PrepareOptions crosses the port (no AbortSignal). */
export type TextPrepareOptions = Omit<PrepareOptions, 'signal'>;

export type { TaskPriority };

export interface SessionSourceOptions {
  /** Model source base URL (a folder holding manifest.json); undefined = self-hosted, then the hub. */
  modelBase?: string;
  backend: BackendChoice;
  /** The model's variant id; undefined = the manifest default for the backend. */
  variant?: string;
}

export interface KokoroSessionInfo {
  /** Names the session in the inference worker (source, variant, backend). */
  key: string;
  backend: Backend;
  variant: string;
  /** `kokoro-<variant>-<hash>` (variantCacheTag): names exactly these weights. */
  cacheTag: string;
  webgpuAvailable: boolean;
  fallbackReason?: string;
  /** True when the models are test fixtures. */
  fixture: boolean;
}

export interface EncoderSessionInfo {
  key: string;
  /** 'wespeaker' (its variants) or GE2E (`variant` 'ge2e', always WASM). */
  kind: 'wespeaker' | 'ge2e';
  backend: Backend;
  variant: string;
  /** WeSpeaker: `speaker-<variant>-<hash>` (variantCacheTag); GE2E: `ge2e-<hash>`. */
  cacheTag: string;
  /** WeSpeaker: `<variant>-<hash>` (variantTag, the References cache key); GE2E: as cacheTag. */
  variantTag: string;
  embeddingDim: number;
  fallbackReason?: string;
}

export interface InferencePortApi {
  /** Loads Kokoro (or finds it loaded) by the studio's one backend rule; held for this client. */
  openKokoro(options: SessionSourceOptions, onProgress: ProgressCallback): Promise<KokoroSessionInfo>;
  /**
   * The WASM session of the same Kokoro file (the clone's re-rendering of what WebGPU got
   * wrong); held for this client and released when it disconnects (unless Speak uses it).
   */
  openKokoroWasm(key: string, onProgress: ProgressCallback): Promise<KokoroSessionInfo>;
  /** One Kokoro run: ids with pads, one style row; rejects with an AbortError when cancelled while queued. */
  runKokoro(
    key: string,
    inputIds: number[],
    style: Float32Array,
    speed: number,
    priority: TaskPriority,
  ): Promise<Float32Array>;
  /** Loads a WeSpeaker variant (or GE2E: `variant: 'ge2e'`) by the one backend rule; held for this client. */
  openEncoder(options: SessionSourceOptions, onProgress: ProgressCallback): Promise<EncoderSessionInfo>;
  /** WeSpeaker on one mean-normalised fbank [frames, 80]. */
  runEncoder(
    key: string,
    features: Float32Array,
    frames: number,
    priority: TaskPriority,
  ): Promise<Float32Array>;
  /** GE2E's embed_utterance(preprocess_wav(pcm)): its trim, mel and partial runs. */
  embedGe2e(
    key: string,
    pcm: Float32Array,
    sampleRateHz: number,
    priority: TaskPriority,
  ): Promise<Float32Array>;
  /** Loads Silero VAD v5 (shipped with the app) on WASM, or finds it loaded; held for this client. */
  openVad(): Promise<void>;
  /** One Silero step over `lanes` frames (engine/reference/silero.ts's SileroModel.step). */
  runVad(
    input: Float32Array,
    state: Float32Array,
    lanes: number,
    priority: TaskPriority,
  ): Promise<{ probabilities: Float32Array; state: Float32Array }>;
  /**
   * The studio's text frontend (eSpeak, the lexicons) on `text`: the clone worker's probes and
   * transcript are phonemized here, so no other worker loads eSpeak and the lexicons.
   */
  prepareText(text: string, dialect: Dialect, options: TextPrepareOptions): Promise<PreparedText>;
  /** Cancels this client's queued runs (a running one finishes); they reject with an AbortError. */
  cancelQueued(): number;
}
