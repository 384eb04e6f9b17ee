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

/**
 * The measurement cache's cap: this many renderings (an embedding and voice features each,
 * about 2 KB: ~40 MB). Past it the least recently used are removed, down to 90 % of the cap.
 */
export const MAX_CACHED_MEASUREMENTS = 20_000;
/** Eviction runs after every this many writes (counting the records is not free). */
const EVICT_EVERY_WRITES = 200;
/** A read refreshes a record's `usedAt` only when it is older than this (fewer writes). */
const TOUCH_AFTER_MS = 60 * 60 * 1000;

export interface MeasurementStoreOptions {
  cap?: number;
  evictEveryWrites?: number;
  now?: () => number;
}

const measurementRange = () => IDBKeyRange.bound(MEASUREMENT_KEY_PREFIX, `${MEASUREMENT_KEY_PREFIX}\uffff`);

/** Removes the least recently used measurements when there are more than `cap`, down to 90 % of it. */
export async function evictMeasurements(cap: number = MAX_CACHED_MEASUREMENTS): Promise<number> {
  const db = await openTimbreDb();
  const count = await db.count('embeddings', measurementRange());
  if (count <= cap) return 0;
  const records = await db.getAll('embeddings', measurementRange());
  records.sort((a, b) => (a.usedAt ?? a.createdAt) - (b.usedAt ?? b.createdAt));
  const doomed = records.slice(0, count - Math.floor(cap * 0.9));
  const tx = db.transaction('embeddings', 'readwrite');
  await Promise.all([...doomed.map((r) => tx.store.delete(r.key)), tx.done]);
  return doomed.length;
}

/** The worker's cache of measured stock renderings, kept across reloads, bounded (LRU). */
export function idbMeasurementStore(options: MeasurementStoreOptions = {}): CloneMeasurementStore {
  const cap = options.cap ?? MAX_CACHED_MEASUREMENTS;
  const evictEvery = options.evictEveryWrites ?? EVICT_EVERY_WRITES;
  const now = options.now ?? Date.now;
  let writes = 0;
  return {
    async get(key: string): Promise<Measurement | undefined> {
      const db = await openTimbreDb();
      const record = await db.get('embeddings', MEASUREMENT_KEY_PREFIX + key);
      if (!record) return undefined;
      if (now() - (record.usedAt ?? record.createdAt) > TOUCH_AFTER_MS)
        await db.put('embeddings', { ...record, usedAt: now() }).catch(() => undefined);
      return record.voiceFeatures
        ? { embedding: record.vector, features: record.voiceFeatures }
        : { embedding: record.vector };
    },
    async set(key: string, value: Measurement): Promise<void> {
      const db = await openTimbreDb();
      const at = now();
      await db.put('embeddings', {
        key: MEASUREMENT_KEY_PREFIX + key,
        createdAt: at,
        usedAt: at,
        vector: value.embedding,
        ...(value.features ? { voiceFeatures: value.features } : {}),
      });
      if (++writes % evictEvery === 0) await evictMeasurements(cap);
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
