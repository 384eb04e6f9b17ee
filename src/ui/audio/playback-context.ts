/**
 * The studio's one AudioContext for playback: Speak's stream, the Voices preview and the Clone
 * tab's A/B rows all play through it (the recorder keeps its own, for the microphone).
 *
 * Why one, made early: Chromium's first realtime AudioContext in a page blocks the main thread
 * while the audio output starts (measured here: 60-113 ms for `new AudioContext()` on a blank
 * page, under 10 ms for later ones; `sinkId: { type: 'none' }` does not avoid it). Made inside
 * the first Generate's click it delayed the first audio and was the longest main-thread task
 * of bench:memory (173 ms). `warmPlaybackContext` makes it while the studio is idle after the
 * models load; it starts suspended without a user gesture and is resumed by the first Play.
 *
 * Why an <audio> element first: that blocking is the output device's parameters, fetched
 * synchronously by the first context and cached for the page after. A media element fetches
 * them on the media thread when it loads. Measured on a blank page, three fresh browsers each:
 * `new AudioContext()` cold 55-108 ms, one long task; after an element has loaded 0.1 s of
 * silence, 2-9 ms and no long task (also seven seconds later). `setSinkId('')` primes it too,
 * but its answer comes back on the main thread as one long task of the same size.
 */
import { encodeWav } from '../../engine/audio/wav';
import { whenIdle } from '../when-idle';

/** How long to wait for the priming element before making the context anyway. */
const PRIME_TIMEOUT_MS = 3_000;

let context: AudioContext | undefined;

/** The playback context, made now if it was not yet. */
export function playbackContext(): AudioContext {
  context ??= new AudioContext({ latencyHint: 'interactive' });
  return context;
}

/** The playback context, resumed (call from a user's click: autoplay policies allow it then). */
export async function runningPlaybackContext(): Promise<AudioContext> {
  const running = playbackContext();
  if (running.state === 'suspended') await running.resume();
  return running;
}

/**
 * Loads 0.1 s of silence into an <audio> element (never played), so that the output device's
 * parameters are known before the first context asks for them. Resolves when it can play, on
 * an error, or after PRIME_TIMEOUT_MS; the element lets go of its source either way.
 */
export function primeOutputDevice(): Promise<void> {
  if (typeof Audio === 'undefined' || typeof URL.createObjectURL !== 'function') return Promise.resolve();
  return new Promise((resolve) => {
    const url = URL.createObjectURL(
      new Blob([encodeWav(new Float32Array(2_400), 24_000) as Uint8Array<ArrayBuffer>], {
        type: 'audio/wav',
      }),
    );
    const element = new Audio();
    const done = () => {
      clearTimeout(timer);
      element.removeEventListener('canplaythrough', done);
      element.removeEventListener('error', done);
      element.removeAttribute('src');
      element.load();
      URL.revokeObjectURL(url);
      resolve();
    };
    const timer = setTimeout(done, PRIME_TIMEOUT_MS);
    element.addEventListener('canplaythrough', done);
    element.addEventListener('error', done);
    element.preload = 'auto';
    element.src = url;
    element.load();
  });
}

let warming = false;

/**
 * Makes the playback context when the page is next idle, after priming the output device
 * (nothing happens if it exists or is being made).
 */
export function warmPlaybackContext(): void {
  if (context || warming || typeof AudioContext === 'undefined') return;
  warming = true;
  const make = () => {
    try {
      playbackContext();
    } catch {
      // no audio output here: the first Play makes it, and reports its error there
    }
  };
  void primeOutputDevice().then(() => {
    if (context) return;
    whenIdle(make, 5_000);
  });
}
