import { describe, expect, it } from 'vitest';
import { ManifestError } from './errors';
import { parseManifest, parseManifestText } from './validate';

const SHA = 'a'.repeat(64);

function validManifest(): Record<string, unknown> {
  return {
    version: 1,
    kokoro: {
      id: 'onnx-community/Kokoro-82M-v1.0-ONNX',
      license: 'Apache-2.0',
      sampleRateHz: 24000,
      variants: [
        {
          id: 'fp32',
          label: 'fp32',
          path: 'kokoro/onnx/model.onnx',
          url: 'https://hub.example/onnx/model.onnx',
          bytes: 100,
          sha256: SHA,
        },
        {
          id: 'q8',
          label: 'q8',
          path: 'kokoro/onnx/model_quantized.onnx',
          url: 'https://hub.example/onnx/q.onnx',
          bytes: 50,
        },
      ],
      defaultVariant: { webgpu: 'fp32', wasm: 'q8' },
    },
    voices: [
      {
        id: 'af_heart',
        name: 'Heart',
        language: 'en-us',
        gender: 'female',
        grade: 'A',
        file: {
          path: 'voices/af_heart.bin',
          url: 'https://hub.example/voices/af_heart.bin',
          bytes: 522240,
          sha256: SHA,
        },
      },
    ],
    speakerEncoder: {
      id: 'onnx-community/wespeaker-voxceleb-resnet34-LM',
      license: 'CC-BY-4.0',
      credit: 'WeSpeaker',
      embeddingDim: 256,
      melBins: 80,
      variants: [
        {
          id: 'q8',
          label: 'q8',
          path: 'speaker/onnx/model_quantized.onnx',
          url: 'https://hub.example/s.onnx',
          bytes: 7,
        },
      ],
      defaultVariant: { webgpu: 'q8', wasm: 'q8' },
    },
  };
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('parseManifest', () => {
  it('accepts a valid manifest and keeps every known field', () => {
    const parsed = parseManifest(validManifest());
    expect(parsed).toEqual(validManifest());
    expect(parsed.fixture).toBeUndefined();
  });

  it('keeps fixture: true and drops unknown keys', () => {
    const raw: Json = { ...validManifest(), fixture: true, extra: 'x' };
    raw.voices[0].secret = 1;
    const parsed = parseManifest(raw);
    expect(parsed.fixture).toBe(true);
    expect('extra' in parsed).toBe(false);
    expect('secret' in (parsed.voices[0] ?? {})).toBe(false);
  });

  const BROKEN: { name: string; mutate: (m: Json) => void; problem: RegExp }[] = [
    { name: 'wrong version', mutate: (m) => (m.version = 2), problem: /version: expected 1, got 2/ },
    {
      name: 'a Kokoro at another sample rate',
      mutate: (m) => (m.kokoro.sampleRateHz = 22050),
      problem: /kokoro\.sampleRateHz: this studio runs Kokoro at 24000 Hz, not 22050/,
    },
    {
      name: 'an encoder fed other features',
      mutate: (m) => (m.speakerEncoder.melBins = 40),
      problem: /speakerEncoder\.melBins: this studio feeds the encoder 80 fbank bins, not 40/,
    },
    {
      name: 'a stand-in for a variant that does not exist',
      mutate: (m) => (m.kokoro.variants[0].standsInFor = 'int4'),
      problem: /kokoro\.variants\[0\]\.standsInFor: no other variant "int4"/,
    },
    { name: 'missing kokoro', mutate: (m) => delete m.kokoro, problem: /kokoro: expected an object/ },
    {
      name: 'no variants',
      mutate: (m) => (m.kokoro.variants = []),
      problem: /kokoro\.variants: needs at least one variant/,
    },
    {
      name: 'byte count as string',
      mutate: (m) => (m.kokoro.variants[1].bytes = '50'),
      problem: /kokoro\.variants\[1\]\.bytes: expected a positive whole number/,
    },
    {
      name: 'fractional bytes',
      mutate: (m) => (m.kokoro.variants[1].bytes = 1.5),
      problem: /kokoro\.variants\[1\]\.bytes/,
    },
    {
      name: 'upper-case sha',
      mutate: (m) => (m.kokoro.variants[0].sha256 = SHA.toUpperCase()),
      problem: /kokoro\.variants\[0\]\.sha256: expected 64 lower-case hex/,
    },
    {
      name: 'escaping path',
      mutate: (m) => (m.kokoro.variants[0].path = '../../etc/x'),
      problem: /kokoro\.variants\[0\]\.path: .* must be a relative path/,
    },
    {
      name: 'relative hub url',
      mutate: (m) => (m.kokoro.variants[0].url = '/onnx/model.onnx'),
      problem: /kokoro\.variants\[0\]\.url: .* absolute http/,
    },
    {
      name: 'duplicate variant',
      mutate: (m) => (m.kokoro.variants[1].id = 'fp32'),
      problem: /duplicate variant id "fp32"/,
    },
    {
      name: 'default names no variant',
      mutate: (m) => (m.kokoro.defaultVariant.wasm = 'q4'),
      problem: /kokoro\.defaultVariant\.wasm: no variant "q4"/,
    },
    {
      name: 'unknown language',
      mutate: (m) => (m.voices[0].language = 'de'),
      problem: /voices\[0\]\.language: unknown language "de"/,
    },
    { name: 'bad gender', mutate: (m) => (m.voices[0].gender = 'F'), problem: /voices\[0\]\.gender/ },
    {
      name: 'bad voice id',
      mutate: (m) => (m.voices[0].id = 'Heart'),
      problem: /voices\[0\]\.id: "Heart" is not a voice id/,
    },
    {
      name: 'duplicate voice',
      mutate: (m) => m.voices.push(structuredClone(m.voices[0])),
      problem: /voices\[1\]\.id: duplicate voice "af_heart"/,
    },
    {
      name: 'voice without file',
      mutate: (m) => delete m.voices[0].file,
      problem: /voices\[0\]\.file: expected an object/,
    },
    {
      name: 'encoder dims',
      mutate: (m) => (m.speakerEncoder.embeddingDim = 0),
      problem: /speakerEncoder\.embeddingDim/,
    },
    { name: 'voices not an array', mutate: (m) => (m.voices = {}), problem: /voices: expected an array/ },
    { name: 'root is an array', mutate: () => undefined, problem: /\(root\): expected an object/ },
  ];
  it.each(BROKEN)('rejects $name with a located message', ({ name, mutate, problem }) => {
    const raw: Json = validManifest();
    mutate(raw);
    const input = name === 'root is an array' ? [raw] : raw;
    let caught: unknown;
    try {
      parseManifest(input, 'https://h.example/manifest.json');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ManifestError);
    expect((caught as ManifestError).message).toMatch(
      /^Invalid model manifest https:\/\/h\.example\/manifest\.json: /,
    );
    expect((caught as ManifestError).problems.join('\n')).toMatch(problem);
  });

  it('lists several problems at once, capping the message', () => {
    const raw: Json = validManifest();
    raw.voices = Array.from({ length: 12 }, () => ({ id: 'X' }));
    const error = (() => {
      try {
        parseManifest(raw);
      } catch (e) {
        return e as ManifestError;
      }
      throw new Error('expected a ManifestError');
    })();
    expect(error.problems.length).toBeGreaterThan(12);
    expect(error.message).toMatch(/and \d+ more$/);
  });
});

describe('parseManifestText', () => {
  it('parses JSON text', () => {
    expect(parseManifestText(JSON.stringify(validManifest())).voices[0]?.id).toBe('af_heart');
  });
  it('says when it got an HTML page instead of JSON', () => {
    expect(() => parseManifestText('<!doctype html><html></html>', '/models/manifest.json')).toThrow(
      /Invalid model manifest \/models\/manifest\.json: not valid JSON \(got an HTML page: is the file missing\?\)/,
    );
  });
});

/** Manifests found by `npm run fuzz` (target manifest; see src/test-support/fuzz). */
describe('fuzz regressions', () => {
  it('a version nested 100,000 arrays deep is a ManifestError, not a stack overflow', () => {
    const depth = 100_000;
    const text = JSON.stringify({ ...validManifest(), version: 0 }).replace(
      '"version":0',
      `"version":${'['.repeat(depth)}${']'.repeat(depth)}`,
    );
    expect(() => parseManifestText(text)).toThrow(ManifestError);
    expect(() => parseManifestText(text)).toThrow(/version: expected 1, got an array/);
  });

  it('a version object is named by its kind, a primitive by its value', () => {
    expect(() => parseManifest({ ...validManifest(), version: { toString: 1 } })).toThrow(
      /version: expected 1, got an object/,
    );
    expect(() => parseManifest({ ...validManifest(), version: '1' })).toThrow(/version: expected 1, got "1"/);
    expect(() => parseManifest({ ...validManifest(), version: undefined })).toThrow(
      /version: expected 1, got undefined/,
    );
  });
});
