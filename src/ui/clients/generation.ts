/**
 * Generate and Stop: one synthesis at a time; chunks stream into the player and the take.
 */
import { KOKORO_SAMPLE_RATE_HZ } from '../../engine/tts/types';
import { startTake, takeSeconds } from '../audio/take-registry';
import { streamPlayer } from '../audio/stream-player';
import { studio } from '../store/studio-store';
import { errorMessage, synthesize, ttsWorker } from './tts-client';

export async function generate(): Promise<void> {
  const state = studio.get();
  if (state.synthesisPhase === 'generating' || state.phase !== 'ready' || !state.text.trim()) return;
  const requestId = state.requestId + 1;
  streamPlayer.reset();
  await streamPlayer.prepare();
  const take = startTake(KOKORO_SAMPLE_RATE_HZ, state.voiceId);
  studio.set({
    synthesisPhase: 'generating',
    requestId,
    chunksDone: 0,
    chunksTotal: 0,
    takeId: take.id,
    takeSeconds: 0,
    synthesisError: undefined,
    speaking: undefined,
  });
  performance.clearMarks();
  try {
    const summary = await synthesize(
      {
        requestId,
        text: state.text,
        voice: { kind: 'stock', id: state.voiceId },
        speed: state.speed,
        dialect: state.dialect,
      },
      (chunk) => {
        // After Stop the worker may still finish the chunk it was running: that audio is dropped.
        if (studio.get().requestId !== chunk.requestId || studio.get().synthesisPhase !== 'generating')
          return;
        performance.mark(`timbre:chunk-${chunk.index}`);
        take.chunks.push(chunk.pcm);
        streamPlayer.enqueue(chunk.pcm, chunk.sampleRateHz, {
          start: chunk.start,
          end: chunk.end,
          words: state.text.slice(chunk.start, chunk.end), // the text as submitted, not as edited since
        });
        studio.set({
          chunksDone: chunk.index + 1,
          chunksTotal: chunk.total,
          takeSeconds: takeSeconds(take),
        });
      },
    );
    if (studio.get().requestId !== requestId || studio.get().synthesisPhase !== 'generating') return;
    performance.mark('timbre:synthesis-done');
    studio.set({ synthesisPhase: summary.cancelled ? 'cancelled' : 'done', takeSeconds: takeSeconds(take) });
  } catch (error) {
    if (studio.get().requestId !== requestId || studio.get().synthesisPhase !== 'generating') return;
    studio.set({ synthesisPhase: 'error', synthesisError: errorMessage(error) });
  }
}

/**
 * Stops synthesis and playback at once; what was already synthesised stays in the take.
 * The worker stops between chunks (a chunk on a slow GPU can take seconds): the UI does not
 * wait for it, and whatever it still delivers for this request is dropped.
 */
export function stop(): void {
  const { requestId, synthesisPhase } = studio.get();
  streamPlayer.stop();
  if (synthesisPhase !== 'generating') return;
  ttsWorker()
    .cancel(requestId)
    .catch(() => undefined);
  studio.set({ synthesisPhase: 'cancelled' });
}
