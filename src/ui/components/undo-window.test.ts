/** The Undo window counts on-screen, unheld, visible time only. */
import { describe, expect, it } from 'vitest';
import { startUndoWindow, type UndoWindowPlatform } from './undo-window';

/** A clock, timers and animation frames that move only when the test says so. */
function fakePlatform() {
  let time = 0;
  let hidden = false;
  const timers = new Map<number, { at: number; callback: () => void }>();
  let frames: (() => void)[] = [];
  const listeners = new Set<() => void>();
  let nextId = 1;
  const platform: UndoWindowPlatform = {
    now: () => time,
    setTimeout: (callback, ms) => {
      const id = nextId++;
      timers.set(id, { at: time + ms, callback });
      return id;
    },
    clearTimeout: (id) => void timers.delete(id as number),
    requestAnimationFrame: (callback) => frames.push(callback),
    hidden: () => hidden,
    onVisibilityChange: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return {
    platform,
    /** Advances the clock, firing due timers (no frames: the page is not painting). */
    advance(ms: number) {
      time += ms;
      for (const [id, timer] of [...timers]) {
        if (timer.at <= time) {
          timers.delete(id);
          timer.callback();
        }
      }
    },
    paint() {
      const due = frames;
      frames = [];
      for (const frame of due) frame();
    },
    setHidden(value: boolean) {
      hidden = value;
      for (const listener of listeners) listener();
    },
    listenerCount: () => listeners.size,
  };
}

describe('startUndoWindow', () => {
  it('does not start counting until the toast has been painted', () => {
    const fake = fakePlatform();
    let expired = 0;
    startUndoWindow(10_000, () => expired++, fake.platform);
    fake.advance(60_000); // the page cannot paint (a busy renderer): the window waits
    expect(expired).toBe(0);
    fake.paint();
    fake.paint(); // two frames: the toast is on screen
    fake.advance(9_999);
    expect(expired).toBe(0);
    fake.advance(1);
    expect(expired).toBe(1);
    expect(fake.listenerCount()).toBe(0);
  });

  it('pauses while held (pointer over it, focus in it) and resumes with what was left', () => {
    const fake = fakePlatform();
    let expired = 0;
    const window = startUndoWindow(10_000, () => expired++, fake.platform);
    fake.paint();
    fake.paint();
    fake.advance(4_000);
    window.hold();
    window.hold(); // pointer and focus both
    fake.advance(30_000);
    window.release();
    fake.advance(30_000);
    expect(expired).toBe(0);
    expect(window.remainingMs()).toBe(6_000);
    window.release();
    fake.advance(5_999);
    expect(expired).toBe(0);
    fake.advance(1);
    expect(expired).toBe(1);
  });

  it('pauses while the tab is hidden', () => {
    const fake = fakePlatform();
    let expired = 0;
    startUndoWindow(10_000, () => expired++, fake.platform);
    fake.paint();
    fake.paint();
    fake.advance(2_000);
    fake.setHidden(true);
    fake.advance(120_000);
    expect(expired).toBe(0);
    fake.setHidden(false);
    fake.advance(8_000);
    expect(expired).toBe(1);
  });

  it('a cancelled window never expires', () => {
    const fake = fakePlatform();
    let expired = 0;
    const window = startUndoWindow(10_000, () => expired++, fake.platform);
    fake.paint();
    fake.paint();
    fake.advance(5_000);
    window.cancel();
    fake.advance(60_000);
    expect(expired).toBe(0);
    expect(fake.listenerCount()).toBe(0);
  });
});
