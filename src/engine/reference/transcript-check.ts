/**
 * Does a target's transcript plausibly say what its clips say? Without a speech recogniser the
 * check is one of length: the transcript's words against the seconds of speech the VAD found in
 * the clips. People read aloud at a fairly steady rate, so a transcript with far too few words
 * for the speech (a sentence for a minute of talk, the transcript of one clip out of several)
 * or far too many (a whole script for a few seconds) cannot be what the clips say. Within the
 * band nothing can be told: a wrong transcript of the right length passes.
 *
 * The band, in words per second of speech (VAD speech: pauses of 0.3 s or more left out):
 *   - LibriSpeech test-other, the 50 clips of 5 speakers in shared/speech (word counts from
 *     PocketSphinx, so about ±15 %; speech from Silero with this app's VAD settings):
 *     1.9 to 4.0 words/s, median 3.1. Over the whole clip, pauses included (what is summed
 *     when a clip has no VAD measure), 1.3 to 3.4, median 2.4.
 *   - KVoiceWalk's example target (shared/targets/kvoicewalk): its 44-word transcript over
 *     22.4 s of speech, 1.96 words/s (1.63 over all 26.95 s).
 *   - Fast conversational English is 4 to 5 words/s; slow, careful reading about 2.
 * So a transcript is flagged below 1 word/s (half the slowest clip measured on speech, a
 * quarter under the slowest whole-clip rate) and above 5 words/s (a quarter over the fastest
 * clip), with 2 words of slack either way so short clips and counting noise (a number written
 * as digits counts as one word, "3,500" as two) do not trip it. Words rather than phonemes:
 * phonemes are made in a worker, words are known as the user types, and the band is wide
 * enough that the difference in word length between texts does not matter.
 */
import { wordsOf } from '../text/word-error-rate';

/** Fewer words per second of speech than this: the transcript is too short for the clips. */
export const TRANSCRIPT_MIN_WORDS_PER_S = 1;
/** More words per second of speech than this: the transcript is too long for the clips. */
export const TRANSCRIPT_MAX_WORDS_PER_S = 5;
/** Words allowed beyond the band either way (short clips, digits, counting noise). */
export const TRANSCRIPT_SLACK_WORDS = 2;
/** What read speech usually runs at (words per second of speech), for the message. */
export const TYPICAL_WORDS_PER_S = { low: 2, high: 4 } as const;

export type TranscriptMismatch = 'too-short' | 'too-long';

export interface TranscriptLengthWarning {
  kind: TranscriptMismatch;
  words: number;
  speechS: number;
  /** words / speechS */
  wordsPerS: number;
  message: string;
}

/** Words in a transcript, counted as the word error rate counts them. */
export function transcriptWordCount(transcript: string): number {
  return wordsOf(transcript).length;
}

/** "27 s", "4.3 s": whole seconds from 10 s up. */
function seconds(s: number): string {
  return s >= 10 ? `${Math.round(s)} s` : `${(Math.round(s * 10) / 10).toFixed(1)} s`;
}

function words(n: number): string {
  return `${n} word${n === 1 ? '' : 's'}`;
}

/** Rounds a usual word count to a figure people say (5s under 100, 10s above). */
function roughly(n: number): number {
  const step = n < 100 ? 5 : 10;
  return Math.max(1, Math.round(n / step) * step);
}

/**
 * A warning when the transcript's length does not fit `speechS` seconds of speech (all the
 * target's clips together); undefined when it fits, when there is no transcript, or no speech.
 */
export function checkTranscriptLength(
  transcript: string | undefined,
  speechS: number,
): TranscriptLengthWarning | undefined {
  const count = transcript ? transcriptWordCount(transcript) : 0;
  if (count === 0 || !Number.isFinite(speechS) || speechS <= 0) return undefined;
  let kind: TranscriptMismatch;
  if (count < TRANSCRIPT_MIN_WORDS_PER_S * speechS - TRANSCRIPT_SLACK_WORDS) kind = 'too-short';
  else if (count > TRANSCRIPT_MAX_WORDS_PER_S * speechS + TRANSCRIPT_SLACK_WORDS) kind = 'too-long';
  else return undefined;
  const usual = `${roughly(TYPICAL_WORDS_PER_S.low * speechS)} to ${roughly(TYPICAL_WORDS_PER_S.high * speechS)}`;
  const facts = `${words(count)} for ${seconds(speechS)} of speech, where ${usual} would be usual`;
  const message =
    kind === 'too-short'
      ? `The transcript is much shorter than the speech in the clips (${facts}). If it does not say what the clips say, the clone will be compared on the wrong words. Fix it, or leave it empty.`
      : `The transcript is much longer than the speech in the clips (${facts}). If it says more than the clips do, the clone will be compared on the wrong words. Cut it to what the clips say, or leave it empty.`;
  return { kind, words: count, speechS, wordsPerS: count / speechS, message };
}
