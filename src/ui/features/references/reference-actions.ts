/**
 * Target voices and their clips: load from IndexedDB, create and rename targets, edit the
 * transcript, rename and delete clips (with Undo). The store holds metadata only.
 */
import { startUndoWindow, UNDO_WINDOW_MS, type UndoWindow } from '../../components/undo-window';
import { newId, storageErrorMessage, type ClipRecord, type TargetRecord } from '../../db/schema';
import { studio } from '../../store/studio-store';
import type { RefClip, RefTarget } from '../../store/slices/references';
import {
  deleteRecords,
  putTarget,
  readClipMetas,
  readTargets,
  renameClipRecord,
  restoreRecords,
  type ClipMetaRecord,
  type RemovedRecords,
} from './reference-db';
import { analysePending } from './analysis-actions';

let loading: Promise<void> | undefined;
let lastRemoved: RemovedRecords | undefined;
let toastTimer: UndoWindow | undefined;
let nextToastId = 1;

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function toRefClip(record: ClipMetaRecord | ClipRecord): RefClip {
  return {
    id: record.id,
    targetId: record.targetId,
    name: record.name,
    createdAt: record.createdAt,
    source: record.source,
    ...(record.fileName ? { fileName: record.fileName } : {}),
    durationS: record.durationS,
    ...(record.speechS !== undefined ? { speechS: record.speechS } : {}),
    warnings: record.warnings,
  };
}

function toRefTarget(record: TargetRecord): RefTarget {
  return {
    id: record.id,
    name: record.name,
    createdAt: record.createdAt,
    ...(record.transcript ? { transcript: record.transcript } : {}),
    ...(record.consentAt ? { consentAt: record.consentAt } : {}),
  };
}

const byCreation = <T extends { createdAt: number }>(a: T, b: T) => a.createdAt - b.createdAt;

/**
 * Seconds of speech in a target's clips (the VAD's measure, else the whole clip): what its
 * transcript is checked against and what a clone has to learn from.
 */
export function targetSpeechSeconds(clips: readonly RefClip[], targetId: string | undefined): number {
  return clips.reduce((n, c) => (c.targetId === targetId ? n + (c.speechS ?? c.durationS) : n), 0);
}

/** Reads targets and clips once per page load, then analyses clips that have no cached embedding. */
export function loadReferences(): Promise<void> {
  loading ??= (async () => {
    try {
      const [targets, clips] = await Promise.all([readTargets(), readClipMetas()]);
      const { refTargetId } = studio.get();
      const selected = targets.some((t) => t.id === refTargetId)
        ? refTargetId
        : targets.sort(byCreation)[0]?.id;
      studio.set({
        refTargets: targets.map(toRefTarget).sort(byCreation),
        refClips: clips.map(toRefClip).sort(byCreation),
        refTargetId: selected,
        refLoaded: true,
      });
      void analysePending();
    } catch (error) {
      loading = undefined;
      studio.set({ refError: `Could not read saved clips: ${errorText(error)}`, refLoaded: true });
    }
  })();
  return loading;
}

export function selectTarget(id: string): void {
  studio.set({ refTargetId: id });
}

export async function createTarget(name: string): Promise<void> {
  const trimmed = name.trim() || `Voice ${studio.get().refTargets.length + 1}`;
  const record: TargetRecord = { id: newId(), name: trimmed, createdAt: Date.now() };
  try {
    await putTarget(record);
  } catch (error) {
    studio.set({ refError: storageErrorMessage(error, 'the target voice') });
    return;
  }
  studio.set({
    refTargets: [...studio.get().refTargets, toRefTarget(record)],
    refTargetId: record.id,
    refError: undefined,
  });
}

/**
 * Renames a target, sets the transcript of its clips, and/or records the user's confirmation
 * that they are the speaker or have the speaker's permission to clone (resolves false when it
 * could not be stored).
 */
export async function updateTarget(
  id: string,
  patch: { name?: string; transcript?: string; consentAt?: number },
): Promise<boolean> {
  const current = studio.get().refTargets.find((t) => t.id === id);
  if (!current) return false;
  const name = patch.name !== undefined ? patch.name.trim() || current.name : current.name;
  const transcript = patch.transcript !== undefined ? patch.transcript : current.transcript;
  const consentAt = patch.consentAt ?? current.consentAt;
  const record: TargetRecord = {
    id,
    name,
    createdAt: current.createdAt,
    ...(transcript ? { transcript } : {}),
    ...(consentAt ? { consentAt } : {}),
  };
  try {
    await putTarget(record);
  } catch (error) {
    studio.set({ refError: storageErrorMessage(error, 'the target voice') });
    return false;
  }
  studio.set({ refTargets: studio.get().refTargets.map((t) => (t.id === id ? toRefTarget(record) : t)) });
  return true;
}

export async function renameClip(id: string, name: string): Promise<void> {
  const trimmed = name.trim();
  const clip = studio.get().refClips.find((c) => c.id === id);
  if (!clip || !trimmed || trimmed === clip.name) return;
  try {
    await renameClipRecord(id, trimmed);
  } catch (error) {
    studio.set({ refError: storageErrorMessage(error, 'the new name') });
    return;
  }
  studio.set({ refClips: studio.get().refClips.map((c) => (c.id === id ? { ...c, name: trimmed } : c)) });
}

function showToast(message: string, undo: boolean): void {
  toastTimer?.cancel();
  const id = nextToastId++;
  studio.set({ refToast: { id, message, undo } });
  toastTimer = startUndoWindow(UNDO_WINDOW_MS, () => {
    if (studio.get().refToast?.id === id) studio.set({ refToast: undefined });
    if (undo) lastRemoved = undefined;
  });
}

/** The running toast's window (the toast holds it while hovered or focused). */
export function toastWindow(): UndoWindow | undefined {
  return toastTimer;
}

export function dismissToast(): void {
  toastTimer?.cancel();
  toastTimer = undefined;
  studio.set({ refToast: undefined });
}

async function remove(clipIds: string[], targetId: string | undefined, what: string): Promise<void> {
  let removed: RemovedRecords;
  try {
    removed = await deleteRecords(clipIds, targetId);
  } catch (error) {
    studio.set({ refError: `Could not delete ${what}: ${errorText(error)}. Nothing was deleted.` });
    return;
  }
  lastRemoved = removed;
  const gone = new Set(clipIds);
  const state = studio.get();
  const targets = targetId ? state.refTargets.filter((t) => t.id !== targetId) : state.refTargets;
  studio.set({
    refClips: state.refClips.filter((c) => !gone.has(c.id)),
    refTargets: targets,
    refTargetId: targetId && state.refTargetId === targetId ? targets[0]?.id : state.refTargetId,
    refComparison: undefined,
  });
  showToast(`Deleted ${what}.`, true);
}

export function deleteClip(id: string): Promise<void> {
  const clip = studio.get().refClips.find((c) => c.id === id);
  return remove([id], undefined, clip ? `“${clip.name}”` : 'the clip');
}

export function deleteTarget(id: string): Promise<void> {
  const state = studio.get();
  const target = state.refTargets.find((t) => t.id === id);
  const clipIds = state.refClips.filter((c) => c.targetId === id).map((c) => c.id);
  return remove(
    clipIds,
    id,
    target ? `the voice “${target.name}” and its ${clipIds.length} clip(s)` : 'the voice',
  );
}

/** After Models & settings cleared the clips in IndexedDB: forget them here too (no Undo). */
export function forgetReferences(): void {
  lastRemoved = undefined;
  dismissToast();
  studio.set({
    refTargets: [],
    refClips: [],
    refAnalysis: {},
    refTargetId: undefined,
    refComparison: undefined,
  });
}

export async function undoDelete(): Promise<void> {
  const removed = lastRemoved;
  if (!removed) return;
  try {
    await restoreRecords(removed);
  } catch (error) {
    studio.set({ refError: storageErrorMessage(error, 'the deleted clip') });
    return;
  }
  lastRemoved = undefined;
  const state = studio.get();
  const restoredTargets = removed.targets.map(toRefTarget);
  studio.set({
    refTargets: [...state.refTargets, ...restoredTargets].sort(byCreation),
    refClips: [...state.refClips, ...removed.clips.map(toRefClip)].sort(byCreation),
    refTargetId: restoredTargets[0]?.id ?? state.refTargetId,
  });
  showToast('Restored.', false);
  void analysePending();
}
