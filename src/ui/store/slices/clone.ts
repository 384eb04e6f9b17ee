/**
 * The Clone tab: the chosen target, method, score weights and budget (persisted), the clone
 * worker's models and measured speed, and the running job's progress as small numbers. Packs
 * and the plot's points live in features/clone/clone-registry.ts and IndexedDB, never here.
 */
import type { Progress } from '../../../engine/progress';
import type { CandidateScore, ScorePreset } from '../../../engine/clone/score';
import type {
  ClonePhaseName,
  CloneEngineStatus,
  CloneMethod,
  CloneOutcome,
  CloneRefusalPhase,
  CloneSpeedEstimate,
} from '../../../workers/clone-protocol';

export type CloneBudgetPreset = 'quick' | 'standard' | 'deep' | 'test';

export type CloneEnginePhase = 'idle' | 'loading' | 'ready' | 'error';

export type CloneJobState =
  'starting' | 'running' | 'pausing' | 'paused' | 'cancelling' | 'done' | 'cancelled' | 'error';

/** True while a run is under way in the worker (paused, finished and failed jobs are not busy). */
export function jobBusy(state: CloneJobState | undefined): boolean {
  return state === 'starting' || state === 'running' || state === 'pausing' || state === 'cancelling';
}

/** What the worker refused in one phase of a job: how many so far, and the last reason. */
export interface RefusalNote {
  count: number;
  /** The last refusal's message, without its full stop. */
  reason: string;
}

/** The running (or last) job, as the UI shows it. */
export interface CloneJobView {
  jobId: string;
  targetId: string;
  targetName: string;
  method: CloneMethod;
  scorePreset: ScorePreset;
  budget: number;
  state: CloneJobState;
  phase: ClonePhaseName;
  phaseDone: number;
  phaseTotal: number;
  /** Evaluations so far, counted from the first ranking (as the worker counts them). */
  evaluations: number;
  /** Where the search itself started (after ranking and the instant estimate); undefined until known. */
  searchStart?: number;
  best?: { score: CandidateScore; evaluation: number };
  nearest?: { id: string; score: CandidateScore };
  instant?: { score: CandidateScore };
  outcome?: CloneOutcome;
  /** Measured milliseconds per search evaluation in this run (for the time left). */
  msPerEvaluation?: number;
  error?: string;
  /** Unusable renderings the worker left out, by phase (none until the first). */
  refused?: Partial<Record<CloneRefusalPhase, RefusalNote>>;
  /** Id of the library voice this job's best was saved as. */
  savedVoiceId?: string;
  /** True when the job came back from a checkpoint (after a reload). */
  resumed: boolean;
}

/** An interrupted or unsaved search found in IndexedDB. */
export interface CloneOffer {
  jobId: string;
  targetId: string;
  targetName: string;
  method: string;
  /** Evaluations counted from the first ranking (what the checkpoint holds). */
  evaluations: number;
  /** Search evaluations done and planned (what the plot counts). */
  searchDone: number;
  budget: number;
  bestScore: number;
  outcome?: CloneOutcome;
  updatedAt: number;
}

export type CloneEncoderChoice = 'wespeaker' | 'ge2e';

export interface CloneSlice {
  cloneTargetId?: string;
  cloneMethod: CloneMethod;
  cloneScorePreset: ScorePreset;
  cloneBudgetPreset: CloneBudgetPreset;
  /** The judge: WeSpeaker (the default) or GE2E (Resemblyzer, KVoiceWalk's judge). */
  cloneEncoder: CloneEncoderChoice;
  /** What Listen and the A/B speak. */
  cloneListenText: string;

  cloneEnginePhase: CloneEnginePhase;
  cloneEngineStatus?: CloneEngineStatus;
  cloneEngineProgress?: Progress;
  cloneEngineError?: string;
  cloneSpeed?: CloneSpeedEstimate;
  /** The last measurement and the models and backend it was made with (reused after a reload). */
  cloneSpeedMeasured?: { key: string; speed: CloneSpeedEstimate };
  cloneSpeedPhase: 'idle' | 'measuring' | 'ready' | 'error';

  cloneJob?: CloneJobView;
  cloneOffers: CloneOffer[];
  /** Throttled, for screen readers: "Evaluation 120 of 400 · best score 0.812 · …". */
  cloneSummary: string;
  /** What is playing or rendering in Listen / A/B (a row key), if anything. */
  clonePlaying?: string;
  cloneRendering?: string;
  cloneError?: string;
  cloneNotice?: string;
}

export const DEFAULT_CLONE_LISTEN_TEXT = 'The quick brown fox jumps over the lazy dog.';

export const cloneInitial: CloneSlice = {
  cloneMethod: 'timbre',
  cloneScorePreset: 'kvoicewalk',
  cloneBudgetPreset: 'quick',
  cloneEncoder: 'wespeaker',
  cloneListenText: DEFAULT_CLONE_LISTEN_TEXT,
  cloneEnginePhase: 'idle',
  cloneSpeedPhase: 'idle',
  cloneOffers: [],
  cloneSummary: '',
};

export const clonePersisted = [
  'cloneTargetId',
  'cloneMethod',
  'cloneScorePreset',
  'cloneBudgetPreset',
  'cloneEncoder',
  'cloneListenText',
  'cloneSpeedMeasured',
] as const;
