/** The smallest valid model manifest around one Kokoro file, for model-store tests. */
import type { ModelFile } from '../engine/models/manifest';

export function minimalManifest(kokoro: ModelFile, speaker: ModelFile): object {
  return {
    version: 1,
    kokoro: {
      id: 'k',
      license: 'Apache-2.0',
      sampleRateHz: 24000,
      variants: [{ id: 'q8', label: 'q8', ...kokoro }],
      defaultVariant: { webgpu: 'q8', wasm: 'q8' },
    },
    voices: [],
    speakerEncoder: {
      id: 's',
      license: 'CC-BY-4.0',
      credit: 'c',
      embeddingDim: 256,
      melBins: 80,
      variants: [{ id: 'q8', label: 'q8', ...speaker }],
      defaultVariant: { webgpu: 'q8', wasm: 'q8' },
    },
  };
}
