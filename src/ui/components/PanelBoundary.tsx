import { Component, type ErrorInfo, type ReactNode } from 'react';

interface PanelBoundaryProps {
  /** The tab's name, for the message. */
  name: string;
  children: ReactNode;
}

interface PanelBoundaryState {
  error: Error | undefined;
}

/**
 * Keeps a tab's failure inside the tab: its code could not be fetched (a tab loads its code on
 * first visit; offline without the app cached, or a new version deployed meanwhile), or it threw
 * while rendering. The other tabs, and everything kept in the store, go on; the message says
 * what happened and a reload is offered (saved voices, clips and clones are in IndexedDB).
 */
export class PanelBoundary extends Component<PanelBoundaryProps, PanelBoundaryState> {
  override state: PanelBoundaryState = { error: undefined };

  static getDerivedStateFromError(error: unknown): PanelBoundaryState {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error(`The ${this.props.name} tab failed:`, error, info.componentStack);
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div
        role="alert"
        data-testid="panel-error"
        className="rounded border border-red-500/40 bg-red-500/10 p-4 text-sm"
      >
        <p className="font-semibold text-red-200">The {this.props.name} tab could not load.</p>
        <p className="mt-1 text-zinc-300">
          {error.message}. The other tabs still work, and what you saved is untouched. Reloading the page
          usually mends this (a new version of the studio, or a dropped connection).
        </p>
        <button
          type="button"
          onClick={() => window.location.reload()}
          className="mt-3 rounded border border-zinc-600 px-3 py-1.5 text-sm hover:bg-zinc-800"
        >
          Reload the studio
        </button>
      </div>
    );
  }
}
