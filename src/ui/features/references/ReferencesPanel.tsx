import { useEffect } from 'react';
import { studio, useStudio } from '../../store/studio-store';
import { ClipList } from './ClipList';
import { ComparePanel } from './ComparePanel';
import { DraftEditor } from './DraftEditor';
import { EncoderCard } from './EncoderCard';
import { Recorder } from './Recorder';
import { TargetBar } from './TargetBar';
import { UploadZone } from './UploadZone';
import { ensureEncoder } from './analysis-actions';
import { dismissToast, loadReferences, toastWindow, undoDelete } from './reference-actions';
import { UndoToast } from '../../components/UndoToast';
import { cleanupWorker } from './workers';

function Messages() {
  const error = useStudio((s) => s.refError);
  const notice = useStudio((s) => s.refNotice);
  return (
    <>
      {error && (
        <div
          role="alert"
          className="flex items-start justify-between gap-3 rounded border border-red-500/50 bg-red-950/60 p-3 text-sm text-red-100"
          data-testid="references-error"
        >
          <span>{error}</span>
          <button
            type="button"
            onClick={() => studio.set({ refError: undefined })}
            className="text-xs underline"
          >
            Dismiss
          </button>
        </div>
      )}
      <p aria-live="polite" className="sr-only">
        {notice}
      </p>
    </>
  );
}

function Toast() {
  const toast = useStudio((s) => s.refToast);
  return (
    <UndoToast
      toast={toast}
      window={toastWindow}
      onUndo={() => void undoDelete()}
      onDismiss={dismissToast}
      testIds={{ toast: 'references-toast', undo: 'undo-delete' }}
    />
  );
}

/** Reference voices: record or upload, clean up, keep, embed and compare. */
export function ReferencesPanel() {
  useEffect(() => {
    void loadReferences();
    void ensureEncoder();
    // The VAD model ships with the app: load it now so the first clean-up does not wait for it.
    void cleanupWorker()
      .warmUp()
      .catch(() => undefined);
  }, []);

  return (
    <div className="grid gap-6 lg:grid-cols-[1fr_20rem]">
      <div className="flex min-w-0 flex-col gap-6">
        <Messages />
        <TargetBar />
        <div className="grid gap-6 md:grid-cols-2">
          <Recorder />
          <UploadZone />
        </div>
        <DraftEditor />
        <ClipList />
        <ComparePanel />
      </div>
      <aside className="flex flex-col gap-6">
        <EncoderCard />
      </aside>
      <Toast />
    </div>
  );
}
