import { lazy, Suspense, useEffect, useState, type ComponentType } from 'react';
import { Header } from './components/Header';
import { Notices } from './components/Notices';
import { ModelsDialog } from './components/ModelsDialog';
import { PanelBoundary, PanelCodeError } from './components/PanelBoundary';
import { Tabs, type TabDef } from './components/Tabs';
import { SpeakPanel } from './features/speak/SpeakPanel';
import { initEngine } from './clients/tts-client';
import { useSpeakingHighlight } from './audio/use-speaking-highlight';
import { studio, useStudio } from './store/studio-store';
import type { StudioTab } from './store/slices/tabs';

/**
 * A tab whose code loads on its first visit: the studio's first script (parsed and run on the
 * main thread before anything shows) holds Speak alone. "Loading…" while the code comes; if it
 * cannot come, or the panel throws, a message in that tab alone (PanelBoundary).
 */
function lazyTab(id: StudioTab, label: string, load: () => Promise<ComponentType>): TabDef<StudioTab> {
  const Panel = lazy(() =>
    load().then(
      (component) => ({ default: component }),
      (cause: unknown) => {
        throw new PanelCodeError(cause);
      },
    ),
  );
  return {
    id,
    label,
    render: () => (
      <PanelBoundary name={label}>
        <Suspense
          fallback={
            <p className="text-sm text-zinc-400" role="status" data-testid="panel-loading">
              Loading…
            </p>
          }
        >
          <Panel />
        </Suspense>
      </PanelBoundary>
    ),
  };
}

/** The studio's sections. A feature adds its panel here. */
const TABS: readonly TabDef<StudioTab>[] = [
  { id: 'speak', label: 'Speak', render: () => <SpeakPanel /> },
  lazyTab('voices', 'Voices', () => import('./features/voices/VoicesPanel').then((m) => m.VoicesPanel)),
  lazyTab('references', 'References', () =>
    import('./features/references/ReferencesPanel').then((m) => m.ReferencesPanel),
  ),
  lazyTab('clone', 'Clone', () => import('./features/clone/ClonePanel').then((m) => m.ClonePanel)),
];

export function App() {
  const [modelsOpen, setModelsOpen] = useState(false);
  const tab = useStudio((s) => s.tab);
  useEffect(() => {
    void initEngine();
  }, []);
  useSpeakingHighlight();

  return (
    <div className="min-h-screen">
      <Header onOpenModels={() => setModelsOpen(true)} />
      <Notices />
      <main>
        <Tabs label="Studio sections" tabs={TABS} active={tab} onChange={(id) => studio.set({ tab: id })} />
      </main>
      <ModelsDialog open={modelsOpen} onClose={() => setModelsOpen(false)} />
    </div>
  );
}
