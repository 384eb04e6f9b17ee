/**
 * The Clone tab's IndexedDB: the worker's measurement cache (store `embeddings`, keys
 * `clone:<measurement key>`) and search checkpoints (store `checkpoints`: the best pack in
 * `best`, the saved search and the job's settings in `state`), plus the target's clips.
 */
import type { CandidateScore, ScorePreset, ScoreWeights } from '../../../engine/clone/score';
import type { SearchCheckpoint } from '../../../engine/clone/search';
import type { Measurement } from '../../../engine/clone/types';
import type {
  CloneMeasurementStore,
  CloneMethod,
  CloneOutcome,
  RankedStockVoice,
} from '../../../workers/clone-protocol';
import type { Dialect } from '../../../workers/protocol';
import { openTimbreDb, type CheckpointRecord, type ClipRecord } from '../../db/schema';

export const MEASUREMENT_KEY_PREFIX = 'clone:';

/** Everything needed to resume a search after a reload, and to show what it found. */
export interface CloneCheckpointState {
  version: 1;
  targetName: string;
  method: CloneMethod;
  scorePreset: ScorePreset;
  weights: ScoreWeights;
  budget: number;
  seed: number;
  dialect: Dialect;
  transcript?: string;
  /** The engine's checkpoint (its best pack is the record's `best` when `hasSearchBest`). */
  checkpoint: SearchCheckpoint;
  hasSearchBest: boolean;
  searchStartEvaluation: number;
  /** Why the run stopped last; undefined while it was still running (a closed tab). */
  outcome?: CloneOutcome;
  best?: { score: CandidateScore; evaluation: number };
  nearest?: RankedStockVoice;
  instant?: { score: CandidateScore };
  /** The plot so far: [evaluation, score, target similarity, best score, best target] per evaluation. */
  history: Float32Array;
  /** The models' cache tag when it was saved. */
  cacheTag?: string;
}

export interface CloneCheckpoint extends Omit<CheckpointRecord, 'state'> {
  state: CloneCheckpointState;
}

/** The worker's cache of measured stock renderings, kept across reloads. */
export function idbMeasurementStore(): CloneMeasurementStore {
  return {
    async get(key: string): Promise<Measurement | undefined> {
      const db = await openTimbreDb();
      const record = await db.get('embeddings', MEASUREMENT_KEY_PREFIX + key);
      if (!record) return undefined;
      return record.voiceFeatures
        ? { embedding: record.vector, features: record.voiceFeatures }
        : { embedding: record.vector };
    },
    async set(key: string, value: Measurement): Promise<void> {
      const db = await openTimbreDb();
      await db.put('embeddings', {
        key: MEASUREMENT_KEY_PREFIX + key,
        createdAt: Date.now(),
        vector: value.embedding,
        ...(value.features ? { voiceFeatures: value.features } : {}),
      });
    },
  };
}

/** True when a record's state looks like ours (a checkpoint from another version is ignored). */
function isCloneCheckpoint(record: CheckpointRecord): record is CloneCheckpoint {
  const state = record.state as Partial<CloneCheckpointState> | undefined;
  return (
    state?.version === 1 && typeof state.checkpoint === 'object' && state.history instanceof Float32Array
  );
}

export async function readCheckpoints(): Promise<CloneCheckpoint[]> {
  const db = await openTimbreDb();
  return (await db.getAll('checkpoints')).filter(isCloneCheckpoint);
}

export async function getCheckpoint(id: string): Promise<CloneCheckpoint | undefined> {
  const db = await openTimbreDb();
  const record = await db.get('checkpoints', id);
  return record && isCloneCheckpoint(record) ? record : undefined;
}

export async function putCheckpoint(record: CloneCheckpoint): Promise<void> {
  const db = await openTimbreDb();
  await db.put('checkpoints', record);
}

export async function deleteCheckpoint(id: string): Promise<void> {
  const db = await openTimbreDb();
  await db.delete('checkpoints', id);
}

/** The target's clips with their audio, oldest first. */
export async function readTargetClips(targetId: string): Promise<ClipRecord[]> {
  const db = await openTimbreDb();
  const clips = await db.getAllFromIndex('clips', 'byTarget', targetId);
  return clips.sort((a, b) => a.createdAt - b.createdAt);
}
