/**
 * The studio's one zustand store, built from typed slices. It holds ids, settings and
 * metadata, never big PCM buffers (those live in audio/take-registry.ts).
 */
import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import type { Progress } from '../../engine/progress';
import type { BackendChoice, Dialect, EngineStatus } from '../../workers/protocol';

export type EnginePhase = 'idle' | 'loading' | 'ready' | 'error';

export interface EngineSlice {
  phase: EnginePhase;
  status?: EngineStatus;
  /** Latest download/compile progress while loading. */
  progress?: Progress;
  error?: string;
  /** Set when WebGPU was dropped during this session (bad output or failed start). */
  backendNotice?: string;
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
}

export type SynthesisPhase = 'idle' | 'generating' | 'done' | 'cancelled' | 'error';

export interface SynthesisSlice {
  synthesisPhase: SynthesisPhase;
  requestId: number;
  chunksDone: number;
  chunksTotal: number;
  /** Character range being spoken, to highlight it. */
  speaking?: { start: number; end: number };
  /** Id of the last finished take in the take registry. */
  takeId?: number;
  takeSeconds: number;
  synthesisError?: string;
}

export interface AnalysisSlice {
  tokens?: number;
  unspeakable: string[];
}

export type StudioState = EngineSlice & SettingsSlice & SynthesisSlice & AnalysisSlice;

export const DEFAULT_TEXT =
  'Welcome to Timbre. Type anything here and Kokoro will say it. Every sentence plays as soon as it is ready.';

export const SPEED_MIN = 0.5;
export const SPEED_MAX = 2;

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
    }),
    {
      name: 'timbre-studio',
      version: 1,
      // Only what the user typed or chose survives a reload; engine state never does.
      partialize: (s) => ({
        text: s.text,
        voiceId: s.voiceId,
        speed: s.speed,
        dialect: s.dialect,
        backend: s.backend,
        variant: s.variant,
        modelBase: s.modelBase,
      }),
    },
  ),
);

/** Plain actions, callable outside React (worker clients push progress through these). */
export const studio = {
  set: (patch: Partial<StudioState>) => useStudio.setState(patch),
  get: () => useStudio.getState(),
};
