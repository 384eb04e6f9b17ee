/**
 * What a clone job is made of, in one place: the app's clone worker and the real-model clone
 * benchmark both read it, so the benchmark measures the configuration users get (no setting
 * exists only in the benchmark).
 */

/** The library a clone searches: American and British English voices (ids a*_ and b*_), the voices Kokoro speaks English with. */
export const LIBRARY_VOICE_ID = /^[ab][fm]_/;

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
