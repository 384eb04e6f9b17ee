/**
 * The References tab: target voices and their clips as metadata (PCM lives in IndexedDB and
 * features/references/draft-registry.ts, never here), the draft being cleaned, the encoder's
 * state and the comparison.
 */
import type { ClipWarning } from '../../../engine/reference/clip-policy';
import type { Progress } from '../../../engine/progress';
import type { SpeakerEncoderStatus } from '../../../workers/speaker-protocol';

export interface RefTarget {
  id: string;
  name: string;
  createdAt: number;
  transcript?: string;
  /** When the user confirmed consent to clone this voice (asked before the first clone). */
  consentAt?: number;
}

/** A saved clip without its audio. */
export interface RefClip {
  id: string;
  targetId: string;
  name: string;
  createdAt: number;
  source: 'recording' | 'upload';
  fileName?: string;
  durationS: number;
  speechS?: number;
  warnings: string[];
}

/** Per clip: is its embedding (and features) computed? */
export type RefAnalysis =
  | { state: 'pending' }
  | { state: 'embedded'; encoderVariant: string; cacheTag: string }
  /** Only the model-free features: the encoder could not be loaded. */
  | { state: 'features' }
  | { state: 'error'; message: string };

export type RefEncoderPhase = 'idle' | 'loading' | 'ready' | 'error';

export type RefDraftPhase = 'empty' | 'decoding' | 'cleaning' | 'ready' | 'error';

export interface RefDraftInfo {
  source: 'recording' | 'upload';
  fileName?: string;
  /** Duration of the audio as given (before the 5-minute cut). */
  sourceS: number;
  /** Duration after the 5-minute cut (what the waveform shows). */
  ingestedS: number;
  truncated: boolean;
  clippingFraction: number;
}

export interface RefCleanResult {
  durationS: number;
  speechS: number;
  warnings: ClipWarning[];
  /** Speech the VAD found, seconds from the start of the kept region. */
  segments: { startS: number; endS: number }[];
  /** Whether noise suppression ran for this result. */
  denoised: boolean;
}

export interface RefCleanOptions {
  trimSilence: boolean;
  denoise: boolean;
  normalise: boolean;
}

export type RefMeasure = 'encoder' | 'features';

export interface RefComparison {
  measure: RefMeasure;
  /** Row/column labels and the speaker each belongs to (target id or stock voice id). */
  items: { key: string; label: string; group: string; kind: 'clip' | 'target' | 'stock' }[];
  /** Row-major n*n similarities. */
  values: number[];
  /** Why the encoder was not used, when measure is 'features'. */
  fallbackReason?: string;
}

export interface RefToast {
  id: number;
  message: string;
  undo: boolean;
}

export interface ReferencesSlice {
  refTargets: RefTarget[];
  refClips: RefClip[];
  refLoaded: boolean;
  /** The target new clips go to. */
  refTargetId?: string;
  refAnalysis: Record<string, RefAnalysis>;

  refEncoderPhase: RefEncoderPhase;
  refEncoderStatus?: SpeakerEncoderStatus;
  refEncoderError?: string;
  refEncoderProgress?: Progress;
  /** Encoder variant override; undefined = the manifest default. */
  refEncoderVariant?: string;
  /** The cache tag of the encoder loaded last, so cached embeddings show before it loads again. */
  refEncoderCacheTag?: string;

  refMicDeviceId?: string;
  /** The browser's echo cancellation, noise suppression and auto gain (off: they distort timbre). */
  refBrowserProcessing: boolean;
  refRecording: boolean;
  refMicError?: string;

  refDraftPhase: RefDraftPhase;
  refDraft?: RefDraftInfo;
  refDraftError?: string;
  refRegion?: { startS: number; endS: number };
  refCleanOptions: RefCleanOptions;
  refCleaned?: RefCleanResult;
  refDraftProgress?: string;

  /** Stock voices included in the comparison. */
  refCompareVoices: string[];
  refComparison?: RefComparison;
  refComparePhase: 'idle' | 'running' | 'ready' | 'error';
  refCompareStatus?: string;
  refCompareError?: string;

  refToast?: RefToast;
  refError?: string;
  refNotice?: string;
}

export const referencesInitial: ReferencesSlice = {
  refTargets: [],
  refClips: [],
  refLoaded: false,
  refAnalysis: {},
  refEncoderPhase: 'idle',
  refBrowserProcessing: false,
  refRecording: false,
  refDraftPhase: 'empty',
  refCleanOptions: { trimSilence: true, denoise: false, normalise: true },
  refCompareVoices: ['af_heart', 'am_michael'],
  refComparePhase: 'idle',
};

export const referencesPersisted = [
  'refTargetId',
  'refEncoderVariant',
  'refEncoderCacheTag',
  'refMicDeviceId',
  'refBrowserProcessing',
  'refCleanOptions',
  'refCompareVoices',
] as const;
