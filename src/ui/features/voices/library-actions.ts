/**
 * The user's voice library: load, save, rename, retag, duplicate, delete (with Undo).
 * Records (with packs) live here and in IndexedDB; the store only lists their metadata.
 */
import { startUndoWindow, UNDO_WINDOW_MS, type UndoWindow } from '../../components/undo-window';
import { float32Checksum } from '../../../engine/voices/checksum';
import { uniqueVoiceName, voiceNameProblem } from '../../../engine/voices/library';
import { newId, storageErrorMessage, type VoiceOrigin, type VoiceRecord } from '../../db/schema';
import { studio } from '../../store/studio-store';
import type { LibraryVoice } from '../../store/slices/voices';
import { deleteVoiceRecord, putVoices, readVoices } from './library-db';
import {
  deleteUserPack,
  nameForKey,
  packForKey,
  parseVoiceKey,
  setUserPack,
  stockIds,
  voiceNames,
} from './pack-registry';
import { renameInBlend } from './blend-actions';

const records = new Map<string, VoiceRecord>();
let loading: Promise<void> | undefined;
let toastTimer: UndoWindow | undefined;
let nextToastId = 1;
let lastDeleted: VoiceRecord | undefined;

function describeOrigin(origin: VoiceOrigin): string {
  switch (origin.kind) {
    case 'blend': {
      const recipe = origin.recipe as { expression?: unknown } | undefined;
      return typeof recipe?.expression === 'string' && recipe.expression
        ? `blend: ${recipe.expression}`
        : 'blend';
    }
    case 'clone':
      return `cloned (${origin.method})`;
    case 'import':
      return `imported from ${origin.fileName}${origin.provenance ? ` (${origin.provenance})` : ''}`;
    case 'duplicate':
      return `copy of ${nameForKey(origin.fromId) ?? records.get(origin.fromId)?.name ?? 'a deleted voice'}`;
  }
}

function toLibraryVoice(record: VoiceRecord): LibraryVoice {
  return {
    id: record.id,
    name: record.name,
    tags: record.tags,
    kind: record.origin.kind,
    originText: describeOrigin(record.origin),
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    checksum: float32Checksum(record.pack),
  };
}

function publish(): void {
  const list = [...records.values()].sort((a, b) => b.createdAt - a.createdAt).map(toLibraryVoice);
  studio.set({ voiceLibrary: list });
}

export function userRecord(id: string): VoiceRecord | undefined {
  return records.get(id);
}

/** Reads the library once per page load (StrictMode mounts twice; one read is enough). */
export function loadLibrary(): Promise<void> {
  loading ??= (async () => {
    studio.set({ voiceLibraryState: 'loading' });
    try {
      for (const record of await readVoices()) {
        records.set(record.id, record);
        setUserPack(record.id, record.pack);
      }
      publish();
      studio.set({ voiceLibraryState: 'ready' });
    } catch (error) {
      loading = undefined;
      studio.set({
        voiceLibraryState: 'error',
        voicesError: `Could not open the voice library: ${errorText(error)}`,
      });
    }
  })();
  return loading;
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Saves new or changed records in one transaction; on failure nothing changes and the error is shown. */
export async function commitVoices(changed: readonly VoiceRecord[], what: string): Promise<boolean> {
  try {
    await putVoices(changed);
  } catch (error) {
    studio.set({ voicesError: storageErrorMessage(error, what), voicesNotice: undefined });
    return false;
  }
  for (const record of changed) {
    records.set(record.id, record);
    setUserPack(record.id, record.pack);
  }
  publish();
  return true;
}

export function newVoiceRecord(
  name: string,
  pack: Float32Array,
  origin: VoiceOrigin,
  tags: string[] = [],
): VoiceRecord {
  const now = Date.now();
  return { id: newId(), name, tags, origin, createdAt: now, updatedAt: now, pack };
}

export function takenNames(exceptId?: string): string[] {
  return voiceNames().filter((name) => exceptId === undefined || records.get(exceptId)?.name !== name);
}

/** Renames a user voice; returns the problem instead when the name is not allowed. */
export async function renameVoice(id: string, name: string): Promise<string | undefined> {
  const record = records.get(id);
  if (!record) return 'This voice is no longer in the library.';
  if (record.name === name) return undefined;
  const problem = voiceNameProblem(name, takenNames(id));
  if (problem) return problem;
  const oldName = record.name;
  const saved = await commitVoices(
    [{ ...record, name, updatedAt: Date.now() }],
    `the new name of “${oldName}”`,
  );
  if (saved) renameInBlend(oldName, name);
  return saved ? undefined : studio.get().voicesError;
}

export async function setVoiceTags(id: string, tags: string[]): Promise<void> {
  const record = records.get(id);
  if (!record) return;
  await commitVoices([{ ...record, tags, updatedAt: Date.now() }], `the tags of “${record.name}”`);
}

/** A copy of any voice (stock or user) as a new user voice; returns its id. */
export async function duplicateVoice(key: string): Promise<string | undefined> {
  const pack = packForKey(key);
  const name = nameForKey(key);
  if (!pack || !name) return undefined;
  const source = parseVoiceKey(key);
  const tags = source?.kind === 'user' ? [...(records.get(source.id)?.tags ?? [])] : [];
  const copy = newVoiceRecord(
    uniqueVoiceName(`${name} copy`, takenNames()),
    pack.slice(),
    { kind: 'duplicate', fromId: key },
    tags,
  );
  const saved = await commitVoices([copy], `the copy of “${name}”`);
  if (!saved) return undefined;
  studio.set({ voicesNotice: `Saved “${copy.name}”.`, voicesError: undefined });
  return copy.id;
}

export async function deleteVoice(id: string): Promise<void> {
  const record = records.get(id);
  if (!record) return;
  try {
    await deleteVoiceRecord(id);
  } catch (error) {
    studio.set({ voicesError: `Could not delete “${record.name}”: ${errorText(error)}` });
    return;
  }
  records.delete(id);
  deleteUserPack(id);
  lastDeleted = record;
  if (studio.get().voiceSelected === `user:${id}`) studio.set({ voiceSelected: undefined });
  publish();
  showToast(`Deleted “${record.name}”.`, true);
}

/** After Models & settings cleared the library in IndexedDB: forget it here too (no Undo). */
export function forgetLibrary(): void {
  for (const id of records.keys()) deleteUserPack(id);
  records.clear();
  lastDeleted = undefined;
  dismissToast();
  if (studio.get().voiceSelected?.startsWith('user:')) studio.set({ voiceSelected: undefined });
  publish();
}

export async function undoDelete(): Promise<void> {
  const record = lastDeleted;
  lastDeleted = undefined;
  dismissToast();
  if (!record) return;
  // A voice with the same name may have been made meanwhile; keep both, renamed if needed.
  const name = voiceNameProblem(record.name, takenNames())
    ? uniqueVoiceName(record.name, takenNames())
    : record.name;
  if (await commitVoices([{ ...record, name }], `“${record.name}” again`)) {
    studio.set({ voicesNotice: `Restored “${name}”.` });
  }
}

export function showToast(message: string, undo: boolean): void {
  toastTimer?.cancel();
  const id = nextToastId++;
  studio.set({ voicesToast: { id, message, undo } });
  toastTimer = startUndoWindow(UNDO_WINDOW_MS, () => {
    if (studio.get().voicesToast?.id === id) studio.set({ voicesToast: undefined });
    if (undo) lastDeleted = undefined;
  });
}

/** The running toast's window (the toast holds it while hovered or focused). */
export function toastWindow(): UndoWindow | undefined {
  return toastTimer;
}

export function dismissToast(): void {
  toastTimer?.cancel();
  toastTimer = undefined;
  studio.set({ voicesToast: undefined });
}

export function isStockName(name: string): boolean {
  return stockIds().includes(name);
}
