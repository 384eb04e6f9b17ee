/**
 * The time a toast's Undo stays on offer, counted the way a person experiences it: from the
 * moment the toast is on screen (the second animation frame after it was shown, so a page that
 * cannot paint for a while, e.g. while the model workers compile their WebAssembly, does not
 * use the window up unseen), paused while the pointer is over the toast or keyboard focus is in
 * it, and paused while the tab is hidden. One window at a time per toast kind.
 */

/** How long Undo is offered, in on-screen time (the same for clips, voices and targets). */
export const UNDO_WINDOW_MS = 10_000;

export interface UndoWindowPlatform {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  requestAnimationFrame(callback: () => void): unknown;
  /** True while the page is hidden (another tab, minimised). */
  hidden(): boolean;
  /** Subscribes to visibility changes; returns the unsubscribe. */
  onVisibilityChange(listener: () => void): () => void;
}

export function browserPlatform(): UndoWindowPlatform {
  return {
    now: () => performance.now(),
    setTimeout: (callback, ms) => window.setTimeout(callback, ms),
    clearTimeout: (handle) => window.clearTimeout(handle as number),
    requestAnimationFrame: (callback) => window.requestAnimationFrame(() => callback()),
    hidden: () => document.visibilityState === 'hidden',
    onVisibilityChange: (listener) => {
      document.addEventListener('visibilitychange', listener);
      return () => document.removeEventListener('visibilitychange', listener);
    },
  };
}

export interface UndoWindow {
  /** The pointer entered, or focus moved into, the toast: stop counting until `release`. */
  hold(): void;
  release(): void;
  /** Ends the window without calling `onExpire` (Undo pressed, toast dismissed or replaced). */
  cancel(): void;
  /** Milliseconds left (for tests and for an accessible countdown). */
  remainingMs(): number;
}

export function startUndoWindow(
  durationMs: number,
  onExpire: () => void,
  platform: UndoWindowPlatform = browserPlatform(),
): UndoWindow {
  let remaining = durationMs;
  let painted = false;
  let holds = 0;
  let timer: unknown;
  let runningSince: number | undefined;
  let done = false;

  const stop = () => {
    if (runningSince === undefined) return;
    platform.clearTimeout(timer);
    remaining = Math.max(0, remaining - (platform.now() - runningSince));
    runningSince = undefined;
  };
  const update = () => {
    if (done) return;
    const shouldRun = painted && holds === 0 && !platform.hidden();
    if (shouldRun && runningSince === undefined) {
      runningSince = platform.now();
      timer = platform.setTimeout(() => {
        runningSince = undefined;
        remaining = 0;
        finish();
        onExpire();
      }, remaining);
    } else if (!shouldRun) stop();
  };
  const unsubscribe = platform.onVisibilityChange(update);
  const finish = () => {
    done = true;
    stop();
    unsubscribe();
  };
  platform.requestAnimationFrame(() =>
    platform.requestAnimationFrame(() => {
      painted = true;
      update();
    }),
  );

  return {
    hold() {
      holds++;
      update();
    },
    release() {
      holds = Math.max(0, holds - 1);
      update();
    },
    cancel: finish,
    remainingMs() {
      return runningSince === undefined
        ? remaining
        : Math.max(0, remaining - (platform.now() - runningSince));
    },
  };
}
