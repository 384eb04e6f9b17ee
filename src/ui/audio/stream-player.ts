/**
 * Gapless streaming playback: chunks are scheduled back to back on one AudioContext as
 * they arrive, so the first sentence plays while the rest is still being synthesised.
 * Only a short horizon is scheduled at a time, so an hour of queued speech does not
 * become an hour of AudioBuffers.
 */
import { playbackContext } from './playback-context';
import { claimPlayback, releasePlayback, type PlaybackOwner } from './playback-focus';

/** Small lead so the first buffer never starts in the past. */
const SCHEDULE_LEAD_S = 0.05;
/** How far ahead of the playhead buffers are handed to Web Audio. */
const SCHEDULE_HORIZON_S = 8;
const PUMP_INTERVAL_MS = 250;
/** A chunk scheduled this much after the previous one ended is an audible gap (an underrun). */
const UNDERRUN_TOLERANCE_S = 0.01;
/** Performance mark made at every underrun (detail: { gapMs }); e2e tests read them. */
export const UNDERRUN_MARK = 'timbre:playback-underrun';

/** The part of the text a chunk speaks: its character range, and its words as they were submitted. */
export interface SpokenPart {
  start: number;
  end: number;
  /** Kept with the chunk: the text box may have been edited since. */
  words: string;
}

export interface ScheduledChunk {
  startAt: number;
  endAt: number;
  meta: SpokenPart;
}

interface PendingChunk {
  pcm: Float32Array;
  sampleRateHz: number;
  meta: SpokenPart;
}

export class StreamPlayer {
  private context: AudioContext | undefined;
  private gain: GainNode | undefined;
  private sources: AudioBufferSourceNode[] = [];
  private scheduled: ScheduledChunk[] = [];
  private pending: PendingChunk[] = [];
  private nextStart = 0;
  private pump: number | undefined;
  /** Gaps in the current playback: a chunk arrived after the audio before it had run out. */
  private gaps: number[] = [];
  /**
   * Another player took the output during this generation: the parts still to come are not
   * played (the take keeps them; the result panel plays it). A new generation clears it.
   */
  private silenced = false;
  /**
   * The live playback holds the output from Generate until it is stopped or silenced, the
   * pauses while synthesis catches up included: a player the user starts meanwhile silences it,
   * rather than being cut by the next part to arrive.
   */
  private readonly focus: PlaybackOwner = {
    stop: () => {
      this.silenced = true;
      this.halt();
    },
  };

  /**
   * Call from the click that starts generation so autoplay policies allow sound. The live
   * playback takes the output: whatever else plays stops.
   */
  async prepare(): Promise<void> {
    this.silenced = false;
    claimPlayback(this.focus);
    if (!this.context) {
      this.context = playbackContext();
      this.gain = this.context.createGain();
      this.gain.connect(this.context.destination);
    }
    if (this.context.state === 'suspended') await this.context.resume();
  }

  reset(): void {
    this.stop();
    this.nextStart = 0;
    this.scheduled = [];
    this.gaps = [];
  }

  /** Underruns since the last reset (gaps in seconds): playback that had to wait for synthesis. */
  get underruns(): readonly number[] {
    return this.gaps;
  }

  enqueue(pcm: Float32Array, sampleRateHz: number, meta: SpokenPart): void {
    if (pcm.length === 0 || this.silenced) return;
    this.pending.push({ pcm, sampleRateHz, meta });
    this.schedule();
    this.pump ??= window.setInterval(() => this.schedule(), PUMP_INTERVAL_MS);
  }

  private schedule(): void {
    const context = this.context;
    const gain = this.gain;
    if (!context || !gain) return;
    while (this.pending.length > 0 && this.nextStart - context.currentTime < SCHEDULE_HORIZON_S) {
      const chunk = this.pending.shift()!;
      const buffer = context.createBuffer(1, chunk.pcm.length, chunk.sampleRateHz);
      buffer.copyToChannel(chunk.pcm as Float32Array<ArrayBuffer>, 0);
      const source = context.createBufferSource();
      source.buffer = buffer;
      source.connect(gain);
      const startAt = Math.max(context.currentTime + SCHEDULE_LEAD_S, this.nextStart);
      const gap = startAt - this.nextStart;
      if (this.nextStart > 0 && gap > UNDERRUN_TOLERANCE_S) {
        this.gaps.push(gap);
        performance.mark(UNDERRUN_MARK, { detail: { gapMs: Math.round(gap * 1000) } });
      }
      source.start(startAt);
      if (this.scheduled.length === 0) performance.mark('timbre:playback-start');
      this.nextStart = startAt + buffer.duration;
      this.sources.push(source);
      this.scheduled.push({ startAt, endAt: this.nextStart, meta: chunk.meta });
      source.onended = () => {
        this.sources = this.sources.filter((s) => s !== source);
      };
    }
    // Forget chunks long finished so the list stays short.
    while (this.scheduled.length > 64 && this.scheduled[0]!.endAt < context.currentTime)
      this.scheduled.shift();
    if (this.pending.length === 0 && this.pump !== undefined) {
      window.clearInterval(this.pump);
      this.pump = undefined;
    }
  }

  /** The chunk playing now, for highlighting the text being spoken. */
  current(): ScheduledChunk | undefined {
    const now = this.context?.currentTime ?? 0;
    return this.scheduled.find((c) => now >= c.startAt && now < c.endAt);
  }

  get isPlaying(): boolean {
    return this.sources.length > 0 || this.pending.length > 0;
  }

  /** Stops the live playback (the user's Stop, or a new generation): it releases the output. */
  stop(): void {
    this.halt();
    releasePlayback(this.focus);
  }

  private halt(): void {
    this.pending = [];
    this.scheduled = []; // nothing is playing any more: `current()` says so at once
    if (this.pump !== undefined) window.clearInterval(this.pump);
    this.pump = undefined;
    for (const s of this.sources) {
      try {
        s.stop();
      } catch {
        // already stopped
      }
    }
    this.sources = [];
  }
}

export const streamPlayer = new StreamPlayer();
