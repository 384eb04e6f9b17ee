/**
 * The model manifest (public/models/manifest.json): what Timbre can download, from where,
 * and how to check it. Fixture manifests written by scripts/make-fixtures.ts use the same
 * format with `fixture: true`, so the same loader code runs in tests.
 */

export type LanguageCode = 'en-us' | 'en-gb' | 'es' | 'fr' | 'hi' | 'it' | 'ja' | 'pt-br' | 'zh';

export interface ModelFile {
  /** Path relative to a model source base, e.g. `kokoro/onnx/model_quantized.onnx`. */
  path: string;
  /** Where the file lives on the model hub (absolute URL). */
  url: string;
  /** Exact size in bytes; a download of any other size is discarded. */
  bytes: number;
  /** Lower-case hex SHA-256, checked when present. */
  sha256?: string;
}

export interface ModelVariant extends ModelFile {
  /** `fp32`, `q8`, ...: the dtype the file holds. */
  id: string;
  label: string;
  /**
   * Another variant this one may replace when that one is not at hand locally (cache or
   * self-hosted folder) and this one is: the same model in another export (kokoro-onnx's int8
   * for onnx-community's q8). Never used in place of a download the user asked for.
   */
  standsInFor?: string;
}

export interface VoiceEntry {
  /** Kokoro's voice id, e.g. `af_heart`. */
  id: string;
  /** Display name, e.g. `Heart`. */
  name: string;
  language: LanguageCode;
  gender: 'female' | 'male';
  /** Overall grade from the Kokoro voice table (A..F with +/-), when known. */
  grade?: string;
  file: ModelFile;
}

export interface ModelManifest {
  version: 1;
  /** True only for generated test fixtures; the studio shows a banner whenever it is true. */
  fixture?: boolean;
  kokoro: {
    id: string;
    license: string;
    sampleRateHz: number;
    variants: ModelVariant[];
    /** Variant id used on WebGPU and on WASM unless the user overrides it. */
    defaultVariant: { webgpu: string; wasm: string };
  };
  voices: VoiceEntry[];
  speakerEncoder: {
    id: string;
    license: string;
    credit: string;
    embeddingDim: number;
    melBins: number;
    variants: ModelVariant[];
    defaultVariant: { webgpu: string; wasm: string };
  };
  /**
   * Resemblyzer's GE2E speaker encoder (KVoiceWalk's judge), when the source offers it: one
   * PyTorch checkpoint (`pretrained.pt`), read with the safe `.pt` reader and run as an ONNX
   * graph built from its weights.
   */
  ge2eEncoder?: {
    id: string;
    license: string;
    credit: string;
    file: ModelFile;
  };
}
