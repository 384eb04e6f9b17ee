/**
 * Gapless streaming playback: chunks are scheduled back to back on one AudioContext as
 * they arrive, so the first sentence plays while the rest is still being synthesised.
 */

/** Small lead so the first buffer never starts in the past. */
const SCHEDULE_LEAD_S = 0.05;

export interface ScheduledChunk {
  startAt: number;
  endAt: number;
  meta: { start: number; end: number };
}

export class StreamPlayer {
  private context: AudioContext | undefined;
  private sources: AudioBufferSourceNode[] = [];
  private scheduled: ScheduledChunk[] = [];
  private nextStart = 0;
  private gain: GainNode | undefined;

  /** Call from the click that starts generation so autoplay policies allow sound. */
  async prepare(): Promise<void> {
    if (!this.context) {
      this.context = new AudioContext({ latencyHint: 'interactive' });
      this.gain = this.context.createGain();
      this.gain.connect(this.context.destination);
    }
    if (this.context.state === 'suspended') await this.context.resume();
  }

  reset(): void {
    this.stop();
    this.nextStart = 0;
    this.scheduled = [];
  }

  enqueue(pcm: Float32Array, sampleRateHz: number, meta: { start: number; end: number }): void {
    const context = this.context;
    const gain = this.gain;
    if (!context || !gain || pcm.length === 0) return;
    const buffer = context.createBuffer(1, pcm.length, sampleRateHz);
    buffer.copyToChannel(pcm as Float32Array<ArrayBuffer>, 0);
    const source = context.createBufferSource();
    source.buffer = buffer;
    source.connect(gain);
    const startAt = Math.max(context.currentTime + SCHEDULE_LEAD_S, this.nextStart);
    source.start(startAt);
    if (this.scheduled.length === 0) performance.mark('timbre:playback-start');
    this.nextStart = startAt + buffer.duration;
    this.sources.push(source);
    this.scheduled.push({ startAt, endAt: this.nextStart, meta });
    source.onended = () => {
      this.sources = this.sources.filter((s) => s !== source);
    };
  }

  /** The chunk playing now, for highlighting the text being spoken. */
  current(): ScheduledChunk | undefined {
    const now = this.context?.currentTime ?? 0;
    return this.scheduled.find((c) => now >= c.startAt && now < c.endAt);
  }

  get isPlaying(): boolean {
    return this.sources.length > 0;
  }

  stop(): void {
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
