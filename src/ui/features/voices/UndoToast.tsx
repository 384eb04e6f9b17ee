import { UndoToast as Toast } from '../../components/UndoToast';
import { useStudio } from '../../store/studio-store';
import { dismissToast, toastWindow, undoDelete } from './library-actions';

/** The Voices tab's toast; after a deletion it offers Undo (UNDO_WINDOW_MS of on-screen time). */
export function UndoToast() {
  const toast = useStudio((s) => s.voicesToast);
  return (
    <Toast
      toast={toast}
      window={toastWindow}
      onUndo={() => void undoDelete()}
      onDismiss={dismissToast}
      testIds={{ toast: 'voices-toast', undo: 'voices-undo' }}
    />
  );
}
