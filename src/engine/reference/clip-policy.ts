/**
 * What a reference clip must be, and what the user is told when it is not: limits on length,
 * warnings for short speech and clipping. Pure functions, so the messages are tested.
 */

/** Recordings stop on their own here. */
export const MAX_RECORDING_S = 60;
/** Longer uploads keep only this much (more adds little to a voice and costs memory). */
export const MAX_CLIP_S = 300;
/** Below this much speech the speaker embedding (and so the clone) is unreliable. */
export const MIN_SPEECH_S = 3;
/** A share of full-scale samples above this is audible distortion, not one stray peak. */
export const CLIPPING_WARN_FRACTION = 0.0005;
/** Sample rate of stored clips (Kokoro's rate; the scorer compares at this rate). */
export const CLIP_SAMPLE_RATE_HZ = 24000;
/** Sample rate the speaker encoder and the VAD work at. */
export const ENCODER_SAMPLE_RATE_HZ = 16000;

export interface ClipFacts {
  /** Duration of the audio as given (before truncation), seconds. */
  sourceS: number;
  /** Seconds of speech the VAD found; undefined when the VAD did not run. */
  speechS?: number;
  /** Fraction of samples at full scale in the audio as given. */
  clippingFraction: number;
}

export type ClipWarningKind = 'truncated' | 'no-speech' | 'short-speech' | 'clipping' | 'vad-fallback';

export interface ClipWarning {
  kind: ClipWarningKind;
  message: string;
}

/** Keeps at most MAX_CLIP_S of audio; `truncated` says whether anything was dropped. */
export function truncateToMax(
  pcm: Float32Array,
  sampleRateHz: number,
  maxS = MAX_CLIP_S,
): { pcm: Float32Array; truncated: boolean } {
  const maxSamples = Math.round(maxS * sampleRateHz);
  if (pcm.length <= maxSamples) return { pcm, truncated: false };
  return { pcm: pcm.slice(0, maxSamples), truncated: true };
}

/** minutes:seconds, e.g. 7:05, for durations in messages. */
export function formatMinutes(seconds: number): string {
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

/** Warnings for a clip, most serious first. */
export function clipWarnings(facts: ClipFacts): ClipWarning[] {
  const warnings: ClipWarning[] = [];
  if (facts.speechS !== undefined && facts.speechS <= 0) {
    warnings.push({
      kind: 'no-speech',
      message:
        'No speech was found in this audio. Check that the right microphone or file was used, and that someone is speaking.',
    });
  } else if (facts.speechS !== undefined && facts.speechS < MIN_SPEECH_S) {
    warnings.push({
      kind: 'short-speech',
      message: `Only ${(Math.floor(facts.speechS * 10) / 10).toFixed(1)} s of speech: a clone from less than ${MIN_SPEECH_S} s will be weak. 10 to 30 s of clear speech works best.`,
    });
  }
  if (facts.sourceS > MAX_CLIP_S) {
    warnings.push({
      kind: 'truncated',
      message: `The audio is ${formatMinutes(facts.sourceS)} long: only the first ${MAX_CLIP_S / 60} minutes are kept.`,
    });
  }
  if (facts.clippingFraction > CLIPPING_WARN_FRACTION) {
    warnings.push({
      kind: 'clipping',
      message: `The audio clips (${(facts.clippingFraction * 100).toFixed(2)} % of samples at full scale): the distortion will colour the voice. Record a little quieter or further from the microphone.`,
    });
  }
  return warnings;
}

/**
 * The note for a clip whose speech was found by the energy fallback because Silero VAD could
 * not `stage` (load or run); `reason` is the short cause, e.g. "HTTP 404".
 */
export function vadFallbackWarning(stage: 'load' | 'run', reason: string): ClipWarning {
  const cause = reason.trim().replace(/\.+$/, '') || 'unknown error';
  return {
    kind: 'vad-fallback',
    message: `Silero VAD could not ${stage} (${cause}); speech was found by loudness instead.`,
  };
}
