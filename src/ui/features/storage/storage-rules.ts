/**
 * When a store may be cleared: never while something uses it (a clone job, a model loading, a
 * comparison). Pure, so the rules are tested without a browser.
 */
import { jobBusy, type CloneJobState } from '../../store/slices/clone';
import type { StudioState } from '../../store/studio-store';
import type { StoreId } from './storage-usage';

/** What clearBlocker looks at: the phases of the loaders and the Clone tab's job. */
export type BusyState = Pick<
  StudioState,
  'phase' | 'cloneEnginePhase' | 'refEncoderPhase' | 'refComparePhase'
> & { cloneJobState: CloneJobState | undefined };

const JOB_BUSY = 'Not while a clone job runs or is paused: let it finish, or cancel it in the Clone tab.';
const COMPARING = 'Not while References compares voices: wait until the comparison is done.';

/**
 * Why `id` cannot be cleared right now, or undefined when it can. Models are in use while any
 * model loads (Kokoro, the Clone tab's, the speaker encoder) and while a clone job runs; clips,
 * saved searches and measurements while a clone job runs or is paused.
 */
export function clearBlocker(id: StoreId, state: BusyState): string | undefined {
  // A job holds its checkpoint, clips and measurements while it runs, and while paused to go on.
  const jobHolds = jobBusy(state.cloneJobState) || state.cloneJobState === 'paused';
  switch (id) {
    case 'models':
      if (state.phase === 'loading') return 'Not while Kokoro loads: wait until it is ready.';
      if (state.cloneEnginePhase === 'loading')
        return 'Not while the Clone tab loads its models: wait until they are ready.';
      if (state.refEncoderPhase === 'loading')
        return 'Not while the speaker encoder loads: wait until it is ready.';
      return jobHolds ? JOB_BUSY : undefined;
    case 'references':
    case 'measurements':
      if (jobHolds) return JOB_BUSY;
      return state.refComparePhase === 'running' ? COMPARING : undefined;
    case 'checkpoints':
      return jobHolds ? JOB_BUSY : undefined;
    case 'voices':
      return undefined;
  }
}
