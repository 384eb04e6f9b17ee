/**
 * The References tab's handles on its two workers (clean-up, speaker features and
 * embeddings), created on first use; the speaker worker's encoder runs in the inference
 * worker (connectToInference). The UI never touches onnxruntime itself.
 */
import * as Comlink from 'comlink';
import { createLoss, type Loss } from '../../../engine/loss';
import type { CleanupWorkerApi } from '../../../workers/audio-cleanup-protocol';
import type { SpeakerWorkerApi } from '../../../workers/speaker-protocol';
import { connectToInference, onInferenceRestart } from '../../clients/tts-client';

let cleanup: Comlink.Remote<CleanupWorkerApi> | undefined;
let speakerWorker: Worker | undefined;
let speakerConnection: ReturnType<typeof connectToInference> | undefined;
let speaker: Comlink.Remote<SpeakerWorkerApi> | undefined;
/** Rejects when the current speaker worker is terminated or crashes (comlink calls would hang). */
let speakerLost: Loss | undefined;

export function cleanupWorker(): Comlink.Remote<CleanupWorkerApi> {
  if (!cleanup) {
    const worker = new Worker(new URL('../../../workers/audio-cleanup.worker.ts', import.meta.url), {
      type: 'module',
      name: 'audio-cleanup',
    });
    cleanup = Comlink.wrap<CleanupWorkerApi>(worker);
    connectCleanup(cleanup);
  }
  return cleanup;
}

/** Silero VAD runs in the inference worker: the clean-up worker gets a port to it (again after a restart). */
function connectCleanup(api: Comlink.Remote<CleanupWorkerApi>): void {
  const connection = connectToInference('cleanup');
  void api.connect(Comlink.transfer(connection.port, [connection.port]));
}

onInferenceRestart(() => {
  if (cleanup) connectCleanup(cleanup);
});

export function speakerWorkerApi(): Comlink.Remote<SpeakerWorkerApi> {
  if (!speaker) {
    speakerWorker = new Worker(new URL('../../../workers/speaker.worker.ts', import.meta.url), {
      type: 'module',
      name: 'speaker',
    });
    const loss = createLoss();
    speakerWorker.addEventListener('error', (event) =>
      loss.reject(new Error(`The speaker worker stopped: ${event.message || 'unknown error'}`)),
    );
    speakerLost = loss;
    speaker = Comlink.wrap<SpeakerWorkerApi>(speakerWorker);
    // Its encoder is the inference worker's shared session.
    speakerConnection = connectToInference('speaker');
    void speaker.connect(Comlink.transfer(speakerConnection.port, [speakerConnection.port]));
  }
  return speaker;
}

/** Calls the speaker worker; rejects instead of hanging if the worker is restarted meanwhile. */
export function withSpeaker<T>(call: (api: Comlink.Remote<SpeakerWorkerApi>) => Promise<T>): Promise<T> {
  const api = speakerWorkerApi();
  return Promise.race([call(api), speakerLost!.promise]);
}

/** Drops the speaker worker so the next load starts clean (another variant or model source). */
export function restartSpeakerWorker(): void {
  speakerLost?.reject(new Error('The speaker encoder was restarted.'));
  speakerLost = undefined;
  speakerWorker?.terminate();
  speakerConnection?.disconnect();
  speakerConnection = undefined;
  speakerWorker = undefined;
  speaker = undefined;
}
