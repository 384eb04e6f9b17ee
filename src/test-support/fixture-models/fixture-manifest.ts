/**
 * The fixture model manifest: the real public/models/manifest.json (same voices, ids, names,
 * grades, variant ids) with every file replaced by a fixture file, or, when the real
 * manifest is missing, one built from the stock voice packs in shared/kokoro-voices.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type {
  LanguageCode,
  ModelFile,
  ModelManifest,
  ModelVariant,
  VoiceEntry,
} from '../../engine/models/manifest';

export const KOKORO_VARIANT_PATHS: Record<string, string> = {
  fp32: 'kokoro/onnx/model.onnx',
  q8: 'kokoro/onnx/model_quantized.onnx',
  fp16: 'kokoro/onnx/model_fp16.onnx',
};
export const ENCODER_VARIANT_PATHS: Record<string, string> = {
  fp32: 'speaker/onnx/model.onnx',
  q8: 'speaker/onnx/model_quantized.onnx',
};

const LANGUAGE_BY_PREFIX: Record<string, LanguageCode> = {
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

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A manifest file entry for fixture bytes at a relative path (url = the same relative path). */
export function fixtureFile(path: string, bytes: Uint8Array): ModelFile {
  return { path, url: path, bytes: bytes.length, sha256: sha256Hex(bytes) };
}

export function readRealManifest(path: string): ModelManifest | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const manifest = JSON.parse(readFileSync(path, 'utf8')) as ModelManifest;
    return manifest.version === 1 && Array.isArray(manifest.voices) ? manifest : undefined;
  } catch {
    return undefined;
  }
}

function titleCase(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** Voice entry from a stock voice id such as `af_heart` (language and gender from the prefix). */
export function voiceFromId(id: string, file: ModelFile): VoiceEntry {
  return {
    id,
    name: titleCase(id.slice(id.indexOf('_') + 1)),
    language: LANGUAGE_BY_PREFIX[id[0] ?? ''] ?? 'en-us',
    gender: id[1] === 'm' ? 'male' : 'female',
    file,
  };
}

/** Template when public/models/manifest.json does not exist (yet). */
export function defaultTemplate(voiceIds: readonly string[]): ModelManifest {
  const variant = (id: string, label: string, path: string): ModelVariant => ({
    id,
    label,
    path,
    url: path,
    bytes: 0,
  });
  return {
    version: 1,
    kokoro: {
      id: 'onnx-community/Kokoro-82M-v1.0-ONNX',
      license: 'Apache-2.0',
      sampleRateHz: 24_000,
      variants: [
        variant('fp32', 'fp32 (full precision; best on WebGPU)', KOKORO_VARIANT_PATHS.fp32!),
        variant('q8', 'q8 (8-bit quantised; for WASM)', KOKORO_VARIANT_PATHS.q8!),
      ],
      defaultVariant: { webgpu: 'fp32', wasm: 'q8' },
    },
    voices: voiceIds.map((id) =>
      voiceFromId(id, { path: `voices/${id}.bin`, url: `voices/${id}.bin`, bytes: 0 }),
    ),
    speakerEncoder: {
      id: 'onnx-community/wespeaker-voxceleb-resnet34-LM',
      license: 'CC-BY-4.0',
      credit:
        'Speaker encoder: WeSpeaker ResNet34-LM (VoxCeleb), CC BY 4.0. (Test fixture stands in for it.)',
      embeddingDim: 256,
      melBins: 80,
      variants: [
        variant('fp32', 'fp32 (full precision)', ENCODER_VARIANT_PATHS.fp32!),
        variant('q8', 'q8 (8-bit quantised)', ENCODER_VARIANT_PATHS.q8!),
      ],
      defaultVariant: { webgpu: 'fp32', wasm: 'fp32' },
    },
  };
}

export interface FixtureFiles {
  /** Variant id -> model bytes, for the variants fixtures exist for. */
  kokoro: ReadonlyMap<string, Uint8Array>;
  encoder: ReadonlyMap<string, Uint8Array>;
  /** Voice id -> pack bytes. */
  voices: ReadonlyMap<string, Uint8Array>;
}

function fixtureVariants(
  variants: readonly ModelVariant[],
  files: ReadonlyMap<string, Uint8Array>,
  paths: Record<string, string>,
): ModelVariant[] {
  // Variants without a fixture (an unknown dtype) are left out rather than pointing nowhere.
  return variants.flatMap((variant) => {
    const bytes = files.get(variant.id);
    const path = paths[variant.id];
    return bytes && path ? [{ id: variant.id, label: variant.label, ...fixtureFile(path, bytes) }] : [];
  });
}

function defaultVariantWithin(
  preferred: { webgpu: string; wasm: string },
  variants: readonly ModelVariant[],
) {
  const pick = (id: string) => (variants.some((v) => v.id === id) ? id : (variants[0]?.id ?? id));
  return { webgpu: pick(preferred.webgpu), wasm: pick(preferred.wasm) };
}

/** The fixture manifest: template structure, fixture files (paths, sizes, hashes), `fixture: true`. */
export function buildFixtureManifest(template: ModelManifest, files: FixtureFiles): ModelManifest {
  const kokoroVariants = fixtureVariants(template.kokoro.variants, files.kokoro, KOKORO_VARIANT_PATHS);
  const encoderVariants = fixtureVariants(
    template.speakerEncoder.variants,
    files.encoder,
    ENCODER_VARIANT_PATHS,
  );
  const templateVoices = new Map(template.voices.map((v) => [v.id, v]));
  const voices = [...files.voices].map(([id, bytes]) => {
    const file = fixtureFile(`voices/${id}.bin`, bytes);
    const known = templateVoices.get(id);
    return known ? { ...known, file } : voiceFromId(id, file);
  });
  // Keep the template's voice order; voices it does not list go last.
  const order = (id: string) => {
    const index = template.voices.findIndex((v) => v.id === id);
    return index < 0 ? Number.MAX_SAFE_INTEGER : index;
  };
  voices.sort((a, b) => order(a.id) - order(b.id) || a.id.localeCompare(b.id));
  return {
    ...template,
    fixture: true,
    kokoro: {
      ...template.kokoro,
      variants: kokoroVariants,
      defaultVariant: defaultVariantWithin(template.kokoro.defaultVariant, kokoroVariants),
    },
    voices,
    speakerEncoder: {
      ...template.speakerEncoder,
      variants: encoderVariants,
      defaultVariant: defaultVariantWithin(template.speakerEncoder.defaultVariant, encoderVariants),
    },
  };
}
