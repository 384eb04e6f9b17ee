/**
 * The inference worker's service to one connected worker (the clone worker, the speaker
 * worker), exposed with comlink on the MessagePort the UI handed over. Every run carries the
 * client's id as its owner in the session scheduler, so cancelQueued (a paused clone) and the
 * UI's disconnect (a clone worker ended) take exactly this client's queued runs out.
 */
import sileroUrl from '@ricky0123/vad-web/dist/silero_vad_v5.onnx?url';
import { FBANK_MEL_BINS } from '../../engine/audio/fbank';
import type { ProgressCallback } from '../../engine/progress';
import type {
  EncoderSessionInfo,
  InferencePortApi,
  KokoroSessionInfo,
  SessionSourceOptions,
  TaskPriority,
  TextPrepareOptions,
} from '../inference-protocol';
import type { PreparedText, TextFrontend } from '../../engine/text';
import type { Dialect } from '../protocol';
import { sessionScheduler } from '../ort/session-scheduler';
import type { ModelSessions } from './model-sessions';

/** A text frontend that refuses: for a client that never asks for text (tests). */
const NO_FRONTEND = (): Pick<TextFrontend, 'prepare'> => ({
  prepare: () => Promise.reject(new Error('This inference service has no text frontend.')),
});

export class InferencePortService implements InferencePortApi {
  constructor(
    private readonly sessions: ModelSessions,
    readonly clientId: string,
    /** The inference worker's own text frontend (eSpeak and the lexicons, loaded once). */
    private readonly frontend: () => Pick<TextFrontend, 'prepare'> = NO_FRONTEND,
  ) {}

  prepareText(text: string, dialect: Dialect, options: TextPrepareOptions): Promise<PreparedText> {
    return this.frontend().prepare(text, dialect, options);
  }

  async openKokoro(options: SessionSourceOptions, onProgress: ProgressCallback): Promise<KokoroSessionInfo> {
    const opened = await this.sessions.openKokoro(options, this.clientId, onProgress);
    return kokoroInfo(opened);
  }

  async openKokoroWasm(key: string, onProgress: ProgressCallback): Promise<KokoroSessionInfo> {
    return kokoroInfo(await this.sessions.openKokoroWasm(key, this.clientId, onProgress));
  }

  async runKokoro(
    key: string,
    inputIds: number[],
    style: Float32Array,
    speed: number,
    priority: TaskPriority,
  ): Promise<Float32Array> {
    const options = { priority, owner: this.clientId };
    const runner = await this.sessions.kokoroRunner(key);
    if (!runner) throw new Error('This Kokoro session is not open (the models were reloaded).');
    try {
      return await runner.run(inputIds, style, speed, options);
    } catch (error) {
      // Cancelled while queued (a paused clone): stays cancelled, whatever happened to the runner.
      if ((error as { name?: string } | null)?.name === 'AbortError') throw error;
      // Replaced meanwhile (Speak fell back from WebGPU to WASM): the WASM twin serves the key now.
      const next = runner.isReleased ? await this.sessions.kokoroRunner(key) : undefined;
      if (!next || next === runner) throw error;
      return next.run(inputIds, style, speed, options);
    }
  }

  openEncoder(options: SessionSourceOptions, onProgress: ProgressCallback): Promise<EncoderSessionInfo> {
    return this.sessions.openEncoder(options, this.clientId, onProgress);
  }

  async runEncoder(
    key: string,
    features: Float32Array,
    frames: number,
    priority: TaskPriority,
  ): Promise<Float32Array> {
    const encoder = await this.sessions.wespeaker(key);
    if (features.length !== frames * FBANK_MEL_BINS)
      throw new Error(`The speaker encoder takes ${FBANK_MEL_BINS} mel bins per frame.`);
    return encoder.embed(
      { data: features, frames, bins: FBANK_MEL_BINS },
      { priority, owner: this.clientId },
    );
  }

  async embedGe2e(
    key: string,
    pcm: Float32Array,
    sampleRateHz: number,
    priority: TaskPriority,
  ): Promise<Float32Array> {
    const ge2e = await this.sessions.ge2e(key);
    return ge2e.embed(pcm, sampleRateHz, { priority, owner: this.clientId });
  }

  async openVad(): Promise<void> {
    await this.sessions.openVad(sileroUrl, this.clientId);
  }

  async runVad(
    input: Float32Array,
    state: Float32Array,
    lanes: number,
    priority: TaskPriority,
  ): Promise<{ probabilities: Float32Array; state: Float32Array }> {
    const model = await this.sessions.vad();
    return sessionScheduler.schedule(() => model.step(input, state, lanes), {
      priority,
      owner: this.clientId,
    });
  }

  cancelQueued(): number {
    return sessionScheduler.cancelOwner(this.clientId);
  }
}

function kokoroInfo(opened: KokoroSessionInfo): KokoroSessionInfo {
  return {
    key: opened.key,
    backend: opened.backend,
    variant: opened.variant,
    cacheTag: opened.cacheTag,
    webgpuAvailable: opened.webgpuAvailable,
    fixture: opened.fixture,
    ...(opened.fallbackReason ? { fallbackReason: opened.fallbackReason } : {}),
  };
}
