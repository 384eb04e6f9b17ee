/**
 * Plays preview renders and swaps them without a click: the new audio fades in while the old
 * fades out over CROSSFADE_S with Web Audio gain ramps, continuing from the same relative
 * position, so moving a slider sounds like the voice changing mid-sentence.
 */

import { runningPlaybackContext } from '../../audio/playback-context';
import { claimPlayback, releasePlayback, type PlaybackOwner } from '../../audio/playback-focus';

export const CROSSFADE_S = 0.03;
/** Small lead so the ramps never start in the past. */
const START_LEAD_S = 0.005;

interface Voice {
  source: AudioBufferSourceNode;
  gain: GainNode;
  /** context time at which offset 0 of the buffer would have played. */
  origin: number;
  duration: number;
  loop: boolean;
}

export interface PlayOptions {
  loop: boolean;
  /** Continue from where the current audio is (as a fraction of its length), if any plays. */
  keepPosition: boolean;
}

export class PreviewPlayer {
  private context: AudioContext | undefined;
  private current: Voice | undefined;
  private listeners = new Set<(playing: boolean) => void>();
  /** The output is shared (one voice at a time): another player starting stops the preview. */
  readonly focus: PlaybackOwner = { stop: () => this.stop() };

  /** Called with `true` when audio starts and `false` when it ends or stops. */
  onPlayingChange(listener: (playing: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get isPlaying(): boolean {
    return this.current !== undefined;
  }

  /** Playback position in the current audio, as a fraction 0..1 (0 when idle). */
  position(): number {
    const voice = this.current;
    if (!voice || !this.context || voice.duration <= 0) return 0;
    const elapsed = Math.max(0, this.context.currentTime - voice.origin);
    const fraction = elapsed / voice.duration;
    return voice.loop ? fraction % 1 : Math.min(fraction, 1);
  }

  async play(pcm: Float32Array, sampleRateHz: number, options: PlayOptions): Promise<void> {
    if (pcm.length === 0) return;
    const context = await this.ensureContext();
    const buffer = context.createBuffer(1, pcm.length, sampleRateHz);
    buffer.copyToChannel(pcm as Float32Array<ArrayBuffer>, 0);
    claimPlayback(this.focus);
    const fraction = options.keepPosition ? this.position() : 0;
    const offset = fraction >= 1 ? 0 : fraction * buffer.duration;
    const now = context.currentTime + START_LEAD_S;

    this.fadeOut(now);

    const gain = context.createGain();
    gain.gain.setValueAtTime(0, now);
    gain.gain.linearRampToValueAtTime(1, now + CROSSFADE_S);
    gain.connect(context.destination);
    const source = context.createBufferSource();
    source.buffer = buffer;
    source.loop = options.loop;
    source.connect(gain);
    source.start(now, offset);
    const voice: Voice = {
      source,
      gain,
      origin: now - offset,
      duration: buffer.duration,
      loop: options.loop,
    };
    source.onended = () => {
      gain.disconnect();
      if (this.current === voice) {
        this.current = undefined;
        releasePlayback(this.focus);
        this.emit(false);
      }
    };
    this.current = voice;
    this.emit(true);
  }

  /** Looping on or off for what plays now (and what plays next is the caller's choice). */
  setLoop(loop: boolean): void {
    const voice = this.current;
    if (!voice || !this.context) return;
    if (!loop && voice.loop) {
      // Re-anchor so position() stays right when the loop ends at the buffer's end.
      const elapsed = (this.context.currentTime - voice.origin) % voice.duration;
      voice.origin = this.context.currentTime - elapsed;
    }
    voice.loop = loop;
    voice.source.loop = loop;
  }

  stop(): void {
    releasePlayback(this.focus);
    if (!this.context || !this.current) return;
    this.fadeOut(this.context.currentTime + START_LEAD_S);
    this.emit(false);
  }

  private fadeOut(at: number): void {
    const old = this.current;
    this.current = undefined;
    if (!old) return;
    old.gain.gain.cancelScheduledValues(at);
    old.gain.gain.setValueAtTime(old.gain.gain.value, at);
    old.gain.gain.linearRampToValueAtTime(0, at + CROSSFADE_S);
    try {
      old.source.stop(at + CROSSFADE_S + START_LEAD_S);
    } catch {
      // already stopped
    }
  }

  private async ensureContext(): Promise<AudioContext> {
    this.context = await runningPlaybackContext();
    return this.context;
  }

  private emit(playing: boolean): void {
    for (const listener of this.listeners) listener(playing);
  }
}
