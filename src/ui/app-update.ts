/**
 * The service worker: registered once (production builds only; on a first visit, when the
 * first model load is over), it makes later visits work offline. A new version waits
 * ('prompt'): the studio shows "Reload to update", and the reload is refused while work that a
 * reload would cut is running (a clone search, a generation).
 */
import { registerSW } from 'virtual:pwa-register';
import { jobBusy } from './store/slices/clone';
import { afterFirstLoad } from './after-first-load';
import { studio, useStudio } from './store/studio-store';

/** How often an open studio checks for a new version (also on reconnecting). */
const UPDATE_CHECK_MS = 60 * 60 * 1000;

let applyUpdate: ((reload?: boolean) => Promise<void>) | undefined;
/**
 * Set when this tab's Reload was pressed with nothing running: the new version then takes
 * control a moment later, and the reload goes ahead even if something started meanwhile (a
 * Stop still settling). Without it the tab could be left on the old version, banner showing.
 */
let reloadAsked = false;
/**
 * Set when the new version took control while this tab was busy (another tab applied it): there
 * is no waiting version left to activate, so this tab's Reload just reloads.
 */
let newVersionControls = false;

/** At the latest this long after the start, the service worker is registered (see after-first-load.ts). */
const REGISTER_CAP_MS = 2 * 60 * 1000;

/**
 * Registers the service worker: at once when one already controls this page (a later visit:
 * nothing to install, and another tab's update must be seen as before), else once the studio's
 * first model load is over (after-first-load.ts).
 */
export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator) || import.meta.env.DEV) return;
  if (navigator.serviceWorker.controller) register();
  else afterFirstLoad(useStudio, register, { capMs: REGISTER_CAP_MS });
}

function register(): void {
  applyUpdate = registerSW({
    onNeedRefresh: () => studio.set({ appUpdate: 'ready' }),
    // The new version took control (this tab's button, or another tab's): reload only when
    // nothing here would be cut; otherwise the banner asks for a reload once the work is done.
    onNeedReload: () => {
      if (!reloadAsked && updateBlocker()) {
        newVersionControls = true;
        studio.set({ appUpdate: 'ready' });
      } else window.location.reload();
    },
    onRegisteredSW: (_url, registration) => {
      if (!registration) return;
      const check = (): void => void registration.update().catch(() => undefined);
      setInterval(check, UPDATE_CHECK_MS);
      window.addEventListener('online', check);
    },
  });
}

/** Why the update must wait, or undefined when reloading now loses nothing. */
export function updateBlocker(state = studio.get()): string | undefined {
  if (jobBusy(state.cloneJob?.state))
    return 'A clone search is running: pause it (it resumes after the update), then reload.';
  if (state.synthesisPhase === 'generating')
    return 'Speech is being generated: wait for it or stop it first.';
  if (state.phase === 'loading') return 'The models are loading: reload once they are ready.';
  return undefined;
}

/**
 * Activates the waiting version (the tab reloads when it takes control, in onNeedReload), or
 * reloads at once when the new version already controls; nothing happens while something runs.
 */
export async function reloadToUpdate(): Promise<void> {
  if (updateBlocker() || !applyUpdate) return;
  if (newVersionControls) {
    window.location.reload();
    return;
  }
  reloadAsked = true;
  try {
    await applyUpdate(true);
  } catch (error) {
    reloadAsked = false; // nothing was activated: a later activation must respect running work again
    throw error;
  }
}
