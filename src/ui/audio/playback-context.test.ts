/**
 * One playback AudioContext for the studio, made while idle after an <audio> element has
 * primed the output device: Speak, the preview and the Clone A/B share it, it is made once,
 * and resumed when a Play finds it suspended.
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

/** An <audio> element that only loads when the test says so. */
class FakeAudio {
  static made: FakeAudio[] = [];
  preload = '';
  src = '';
  loads = 0;
  private listeners = new Map<string, Set<() => void>>();
  constructor() {
    FakeAudio.made.push(this);
  }
  addEventListener(type: string, listener: () => void) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)!.add(listener);
  }
  removeEventListener(type: string, listener: () => void) {
    this.listeners.get(type)?.delete(listener);
  }
  removeAttribute(name: string) {
    if (name === 'src') this.src = '';
  }
  load() {
    this.loads++;
  }
  fire(type: string) {
    for (const listener of [...(this.listeners.get(type) ?? [])]) listener();
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('the playback context', () => {
  let idle: (() => void)[];
  let revoked: string[];
  beforeEach(() => {
    vi.resetModules();
    FakeContext.made = 0;
    FakeAudio.made = [];
    idle = [];
    revoked = [];
    vi.stubGlobal('AudioContext', FakeContext);
    vi.stubGlobal('Audio', FakeAudio);
    vi.stubGlobal('requestIdleCallback', (callback: () => void) => idle.push(callback));
    vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:silence');
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation((url) => void revoked.push(url));
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
    vi.useRealTimers();
  });

  it('is made when the page is idle after an <audio> element loaded silence, not before, and only once', async () => {
    const { warmPlaybackContext, playbackContext } = await import('./playback-context');
    warmPlaybackContext();
    warmPlaybackContext(); // asked twice while priming: one element, one context
    expect(FakeAudio.made).toHaveLength(1);
    const element = FakeAudio.made[0]!;
    expect(element.src).toBe('blob:silence');
    expect(element.preload).toBe('auto');
    await settle();
    expect(idle).toHaveLength(0); // the device is not primed yet
    expect(FakeContext.made).toBe(0);
    element.fire('canplaythrough');
    await settle();
    // The element let go of its silence; the context waits for the idle moment.
    expect(element.src).toBe('');
    expect(revoked).toEqual(['blob:silence']);
    expect(FakeContext.made).toBe(0);
    expect(idle).toHaveLength(1);
    idle.shift()!();
    expect(FakeContext.made).toBe(1);
    warmPlaybackContext(); // made (and warmed once already): no second element, nothing queued
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
    FakeAudio.made[0]!.fire('canplaythrough');
    await settle();
    await runningPlaybackContext();
    idle.shift()!();
    expect(FakeContext.made).toBe(1);
  });

  it('a Play while the device is being primed makes it; no idle moment is asked for after', async () => {
    const { warmPlaybackContext, runningPlaybackContext } = await import('./playback-context');
    warmPlaybackContext();
    await runningPlaybackContext();
    FakeAudio.made[0]!.fire('canplaythrough');
    await settle();
    expect(idle).toHaveLength(0);
    expect(FakeContext.made).toBe(1);
  });

  it('an element that cannot load, or never answers, still lets the context be made', async () => {
    const { primeOutputDevice } = await import('./playback-context');
    const failed = primeOutputDevice();
    FakeAudio.made[0]!.fire('error');
    await failed;
    expect(FakeAudio.made[0]!.src).toBe('');
    vi.useFakeTimers();
    const silent = primeOutputDevice();
    vi.advanceTimersByTime(3_000);
    await silent;
    expect(FakeAudio.made[1]!.src).toBe('');
    expect(revoked).toEqual(['blob:silence', 'blob:silence']);
  });
});
