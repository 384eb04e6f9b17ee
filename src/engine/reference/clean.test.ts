/** The clean-up pipeline with stand-in models: an energy "VAD" and a counting denoiser. */
import { describe, expect, it } from 'vitest';
import { measureLoudnessDbfs } from '../audio/mix';
import { espeakSpeech, tone } from '../../test-support/audio';
import { AbortedError } from '../progress';
import { clampRegion, cleanClip, ingestAudio, VadLoadError, type CleanDependencies } from './clean';
import { CLIP_SAMPLE_RATE_HZ, MAX_CLIP_S } from './clip-policy';
import { SILERO_FRAME_SAMPLES } from './silero';

const RATE = CLIP_SAMPLE_RATE_HZ;

/** Probability 1 for frames with any signal above 0.01, else 0; records what it was given. */
function energyVad(calls: number[] = []): CleanDependencies['vadProbabilities'] {
  return async (pcm16k) => {
    calls.push(pcm16k.length);
    const frames = Math.ceil(pcm16k.length / SILERO_FRAME_SAMPLES);
    return Float32Array.from({ length: frames }, (_, f) => {
      const frame = pcm16k.subarray(f * SILERO_FRAME_SAMPLES, (f + 1) * SILERO_FRAME_SAMPLES);
      return frame.some((x) => Math.abs(x) > 0.01) ? 1 : 0;
    });
  };
}

/** 1 s silence, 4 s tone, 1 s silence, at 24 kHz. */
function toneInSilence(amplitude = 0.1): Float32Array {
  const pcm = new Float32Array(6 * RATE);
  pcm.set(tone([220], 4, RATE, amplitude), RATE);
  return pcm;
}

describe('ingestAudio', () => {
  it('downmixes, resamples to 24 kHz and measures clipping before resampling', () => {
    const left = tone([440], 1, 48000, 1.2).map((x) => Math.max(-1, Math.min(1, x)));
    const right = new Float32Array(left);
    const out = ingestAudio([left, right], 48000);
    expect(out.pcm.length).toBe(RATE);
    expect(out.sourceS).toBeCloseTo(1, 9);
    expect(out.truncated).toBe(false);
    expect(out.clippingFraction).toBeGreaterThan(0.1);
  });

  it('keeps only the first 5 minutes and says so', () => {
    const rate = 8000;
    const long = new Float32Array((MAX_CLIP_S + 20) * rate);
    const out = ingestAudio([long], rate);
    expect(out.sourceS).toBeCloseTo(MAX_CLIP_S + 20, 6);
    expect(out.truncated).toBe(true);
    expect(out.pcm.length).toBe(MAX_CLIP_S * RATE);
  });

  it("takes the file's length from the decoder when only its start was decoded", () => {
    const rate = 8000;
    const head = new Float32Array((MAX_CLIP_S + 1) * rate);
    const out = ingestAudio([head], rate, 3600);
    expect(out.sourceS).toBe(3600);
    expect(out.truncated).toBe(true);
    expect(out.pcm.length).toBe(MAX_CLIP_S * RATE);
  });
});

describe('clampRegion', () => {
  const CASES = [
    { name: 'none means all', region: undefined, expected: { startS: 0, endS: 4 } },
    { name: 'inside', region: { startS: 1, endS: 2 }, expected: { startS: 1, endS: 2 } },
    { name: 'clamped to the audio', region: { startS: -1, endS: 9 }, expected: { startS: 0, endS: 4 } },
    { name: 'empty means all', region: { startS: 2, endS: 1 }, expected: { startS: 0, endS: 4 } },
  ];
  it.each(CASES)('$name', ({ region, expected }) => expect(clampRegion(region, 4)).toEqual(expected));
});

describe('cleanClip', () => {
  const audio = { pcm: toneInSilence(), sourceS: 6, truncated: false, clippingFraction: 0 };

  it('trims the silence around the speech, keeping the padding', async () => {
    const calls: number[] = [];
    const out = await cleanClip(
      audio,
      { trimSilence: true, denoise: false, normalise: false },
      { vadProbabilities: energyVad(calls) },
    );
    expect(calls).toEqual([6 * 16000]); // the VAD ran once, at 16 kHz
    expect(out.speechS).toBeGreaterThan(3.9);
    expect(out.speechS).toBeLessThan(4.1);
    expect(out.durationS).toBeGreaterThan(4);
    expect(out.durationS).toBeLessThan(4.4);
    expect(out.warnings).toEqual([]);
  });

  it('keeps the length when trimming is off, and normalises loudness when asked', async () => {
    const quiet = { ...audio, pcm: toneInSilence(0.02) };
    const out = await cleanClip(
      quiet,
      { trimSilence: false, denoise: false, normalise: true },
      { vadProbabilities: energyVad() },
    );
    expect(out.pcm.length).toBe(quiet.pcm.length);
    expect(measureLoudnessDbfs(out.pcm, RATE)).toBeGreaterThan(measureLoudnessDbfs(quiet.pcm, RATE) + 6);
  });

  it('cuts to the region first; segments are relative to it', async () => {
    const out = await cleanClip(
      audio,
      { region: { startS: 4, endS: 6 }, trimSilence: false, denoise: false, normalise: false },
      { vadProbabilities: energyVad() },
    );
    expect(out.durationS).toBeCloseTo(2, 3);
    expect(out.segments[0]?.startS).toBe(0);
    expect(out.segments[0]?.endS).toBeCloseTo(1.1, 1);
  });

  it('runs the denoiser over the clip at 48 kHz when asked, and frees it', async () => {
    let frames = 0;
    let disposed = false;
    const deps: CleanDependencies = {
      vadProbabilities: energyVad(),
      createDenoiser: () => ({
        processFrame: () => {
          frames++;
          return 0;
        },
        dispose: () => (disposed = true),
      }),
    };
    await cleanClip(audio, { trimSilence: true, denoise: true, normalise: true }, deps);
    expect(frames).toBe(6 * 100 + 1); // 10 ms frames plus the one-frame delay flush
    expect(disposed).toBe(true);
  });

  it('reports no speech and returns nothing to keep', async () => {
    const silent = { ...audio, pcm: new Float32Array(2 * RATE) };
    const out = await cleanClip(
      silent,
      { trimSilence: true, denoise: false, normalise: true },
      { vadProbabilities: energyVad() },
    );
    expect(out.pcm.length).toBe(0);
    expect(out.speechS).toBe(0);
    expect(out.warnings.map((w) => w.kind)).toEqual(['no-speech']);
  });

  it('warns about short speech', async () => {
    const short = new Float32Array(3 * RATE);
    short.set(tone([220], 1, RATE, 0.1), RATE);
    const out = await cleanClip(
      { ...audio, pcm: short },
      { trimSilence: true, denoise: false, normalise: true },
      { vadProbabilities: energyVad() },
    );
    expect(out.warnings.map((w) => w.kind)).toEqual(['short-speech']);
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      cleanClip(
        audio,
        { trimSilence: true, denoise: false, normalise: true },
        { vadProbabilities: energyVad() },
        controller.signal,
      ),
    ).rejects.toThrow(/Cancelled/);
  });
});

describe('cleanClip when Silero fails', () => {
  /** 1 s silence, a sentence, 1.5 s silence (espeak-ng at 24 kHz). */
  const speech = espeakSpeech(
    'Please call Stella and ask her to bring these things with her from the store.',
    RATE,
  ).pcm;
  const pcm = new Float32Array(speech.length + Math.round(2.5 * RATE));
  pcm.set(speech, RATE);
  const clip = { pcm, sourceS: pcm.length / RATE, truncated: false, clippingFraction: 0 };
  const options = { trimSilence: true, denoise: false, normalise: true };

  const CASES = [
    {
      name: 'the model does not load',
      error: new VadLoadError('HTTP 404'),
      message: 'Silero VAD could not load (HTTP 404); speech was found by loudness instead.',
    },
    {
      name: 'the model fails while running',
      error: new Error('memory access out of bounds.'),
      message:
        'Silero VAD could not run (memory access out of bounds); speech was found by loudness instead.',
    },
  ];
  it.each(CASES)('$name: trims by loudness and says so', async ({ error, message }) => {
    const out = await cleanClip(clip, options, {
      vadProbabilities: () => Promise.reject(error),
    });
    const speechS = speech.length / RATE;
    expect(out.durationS).toBeLessThan(speechS + 0.5); // the 2.5 s of silence went
    expect(out.durationS).toBeGreaterThan(speechS - 0.3);
    expect(out.speechS).toBeGreaterThan(speechS - 0.5);
    expect(out.warnings).toEqual([{ kind: 'vad-fallback', message }]);
  });

  it('does not fall back when cancelled', async () => {
    await expect(
      cleanClip(clip, options, { vadProbabilities: () => Promise.reject(new AbortedError()) }),
    ).rejects.toThrow(/Cancelled/);
  });
});
