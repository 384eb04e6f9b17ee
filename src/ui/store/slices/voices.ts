/**
 * The Voices tab: the library's metadata (packs live in features/voices/pack-registry.ts and
 * IndexedDB, never here), the blend being built, the live preview's state.
 */
import type { VoiceMapModel } from '../../../engine/voices/pca';
import type { Normalise } from '../../../engine/voices/arithmetic';
import type { VoiceFilter, VoiceKind } from '../../../engine/voices/library';
import type { VoicePart } from '../../../engine/voices/pack';
import type { Dialect } from '../../../workers/protocol';

/** One row of the arithmetic panel: a voice (by name, as in expressions), its coefficient and half. */
export interface BlendRow {
  id: number;
  voice: string;
  coefficient: number;
  part: VoicePart;
}

/** A user voice's metadata, as listed. */
export interface LibraryVoice {
  id: string;
  name: string;
  tags: string[];
  kind: Exclude<VoiceKind, 'stock'>;
  /** Where it came from, for people: the recipe's expression, the file name, the source voice. */
  originText: string;
  createdAt: number;
  updatedAt: number;
  checksum: string;
}

export interface UserDirectionInfo {
  id: string;
  name: string;
  createdAt: number;
}

export interface ExpressionProblem {
  message: string;
  offset: number;
  length: number;
}

export type PreviewPhase = 'idle' | 'waiting' | 'rendering' | 'ready' | 'error';

export interface VoicesToast {
  id: number;
  message: string;
  /** Offers Undo (for a deletion) while the toast is up. */
  undo: boolean;
}

export interface VoicesSlice {
  voiceLibrary: LibraryVoice[];
  voiceLibraryState: 'unloaded' | 'loading' | 'ready' | 'error';
  userDirections: UserDirectionInfo[];
  /** Stock packs the inference worker has loaded for the map, out of all of them. */
  stockPacksLoaded: number;
  stockPacksTotal: number;
  /** Why loading the stock packs failed (the map offers to try again). */
  stockPacksError?: string;
  /** The map of the stock voices (computed in the inference worker), once loaded. */
  stockMap?: VoiceMapModel;

  blendRows: BlendRow[];
  blendExpression: string;
  blendExpressionProblem?: ExpressionProblem;
  blendNormalise: Normalise;
  blendPart: VoicePart;
  /** Direction name -> amount (0 = off). */
  directionAmounts: Record<string, number>;
  /** Why the blend cannot be computed right now (e.g. weights summing to zero). */
  blendError?: string;
  blendChecksum?: string;

  previewText: string;
  previewDialect: Dialect;
  previewLoop: boolean;
  previewPhase: PreviewPhase;
  previewError?: string;
  /** Renders delivered to the player (result and other voices). */
  previewRenders: number;
  previewChecksum?: string;
  previewRms?: number;
  previewSeconds?: number;
  /** What the player is playing: 'result' or a voice key (stock:<id> / user:<id>). */
  previewSource?: string;
  previewPlaying: boolean;
  /** A/B: the voice compared with the result (a voice key). */
  abOther?: string;

  voiceFilter: VoiceFilter;
  /** The voice whose details are open (a voice key). */
  voiceSelected?: string;
  voicesToast?: VoicesToast;
  /** File, recipe and storage errors; the library is unchanged when this is set. */
  voicesError?: string;
  /** Successes worth announcing (imports, saves). */
  voicesNotice?: string;
}

export const DEFAULT_PREVIEW_TEXT = 'The quick brown fox jumps over the lazy dog.';
export const PREVIEW_MAX_CHARS = 300;

export const voicesInitial: VoicesSlice = {
  voiceLibrary: [],
  voiceLibraryState: 'unloaded',
  userDirections: [],
  stockPacksLoaded: 0,
  stockPacksTotal: 0,
  blendRows: [],
  blendExpression: '',
  blendNormalise: 'none',
  blendPart: 'both',
  directionAmounts: {},
  previewText: DEFAULT_PREVIEW_TEXT,
  previewDialect: 'en-us',
  previewLoop: false,
  previewPhase: 'idle',
  previewRenders: 0,
  previewPlaying: false,
  voiceFilter: { text: '', tag: '', kind: 'all' },
};

export const voicesPersisted = [
  'blendRows',
  'blendExpression',
  'blendNormalise',
  'blendPart',
  'directionAmounts',
  'previewText',
  'previewDialect',
  'previewLoop',
  'abOther',
] as const;
