/**
 * Ranking the stock voices against a reference: every voice is scored once, fully (no early
 * exit). Measurements go through the scorer's cache under the voice's id, so ranking the
 * same library against another reference with the same probes costs no rendering at all.
 */
import { throwIfAborted } from '../progress';
import type { CandidateScore, CloneScorer } from './score';
import type { NamedPack } from './types';

export interface RankedVoice extends NamedPack {
  score: CandidateScore;
}

export interface RankOptions {
  signal?: AbortSignal;
  onVoice?: (voice: RankedVoice, done: number, total: number) => void;
}

/** All voices scored, best first (ties keep library order). */
export async function rankVoices(
  voices: readonly NamedPack[],
  scorer: CloneScorer,
  options: RankOptions = {},
): Promise<RankedVoice[]> {
  const ranked: RankedVoice[] = [];
  for (const voice of voices) {
    throwIfAborted(options.signal);
    const { embeddings: _unused, ...score } = await scorer.score(voice.pack, {
      cacheId: voice.id,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const entry = { id: voice.id, pack: voice.pack, score };
    ranked.push(entry);
    options.onVoice?.(entry, ranked.length, voices.length);
  }
  return ranked
    .map((entry, order) => ({ entry, order }))
    .sort((a, b) => b.entry.score.score - a.entry.score.score || a.order - b.order)
    .map(({ entry }) => entry);
}
