/**
 * Keeping a clone: save it in the voice library (through the Voices feature's own save path,
 * so names, the library list and storage errors behave the same) or download it as a voice file.
 */
import type { CandidateScore } from '../../../engine/clone/score';
import { exportVoice, type VoiceExportFormat } from '../../../engine/voices/formats';
import { voiceFileProvenance } from '../../app-info';
import { uniqueVoiceName, voiceNameProblem } from '../../../engine/voices/library';
import { studio } from '../../store/studio-store';
import { errorText } from './clone-client';
import { deleteCheckpoint } from './clone-db';
import { activeSettings } from './clone-job';
import { packs } from './clone-registry';
import { downloadBytes, safeFileName } from '../voices/files-actions';
import { commitVoices, loadLibrary, newVoiceRecord, takenNames } from '../voices/library-actions';

export interface SaveVoiceOptions {
  name: string;
  pack: Float32Array;
  targetId: string;
  method: string;
  score?: CandidateScore;
  evaluations: number;
  /** Pick a free name instead of refusing a taken one. */
  uniqueName?: boolean;
}

/** Saves a clone in the library; returns its id, or undefined (the problem is in the store). */
export async function saveVoice(options: SaveVoiceOptions): Promise<string | undefined> {
  await loadLibrary();
  const wanted = options.name.trim();
  const name = options.uniqueName ? uniqueVoiceName(wanted, takenNames()) : wanted;
  const problem = voiceNameProblem(name, takenNames());
  if (problem) {
    studio.set({ cloneError: problem });
    return undefined;
  }
  const scores: Record<string, number> = {};
  if (options.score) {
    scores.score = options.score.score;
    scores.target = options.score.targetSimilarity;
    if (options.score.selfSimilarity !== null) scores.self = options.score.selfSimilarity;
    if (options.score.featureSimilarity !== null) scores.feature = options.score.featureSimilarity;
  }
  const record = newVoiceRecord(name, options.pack.slice(), {
    kind: 'clone',
    targetId: options.targetId,
    method: options.method,
    scores,
    evaluations: options.evaluations,
  });
  if (!(await commitVoices([record], `“${name}”`))) {
    studio.set({ cloneError: studio.get().voicesError ?? `Could not save “${name}”.` });
    return undefined;
  }
  studio.set({ cloneNotice: `Saved “${name}” in the voice library.`, cloneError: undefined });
  return record.id;
}

/** Saves the current job's best voice; false when it could not (the reason is in the store). */
export async function saveClone(name: string): Promise<boolean> {
  const job = studio.get().cloneJob;
  const settings = activeSettings();
  const pack = packs.best;
  if (!job || !settings || !pack) {
    studio.set({ cloneError: 'There is no searched clone to save yet.' });
    return false;
  }
  const id = await saveVoice({
    name,
    pack,
    targetId: job.targetId,
    method: job.method,
    ...(job.best ? { score: job.best.score } : {}),
    evaluations: job.evaluations,
  });
  if (!id) return false;
  studio.set({ cloneJob: { ...studio.get().cloneJob!, savedVoiceId: id } });
  // A finished search's best is now in the library: its checkpoint is no longer needed.
  if (job.state === 'done' || job.state === 'cancelled') {
    await deleteCheckpoint(job.jobId).catch(() => undefined);
  }
  return true;
}

/** Downloads the current job's best voice (or the instant clone) as a voice file. */
export function downloadClone(which: 'best' | 'instant', format: VoiceExportFormat, name: string): void {
  const pack = which === 'best' ? packs.best : packs.instant;
  if (!pack) {
    studio.set({ cloneError: 'There is no voice to download yet.' });
    return;
  }
  const fileName = safeFileName(name.trim() || 'clone');
  const target = studio.get().cloneJob?.targetName;
  const provenance = voiceFileProvenance({
    kind: 'cloned',
    name: name.trim() || 'clone',
    ...(target ? { target } : {}),
  });
  try {
    downloadBytes(
      exportVoice(format, { name: fileName, data: pack }, provenance),
      `${fileName}.${format}`,
      'application/octet-stream',
    );
  } catch (error) {
    studio.set({ cloneError: `Could not make the file: ${errorText(error)}` });
  }
}
