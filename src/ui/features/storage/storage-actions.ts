/**
 * Clearing a store from Models & settings: refused while something is using it (a clone job,
 * a model loading, a comparison), then the records go, and the tabs that show them forget
 * them too, so nothing on screen points at deleted data.
 */
import { ttsWorker } from '../../clients/tts-client';
import { studio, useStudio } from '../../store/studio-store';
import { loadOffers } from '../clone/clone-offers';
import { forgetReferences } from '../references/reference-actions';
import { forgetDirections } from '../voices/directions-actions';
import { forgetLibrary } from '../voices/library-actions';
import { clearBlocker, type BusyState } from './storage-rules';
import { clearDatabaseStore, type StoreId } from './storage-usage';

export { clearBlocker };

/** The busy state as the panel shows it, one field per selector (re-renders only when one changes). */
export function useBusyState(): BusyState {
  return {
    phase: useStudio((s) => s.phase),
    cloneEnginePhase: useStudio((s) => s.cloneEnginePhase),
    refEncoderPhase: useStudio((s) => s.refEncoderPhase),
    refComparePhase: useStudio((s) => s.refComparePhase),
    cloneJobState: useStudio((s) => s.cloneJob?.state),
  };
}

/** Clears one store (refusing when clearBlocker says so) and lets the tabs forget what went. */
export async function clearStore(id: StoreId): Promise<void> {
  const state = studio.get();
  const blocker = clearBlocker(id, { ...state, cloneJobState: state.cloneJob?.state });
  if (blocker) throw new Error(blocker);
  if (id === 'models') {
    await ttsWorker().deleteCached();
    return;
  }
  await clearDatabaseStore(id);
  switch (id) {
    case 'voices':
      forgetLibrary();
      forgetDirections();
      break;
    case 'references':
      forgetReferences();
      studio.set({ cloneTargetId: undefined });
      break;
    case 'checkpoints':
      await loadOffers();
      break;
    case 'measurements':
      break;
  }
}
