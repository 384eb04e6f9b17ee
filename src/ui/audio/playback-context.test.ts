/**
 * One playback AudioContext for the studio, made while idle: Speak, the preview and the Clone
 * A/B share it, it is made once, and resumed when a Play finds it suspended.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

class FakeContext {
  static made = 0;
  state = 'suspended';
  resumed = 0;
  constructor() {
    FakeContext.made++;
  }
  resume() {
    this.resumed++;
    this.state = 'running';
    return Promise.resolve();
  }
}

describe('the playback context', () => {
  let idle: (() => void)[];
  beforeEach(() => {
    vi.resetModules();
    FakeContext.made = 0;
    idle = [];
    vi.stubGlobal('AudioContext', FakeContext);
    vi.stubGlobal('requestIdleCallback', (callback: () => void) => idle.push(callback));
  });
  afterEach(() => vi.unstubAllGlobals());

  it('is made when the page is idle, not when warming is asked, and only once', async () => {
    const { warmPlaybackContext, playbackContext } = await import('./playback-context');
    warmPlaybackContext();
    expect(FakeContext.made).toBe(0);
    expect(idle).toHaveLength(1);
    idle.shift()!();
    expect(FakeContext.made).toBe(1);
    warmPlaybackContext(); // already made: nothing is queued
    expect(idle).toHaveLength(0);
    playbackContext();
    expect(FakeContext.made).toBe(1);
  });

  it('every player gets the same context, resumed once when a Play finds it suspended', async () => {
    const { runningPlaybackContext, playbackContext } = await import('./playback-context');
    const first = await runningPlaybackContext();
    const second = await runningPlaybackContext();
    expect(second).toBe(first);
    expect(playbackContext()).toBe(first);
    expect(FakeContext.made).toBe(1);
    expect((first as unknown as FakeContext).resumed).toBe(1);
    expect(first.state).toBe('running');
  });

  it('a Play before the idle moment makes it; the idle callback then makes no second one', async () => {
    const { warmPlaybackContext, runningPlaybackContext } = await import('./playback-context');
    warmPlaybackContext();
    await runningPlaybackContext();
    idle.shift()!();
    expect(FakeContext.made).toBe(1);
  });
});
