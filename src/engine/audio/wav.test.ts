import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { espeakWavBytes } from '../../test-support/audio';
import { AudioFileError, decodeWav, durationSeconds, encodeWav, NonFiniteSamplesError } from './wav';

const LSB = 1 / 32768;

function sine(length: number, cycles: number, amplitude: number): Float32Array {
  return Float32Array.from({ length }, (_, i) => amplitude * Math.sin((2 * Math.PI * cycles * i) / length));
}

describe('encodeWav -> decodeWav round trip', () => {
  const CASES: { name: string; pcm: Float32Array; rateHz: number }[] = [
    { name: 'empty', pcm: new Float32Array(0), rateHz: 16000 },
    { name: 'one sample', pcm: Float32Array.of(0.25), rateHz: 8000 },
    { name: 'sine 24 kHz', pcm: sine(24000, 440, 0.8), rateHz: 24000 },
    { name: 'full-scale sine 48 kHz', pcm: sine(4800, 10, 1), rateHz: 48000 },
    {
      name: 'random 44.1 kHz',
      pcm: Float32Array.from({ length: 10000 }, (_, i) => Math.sin(i * 12.9898) * 0.99),
      rateHz: 44100,
    },
    { name: 'odd length 22.05 kHz', pcm: sine(1001, 3, 0.5), rateHz: 22050 },
  ];
  it.each(CASES)('$name keeps rate, length and samples within 1/32768', ({ pcm, rateHz }) => {
    const decoded = decodeWav(encodeWav(pcm, rateHz));
    expect(decoded.sampleRateHz).toBe(rateHz);
    expect(decoded.channels).toHaveLength(1);
    const samples = decoded.channels[0]!;
    expect(samples.length).toBe(pcm.length);
    let maxError = 0;
    for (let i = 0; i < pcm.length; i++) maxError = Math.max(maxError, Math.abs(samples[i]! - pcm[i]!));
    expect(maxError).toBeLessThanOrEqual(LSB);
    expect(durationSeconds(samples.length, decoded.sampleRateHz)).toBeCloseTo(pcm.length / rateHz, 12);
  });
});

describe('encodeWav header and sample coding', () => {
  it('writes a canonical 44-byte 16-bit mono PCM header', () => {
    const bytes = encodeWav(new Float32Array(1000), 24000);
    const view = new DataView(bytes.buffer);
    const tag = (offset: number) => String.fromCharCode(...bytes.subarray(offset, offset + 4));
    const FIELDS: [number | string, number | string][] = [
      [tag(0), 'RIFF'],
      [view.getUint32(4, true), 36 + 2000],
      [tag(8), 'WAVE'],
      [tag(12), 'fmt '],
      [view.getUint32(16, true), 16],
      [view.getUint16(20, true), 1],
      [view.getUint16(22, true), 1],
      [view.getUint32(24, true), 24000],
      [view.getUint32(28, true), 48000],
      [view.getUint16(32, true), 2],
      [view.getUint16(34, true), 16],
      [tag(36), 'data'],
      [view.getUint32(40, true), 2000],
    ];
    for (const [actual, expected] of FIELDS) expect(actual).toBe(expected);
    expect(bytes.byteLength).toBe(44 + 2000);
  });

  const SAMPLE_CASES: { input: number; int16: number }[] = [
    { input: 0, int16: 0 },
    { input: 1, int16: 32767 }, // clamped, not wrapped to -32768
    { input: 1.5, int16: 32767 },
    { input: -1, int16: -32768 },
    { input: -7, int16: -32768 },
    { input: 0.5, int16: 16384 },
    { input: 0.4 / 32768, int16: 0 }, // rounds to nearest
    { input: 0.6 / 32768, int16: 1 },
    { input: -0.6 / 32768, int16: -1 },
    { input: Number.NaN, int16: 0 },
    { input: Number.POSITIVE_INFINITY, int16: 32767 },
  ];
  it.each(SAMPLE_CASES)('codes $input as $int16', ({ input, int16 }) => {
    const bytes = encodeWav(Float32Array.of(input), 16000);
    expect(new DataView(bytes.buffer).getInt16(44, true)).toBe(int16);
  });

  it('rejects a non-integer or non-positive sample rate', () => {
    for (const rate of [0, -16000, 22050.5, Number.NaN])
      expect(() => encodeWav(new Float32Array(4), rate)).toThrow(RangeError);
  });
});

interface WavSpec {
  formatTag: number;
  channels: number;
  rateHz: number;
  bits: number;
  extensibleSubFormat?: number;
  /** Interleaved frames, already encoded. */
  data: Uint8Array;
  chunksBeforeData?: { tag: string; body: Uint8Array }[];
  dataSizeOverride?: number;
}

function chunk(tag: string, body: Uint8Array, declaredSize = body.length): Uint8Array {
  const padded = body.length + (body.length % 2);
  const out = new Uint8Array(8 + padded);
  for (let i = 0; i < 4; i++) out[i] = tag.charCodeAt(i);
  new DataView(out.buffer).setUint32(4, declaredSize, true);
  out.set(body, 8);
  return out;
}

function buildWav(spec: WavSpec): Uint8Array {
  const extensible = spec.extensibleSubFormat !== undefined;
  const fmt = new Uint8Array(extensible ? 40 : 16);
  const view = new DataView(fmt.buffer);
  const blockAlign = (spec.channels * spec.bits) / 8;
  view.setUint16(0, extensible ? 0xfffe : spec.formatTag, true);
  view.setUint16(2, spec.channels, true);
  view.setUint32(4, spec.rateHz, true);
  view.setUint32(8, spec.rateHz * blockAlign, true);
  view.setUint16(12, blockAlign, true);
  view.setUint16(14, spec.bits, true);
  if (extensible) {
    view.setUint16(16, 22, true);
    view.setUint16(18, spec.bits, true);
    view.setUint32(20, 0, true);
    view.setUint16(24, spec.extensibleSubFormat!, true);
    fmt.set([0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71], 26);
  }
  const parts = [
    chunk('fmt ', fmt),
    ...(spec.chunksBeforeData ?? []).map((c) => chunk(c.tag, c.body)),
    chunk('data', spec.data, spec.dataSizeOverride),
  ];
  const bodyLength = parts.reduce((sum, p) => sum + p.length, 0);
  const out = new Uint8Array(12 + bodyLength);
  out.set(
    [...'RIFF'].map((c) => c.charCodeAt(0)),
    0,
  );
  new DataView(out.buffer).setUint32(4, 4 + bodyLength, true);
  out.set(
    [...'WAVE'].map((c) => c.charCodeAt(0)),
    8,
  );
  let offset = 12;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Encode interleaved frames with a per-sample writer. */
function frames(
  values: number[][],
  bytesPerSample: number,
  write: (view: DataView, offset: number, value: number) => void,
): Uint8Array {
  const out = new Uint8Array(values.length * values[0]!.length * bytesPerSample);
  const view = new DataView(out.buffer);
  let offset = 0;
  for (const frame of values) {
    for (const value of frame) {
      write(view, offset, value);
      offset += bytesPerSample;
    }
  }
  return out;
}

const STEREO = [
  [0, 0.5],
  [-0.5, 0.25],
  [0.75, -1],
];

function writeInt24(view: DataView, offset: number, value: number): void {
  const int = Math.round(value * 8388608);
  view.setUint8(offset, int & 0xff);
  view.setUint8(offset + 1, (int >> 8) & 0xff);
  view.setInt8(offset + 2, int >> 16);
}

describe('decodeWav formats', () => {
  const CASES: {
    name: string;
    spec: Omit<WavSpec, 'data' | 'channels' | 'rateHz'>;
    write: (v: DataView, o: number, x: number) => void;
  }[] = [
    {
      name: 'PCM 8-bit (unsigned)',
      spec: { formatTag: 1, bits: 8 },
      write: (v, o, x) => v.setUint8(o, Math.round(x * 128) + 128),
    },
    {
      name: 'PCM 16-bit',
      spec: { formatTag: 1, bits: 16 },
      write: (v, o, x) => v.setInt16(o, Math.max(-32768, x * 32768), true),
    },
    { name: 'PCM 24-bit', spec: { formatTag: 1, bits: 24 }, write: writeInt24 },
    {
      name: 'PCM 32-bit',
      spec: { formatTag: 1, bits: 32 },
      write: (v, o, x) => v.setInt32(o, Math.max(-2147483648, x * 2147483648), true),
    },
    { name: 'float 32-bit', spec: { formatTag: 3, bits: 32 }, write: (v, o, x) => v.setFloat32(o, x, true) },
    { name: 'float 64-bit', spec: { formatTag: 3, bits: 64 }, write: (v, o, x) => v.setFloat64(o, x, true) },
    {
      name: 'extensible PCM 24-bit',
      spec: { formatTag: 1, bits: 24, extensibleSubFormat: 1 },
      write: writeInt24,
    },
    {
      name: 'extensible float 32-bit',
      spec: { formatTag: 3, bits: 32, extensibleSubFormat: 3 },
      write: (v, o, x) => v.setFloat32(o, x, true),
    },
  ];
  it.each(CASES)('$name stereo decodes to the written values', ({ spec, write }) => {
    const data = frames(STEREO, spec.bits / 8, write);
    const decoded = decodeWav(buildWav({ ...spec, channels: 2, rateHz: 44100, data }));
    expect(decoded.sampleRateHz).toBe(44100);
    expect(decoded.channels).toHaveLength(2);
    for (let c = 0; c < 2; c++) {
      const expected = STEREO.map((frame) => frame[c]!);
      const tolerance = spec.bits === 8 ? 1 / 128 : 1e-6;
      for (let i = 0; i < expected.length; i++)
        expect(Math.abs(decoded.channels[c]![i]! - expected[i]!)).toBeLessThanOrEqual(tolerance);
    }
  });

  it('reads any channel count (6 channels, interleaved order kept)', () => {
    const values = [Array.from({ length: 6 }, (_, c) => c / 8), Array.from({ length: 6 }, (_, c) => -c / 8)];
    const data = frames(values, 2, (v, o, x) => v.setInt16(o, x * 32768, true));
    const decoded = decodeWav(
      buildWav({ formatTag: 1, bits: 16, channels: 6, rateHz: 48000, data, extensibleSubFormat: 1 }),
    );
    expect(decoded.channels.map((ch) => Array.from(ch))).toEqual(
      Array.from({ length: 6 }, (_, c) => [c / 8, c === 0 ? 0 : -c / 8]),
    );
  });

  it('skips unknown chunks, including odd-sized ones followed by a pad byte', () => {
    const data = frames([[0.5], [-0.25]], 2, (v, o, x) => v.setInt16(o, x * 32768, true));
    const chunksBeforeData = [
      { tag: 'LIST', body: new Uint8Array([1, 2, 3]) },
      { tag: 'junk', body: new Uint8Array(0) },
      { tag: 'bext', body: new Uint8Array(7).fill(0x64) },
    ];
    const decoded = decodeWav(
      buildWav({ formatTag: 1, bits: 16, channels: 1, rateHz: 16000, data, chunksBeforeData }),
    );
    expect(Array.from(decoded.channels[0]!)).toEqual([0.5, -0.25]);
  });

  it('reads a view into a larger buffer (non-zero byteOffset)', () => {
    const wav = encodeWav(Float32Array.of(0.5, -0.5), 16000);
    const padded = new Uint8Array(wav.length + 3);
    padded.set(wav, 3);
    expect(Array.from(decodeWav(padded.subarray(3)).channels[0]!)).toEqual([0.5, -0.5]);
  });

  it('reads a streaming placeholder data size to the end of the file', () => {
    const data = frames([[0.5], [0.25], [-0.5]], 2, (v, o, x) => v.setInt16(o, x * 32768, true));
    const decoded = decodeWav(
      buildWav({ formatTag: 1, bits: 16, channels: 1, rateHz: 22050, data, dataSizeOverride: 0x7ffff000 }),
    );
    expect(Array.from(decoded.channels[0]!)).toEqual([0.5, 0.25, -0.5]);
  });

  it('decodes espeak-ng output: 22050 Hz mono with speech in it', () => {
    const decoded = decodeWav(espeakWavBytes('Testing one two three.'));
    expect(decoded.sampleRateHz).toBe(22050);
    expect(decoded.channels).toHaveLength(1);
    const samples = decoded.channels[0]!;
    expect(samples.length).toBeGreaterThan(22050 * 0.5);
    expect(samples.some((x) => Math.abs(x) > 0.05)).toBe(true);
  });

  const SOX_CASES = [
    { args: ['-b', '24', '-c', '2'], channels: 2 },
    { args: ['-e', 'floating-point', '-b', '32', '-c', '1'], channels: 1 },
    { args: ['-e', 'floating-point', '-b', '64', '-c', '3'], channels: 3 },
    { args: ['-b', '8', '-c', '1'], channels: 1 },
    { args: ['-b', '32', '-c', '2'], channels: 2 },
  ];
  it.each(SOX_CASES)('agrees with sox reading back its own $args file', ({ args, channels }) => {
    const dir = mkdtempSync(join(tmpdir(), 'timbre-wav-'));
    try {
      const wavPath = join(dir, 'sine.wav');
      const rawPath = join(dir, 'sine.f32');
      execFileSync('sox', [
        '-n',
        '-r',
        '32000',
        ...args,
        wavPath,
        'synth',
        '0.1',
        'sine',
        '440',
        'vol',
        '0.5',
      ]);
      // sox's own decode of the same file, as interleaved little-endian float32.
      execFileSync('sox', [wavPath, '-t', 'raw', '-e', 'floating-point', '-b', '32', '-L', rawPath]);
      const raw = readFileSync(rawPath);
      const expected = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
      const decoded = decodeWav(new Uint8Array(readFileSync(wavPath)));
      expect(decoded.sampleRateHz).toBe(32000);
      expect(decoded.channels).toHaveLength(channels);
      let maxError = 0;
      let peak = 0;
      decoded.channels.forEach((samples, c) => {
        expect(samples.length).toBe(3200);
        for (let i = 0; i < samples.length; i++) {
          maxError = Math.max(maxError, Math.abs(samples[i]! - expected[i * channels + c]!));
          peak = Math.max(peak, Math.abs(samples[i]!));
        }
      });
      expect(maxError).toBeLessThan(1e-6);
      expect(peak).toBeGreaterThan(0.45);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('decodeWav errors', () => {
  const good = encodeWav(sine(100, 1, 0.5), 16000);
  const withBytes = (patch: (bytes: Uint8Array, view: DataView) => void): Uint8Array => {
    const copy = new Uint8Array(good);
    patch(copy, new DataView(copy.buffer));
    return copy;
  };
  const CASES: { name: string; bytes: Uint8Array; message: RegExp }[] = [
    { name: 'empty file', bytes: new Uint8Array(0), message: /too short/ },
    { name: 'not RIFF', bytes: withBytes((b) => b.set([0x4f, 0x67, 0x67, 0x53], 0)), message: /Not a WAV/ },
    {
      name: 'RIFF but not WAVE',
      bytes: withBytes((b) => b.set([0x41, 0x56, 0x49, 0x20], 8)),
      message: /Not a WAV/,
    },
    { name: 'truncated data', bytes: good.subarray(0, 120), message: /Truncated.*declares 200 bytes/ },
    { name: 'truncated fmt', bytes: good.subarray(0, 30), message: /Truncated.*fmt/ },
    { name: 'no data chunk', bytes: good.subarray(0, 36), message: /no data chunk/ },
    {
      name: 'no fmt chunk',
      bytes: withBytes((b) => b.set([0x78, 0x78, 0x78, 0x78], 12)),
      message: /data chunk before the fmt/,
    },
    { name: 'ADPCM', bytes: withBytes((_, v) => v.setUint16(20, 2, true)), message: /Unsupported.*0x0002/ },
    {
      name: '12-bit PCM',
      bytes: withBytes((_, v) => v.setUint16(34, 12, true)),
      message: /Unsupported.*12 bits/,
    },
    { name: 'zero channels', bytes: withBytes((_, v) => v.setUint16(22, 0, true)), message: /zero channels/ },
    {
      name: 'zero sample rate',
      bytes: withBytes((_, v) => v.setUint32(24, 0, true)),
      message: /zero sample rate/,
    },
    {
      name: 'block align too small',
      bytes: withBytes((_, v) => v.setUint16(32, 1, true)),
      message: /block align/,
    },
  ];
  it.each(CASES)('$name -> AudioFileError', ({ bytes, message }) => {
    expect(() => decodeWav(bytes)).toThrow(AudioFileError);
    expect(() => decodeWav(bytes)).toThrow(message);
  });

  it('reads what is there from a truncated file when allowTruncated is set', () => {
    const decoded = decodeWav(good.subarray(0, 121), { allowTruncated: true });
    expect(decoded.channels[0]!.length).toBe(38); // (121 - 44) bytes -> 38 whole samples
  });
});

describe('hostile and long WAVs', () => {
  const floatWav = (values: number[]) => {
    const data = new Uint8Array(values.length * 4);
    const view = new DataView(data.buffer);
    values.forEach((x, i) => view.setFloat32(i * 4, x, true));
    return buildWav({ formatTag: 3, bits: 32, channels: 1, rateHz: 8000, data });
  };

  it('refuses float samples that are NaN or infinite', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      expect(() => decodeWav(floatWav([0.1, bad, 0.2]))).toThrow(/not numbers \(NaN or infinite\)/);
      expect(() => decodeWav(floatWav([0.1, bad, 0.2]))).toThrow(NonFiniteSamplesError);
    }
    expect(decodeWav(floatWav([0.1, -0.2, 1.5])).channels[0]).toHaveLength(3);
  });

  it('reads only the first maxSeconds of a long file and says how long it is', () => {
    const rate = 8000;
    const pcm = sine(rate * 10, 440 * 10, 0.5);
    const bytes = encodeWav(pcm, rate);
    const head = decodeWav(bytes, { maxSeconds: 2.5 });
    expect(head.channels[0]).toHaveLength(rate * 2.5);
    expect(head.sourceSeconds).toBeCloseTo(10, 6);
    expect(Array.from(head.channels[0]!.subarray(0, 100))).toEqual(
      Array.from(decodeWav(bytes).channels[0]!.subarray(0, 100)),
    );
    // Shorter than the limit: all of it, and no sourceSeconds.
    const whole = decodeWav(bytes, { maxSeconds: 60 });
    expect(whole.channels[0]).toHaveLength(rate * 10);
    expect(whole.sourceSeconds).toBeUndefined();
  });
});
