import { WeSpeakerFeatureExtractor } from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';
import { espeakSpeech, SPEECH_SENTENCES, tone } from '../../test-support/audio';
import { computeFbank, FBANK_MEL_BINS, fbankFrameCount, meanNormalise } from './fbank';
import { hzToMel } from './mel';

const RATE_HZ = 16000;
const PARITY_TOLERANCE = 1e-3;

/**
 * The reference: transformers.js's WeSpeakerFeatureExtractor with the wespeaker-voxceleb-
 * resnet34-LM preprocessor config. `fbank_centering_span: null` turns on its mean
 * normalisation; leaving it undefined gives the raw log-mel fbank.
 */
async function referenceFbank(
  samples: Float32Array,
  meanNormalised: boolean,
): Promise<{ data: Float32Array; frames: number }> {
  const config: Record<string, unknown> = {
    feature_extractor_type: 'WeSpeakerFeatureExtractor',
    feature_size: 80,
    num_mel_bins: 80,
    sampling_rate: RATE_HZ,
    min_num_frames: null,
    padding_side: 'right',
    padding_value: 0,
    return_attention_mask: false,
  };
  if (meanNormalised) config.fbank_centering_span = null;
  const extractor = new WeSpeakerFeatureExtractor(config);
  const { input_features: features } = await extractor(samples);
  const [batch, frames, bins] = features.dims as number[];
  expect([batch, bins]).toEqual([1, FBANK_MEL_BINS]);
  return { data: features.data as Float32Array, frames: frames! };
}

function maxAbsDifference(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

describe('fbankFrameCount (snip_edges)', () => {
  const CASES = [
    { samples: 0, frames: 0 },
    { samples: 399, frames: 0 },
    { samples: 400, frames: 1 },
    { samples: 559, frames: 1 },
    { samples: 560, frames: 2 },
    { samples: 16000, frames: 98 },
  ];
  it.each(CASES)('$samples samples -> $frames frames', ({ samples, frames }) => {
    expect(fbankFrameCount(samples)).toBe(frames);
    const fbank = computeFbank(new Float32Array(samples).fill(0.01));
    expect(fbank.frames).toBe(frames);
    expect(fbank.data.length).toBe(frames * FBANK_MEL_BINS);
  });
});

describe('computeFbank parity with transformers.js WeSpeakerFeatureExtractor', () => {
  const SPEECH_CASES = [
    { voice: 'en-us+m3', sentence: SPEECH_SENTENCES[0]! },
    { voice: 'en-us+f3', sentence: SPEECH_SENTENCES[1]! },
    { voice: 'en-gb', sentence: SPEECH_SENTENCES[2]! },
  ];
  it.each(SPEECH_CASES)(
    'espeak-ng $voice speech, mean-normalised and raw: max |diff| <= 1e-3',
    async ({ voice, sentence }) => {
      const { pcm } = espeakSpeech(sentence, RATE_HZ, { voice });
      expect(pcm.length).toBeGreaterThan(RATE_HZ * 2);
      const raw = computeFbank(pcm);
      const normalised = meanNormalise(raw);
      const referenceNormalised = await referenceFbank(pcm, true);
      const referenceRaw = await referenceFbank(pcm, false);
      expect(raw.frames).toBe(referenceRaw.frames);
      expect(maxAbsDifference(normalised.data, referenceNormalised.data)).toBeLessThanOrEqual(
        PARITY_TOLERANCE,
      );
      expect(maxAbsDifference(raw.data, referenceRaw.data)).toBeLessThanOrEqual(PARITY_TOLERANCE);
    },
  );

  const SYNTHETIC_CASES = [
    { name: 'loud low tone', pcm: tone([130, 260, 390], 0.5, RATE_HZ, 0.3) },
    { name: 'high tone near Nyquist', pcm: tone([7600], 0.3, RATE_HZ, 0.5) },
    {
      name: 'quiet noise',
      pcm: Float32Array.from({ length: 6000 }, (_, i) => 1e-3 * Math.sin(i * i * 0.37)),
    },
    { name: 'DC offset', pcm: new Float32Array(3000).fill(0.5) },
  ];
  it.each(SYNTHETIC_CASES)('$name: raw max |diff| <= 1e-3', async ({ pcm }) => {
    const reference = await referenceFbank(pcm, false);
    expect(maxAbsDifference(computeFbank(pcm).data, reference.data)).toBeLessThanOrEqual(PARITY_TOLERANCE);
  });
});

describe('computeFbank behaviour', () => {
  it('puts a 1 kHz tone in the mel bin whose centre is nearest 1 kHz', () => {
    const fbank = computeFbank(tone([1000], 0.5, RATE_HZ, 0.5));
    const melLow = hzToMel(20);
    const melDelta = (hzToMel(8000) - melLow) / (FBANK_MEL_BINS + 1);
    const expectedBin = Math.round((hzToMel(1000) - melLow) / melDelta) - 1;
    const row = fbank.data.subarray(10 * FBANK_MEL_BINS, 11 * FBANK_MEL_BINS);
    expect(row.indexOf(Math.max(...row))).toBe(expectedBin);
  });

  it('floors digital silence at log(FLT_EPSILON) (DC removal makes a constant silent)', () => {
    const fbank = computeFbank(new Float32Array(1000).fill(0.25));
    for (const value of fbank.data) expect(value).toBeCloseTo(Math.log(1.1920928955078125e-7), 5);
  });
});

describe('meanNormalise', () => {
  it('zeroes every bin mean over time and leaves the input untouched', () => {
    const fbank = computeFbank(
      tone([200, 900, 3100], 1, RATE_HZ, 0.2).map((x, i) => x * (1 + Math.sin(i / 800))),
    );
    const before = Float32Array.from(fbank.data);
    const normalised = meanNormalise(fbank);
    expect(fbank.data).toEqual(before);
    expect(normalised.frames).toBe(fbank.frames);
    for (let m = 0; m < FBANK_MEL_BINS; m++) {
      let sum = 0;
      for (let t = 0; t < normalised.frames; t++) sum += normalised.data[t * FBANK_MEL_BINS + m]!;
      expect(Math.abs(sum / normalised.frames)).toBeLessThan(1e-4);
    }
    // Differences between frames are what remains.
    const d = (data: Float32Array) => data[5 * FBANK_MEL_BINS + 7]! - data[50 * FBANK_MEL_BINS + 7]!;
    expect(d(normalised.data)).toBeCloseTo(d(fbank.data), 4);
  });

  it('handles zero frames', () => {
    expect(meanNormalise(computeFbank(new Float32Array(10))).frames).toBe(0);
  });
});
