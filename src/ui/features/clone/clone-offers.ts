/**
 * Searches found in IndexedDB that are not running in this page (a reload, a closed tab, a
 * crash, or a result not saved yet): offered as Resume · Save best · Discard.
 */
import { studio } from '../../store/studio-store';
import type { CloneOffer } from '../../store/slices/clone';
import { errorText } from './clone-client';
import { deleteCheckpoint, getCheckpoint, readCheckpoints, type CloneCheckpoint } from './clone-db';
import { activeJobId, runNewJob } from './clone-job';
import { packs } from './clone-registry';
import { saveVoice } from './clone-results';
import { loadReferences } from '../references/reference-actions';

function toOffer(record: CloneCheckpoint): CloneOffer {
  return {
    jobId: record.id,
    targetId: record.targetId,
    targetName: record.state.targetName,
    method: record.method,
    evaluations: record.evaluations,
    searchDone: Math.max(0, record.evaluations - record.state.searchStartEvaluation),
    budget: record.state.budget,
    bestScore: record.bestScore,
    ...(record.state.outcome ? { outcome: record.state.outcome } : {}),
    updatedAt: record.updatedAt,
  };
}

/** Reads the checkpoints (except the job running here) into the store, newest first. */
export async function loadOffers(): Promise<void> {
  try {
    const records = await readCheckpoints();
    const running = activeJobId();
    studio.set({
      cloneOffers: records
        .filter((r) => r.id !== running)
        .sort((a, b) => b.updatedAt - a.updatedAt)
        .map(toOffer),
    });
  } catch (error) {
    studio.set({ cloneError: `Could not read saved searches: ${errorText(error)}` });
  }
}

async function checkpointOrReport(jobId: string): Promise<CloneCheckpoint | undefined> {
  const record = await getCheckpoint(jobId);
  if (!record) {
    studio.set({
      cloneError: 'That search is no longer saved.',
      cloneOffers: studio.get().cloneOffers.filter((o) => o.jobId !== jobId),
    });
  }
  return record;
}

/** Continues a saved search where its checkpoint left it. */
export async function resumeOffer(jobId: string): Promise<void> {
  const record = await checkpointOrReport(jobId);
  if (!record) return;
  const { state } = record;
  await loadReferences();
  if (!studio.get().refTargets.some((t) => t.id === record.targetId)) {
    studio.set({
      cloneError: `The target “${state.targetName}” was deleted, so this search cannot continue. Its best voice can still be saved.`,
    });
    return;
  }
  packs.best = state.hasSearchBest && record.best.length > 0 ? record.best : undefined;
  delete packs.instant;
  const { checkpoint, hasSearchBest, searchStartEvaluation, history, outcome: _outcome, ...settings } = state;
  await runNewJob(jobId, record.targetId, settings, {
    saved: { checkpoint, bestPack: hasSearchBest && record.best.length > 0 ? record.best : null },
    searchStartEvaluation,
    history,
    evaluations: record.evaluations,
  });
}

/** Saves a stored search's best voice in the library, then forgets the search. */
export async function saveOffer(jobId: string): Promise<void> {
  const record = await checkpointOrReport(jobId);
  if (!record) return;
  if (record.best.length === 0) {
    studio.set({ cloneError: 'This search had not found a voice yet; there is nothing to save.' });
    return;
  }
  const saved = await saveVoice({
    name: `${record.state.targetName} clone`,
    pack: record.best,
    targetId: record.targetId,
    method: record.method,
    // Without a search best, the checkpoint holds the instant clone.
    ...(record.state.best
      ? { score: record.state.best.score }
      : record.state.instant
        ? { score: record.state.instant.score }
        : {}),
    evaluations: record.evaluations,
    uniqueName: true,
  });
  if (saved) await discardOffer(jobId);
}

export async function discardOffer(jobId: string): Promise<void> {
  try {
    await deleteCheckpoint(jobId);
  } catch (error) {
    studio.set({ cloneError: `Could not discard the search: ${errorText(error)}` });
    return;
  }
  studio.set({ cloneOffers: studio.get().cloneOffers.filter((o) => o.jobId !== jobId) });
}
