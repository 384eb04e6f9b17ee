/**
 * Choosing files from a manifest: the variant for a backend, and the set of files a
 * "download for offline" action or `npm run models:fetch` should fetch.
 */
import type { ModelFile, ModelManifest, ModelVariant, VoiceEntry } from './manifest';

export type ModelBackend = 'webgpu' | 'wasm';

/** The part of `kokoro` / `speakerEncoder` that variant choice needs. */
export interface VariantSet {
  variants: ModelVariant[];
  defaultVariant: { webgpu: string; wasm: string };
}

/** The override when given, else the manifest default for the backend. Unknown ids throw. */
export function pickVariant(model: VariantSet, backend: ModelBackend, override?: string): ModelVariant {
  const id = override ?? model.defaultVariant[backend];
  const variant = model.variants.find((candidate) => candidate.id === id);
  if (!variant) {
    const known = model.variants.map((candidate) => candidate.id).join(', ');
    throw new Error(`Unknown model variant "${id}"; this manifest has: ${known}.`);
  }
  return variant;
}

/**
 * The variant to load: the override when given; else the default for the backend, unless it is
 * not at hand locally (`isLocal`: cached or self-hosted) and a variant that `standsInFor` it is,
 * which then saves a download from the hub. `npm run models:real` lays out kokoro-onnx's int8
 * this way, and the studio speaks with it where the hub's q8 is not there.
 */
export async function resolveVariant(
  model: VariantSet,
  backend: ModelBackend,
  isLocal: (file: ModelVariant) => Promise<boolean>,
  override?: string,
): Promise<ModelVariant> {
  const wanted = pickVariant(model, backend, override);
  if (override !== undefined || (await isLocal(wanted))) return wanted;
  for (const candidate of model.variants)
    if (candidate.standsInFor === wanted.id && (await isLocal(candidate))) return candidate;
  return wanted;
}

/** Default variant ids for every backend, without repeats (`['fp32', 'q8']`). */
export function defaultVariantIds(model: VariantSet): string[] {
  return [...new Set([model.defaultVariant.webgpu, model.defaultVariant.wasm])];
}

export function findVoice(manifest: ModelManifest, id: string): VoiceEntry {
  const voice = manifest.voices.find((candidate) => candidate.id === id);
  if (!voice)
    throw new Error(
      `Unknown voice "${id}"; this manifest has ${manifest.voices.length} voices (e.g. af_heart).`,
    );
  return voice;
}

/** `'default'` = the default variants for both backends; `'all'` = every voice; `[]` = none. */
export interface FileSelection {
  kokoro: readonly string[] | 'default';
  voices: readonly string[] | 'all';
  encoder: readonly string[] | 'default';
}

export interface SelectedFile extends ModelFile {
  /** What the file is, for progress lines: `kokoro q8`, `voice af_heart`, `speaker encoder fp32`. */
  role: string;
}

function variantFiles(model: VariantSet, ids: readonly string[] | 'default', role: string): SelectedFile[] {
  const chosen = ids === 'default' ? defaultVariantIds(model) : [...new Set(ids)];
  return chosen.map((id) => {
    // The backend is irrelevant with an explicit id; pickVariant gives the uniform error.
    const { id: variantId, label: _label, ...file } = pickVariant(model, 'wasm', id);
    return { ...file, role: `${role} ${variantId}` };
  });
}

/** The files a selection names, in download order (model, voices, encoder). Unknown ids throw. */
export function selectFiles(manifest: ModelManifest, selection: FileSelection): SelectedFile[] {
  const voiceIds =
    selection.voices === 'all' ? manifest.voices.map((voice) => voice.id) : [...new Set(selection.voices)];
  return [
    ...variantFiles(manifest.kokoro, selection.kokoro, 'kokoro'),
    ...voiceIds.map((id) => ({ ...findVoice(manifest, id).file, role: `voice ${id}` })),
    ...variantFiles(manifest.speakerEncoder, selection.encoder, 'speaker encoder'),
  ];
}

/**
 * What a manifest file is, for people: `Kokoro q8`, `The voice af_heart`, `The speaker encoder
 * fp32`, `The GE2E speaker encoder`; its path when the manifest does not list it.
 */
export function describeModelFile(manifest: ModelManifest | undefined, file: ModelFile): string {
  const kokoro = manifest?.kokoro.variants.find((variant) => variant.path === file.path);
  if (kokoro) return `Kokoro ${kokoro.id}`;
  const voice = manifest?.voices.find((entry) => entry.file.path === file.path);
  if (voice) return `The voice ${voice.id}`;
  const encoder = manifest?.speakerEncoder.variants.find((variant) => variant.path === file.path);
  if (encoder) return `The speaker encoder ${encoder.id}`;
  if (manifest?.ge2eEncoder?.file.path === file.path) return 'The GE2E speaker encoder';
  return file.path;
}

export function totalBytes(files: readonly ModelFile[]): number {
  return files.reduce((sum, file) => sum + file.bytes, 0);
}
