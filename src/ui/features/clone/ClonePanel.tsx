import { useEffect } from 'react';
import { studio, useStudio } from '../../store/studio-store';
import { loadReferences } from '../references/reference-actions';
import { ABPanel } from './ABPanel';
import { ensureCloneEngine } from './clone-client';
import { isBusy } from './clone-job';
import { loadOffers } from './clone-offers';
import { CloneEngineCard } from './CloneEngineCard';
import { CloneSetup } from './CloneSetup';
import { JobProgress } from './JobProgress';
import { ResumeOffers } from './ResumeOffers';
import { SavePanel } from './SavePanel';
import { ScorePlot } from './ScorePlot';

function Messages() {
  const error = useStudio((s) => s.cloneError);
  const notice = useStudio((s) => s.cloneNotice);
  return (
    <>
      {error && (
        <div
          role="alert"
          className="flex items-start justify-between gap-3 rounded border border-red-500/50 bg-red-950/60 p-3 text-sm text-red-100"
          data-testid="clone-error"
        >
          <span className="whitespace-pre-wrap">{error}</span>
          <button
            type="button"
            onClick={() => studio.set({ cloneError: undefined })}
            className="text-xs underline"
          >
            Dismiss
          </button>
        </div>
      )}
      <p aria-live="polite" className="text-sm text-zinc-300" data-testid="clone-notice">
        {notice}
      </p>
    </>
  );
}

/** The Clone tab: pick a target, search for its voice in Kokoro, watch, listen, compare, keep. */
export function ClonePanel() {
  const hasJob = useStudio((s) => s.cloneJob !== undefined);
  useEffect(() => {
    void loadReferences();
    void loadOffers();
    // A running job keeps the models it started with (a changed model source applies to the next job).
    if (!isBusy()) void ensureCloneEngine();
  }, []);

  return (
    <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]" data-testid="clone-panel">
      <div className="flex min-w-0 flex-col gap-6">
        <Messages />
        <ResumeOffers />
        {hasJob ? (
          <>
            <JobProgress />
            <ScorePlot />
            <ABPanel />
          </>
        ) : (
          <CloneSetup />
        )}
      </div>
      <aside className="flex flex-col gap-6">
        {hasJob && <SavePanel />}
        <CloneEngineCard />
      </aside>
    </div>
  );
}
