/**
 * The studio's one zustand store, built from typed slices. It holds ids, settings and
 * metadata, never big PCM buffers (those live in audio/take-registry.ts).
 */
import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import type { Progress } from '../../engine/progress';
import type { SpokenPart } from '../audio/stream-player';
import type { BackendChoice, Dialect, EngineStatus } from '../../workers/protocol';
import { changedOnlyStorage } from './changed-only-storage';
import { featureInitialState, featurePersistedKeys, type FeatureSlices } from './slices';

export type EnginePhase = 'idle' | 'loading' | 'ready' | 'error';

export interface EngineSlice {
  phase: EnginePhase;
  status?: EngineStatus;
  /** Latest download/compile progress while loading. */
  progress?: Progress;
  error?: string;
  /** Set when WebGPU was dropped during this session (bad output or failed start). */
  backendNotice?: string;
  /** 'ready': a new version of the studio is installed and waits for a reload. */
  appUpdate?: 'ready';
}

export interface SettingsSlice {
  text: string;
  voiceId: string;
  speed: number;
  dialect: Dialect;
  backend: BackendChoice;
  /** Kokoro variant override; undefined = the manifest default for the backend. */
  variant?: string;
  /** Custom model source base URL; undefined = self-hosted, then the model hub. */
  modelBase?: string;
  /**
   * Set when `modelBase` came from a `?models=` link: it is used for this visit only, under a
   * banner, and `previous` (the source the user chose) is what stays stored until they keep it.
   */
  modelBaseFromLink?: { base: string; previous?: string };
  /** Set when WebGPU returned bad audio on this device; `auto` then starts on WASM. */
  webgpuUnreliable?: boolean;
}

export type SynthesisPhase = 'idle' | 'generating' | 'done' | 'cancelled' | 'error';

export interface SynthesisSlice {
  synthesisPhase: SynthesisPhase;
  requestId: number;
  chunksDone: number;
  chunksTotal: number;
  /** The part being spoken: its character range in the submitted text, and its words. */
  speaking?: SpokenPart;
  /** Id of the last finished take in the take registry. */
  takeId?: number;
  takeSeconds: number;
  synthesisError?: string;
}

export interface AnalysisSlice {
  tokens?: number;
  unspeakable: string[];
}

/**
 * Feature slices add their own state type, initial values and persisted keys in
 * store/slices/<feature>.ts and are spread in here; actions are plain functions in the
 * feature's folder that call `studio.set`/`studio.get`.
 */
export type StudioState = EngineSlice & SettingsSlice & SynthesisSlice & AnalysisSlice & FeatureSlices;

export const DEFAULT_TEXT =
  'Welcome to Timbre. Type anything here and Kokoro will say it. Every sentence plays as soon as it is ready.';

export const SPEED_MIN = 0.5;
export const SPEED_MAX = 2;

const SETTINGS_PERSISTED = [
  'text',
  'voiceId',
  'speed',
  'dialect',
  'backend',
  'variant',
  'modelBase',
  'webgpuUnreliable',
] as const;

export const useStudio = create<StudioState>()(
  persist(
    (): StudioState => ({
      phase: 'idle',
      text: DEFAULT_TEXT,
      voiceId: 'af_heart',
      speed: 1,
      dialect: 'en-us',
      backend: 'auto',
      synthesisPhase: 'idle',
      requestId: 0,
      chunksDone: 0,
      chunksTotal: 0,
      takeSeconds: 0,
      unspeakable: [],
      ...featureInitialState,
    }),
    {
      name: 'timbre-studio',
      version: 1,
      // Written only when what is kept changed (most sets are progress).
      storage: changedOnlyStorage<Partial<StudioState>>(() => localStorage),
      // Only what the user typed or chose survives a reload; engine state never does.
      // Big data (clips, voices) lives in IndexedDB, not here.
      partialize: (s) => persistedState(s),
    },
  ),
);

/** What survives a reload: settings and feature keys; a model source from a link only once kept. */
export function persistedState(s: StudioState): Partial<StudioState> {
  const kept = pick(s, [...SETTINGS_PERSISTED, ...featurePersistedKeys]);
  if (s.modelBaseFromLink) {
    const previous = s.modelBaseFromLink.previous;
    if (previous === undefined) delete kept.modelBase;
    else kept.modelBase = previous;
  }
  return kept;
}

function pick<T extends object>(state: T, keys: readonly PropertyKey[]): Partial<T> {
  const out: Partial<T> = {};
  for (const key of keys) {
    if (key in state)
      (out as Record<PropertyKey, unknown>)[key] = (state as Record<PropertyKey, unknown>)[key];
  }
  return out;
}

/** Plain actions, callable outside React (worker clients push progress through these). */
export const studio = {
  set: (patch: Partial<StudioState>) => useStudio.setState(patch),
  get: () => useStudio.getState(),
};
