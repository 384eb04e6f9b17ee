/**
 * The stream player's underrun count: a chunk that arrives after the audio before it has run
 * out is a gap the listener hears, and is counted (and marked for the e2e tests); chunks that
 * arrive in time are scheduled back to back and are not. Web Audio is a fake whose clock the
 * test moves.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

class FakeContext {
  static current: FakeContext | undefined;
  currentTime = 0;
  state = 'running';
  readonly destination = {};
  readonly starts: number[] = [];
  constructor() {
    FakeContext.current = this;
  }
  createGain() {
    return { connect: () => undefined };
  }
  createBuffer(_channels: number, length: number, sampleRate: number) {
    return { duration: length / sampleRate, copyToChannel: () => undefined };
  }
  createBufferSource() {
    const starts = this.starts;
    return {
      buffer: null as unknown,
      onended: null as unknown,
      connect: () => undefined,
      start: (at: number) => starts.push(at),
      stop: () => undefined,
    };
  }
  resume() {
    return Promise.resolve();
  }
}

const second = (rate = 24_000) => new Float32Array(rate);
const meta = { start: 0, end: 1, words: 'A' };

describe('StreamPlayer underruns', () => {
  beforeEach(() => {
    vi.resetModules(); // a fresh playback context (one per page) for each test
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    vi.stubGlobal('AudioContext', FakeContext);
    vi.stubGlobal('window', globalThis);
    performance.clearMarks();
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  async function player() {
    const { StreamPlayer, UNDERRUN_MARK } = await import('./stream-player');
    const p = new StreamPlayer();
    p.reset();
    await p.prepare();
    return { p, context: FakeContext.current!, UNDERRUN_MARK };
  }

  it('chunks that arrive while the previous one still plays are back to back: no underrun', async () => {
    const { p, context, UNDERRUN_MARK } = await player();
    p.enqueue(second(), 24_000, meta);
    context.currentTime = 0.6; // the next sentence is ready while the first still plays
    p.enqueue(second(), 24_000, meta);
    context.currentTime = 1.5;
    p.enqueue(second(), 24_000, meta);
    expect(context.starts).toEqual([0.05, 1.05, 2.05]);
    expect(p.underruns).toEqual([]);
    expect(performance.getEntriesByName(UNDERRUN_MARK)).toHaveLength(0);
    p.stop();
  });

  it('a chunk that arrives after the audio ran out is an underrun of the gap heard', async () => {
    const { p, context, UNDERRUN_MARK } = await player();
    p.enqueue(second(), 24_000, meta); // plays 0.05 .. 1.05
    context.currentTime = 1.5; // synthesis was late: silence since 1.05
    p.enqueue(second(), 24_000, meta);
    expect(context.starts[1]).toBeCloseTo(1.55);
    expect(p.underruns).toHaveLength(1);
    expect(p.underruns[0]).toBeCloseTo(0.5);
    const marks = performance.getEntriesByName(UNDERRUN_MARK) as PerformanceMark[];
    expect(marks).toHaveLength(1);
    expect((marks[0]!.detail as { gapMs: number }).gapMs).toBe(500);
    p.stop();
  });

  it('a new playback starts afresh: its first chunk is no underrun, the old gaps are forgotten', async () => {
    const { p, context } = await player();
    p.enqueue(second(), 24_000, meta);
    context.currentTime = 3;
    p.enqueue(second(), 24_000, meta);
    expect(p.underruns).toHaveLength(1);
    p.reset();
    context.currentTime = 10;
    p.enqueue(second(), 24_000, meta);
    expect(p.underruns).toEqual([]);
    p.stop();
  });

  it('after stop nothing is current, though the stopped chunk would still be playing by the clock', async () => {
    const { p, context } = await player();
    p.enqueue(second(), 24_000, { start: 4, end: 9, words: 'words' }); // plays 0.05 .. 1.05
    context.currentTime = 0.5;
    expect(p.current()?.meta).toEqual({ start: 4, end: 9, words: 'words' });
    p.stop();
    expect(p.current()).toBeUndefined();
  });
});

describe('StreamPlayer and the other players (one voice at a time)', () => {
  beforeEach(() => {
    vi.resetModules();
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    vi.stubGlobal('AudioContext', FakeContext);
    vi.stubGlobal('window', globalThis);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  async function modules() {
    const { StreamPlayer } = await import('./stream-player');
    const focus = await import('./playback-focus');
    return { p: new StreamPlayer(), focus };
  }

  it('Generate takes the output: the player holding it is stopped', async () => {
    const { p, focus } = await modules();
    let stopped = 0;
    const other = { stop: () => stopped++ };
    focus.claimPlayback(other);
    p.reset();
    await p.prepare();
    expect(stopped).toBe(1);
    p.stop();
    expect(focus.playbackHolder()).toBeUndefined();
  });

  it('a player started during synthesis silences the parts still to come, until the next Generate', async () => {
    const { p, focus } = await modules();
    p.reset();
    await p.prepare();
    const context = FakeContext.current!;
    p.enqueue(second(), 24_000, meta);
    expect(p.isPlaying).toBe(true);
    focus.claimPlayback({ stop: () => undefined }); // the user plays the blend preview
    expect(p.isPlaying).toBe(false);
    expect(p.current()).toBeUndefined();
    p.enqueue(second(), 24_000, meta); // synthesis goes on: its part is not played over the preview
    expect(context.starts).toHaveLength(1);
    expect(p.isPlaying).toBe(false);
    p.reset();
    await p.prepare(); // the next take plays again
    p.enqueue(second(), 24_000, meta);
    expect(context.starts).toHaveLength(2);
    p.stop();
  });
});
