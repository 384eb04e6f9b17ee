import { Component, type ReactNode } from 'react';
import { updateBlocker } from '../app-update';
import { useStudio } from '../store/studio-store';

interface PanelBoundaryProps {
  /** The tab's name, for the message. */
  name: string;
  children: ReactNode;
}

interface PanelBoundaryState {
  error: Error | undefined;
}

/** A tab's code could not be loaded (its import failed); the import's own error is the message. */
export class PanelCodeError extends Error {
  override name = 'PanelCodeError';
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
  }
}

/** Reloads the studio, unless a reload would cut work that is running (then says what). */
function ReloadButton() {
  const blocker = useStudio(updateBlocker);
  return (
    <div className="mt-3 flex flex-wrap items-center gap-3">
      <button
        type="button"
        disabled={blocker !== undefined}
        onClick={() => window.location.reload()}
        className="rounded border border-zinc-600 px-3 py-1.5 text-sm hover:bg-zinc-800 disabled:opacity-40"
      >
        Reload the studio
      </button>
      {blocker && <span className="text-xs text-zinc-400">{blocker}</span>}
    </div>
  );
}

/**
 * Keeps a tab's failure inside the tab: its code could not be fetched (a tab loads its code on
 * first visit; offline before the app is cached, or a new version deployed meanwhile), or it
 * threw while rendering. The other tabs and everything saved go on; the message says what
 * happened and offers a reload, held while a clone search or a generation runs (as the app's
 * update is). React logs the error itself.
 */
export class PanelBoundary extends Component<PanelBoundaryProps, PanelBoundaryState> {
  override state: PanelBoundaryState = { error: undefined };

  static getDerivedStateFromError(error: unknown): PanelBoundaryState {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    const { name } = this.props;
    const fetchFailed = error instanceof PanelCodeError;
    return (
      <div
        role="alert"
        data-testid="panel-error"
        className="rounded border border-red-500/40 bg-red-500/10 p-4 text-sm"
      >
        <p className="font-semibold text-red-200">
          {fetchFailed ? `The ${name} tab could not load.` : `The ${name} tab stopped with an error.`}
        </p>
        <p className="mt-1 text-zinc-300">
          {fetchFailed
            ? 'Its code did not arrive (a dropped connection, or a new version of the studio). '
            : ''}
          The other tabs still work, and what you saved is untouched. Reloading the studio usually mends this.
        </p>
        {error.message && <p className="mt-1 break-all font-mono text-xs text-zinc-400">{error.message}</p>}
        <ReloadButton />
      </div>
    );
  }
}
