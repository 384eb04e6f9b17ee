/**
 * Voices and recipes in and out of the studio: save the blend, download a voice (.pt, .bin,
 * .npy), a bundle (.npz), a recipe (JSON) or the preview (WAV); import any of those, several
 * files at once. A file that cannot be read is reported by name and changes nothing.
 */
import { encodeWav } from '../../../engine/audio/wav';
import type { VoiceOrigin as ProvenanceOrigin } from '../../../engine/provenance';
import { voiceFileProvenance, wavProvenance } from '../../app-info';
import { MissingVoicesError } from '../../../engine/voices/arithmetic';
import { exportBundle, exportVoice, type VoiceExportFormat } from '../../../engine/voices/formats';
import { voiceFileParser } from '../../clients/voice-file-client';
import { parseTags, uniqueVoiceName, voiceNameProblem } from '../../../engine/voices/library';
import { exportRecipe, importRecipe, RecipeError, type VoiceRecipe } from '../../../engine/voices/recipe';
import type { VoiceRecord } from '../../db/schema';
import { studio } from '../../store/studio-store';
import {
  blendProblemText,
  buildRecipe,
  currentRecipe,
  currentResultPack,
  loadRecipeIntoBlend,
} from './blend-actions';
import { directionNames } from './directions-actions';
import { commitVoices, errorText, newVoiceRecord, takenNames, userRecord } from './library-actions';
import { nameForKey, packForKey, parseVoiceKey, voiceNames } from './pack-registry';
import { currentPreviewAudio } from './preview';

/** Far above any voice file (a 54-voice bundle is ~28 MB); refuses mistakes like a video early. */
export const MAX_IMPORT_BYTES = 64 * 1024 * 1024;
/** A recipe is a few kilobytes of JSON. */
export const MAX_RECIPE_BYTES = 1024 * 1024;
const JSON_MIME = 'application/json';

export function safeFileName(name: string): string {
  return name.replace(/[^\w.-]+/g, '_').replace(/^_+|_+$/g, '') || 'voice';
}

export function downloadBytes(bytes: Uint8Array | string, fileName: string, mime: string): void {
  const part = typeof bytes === 'string' ? bytes : (bytes as Uint8Array<ArrayBuffer>);
  const url = URL.createObjectURL(new Blob([part], { type: mime }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function report(notice: string | undefined, errors: readonly string[]): void {
  studio.set({ voicesNotice: notice, voicesError: errors.length > 0 ? errors.join('\n') : undefined });
}

/** Saves the current blend in the library; returns a problem with the name, if any. */
export async function saveResult(name: string, tagsText: string): Promise<string | undefined> {
  const pack = currentResultPack();
  if (!pack) return 'There is no blend to save yet: add a voice and move a slider.';
  const problem = voiceNameProblem(name, takenNames());
  if (problem) return problem;
  let recipe: VoiceRecipe;
  try {
    recipe = currentRecipe(name);
  } catch (error) {
    return blendProblemText(error);
  }
  const record = newVoiceRecord(name, pack.slice(), { kind: 'blend', recipe }, parseTags(tagsText));
  if (await commitVoices([record], `“${name}”`)) report(`Saved “${name}” in the library.`, []);
  return undefined;
}

/** The blend being edited, as the origin its files and previews state. */
function currentBlendOrigin(name: string): ProvenanceOrigin & { kind: 'blend' } {
  const expression = studio.get().blendExpression.trim();
  return { kind: 'blend', name: name.trim() || 'Blend', ...(expression ? { expression } : {}) };
}

/** Where a library voice came from, for the provenance its files carry. */
export function originOfKey(key: string, seen = new Set<string>()): ProvenanceOrigin | undefined {
  const parsed = parseVoiceKey(key);
  const name = nameForKey(key) ?? key;
  if (!parsed) return undefined;
  if (parsed.kind === 'stock') return { kind: 'stock', id: parsed.id };
  const record = userRecord(parsed.id);
  if (!record) return undefined;
  switch (record.origin.kind) {
    case 'blend': {
      const expression = (record.origin.recipe as { expression?: unknown } | undefined)?.expression;
      return { kind: 'blend', name, ...(typeof expression === 'string' ? { expression } : {}) };
    }
    case 'clone':
      return { kind: 'cloned', name };
    case 'import':
      return { kind: 'imported', name, fileName: record.origin.fileName };
    case 'duplicate': {
      // A copy says what its source was (a chain of copies is followed, a loop is not).
      const from = record.origin.fromId;
      const source = from.includes(':') ? from : `user:${from}`;
      if (seen.has(source)) return undefined;
      seen.add(key);
      return originOfKey(source, seen);
    }
  }
}

export function downloadVoice(key: string, format: VoiceExportFormat): void {
  const pack = packForKey(key);
  const name = nameForKey(key);
  if (!pack || !name) {
    report(undefined, ['This voice is not loaded yet; try again in a moment.']);
    return;
  }
  try {
    const origin = originOfKey(key);
    const provenance = origin ? voiceFileProvenance(origin) : undefined;
    const bytes = exportVoice(format, { name: safeFileName(name), data: pack }, provenance);
    downloadBytes(bytes, `${safeFileName(name)}.${format}`, 'application/octet-stream');
  } catch (error) {
    report(undefined, [errorText(error)]);
  }
}

export function downloadResult(format: VoiceExportFormat, name: string): void {
  const pack = currentResultPack();
  if (!pack) return;
  const provenance = voiceFileProvenance(currentBlendOrigin(name));
  const bytes = exportVoice(format, { name: safeFileName(name), data: pack }, provenance);
  downloadBytes(bytes, `${safeFileName(name)}.${format}`, 'application/octet-stream');
}

/** All the user's voices in one kokoro-onnx style `.npz`. */
export function downloadBundle(): void {
  const packs = studio
    .get()
    .voiceLibrary.map((voice) => ({ name: voice.name, data: packForKey(`user:${voice.id}`) }))
    .filter((p): p is { name: string; data: Float32Array } => p.data !== undefined);
  try {
    downloadBytes(exportBundle(packs), 'timbre-voices.npz', 'application/zip');
  } catch (error) {
    report(undefined, [errorText(error)]);
  }
}

export function downloadRecipe(recipe: VoiceRecipe): void {
  const provenance = voiceFileProvenance({ kind: 'blend', name: recipe.name, expression: recipe.expression });
  downloadBytes(
    exportRecipe({ ...recipe, provenance }),
    `${safeFileName(recipe.name)}.recipe.json`,
    JSON_MIME,
  );
}

export function downloadCurrentRecipe(name: string): void {
  try {
    downloadRecipe(currentRecipe(name.trim() || 'Blend'));
  } catch (error) {
    report(undefined, [blendProblemText(error)]);
  }
}

/** A saved blend's recipe, if it has one. */
export function recipeOf(key: string): VoiceRecipe | undefined {
  const parsed = parseVoiceKey(key);
  const record = parsed?.kind === 'user' ? userRecord(parsed.id) : undefined;
  return record?.origin.kind === 'blend' ? (record.origin.recipe as VoiceRecipe) : undefined;
}

export function downloadPreviewWav(name: string): void {
  const audio = currentPreviewAudio();
  if (!audio) return;
  const origin = currentBlendOrigin(name);
  downloadBytes(
    encodeWav(audio.pcm, audio.sampleRateHz, wavProvenance(origin, `${origin.name} (preview)`)),
    `${safeFileName(name)}-preview.wav`,
    'audio/wav',
  );
}

function recipeProblem(fileName: string, error: unknown): string {
  if (error instanceof ImportRefused) return error.message;
  if (error instanceof MissingVoicesError) {
    return `${fileName}: the recipe needs voice${error.missing.length === 1 ? '' : 's'} not in your library: ${error.missing.join(', ')}. Import or create ${error.missing.length === 1 ? 'it' : 'them'} first.`;
  }
  if (error instanceof RecipeError) return `${fileName}: ${error.message}`;
  return `${fileName}: ${blendProblemText(error)}`;
}

class ImportRefused extends Error {}

async function readRecipe(file: File, taken: string[]): Promise<VoiceRecord> {
  if (file.size > MAX_RECIPE_BYTES)
    throw new ImportRefused(
      `${file.name}: ${(file.size / 1e6).toFixed(1)} MB is far too big for a recipe (at most ${MAX_RECIPE_BYTES / 1024 / 1024} MB).`,
    );
  const parsed = await voiceFileParser().parseRecipe(file.name, await file.text());
  if (!parsed.ok) throw new ImportRefused(parsed.message);
  // The worker parsed and validated it; which voices and directions exist is known here.
  const recipe = importRecipe(parsed.value, { voices: voiceNames(), directions: directionNames() });
  const pack = await buildRecipe(recipe);
  const name = uniqueVoiceName(recipe.name, taken);
  loadRecipeIntoBlend(recipe);
  return newVoiceRecord(name, pack, { kind: 'blend', recipe: { ...recipe, name } });
}

async function readVoiceFile(fileName: string, bytes: Uint8Array, taken: string[]): Promise<VoiceRecord[]> {
  const parsed = await voiceFileParser().parseVoiceFile(fileName, bytes);
  if (!parsed.ok) throw new ImportRefused(parsed.message);
  return parsed.value.map((pack) => {
    const name = uniqueVoiceName(pack.name, taken);
    taken.push(name);
    return newVoiceRecord(name, pack.data, {
      kind: 'import',
      fileName,
      ...(pack.provenance ? { provenance: pack.provenance } : {}),
    });
  });
}

/** Imports voice files (.pt .pth .bin .npy .npz) and recipes (.json); all valid voices land in one write. */
export async function importFiles(files: readonly File[]): Promise<void> {
  if (files.length === 0) return;
  const taken = takenNames();
  const records: VoiceRecord[] = [];
  const errors: string[] = [];
  for (const file of files) {
    if (file.size > MAX_IMPORT_BYTES) {
      errors.push(`${file.name}: ${(file.size / 1e6).toFixed(0)} MB is far too big for a voice file.`);
      continue;
    }
    if (/\.json$/i.test(file.name) || file.type === JSON_MIME) {
      try {
        const record = await readRecipe(file, taken);
        taken.push(record.name);
        records.push(record);
      } catch (error) {
        errors.push(recipeProblem(file.name, error));
      }
      continue;
    }
    try {
      records.push(...(await readVoiceFile(file.name, new Uint8Array(await file.arrayBuffer()), taken)));
    } catch (error) {
      errors.push(
        error instanceof ImportRefused
          ? error.message
          : `${file.name}: could not be read (${errorText(error)}).`,
      );
    }
  }
  if (records.length === 0) {
    report(undefined, errors);
    return;
  }
  const what = records.length === 1 ? `“${records[0]!.name}”` : `${records.length} voices`;
  if (await commitVoices(records, records.length === 1 ? what : `the import of ${what}`)) {
    report(
      `Imported ${what}${records.length > 1 ? `: ${records.map((r) => r.name).join(', ')}` : ''}.`,
      errors,
    );
  } else if (errors.length > 0) {
    report(undefined, [studio.get().voicesError ?? '', ...errors].filter(Boolean));
  }
}
