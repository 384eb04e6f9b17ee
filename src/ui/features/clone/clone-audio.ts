/**
 * Listening in the Clone tab: the reference clip as recorded, and Kokoro speaking the same
 * sentence with the nearest stock voice, the instant clone or the best so far (through the
 * studio's TTS worker, so the clone worker's search is not interrupted).
 */
import { runningPlaybackContext } from '../../audio/playback-context';
import { claimPlayback, releasePlayback, type PlaybackOwner } from '../../audio/playback-focus';
import type { VoiceRef } from '../../../workers/protocol';
import { errorMessage, synthesize } from '../../clients/tts-client';
import { studio } from '../../store/studio-store';
import { readTargetClips } from './clone-db';
import { packs } from './clone-registry';

export type ListenKey = 'reference' | 'nearest' | 'instant' | 'best';

/** Synthesis ids of their own, far from the Speak tab's sequence. */
let nextRequestId = 2_000_000_000;
let source: AudioBufferSourceNode | undefined;
let generation = 0;
/** One voice at a time: another player starting stops the row playing (or about to). */
const focus: PlaybackOwner = { stop: () => stopListening() };

export function stopListening(): void {
  generation++;
  source?.stop();
  source = undefined;
  releasePlayback(focus);
  studio.set({ clonePlaying: undefined, cloneRendering: undefined });
}

async function play(pcm: Float32Array, sampleRateHz: number, key: ListenKey, ticket: number): Promise<void> {
  const context = await runningPlaybackContext();
  if (ticket !== generation) return;
  if (pcm.length === 0) {
    releasePlayback(focus);
    studio.set({ cloneRendering: undefined });
    return;
  }
  const buffer = context.createBuffer(1, pcm.length, sampleRateHz);
  buffer.copyToChannel(pcm as Float32Array<ArrayBuffer>, 0);
  const node = context.createBufferSource();
  node.buffer = buffer;
  node.connect(context.destination);
  node.onended = () => {
    if (source === node) {
      source = undefined;
      releasePlayback(focus);
      studio.set({ clonePlaying: undefined });
    }
  };
  source = node;
  claimPlayback(focus);
  node.start();
  studio.set({ clonePlaying: key, cloneRendering: undefined });
}

function voiceFor(key: Exclude<ListenKey, 'reference'>): VoiceRef | undefined {
  if (key === 'nearest') {
    const id = studio.get().cloneJob?.nearest?.id;
    return id ? { kind: 'stock', id } : undefined;
  }
  const pack = key === 'best' ? packs.best : packs.instant;
  return pack ? { kind: 'pack', name: `clone-${key}`, data: pack.slice() } : undefined;
}

/** Plays one A/B row (stops whatever plays). */
export async function listen(key: ListenKey): Promise<void> {
  stopListening();
  const ticket = generation;
  const state = studio.get();
  try {
    if (key === 'reference') {
      const targetId = state.cloneJob?.targetId ?? state.cloneTargetId;
      const clip = targetId ? (await readTargetClips(targetId))[0] : undefined;
      if (!clip) throw new Error('The target has no clip to play.');
      await play(clip.pcm, clip.sampleRateHz, key, ticket);
      return;
    }
    if (state.phase !== 'ready') throw new Error('Kokoro is still loading; try again in a moment.');
    const voice = voiceFor(key);
    if (!voice) throw new Error('That voice is not ready yet.');
    // The row holds the output from here, while it renders too: a player started meanwhile
    // stops it (the render is then dropped), and what plays now stops at once.
    claimPlayback(focus);
    const text = state.cloneListenText.trim() || 'Hello.';
    studio.set({ cloneRendering: key });
    const chunks: Float32Array[] = [];
    let rate = 24000;
    const requestId = nextRequestId++;
    await synthesize({ requestId, text, voice, speed: 1, dialect: state.dialect }, (chunk) => {
      chunks.push(chunk.pcm);
      rate = chunk.sampleRateHz;
    });
    if (ticket !== generation) return;
    const pcm = new Float32Array(chunks.reduce((n, c) => n + c.length, 0));
    let offset = 0;
    for (const chunk of chunks) {
      pcm.set(chunk, offset);
      offset += chunk.length;
    }
    await play(pcm, rate, key, ticket);
  } catch (error) {
    if (ticket !== generation) return;
    releasePlayback(focus); // nothing plays: the output is free again
    studio.set({ cloneRendering: undefined, cloneError: `Could not play it: ${errorMessage(error)}` });
  }
}
