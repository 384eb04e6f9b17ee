/**
 * The typed contract between the UI and the audio clean-up worker (downmix, resample,
 * Silero VAD, RNNoise, loudness). Types only.
 */
import type { ProgressCallback } from '../engine/progress';
import type { CleanedClip, CleanOptions, IngestedAudio } from '../engine/reference/clean';

export type { CleanedClip, CleanOptions, IngestedAudio };

export interface CleanupWorkerApi {
  /** The port to the inference worker (which runs Silero VAD); again after it restarts. */
  connect(port: MessagePort): void;
  /** Loads the VAD model ahead of the first clean-up (it ships with the app); rejects if it cannot. */
  warmUp(): Promise<void>;
  /** Downmix to mono, keep at most 5 minutes, measure clipping, resample to 24 kHz. */
  /** `sourceS`: the file's full length when only its start was decoded. */
  ingest(channels: Float32Array[], sampleRateHz: number, sourceS?: number): Promise<IngestedAudio>;
  /**
   * Region, optional noise suppression, VAD, silence trimming, loudness. When Silero cannot
   * load or run, speech is found by loudness and a 'vad-fallback' warning says why. A newer request
   * with the same `requestId` key cancels nothing by itself: call `cancel` for that.
   */
  clean(
    requestId: number,
    audio: IngestedAudio,
    options: CleanOptions,
    onProgress: ProgressCallback,
  ): Promise<CleanedClip>;
  cancel(requestId: number): void;
}
