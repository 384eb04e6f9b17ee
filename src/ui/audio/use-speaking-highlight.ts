import { useEffect } from 'react';
import { studio } from '../store/studio-store';
import { streamPlayer } from './stream-player';

const POLL_MS = 150;

/** Follows the stream player and records which part of the text is being spoken. */
export function useSpeakingHighlight(): void {
  useEffect(() => {
    const timer = window.setInterval(() => {
      const current = streamPlayer.current()?.meta;
      const prev = studio.get().speaking;
      if (current !== prev) studio.set({ speaking: current });
    }, POLL_MS);
    return () => window.clearInterval(timer);
  }, []);
}
