import { describe, expect, it } from 'vitest';
import {
  checkTranscriptLength,
  TRANSCRIPT_MAX_WORDS_PER_S,
  TRANSCRIPT_MIN_WORDS_PER_S,
  TRANSCRIPT_SLACK_WORDS,
  transcriptWordCount,
} from './transcript-check';
import { KVOICEWALK_TRANSCRIPT } from '../../test-support/shared';

/** KVoiceWalk's example target (shared/targets/kvoicewalk): 26.95 s, 22.41 s of it speech (Silero). */
const LIGHTHOUSE = KVOICEWALK_TRANSCRIPT;
const KVOICEWALK_DURATION_S = 26.95;
const KVOICEWALK_SPEECH_S = 22.41;

/** n words of filler text. */
function text(n: number): string {
  return Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 'word' : 'another')).join(' ');
}

describe('transcript length check', () => {
  it('counts words as the word error rate does', () => {
    expect(transcriptWordCount(LIGHTHOUSE)).toBe(44);
    expect(transcriptWordCount('  “Well,” it’s 12 o’clock — twenty-four! ')).toBe(6);
    expect(transcriptWordCount(' ... ')).toBe(0);
  });

  it("passes KVoiceWalk's example: 44 words for 22.4 s of speech (26.95 s in all)", () => {
    expect(checkTranscriptLength(LIGHTHOUSE, KVOICEWALK_SPEECH_S)).toBeUndefined();
    expect(checkTranscriptLength(LIGHTHOUSE, KVOICEWALK_DURATION_S)).toBeUndefined();
  });

  it('passes the extremes of real read speech (LibriSpeech test-other, shared/speech)', () => {
    // [words (PocketSphinx), seconds]: the slowest and fastest on Silero speech, the slowest
    // over the whole clip, and the longest clip.
    const clips: [number, number][] = [
      [7, 3.68], // 2609-156975-0001, 1.9 words/s
      [12, 3.01], // 2033-164914-0004, 4.0 words/s
      [4, 3.03], // 2414-128291-0008, whole clip, 1.3 words/s
      [46, 17.57], // 2609-156975-0004
      [40, 19.91], // 2609-156975-0007, whole clip, 2.0 words/s
    ];
    for (const [words, speechS] of clips) expect(checkTranscriptLength(text(words), speechS)).toBeUndefined();
  });

  it('warns when one sentence stands for a minute of speech, and says which way it is off', () => {
    const warning = checkTranscriptLength(
      "The old lighthouse keeper never imagined that one day he'd be guiding ships.",
      60,
    );
    expect(warning).toMatchObject({ kind: 'too-short', words: 13, speechS: 60 });
    expect(warning!.wordsPerS).toBeCloseTo(13 / 60, 10);
    expect(warning!.message).toBe(
      'The transcript is much shorter than the speech in the clips (13 words for 60 s of speech, where 120 to 240 would be usual). If it does not say what the clips say, the clone will be compared on the wrong words. Fix it, or leave it empty.',
    );
  });

  it('warns when the transcript covers one clip of three', () => {
    // The lighthouse sentence against three clips of its length.
    expect(checkTranscriptLength(LIGHTHOUSE, 3 * KVOICEWALK_SPEECH_S)?.kind).toBe('too-short');
  });

  it('warns when a 200-word script stands for 5 s of speech', () => {
    const warning = checkTranscriptLength(text(200), 5);
    expect(warning).toMatchObject({ kind: 'too-long', words: 200, wordsPerS: 40 });
    expect(warning!.message).toBe(
      'The transcript is much longer than the speech in the clips (200 words for 5.0 s of speech, where 10 to 20 would be usual). If it says more than the clips do, the clone will be compared on the wrong words. Cut it to what the clips say, or leave it empty.',
    );
  });

  it('does not check an empty transcript, or clips without speech', () => {
    expect(checkTranscriptLength(undefined, 30)).toBeUndefined();
    expect(checkTranscriptLength('', 30)).toBeUndefined();
    expect(checkTranscriptLength('  , . ! ', 30)).toBeUndefined();
    expect(checkTranscriptLength(LIGHTHOUSE, 0)).toBeUndefined();
    expect(checkTranscriptLength(LIGHTHOUSE, Number.NaN)).toBeUndefined();
  });

  it('leaves slack for short clips: a one-word greeting in 2 s, eight words in 1 s', () => {
    expect(checkTranscriptLength('Hello.', 2)).toBeUndefined();
    expect(checkTranscriptLength('Hello.', 3)).toBeUndefined();
    expect(checkTranscriptLength(text(7), 1)).toBeUndefined();
  });

  it('flags just outside the band and not on its edges', () => {
    const s = 20;
    const low = TRANSCRIPT_MIN_WORDS_PER_S * s - TRANSCRIPT_SLACK_WORDS;
    const high = TRANSCRIPT_MAX_WORDS_PER_S * s + TRANSCRIPT_SLACK_WORDS;
    expect(checkTranscriptLength(text(low), s)).toBeUndefined();
    expect(checkTranscriptLength(text(low - 1), s)?.kind).toBe('too-short');
    expect(checkTranscriptLength(text(high), s)).toBeUndefined();
    expect(checkTranscriptLength(text(high + 1), s)?.kind).toBe('too-long');
  });
});
