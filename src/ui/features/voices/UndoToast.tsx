import { useStudio } from '../../store/studio-store';
import { dismissToast, undoDelete } from './library-actions';

/** A short-lived message; for a deletion it offers Undo while it is up (~8 s). */
export function UndoToast() {
  const toast = useStudio((s) => s.voicesToast);
  if (!toast) return null;
  return (
    <div
      role="status"
      data-testid="voices-toast"
      className="fixed bottom-4 left-1/2 z-20 flex -translate-x-1/2 items-center gap-3 rounded-lg border border-zinc-700 bg-zinc-900 px-4 py-2 text-sm shadow-lg"
    >
      <span>{toast.message}</span>
      {toast.undo && (
        <button
          type="button"
          data-testid="voices-undo"
          onClick={() => void undoDelete()}
          className="rounded bg-amber-400 px-2.5 py-1 font-semibold text-zinc-950 hover:bg-amber-300"
        >
          Undo
        </button>
      )}
      <button
        type="button"
        aria-label="Dismiss"
        onClick={dismissToast}
        className="text-zinc-400 hover:text-zinc-100"
      >
        ✕
      </button>
    </div>
  );
}
