/**
 * Timbre's IndexedDB (via the `idb` library): everything a user makes that must survive a
 * reload. One database, one version bump per schema change; every feature's object store
 * is declared here so upgrades stay in one place.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { VoiceFeatures } from '../../engine/audio/features';

export const DB_NAME = 'timbre';
export const DB_VERSION = 1;

/** A target voice: the speaker to clone, made of one or more clips. */
export interface TargetRecord {
  id: string;
  name: string;
  createdAt: number;
  /** What the speaker says in the clips, when the user gives it (improves cloning). */
  transcript?: string;
  /** When the user confirmed being the speaker or having the speaker's permission to clone. */
  consentAt?: number;
}

/** A reference clip, cleaned, 24 kHz mono. */
export interface ClipRecord {
  id: string;
  targetId: string;
  name: string;
  createdAt: number;
  source: 'recording' | 'upload';
  fileName?: string;
  sampleRateHz: number;
  /** The cleaned audio the encoder and scorer use. */
  pcm: Float32Array;
  /** The audio as recorded/uploaded (mono, 24 kHz), so clean-up can be redone. */
  originalPcm?: Float32Array;
  durationS: number;
  /** Seconds of speech found by the VAD, when it ran. */
  speechS?: number;
  /** User-facing warnings (short speech, clipping, truncated to 5 minutes...). */
  warnings: string[];
}

export type VoiceOrigin =
  | { kind: 'blend'; recipe: unknown }
  | { kind: 'clone'; targetId: string; method: string; scores?: Record<string, number>; evaluations?: number }
  /** `provenance`: what the file said of itself (Timbre's own `.pt` files say where the voice came from). */
  | { kind: 'import'; fileName: string; provenance?: string }
  | { kind: 'duplicate'; fromId: string };

/** A user voice in the library (stock voices come from the manifest, not from here). */
export interface VoiceRecord {
  id: string;
  name: string;
  tags: string[];
  origin: VoiceOrigin;
  createdAt: number;
  updatedAt: number;
  /** float32 [510*256] */
  pack: Float32Array;
}

/** A named direction in voice space (A - B), usable as a slider. */
export interface DirectionRecord {
  id: string;
  name: string;
  createdAt: number;
  vector: Float32Array;
}

/** A cached speaker embedding: of a clip, or of a rendering (probe) of a voice. */
export interface EmbeddingRecord {
  /** e.g. `clip:<clipId>:<encoderVariant>` or `probe:<kokoroVariant>:<voiceId>:<textHash>` */
  key: string;
  createdAt: number;
  vector: Float32Array;
  /** Model-free voice features of the same audio, when computed. */
  features?: Float32Array;
  /** The clone worker's measurement cache (keys `clone:…`): the full voice features of a rendering. */
  voiceFeatures?: VoiceFeatures;
  /** Measurement cache: when it was last read or written (least recently used go first). */
  usedAt?: number;
}

/** A cloning search's last checkpoint, so a reload resumes and the best voice is never lost. */
export interface CheckpointRecord {
  id: string;
  targetId: string;
  method: string;
  updatedAt: number;
  evaluations: number;
  bestScore: number;
  best: Float32Array;
  /** The search's own serialisable state. */
  state: unknown;
}

interface TimbreDb extends DBSchema {
  targets: { key: string; value: TargetRecord };
  clips: { key: string; value: ClipRecord; indexes: { byTarget: string } };
  voices: { key: string; value: VoiceRecord };
  directions: { key: string; value: DirectionRecord };
  embeddings: { key: string; value: EmbeddingRecord };
  checkpoints: { key: string; value: CheckpointRecord; indexes: { byTarget: string } };
}

export type TimbreDatabase = IDBPDatabase<TimbreDb>;

let opening: Promise<TimbreDatabase> | undefined;

export function openTimbreDb(): Promise<TimbreDatabase> {
  opening ??= openDB<TimbreDb>(DB_NAME, DB_VERSION, {
    upgrade(db, oldVersion) {
      if (oldVersion < 1) {
        db.createObjectStore('targets', { keyPath: 'id' });
        db.createObjectStore('clips', { keyPath: 'id' }).createIndex('byTarget', 'targetId');
        db.createObjectStore('voices', { keyPath: 'id' });
        db.createObjectStore('directions', { keyPath: 'id' });
        db.createObjectStore('embeddings', { keyPath: 'key' });
        db.createObjectStore('checkpoints', { keyPath: 'id' }).createIndex('byTarget', 'targetId');
      }
    },
  });
  return opening;
}

/** Turns storage failures into messages a user can act on. */
export function storageErrorMessage(error: unknown, what: string): string {
  const name = error instanceof DOMException ? error.name : '';
  if (name === 'QuotaExceededError') {
    return `The browser's storage for this site is full, so ${what} was not saved. Nothing saved before was lost. Free space by deleting clips or voices you no longer need, or download them first.`;
  }
  return `Could not save ${what}: ${error instanceof Error ? error.message : String(error)}. Nothing saved before was lost.`;
}

export function newId(): string {
  return crypto.randomUUID();
}
