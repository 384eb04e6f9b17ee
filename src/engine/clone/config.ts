/**
 * What a clone job is made of, in one place: the app's clone worker and the real-model clone
 * benchmark both read it, so the benchmark measures the configuration users get (no setting
 * exists only in the benchmark).
 */
import type { Dialect, TextFrontend } from '../text';
import type { Probe } from './types';

/** The library a clone searches: American and British English voices (ids a*_ and b*_), the voices Kokoro speaks English with. */
const LIBRARY_VOICE_ID = /^[ab][fm]_/;

export function isLibraryVoice(id: string): boolean {
  return LIBRARY_VOICE_ID.test(id);
}

/**
 * Fixed probe sentences (about 2-3 s each: every evaluation renders them). `target` is
 * rendered when the user gave no transcript; `self` is the second text of self similarity.
 */
export const TARGET_PROBE_TEXT = 'The rainbow appeared after the storm had passed.';
export const SELF_PROBE_TEXT = 'She packed her bags and walked quickly to the station.';

/**
 * The transcript probe: what a candidate speaks to be compared with a reference whose
 * transcript is known. Text changes speaker embeddings, so the candidate speaks the
 * reference's own words; but every evaluation renders it, and rendering cost grows with its
 * length (the real int8 Kokoro on one WASM thread: ~60 ms per token in Node, ~130 ms in a
 * browser), so the search speaks the transcript's first words up to this many tokens (cut
 * at a clause or word break; about 4 s of speech, plenty for a speaker encoder). The final
 * evaluation (final-evaluation.ts) speaks the whole transcript.
 */
export const TRANSCRIPT_PROBE_MAX_TOKENS = 64;

/** The clone probes as Kokoro tokens, made by the app's text frontend from the texts above. */
export interface CloneProbes {
  target: Probe;
  self: Probe;
}

async function firstChunkTokens(
  frontend: Pick<TextFrontend, 'prepare'>,
  text: string,
  dialect: Dialect,
  maxTokens?: number,
): Promise<number[] | undefined> {
  const prepared = await frontend.prepare(text, dialect, {
    chunking: 'sentence',
    ...(maxTokens !== undefined ? { maxTokens } : {}),
  });
  return prepared.chunks.find((chunk) => chunk.tokenIds.length > 0)?.tokenIds;
}

/** The fixed probes (`probe-target`, `probe-self`) in `dialect`. */
export async function cloneProbes(
  frontend: Pick<TextFrontend, 'prepare'>,
  dialect: Dialect,
): Promise<CloneProbes> {
  const [target, self] = await Promise.all([
    firstChunkTokens(frontend, TARGET_PROBE_TEXT, dialect),
    firstChunkTokens(frontend, SELF_PROBE_TEXT, dialect),
  ]);
  if (!target || !self) throw new Error('The text frontend could not prepare the probe sentences.');
  return { target: { id: 'probe-target', tokenIds: target }, self: { id: 'probe-self', tokenIds: self } };
}

/**
 * The transcript probe's tokens: the transcript's first TRANSCRIPT_PROBE_MAX_TOKENS, cut as the
 * app cuts it (undefined for no speech). `maxTokens` asks for another length (benchmarks).
 */
export function transcriptProbeTokens(
  frontend: Pick<TextFrontend, 'prepare'>,
  transcript: string,
  dialect: Dialect,
  maxTokens = TRANSCRIPT_PROBE_MAX_TOKENS,
): Promise<number[] | undefined> {
  return firstChunkTokens(frontend, transcript, dialect, maxTokens);
}
