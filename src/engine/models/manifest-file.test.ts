/** Checks the real public/models/manifest.json against the facts and the real voice packs. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, sharedPath, STOCK_VOICE_NAMES } from '../../test-support/shared';
import { parseManifestText } from './validate';

const manifest = parseManifestText(
  readFileSync(join(REPO_ROOT, 'public/models/manifest.json'), 'utf8'),
  'public/models/manifest.json',
);
const KOKORO_HUB = 'https://huggingface.co/onnx-community/Kokoro-82M-v1.0-ONNX/resolve/main/';
const LANGUAGE_BY_PREFIX: Record<string, string> = {
  a: 'en-us',
  b: 'en-gb',
  e: 'es',
  f: 'fr',
  h: 'hi',
  i: 'it',
  j: 'ja',
  p: 'pt-br',
  z: 'zh',
};

describe('public/models/manifest.json', () => {
  it('is a real manifest (not a fixture) with the Kokoro facts', () => {
    expect(manifest.fixture).toBeUndefined();
    expect(manifest.kokoro.sampleRateHz).toBe(24000);
    expect(manifest.kokoro.license).toBe('Apache-2.0');
    expect(manifest.kokoro.defaultVariant).toEqual({ webgpu: 'fp32', wasm: 'q8' });
    const fp32 = manifest.kokoro.variants.find((v) => v.id === 'fp32');
    expect(fp32).toMatchObject({
      path: 'kokoro/onnx/model.onnx',
      url: `${KOKORO_HUB}onnx/model.onnx`,
      bytes: 325_532_232,
    });
    const q8 = manifest.kokoro.variants.find((v) => v.id === 'q8');
    expect(q8).toMatchObject({
      path: 'kokoro/onnx/model_quantized.onnx',
      url: `${KOKORO_HUB}onnx/model_quantized.onnx`,
      bytes: 92_361_116,
    });
    for (const variant of manifest.kokoro.variants.filter((v) => v.id !== 'int8'))
      expect(variant.url).toBe(`${KOKORO_HUB}onnx/${variant.path.slice('kokoro/onnx/'.length)}`);
    // kokoro-onnx's export, which `npm run models:real` joins from PyPI: it may stand in for q8.
    expect(manifest.kokoro.variants.find((v) => v.id === 'int8')).toMatchObject({
      path: 'kokoro/onnx/kokoro-v1.0.int8.onnx',
      url: 'https://github.com/thewh1teagle/kokoro-onnx/releases/download/model-files-v1.0/kokoro-v1.0.int8.onnx',
      bytes: 92_361_271,
      sha256: '6e742170d309016e5891a994e1ce1559c702a2ccd0075e67ef7157974f6406cb',
      standsInFor: 'q8',
    });
  });

  it("offers Resemblyzer's GE2E encoder, pinned by size and hash", () => {
    expect(manifest.ge2eEncoder).toMatchObject({
      license: 'Apache-2.0',
      file: {
        path: 'speaker/ge2e/pretrained.pt',
        bytes: 17_090_379,
        sha256: '39373b86598fa3da9fcddee6142382efe09777e8d37dc9c0561f41f0070f134e',
      },
    });
  });

  it('lists exactly the 54 stock voices with language and gender from the prefix', () => {
    expect(manifest.voices.map((v) => v.id).sort()).toEqual([...STOCK_VOICE_NAMES].sort());
    for (const voice of manifest.voices) {
      expect(voice.language).toBe(LANGUAGE_BY_PREFIX[voice.id[0] ?? '']);
      expect(voice.gender).toBe(voice.id[1] === 'f' ? 'female' : 'male');
      expect(voice.file.path).toBe(`voices/${voice.id}.bin`);
      expect(voice.file.url).toBe(`${KOKORO_HUB}voices/${voice.id}.bin`);
    }
    const byId = new Map(manifest.voices.map((v) => [v.id, v]));
    expect(byId.get('af_heart')).toMatchObject({ name: 'Heart', grade: 'A' });
    expect(byId.get('af_bella')?.grade).toBe('A-');
    expect(byId.get('bf_emma')?.grade).toBe('B-');
    expect(byId.get('am_adam')?.grade).toBe('F+');
  });

  it('has the size and SHA-256 of every real voice pack in shared/kokoro-voices', () => {
    for (const voice of manifest.voices) {
      const bytes = readFileSync(sharedPath('kokoro-voices', `${voice.id}.bin`));
      expect(voice.file.bytes, voice.id).toBe(bytes.length);
      expect(voice.file.sha256, voice.id).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
  });

  it('describes the WeSpeaker encoder with its licence and credit', () => {
    const encoder = manifest.speakerEncoder;
    expect(encoder).toMatchObject({ license: 'CC-BY-4.0', embeddingDim: 256, melBins: 80 });
    expect(encoder.credit).toMatch(/WeSpeaker.*VoxCeleb.*CC BY 4\.0/);
    expect(encoder.variants.map((v) => v.path).sort()).toEqual([
      'speaker/onnx/model.onnx',
      'speaker/onnx/model_quantized.onnx',
    ]);
  });
});
