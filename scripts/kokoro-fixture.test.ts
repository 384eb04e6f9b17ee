/**
 * The fixture Kokoro through onnxruntime-web (WASM, as in the browser): Kokoro's I/O
 * contract and the behaviour the studio relies on (style halves, tokens, speed).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  bandEnergyShares,
  estimateF0Hz,
  highBandShare,
  spectralCentroidHz,
} from '../src/test-support/fixture-models/analysis';
import {
  createSession,
  phonemeIds,
  renderKokoro,
  styleRow,
  type Session,
} from '../src/test-support/fixture-models/fixture-pipeline';
import {
  buildFixtureKokoro,
  KOKORO_SAMPLE_RATE_HZ,
  type KokoroFixtureVariant,
} from '../src/test-support/fixture-models/kokoro-fixture';
import { listStockVoiceIds, readVoicePack } from '../src/test-support/fixture-models/voice-stats';

const SR = KOKORO_SAMPLE_RATE_HZ;
const SENTENCE = phonemeIds('ðə nˈɔɹθ wˈɪnd ænd ðə sˈʌn wɜɹ dɪspjˈuɾɪŋ.');
const SHORT = phonemeIds('hˈɛlO wˈɜɹld');

function mixHalves(timbreFrom: Float32Array, prosodyFrom: Float32Array): Float32Array {
  const style = new Float32Array(256);
  style.set(timbreFrom.subarray(0, 128), 0);
  style.set(prosodyFrom.subarray(128, 256), 128);
  return style;
}

function peak(pcm: Float32Array): number {
  let max = 0;
  for (const x of pcm) max = Math.max(max, Math.abs(x));
  return max;
}

/** Samples per token: every token, pads included, gets the same number of samples. */
function samplesPerToken(pcm: Float32Array, ids: readonly number[]): number {
  return pcm.length / ids.length;
}

let fp32: Session;
let heart: Float32Array;
let adam: Float32Array;

beforeAll(async () => {
  fp32 = await createSession(buildFixtureKokoro());
  heart = styleRow(readVoicePack('af_heart'), 20);
  adam = styleRow(readVoicePack('am_adam'), 20);
});

describe('fixture Kokoro: I/O contract', () => {
  it('has Kokoro input and output names, dtypes and symbolic dims', () => {
    expect(fp32.inputNames).toEqual(['input_ids', 'style', 'speed']);
    expect(fp32.outputNames).toEqual(['waveform']);
    const types = fp32.inputMetadata.map((m) => (m.isTensor ? [m.type, m.shape] : undefined));
    expect(types).toEqual([
      ['int64', [1, 'sequence_length']],
      ['float32', [1, 256]],
      ['float32', [1]],
    ]);
    const out = fp32.outputMetadata[0]!;
    expect(out.isTensor && [out.type, out.shape]).toEqual(['float32', [1, 'num_samples']]);
  });

  it('is a small file that says it is a fixture', () => {
    const bytes = buildFixtureKokoro();
    expect(bytes.length).toBeLessThan(200 * 1024);
    const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
    expect(text).toContain('timbre_fixture');
    expect(text).toContain('NOT Kokoro');
    expect(buildFixtureKokoro()).toEqual(bytes); // deterministic
  });

  it('returns finite audio with a plausible peak and silent pads', async () => {
    const pcm = await renderKokoro(fp32, SENTENCE, heart);
    expect(pcm.every(Number.isFinite)).toBe(true);
    expect(peak(pcm)).toBeGreaterThan(0.25);
    expect(peak(pcm)).toBeLessThan(0.75);
    const hop = samplesPerToken(pcm, SENTENCE);
    expect(Number.isInteger(hop)).toBe(true);
    // Pads fade in/out only over the last/first 15 % of their token.
    expect(peak(pcm.subarray(0, Math.floor(0.8 * hop)))).toBe(0);
    expect(peak(pcm.subarray(pcm.length - Math.floor(0.8 * hop)))).toBe(0);
  });

  it('is continuous across token boundaries (no clicks)', async () => {
    // Harmonics stay below 10 kHz; a jump in amplitude or phase would spray power up to Nyquist.
    for (const voice of ['af_heart', 'am_adam']) {
      const pcm = await renderKokoro(fp32, SENTENCE, styleRow(readVoicePack(voice), 20));
      const hop = samplesPerToken(pcm, SENTENCE);
      const shares = SENTENCE.slice(1).map((_, k) => highBandShare(pcm, SR, (k + 1) * hop, 10_800));
      expect(Math.max(...shares)).toBeLessThan(1e-7);
    }
  });
});

describe('fixture Kokoro: what drives length', () => {
  const TOKEN_COUNTS = [8, 30, 120, 510];
  it.each(TOKEN_COUNTS)('makes %i tokens last in proportion to their count', async (count) => {
    const ids = [0, ...Array.from({ length: count }, (_, i) => [43, 62, 51, 56][i % 4]!), 0];
    const pcm = await renderKokoro(fp32, ids, heart);
    const reference = await renderKokoro(fp32, SHORT, heart);
    expect(samplesPerToken(pcm, ids)).toBe(samplesPerToken(reference, SHORT));
    const msPerToken = (1000 * samplesPerToken(pcm, ids)) / SR;
    expect(msPerToken).toBeGreaterThan(60);
    expect(msPerToken).toBeLessThan(120);
  });

  const SPEEDS = [
    { speed: 1.5, ratio: 1.5 },
    { speed: 0.8, ratio: 0.8 },
    { speed: 2, ratio: 2 },
  ];
  it.each(SPEEDS)('divides the length by speed $speed', async ({ speed, ratio }) => {
    const normal = await renderKokoro(fp32, SENTENCE, heart, 1);
    const changed = await renderKokoro(fp32, SENTENCE, heart, speed);
    expect(normal.length / changed.length).toBeCloseTo(ratio, 2);
  });
});

describe('fixture Kokoro: style halves', () => {
  it('timbre half changes the spectral envelope but not length or pitch', async () => {
    const base = await renderKokoro(fp32, SENTENCE, heart);
    const otherTimbre = await renderKokoro(fp32, SENTENCE, mixHalves(adam, heart));
    expect(otherTimbre.length).toBe(base.length);
    expect(estimateF0Hz(otherTimbre, SR) / estimateF0Hz(base, SR)).toBeCloseTo(1, 1);
    const centroidRatio = spectralCentroidHz(otherTimbre, SR) / spectralCentroidHz(base, SR);
    expect(Math.abs(Math.log(centroidRatio))).toBeGreaterThan(Math.log(1.2));
    const EDGES_HZ = [0, 500, 1000, 2000, 4000, 12000];
    const shareChange = bandEnergyShares(otherTimbre, SR, EDGES_HZ).map((s, i) =>
      Math.abs(s - bandEnergyShares(base, SR, EDGES_HZ)[i]!),
    );
    expect(Math.max(...shareChange)).toBeGreaterThan(0.1);
  });

  it('prosody half changes pitch and timing', async () => {
    const base = await renderKokoro(fp32, SENTENCE, heart);
    const otherProsody = await renderKokoro(fp32, SENTENCE, mixHalves(heart, adam));
    const f0Ratio = estimateF0Hz(base, SR) / estimateF0Hz(otherProsody, SR);
    expect(f0Ratio).toBeGreaterThan(1.4); // Heart speaks well above Adam
    expect(otherProsody.length).not.toBe(base.length);
  });

  it('tokens change the sound: consonants are brighter than vowels', async () => {
    const vowels = [0, ...Array.from({ length: 24 }, (_, i) => [43, 51, 63, 83][i % 4]!), 0]; // a i u ə
    const consonants = [0, ...Array.from({ length: 24 }, (_, i) => [61, 62, 53, 48][i % 4]!), 0]; // s t k f
    const a = await renderKokoro(fp32, vowels, heart);
    const b = await renderKokoro(fp32, consonants, heart);
    expect(b.length).toBe(a.length);
    expect(spectralCentroidHz(b, SR)).toBeGreaterThan(1.3 * spectralCentroidHz(a, SR));
    expect(peak(b)).toBeLessThan(peak(a));
  });
});

describe('fixture Kokoro: the 54 stock voices', () => {
  it('spread over pitch and duration, women higher than men', async () => {
    const rows: { id: string; f0: number; seconds: number }[] = [];
    for (const id of listStockVoiceIds()) {
      const pcm = await renderKokoro(fp32, SHORT, styleRow(readVoicePack(id), SHORT.length - 2));
      rows.push({ id, f0: estimateF0Hz(pcm, SR), seconds: pcm.length / SR });
    }
    expect(rows).toHaveLength(54);
    const f0s = rows.map((r) => r.f0);
    const durations = rows.map((r) => r.seconds);
    expect(f0s.every(Number.isFinite)).toBe(true);
    expect(Math.max(...f0s) / Math.min(...f0s)).toBeGreaterThan(1.5);
    const meanDuration = durations.reduce((a, b) => a + b, 0) / durations.length;
    expect(Math.max(...durations) / meanDuration).toBeGreaterThan(1.15);
    expect(Math.min(...durations) / meanDuration).toBeLessThan(0.85);
    const mean = (gender: string) => {
      const f = rows.filter((r) => r.id[1] === gender).map((r) => r.f0);
      return f.reduce((a, b) => a + b, 0) / f.length;
    };
    expect(mean('f')).toBeGreaterThan(1.3 * mean('m'));
  });
});

describe('fixture Kokoro: quantised variants', () => {
  const VARIANTS: KokoroFixtureVariant[] = ['q8', 'fp16'];
  it.each(VARIANTS)('%s sounds like fp32', async (variant) => {
    const session = await createSession(buildFixtureKokoro({ variant }));
    const expected = await renderKokoro(fp32, SENTENCE, heart);
    const actual = await renderKokoro(session, SENTENCE, heart);
    expect(actual.length).toBe(expected.length);
    let maxDiff = 0;
    for (let i = 0; i < actual.length; i++) maxDiff = Math.max(maxDiff, Math.abs(actual[i]! - expected[i]!));
    expect(maxDiff).toBeLessThan(0.01);
    expect(maxDiff).toBeGreaterThan(0); // really a different file
  });
});
