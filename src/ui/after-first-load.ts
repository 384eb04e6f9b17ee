/**
 * When the studio's own first load is over. The service worker's first install downloads and
 * stores the whole app shell (51 MB: onnxruntime's two WebAssembly builds, the workers, the
 * lexicons); begun with the page, it ran beside Kokoro's download and compile, the studio's
 * highest memory moment: on the real model, a first visit's renderer peak was 840-886 MB with it
 * and 717-744 MB with the service worker blocked (four and three loads). So it waits until the
 * first model load has ended, ready or failed, and the page is idle (web.dev's advice for
 * registering a service worker: after the page's own critical work); at the latest `capMs`
 * after the start, so a download that takes minutes does not keep the studio from working
 * offline next time.
 */
import type { EnginePhase } from './store/studio-store';
import { whenIdle } from './when-idle';

/** The part of the studio store (zustand) this reads. */
export interface PhaseSource {
  getState(): { phase: EnginePhase };
  subscribe(listener: (state: { phase: EnginePhase }) => void): () => void;
}

export interface AfterFirstLoadOptions {
  /** The longest wait from the call, whatever the load is doing. */
  capMs: number;
  /** Runs `callback` once the page is idle (requestIdleCallback); a timer where there is none. */
  whenIdle?: (callback: () => void) => void;
  setTimer?: (callback: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

const settled = (phase: EnginePhase): boolean => phase === 'ready' || phase === 'error';

/** How long an idle callback may wait for the page to be idle. */
const IDLE_TIMEOUT_MS = 2_000;

/** Calls `run` once: after the first model load ends (see above), or at `capMs`. */
export function afterFirstLoad(store: PhaseSource, run: () => void, options: AfterFirstLoadOptions): void {
  const idle = options.whenIdle ?? ((callback: () => void) => whenIdle(callback, IDLE_TIMEOUT_MS));
  const setTimer = options.setTimer ?? ((callback, ms) => setTimeout(callback, ms));
  const clearTimer = options.clearTimer ?? ((timer) => clearTimeout(timer as ReturnType<typeof setTimeout>));
  if (settled(store.getState().phase)) {
    idle(run);
    return;
  }
  let done = false;
  const fire = (): void => {
    if (done) return;
    done = true;
    stop();
    clearTimer(timer);
    run();
  };
  const timer = setTimer(fire, options.capMs);
  const stop = store.subscribe((state) => {
    if (!settled(state.phase)) return;
    stop();
    idle(fire);
  });
}
