import { describe, expect, it } from 'vitest';
import type { ModelManifest } from './manifest';
import {
  defaultVariantIds,
  findVoice,
  pickVariant,
  resolveVariant,
  selectFiles,
  totalBytes,
  type VariantSet,
} from './variants';

const file = (path: string, bytes: number) => ({ path, url: `https://hub.example/${path}`, bytes });
const KOKORO: VariantSet = {
  variants: [
    { id: 'fp32', label: 'fp32', ...file('kokoro/onnx/model.onnx', 300) },
    { id: 'q8', label: 'q8', ...file('kokoro/onnx/model_quantized.onnx', 90) },
    { id: 'fp16', label: 'fp16', ...file('kokoro/onnx/model_fp16.onnx', 150) },
  ],
  defaultVariant: { webgpu: 'fp32', wasm: 'q8' },
};
const MANIFEST: ModelManifest = {
  version: 1,
  kokoro: { id: 'k', license: 'Apache-2.0', sampleRateHz: 24000, ...KOKORO },
  voices: ['af_heart', 'am_adam', 'bf_emma'].map((id) => ({
    id,
    name: id,
    language: id.startsWith('b') ? 'en-gb' : 'en-us',
    gender: id[1] === 'f' ? 'female' : 'male',
    file: file(`voices/${id}.bin`, 5),
  })),
  speakerEncoder: {
    id: 's',
    license: 'CC-BY-4.0',
    credit: 'c',
    embeddingDim: 256,
    melBins: 80,
    variants: [
      { id: 'fp32', label: 'fp32', ...file('speaker/onnx/model.onnx', 26) },
      { id: 'q8', label: 'q8', ...file('speaker/onnx/model_quantized.onnx', 7) },
    ],
    defaultVariant: { webgpu: 'fp32', wasm: 'fp32' },
  },
};

describe('pickVariant', () => {
  const CASES = [
    { backend: 'webgpu', override: undefined, id: 'fp32' },
    { backend: 'wasm', override: undefined, id: 'q8' },
    { backend: 'webgpu', override: 'q8', id: 'q8' },
    { backend: 'wasm', override: 'fp16', id: 'fp16' },
  ] as const;
  it.each(CASES)('$backend with override $override -> $id', ({ backend, override, id }) => {
    expect(pickVariant(KOKORO, backend, override).id).toBe(id);
  });
  it('names the known variants for an unknown id', () => {
    expect(() => pickVariant(KOKORO, 'wasm', 'q4')).toThrow(
      'Unknown model variant "q4"; this manifest has: fp32, q8, fp16.',
    );
  });
});

describe('selectFiles', () => {
  const CASES = [
    {
      name: 'defaults and all voices',
      selection: { kokoro: 'default', voices: 'all', encoder: 'default' },
      paths: [
        'kokoro/onnx/model.onnx',
        'kokoro/onnx/model_quantized.onnx',
        'voices/af_heart.bin',
        'voices/am_adam.bin',
        'voices/bf_emma.bin',
        'speaker/onnx/model.onnx',
      ],
    },
    {
      name: 'explicit ids, repeats removed',
      selection: { kokoro: ['q8', 'q8'], voices: ['am_adam'], encoder: ['q8'] },
      paths: ['kokoro/onnx/model_quantized.onnx', 'voices/am_adam.bin', 'speaker/onnx/model_quantized.onnx'],
    },
    { name: 'nothing', selection: { kokoro: [], voices: [], encoder: [] }, paths: [] },
  ] as const;
  it.each(CASES)('$name', ({ selection, paths }) => {
    expect(selectFiles(MANIFEST, selection).map((f) => f.path)).toEqual(paths);
  });

  it('labels each file with its role and keeps size and url', () => {
    const [model, voice, encoder] = selectFiles(MANIFEST, {
      kokoro: ['q8'],
      voices: ['bf_emma'],
      encoder: ['fp32'],
    });
    expect(model).toEqual({ role: 'kokoro q8', ...file('kokoro/onnx/model_quantized.onnx', 90) });
    expect(voice?.role).toBe('voice bf_emma');
    expect(encoder?.role).toBe('speaker encoder fp32');
  });

  it('throws on unknown voices and variants', () => {
    expect(() => selectFiles(MANIFEST, { kokoro: [], voices: ['xx_nobody'], encoder: [] })).toThrow(
      /Unknown voice "xx_nobody"/,
    );
    expect(() => selectFiles(MANIFEST, { kokoro: ['int4'], voices: [], encoder: [] })).toThrow(
      /Unknown model variant "int4"/,
    );
  });

  it('adds up sizes and finds voices', () => {
    expect(totalBytes(selectFiles(MANIFEST, { kokoro: 'default', voices: [], encoder: [] }))).toBe(390);
    expect(defaultVariantIds(MANIFEST.speakerEncoder)).toEqual(['fp32']);
    expect(findVoice(MANIFEST, 'bf_emma').language).toBe('en-gb');
  });
});

describe('resolveVariant', () => {
  const WITH_STAND_IN: VariantSet = {
    ...KOKORO,
    variants: [
      ...KOKORO.variants,
      { id: 'int8', label: 'int8', standsInFor: 'q8', ...file('kokoro/onnx/kokoro-v1.0.int8.onnx', 91) },
    ],
  };
  const localOnly =
    (...paths: string[]) =>
    (f: { path: string }) =>
      Promise.resolve(paths.includes(f.path));

  it('keeps the default when it is local, or when nothing stands in for it', async () => {
    const both = localOnly('kokoro/onnx/model_quantized.onnx', 'kokoro/onnx/kokoro-v1.0.int8.onnx');
    expect((await resolveVariant(WITH_STAND_IN, 'wasm', both)).id).toBe('q8');
    expect((await resolveVariant(WITH_STAND_IN, 'wasm', localOnly())).id).toBe('q8'); // the hub then
    expect(
      (await resolveVariant(WITH_STAND_IN, 'webgpu', localOnly('kokoro/onnx/kokoro-v1.0.int8.onnx'))).id,
    ).toBe('fp32');
  });

  it('takes a local stand-in over a hub download of the default', async () => {
    const variant = await resolveVariant(
      WITH_STAND_IN,
      'wasm',
      localOnly('kokoro/onnx/kokoro-v1.0.int8.onnx'),
    );
    expect(variant.id).toBe('int8');
  });

  it('never replaces a variant the user chose', async () => {
    const variant = await resolveVariant(
      WITH_STAND_IN,
      'wasm',
      localOnly('kokoro/onnx/kokoro-v1.0.int8.onnx'),
      'q8',
    );
    expect(variant.id).toBe('q8');
  });
});
