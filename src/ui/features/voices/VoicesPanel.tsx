import { useEffect } from 'react';
import { ModelStatus } from '../../components/ModelStatus';
import { useStudio } from '../../store/studio-store';
import { ArithmeticPanel } from './ArithmeticPanel';
import { recomputeBlend } from './blend-actions';
import { DirectionsPanel } from './DirectionsPanel';
import { loadDirections } from './directions-actions';
import { ImportPanel } from './ImportPanel';
import { LibraryPanel } from './LibraryPanel';
import { loadLibrary } from './library-actions';
import { loadStockMap } from './pack-registry';
import { PreviewPanel } from './PreviewPanel';
import { SaveResultPanel } from './SaveResultPanel';
import { UndoToast } from './UndoToast';
import { VoiceMap } from './VoiceMap';

/** The Voices tab: the library, voice arithmetic with live playback, the map, files in and out. */
export function VoicesPanel() {
  const phase = useStudio((s) => s.phase);
  useEffect(() => {
    void loadLibrary();
    void loadDirections();
  }, []);
  useEffect(() => {
    if (phase !== 'ready') return;
    // The blend first (it names user voices, so after the library); then the map, which the
    // inference worker fits on every stock pack (cached by the model store after the first visit).
    void Promise.all([loadLibrary(), loadDirections()])
      .then(() => recomputeBlend({ play: false }))
      .then(() => loadStockMap());
  }, [phase]);
  return (
    <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_26rem]" data-testid="voices-panel">
      <div className="flex min-w-0 flex-col gap-6">
        <ModelStatus />
        <PreviewPanel />
        <ArithmeticPanel />
        <SaveResultPanel />
        <DirectionsPanel />
        <VoiceMap />
      </div>
      <aside className="flex min-w-0 flex-col gap-6">
        <ImportPanel />
        <LibraryPanel />
      </aside>
      <UndoToast />
    </div>
  );
}
