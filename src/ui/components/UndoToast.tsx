import { useEffect } from 'react';
import { useTabVisible } from './Tabs';
import type { UndoWindow } from './undo-window';

export interface ToastContent {
  id: number;
  message: string;
  /** Offers Undo while the window lasts. */
  undo: boolean;
}

interface Props {
  toast: ToastContent | undefined;
  /** The running Undo window, held while the pointer or focus is on the toast. */
  window: () => UndoWindow | undefined;
  onUndo: () => void;
  onDismiss: () => void;
  testIds: { toast: string; undo: string };
}

/**
 * A short message at the bottom of the screen; after a deletion it offers Undo. The window
 * only counts while the toast is on screen and neither hovered nor focused (undo-window.ts),
 * and Undo is a real button: Tab reaches it, Enter or Space presses it.
 */
export function UndoToast({ toast, window, onUndo, onDismiss, testIds }: Props) {
  // Panels stay mounted when another studio tab is chosen: the window waits while this one is hidden.
  const visible = useTabVisible();
  const toastId = toast?.id;
  useEffect(() => {
    if (visible || toastId === undefined) return;
    const running = window();
    running?.hold();
    return () => running?.release();
  }, [visible, toastId, window]);
  if (!toast) return null;
  const hold = () => window()?.hold();
  const release = () => window()?.release();
  return (
    <div
      role="status"
      data-testid={testIds.toast}
      onPointerEnter={hold}
      onPointerLeave={release}
      onFocus={hold}
      onBlur={release}
      className="fixed bottom-6 left-1/2 z-20 flex -translate-x-1/2 items-center gap-3 rounded-lg border border-zinc-700 bg-zinc-900 px-4 py-2 text-sm shadow-lg"
    >
      <span>{toast.message}</span>
      {toast.undo && (
        <button
          type="button"
          data-testid={testIds.undo}
          onClick={onUndo}
          className="rounded bg-amber-400 px-2.5 py-1 font-semibold text-zinc-950 hover:bg-amber-300"
        >
          Undo
        </button>
      )}
      <button
        type="button"
        aria-label="Dismiss"
        onClick={onDismiss}
        className="text-zinc-400 hover:text-zinc-100"
      >
        ✕
      </button>
    </div>
  );
}
