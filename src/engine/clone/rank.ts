/**
 * Ranking the stock voices against a reference: every voice is scored once, fully (no early
 * exit). Measurements go through the scorer's cache under the voice's id, so ranking the
 * same library against another reference with the same probes costs no rendering at all.
 *
 * A voice whose measurement is bad (BadMeasurementError: Kokoro rendered unusable audio, or
 * the encoder a NaN embedding) is skipped, not scored: it is left out of the ranking (so out
 * of the walk's population and the instant map's anchors) and reported through `onSkip`. Only
 * when every voice is refused does the ranking fail (RendersKeepFailingError): there is
 * nothing to start from.
 */
import { throwIfAborted } from '../progress';
import type { CandidateScore, CloneScorer } from './score';
import { isBadMeasurement, refusalReason, RENDERS_FAILING_ADVICE, RendersKeepFailingError } from './search';
import type { NamedPack } from './types';

export interface RankedVoice extends NamedPack {
  score: CandidateScore;
}

export interface RankOptions {
  signal?: AbortSignal;
  /** After each voice, scored or skipped: `done` counts both. */
  onVoice?: (voice: RankedVoice, done: number, total: number) => void;
  /** A voice was skipped (bad measurement): why, and how many so far. */
  onSkip?: (voice: NamedPack, reason: string, skipped: number) => void;
}

/** All voices scored, best first (ties keep library order); voices with a bad measurement left out. */
export async function rankVoices(
  voices: readonly NamedPack[],
  scorer: CloneScorer,
  options: RankOptions = {},
): Promise<RankedVoice[]> {
  const ranked: RankedVoice[] = [];
  let skipped = 0;
  let lastReason = '';
  for (const voice of voices) {
    throwIfAborted(options.signal);
    let scored;
    try {
      scored = await scorer.score(voice.pack, {
        cacheId: voice.id,
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (error) {
      if (!isBadMeasurement(error)) throw error;
      throwIfAborted(options.signal); // a pause during the bad rendering is a pause
      skipped++;
      lastReason = refusalReason(error);
      options.onSkip?.(voice, lastReason, skipped);
      continue;
    }
    const { embeddings: _unused, ...score } = scored;
    const entry = { id: voice.id, pack: voice.pack, score };
    ranked.push(entry);
    options.onVoice?.(entry, ranked.length + skipped, voices.length);
  }
  if (voices.length > 0 && ranked.length === 0) {
    throw new RendersKeepFailingError(
      `Renders keep failing: every stock voice was refused while ranking them (${lastReason}). ${RENDERS_FAILING_ADVICE}, then start again.`,
    );
  }
  return ranked
    .map((entry, order) => ({ entry, order }))
    .sort((a, b) => b.entry.score.score - a.entry.score.score || a.order - b.order)
    .map(({ entry }) => entry);
}
