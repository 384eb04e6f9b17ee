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
 */
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

/** Makes the playback context when the page is next idle (nothing happens if it exists). */
export function warmPlaybackContext(): void {
  if (context || typeof AudioContext === 'undefined') return;
  const make = () => {
    try {
      playbackContext();
    } catch {
      // no audio output here: the first Play makes it, and reports its error there
    }
  };
  if (typeof requestIdleCallback === 'function') requestIdleCallback(make, { timeout: 5_000 });
  else setTimeout(make, 0);
}
