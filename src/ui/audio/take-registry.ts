/**
 * Finished and in-progress takes (PCM), kept out of the store. A take is the audio of one
 * Generate: chunks appended as they arrive.
 */
import { concatPcm } from '../../engine/tts/postprocess';

export interface Take {
  id: number;
  sampleRateHz: number;
  chunks: Float32Array[];
  /** The stock voice that spoke it (the WAV's provenance names it). */
  voiceId?: string;
}

const takes = new Map<number, Take>();
let nextId = 1;
/** Keep memory bounded: only the latest few takes stay. */
const MAX_TAKES = 4;

export function startTake(sampleRateHz: number, voiceId?: string): Take {
  const take: Take = { id: nextId++, sampleRateHz, chunks: [], ...(voiceId ? { voiceId } : {}) };
  takes.set(take.id, take);
  while (takes.size > MAX_TAKES) takes.delete(takes.keys().next().value as number);
  return take;
}

export function getTake(id: number | undefined): Take | undefined {
  return id === undefined ? undefined : takes.get(id);
}

export function takePcm(take: Take): Float32Array {
  if (take.chunks.length !== 1) take.chunks = [concatPcm(take.chunks)];
  return take.chunks[0] ?? new Float32Array(0);
}

export function takeSeconds(take: Take): number {
  let n = 0;
  for (const c of take.chunks) n += c.length;
  return n / take.sampleRateHz;
}
