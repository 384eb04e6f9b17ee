import { lazy, Suspense, useEffect, useState, type ReactNode } from 'react';
import { Header } from './components/Header';
import { Notices } from './components/Notices';
import { ModelsDialog } from './components/ModelsDialog';
import { PanelBoundary } from './components/PanelBoundary';
import { Tabs, type TabDef } from './components/Tabs';
import { SpeakPanel } from './features/speak/SpeakPanel';
import { initEngine } from './clients/tts-client';
import { useSpeakingHighlight } from './audio/use-speaking-highlight';
import { studio, useStudio } from './store/studio-store';
import type { StudioTab } from './store/slices/tabs';

// The tabs after the first load with their code on first visit: the studio's first script
// (parsed and run on the main thread before anything shows) holds Speak alone.
const VoicesPanel = lazy(() =>
  import('./features/voices/VoicesPanel').then((m) => ({ default: m.VoicesPanel })),
);
const ReferencesPanel = lazy(() =>
  import('./features/references/ReferencesPanel').then((m) => ({ default: m.ReferencesPanel })),
);
const ClonePanel = lazy(() => import('./features/clone/ClonePanel').then((m) => ({ default: m.ClonePanel })));

/** A lazily loaded tab: "Loading…" while its code comes, a message in the tab if it cannot. */
function Loading({ name, children }: { name: string; children: ReactNode }) {
  return (
    <PanelBoundary name={name}>
      <Suspense
        fallback={
          <p className="text-sm text-zinc-400" role="status" data-testid="panel-loading">
            Loading…
          </p>
        }
      >
        {children}
      </Suspense>
    </PanelBoundary>
  );
}

/** The studio's sections. A feature adds its panel here. */
const TABS: readonly TabDef<StudioTab>[] = [
  { id: 'speak', label: 'Speak', render: () => <SpeakPanel /> },
  {
    id: 'voices',
    label: 'Voices',
    render: () => (
      <Loading name="Voices">
        <VoicesPanel />
      </Loading>
    ),
  },
  {
    id: 'references',
    label: 'References',
    render: () => (
      <Loading name="References">
        <ReferencesPanel />
      </Loading>
    ),
  },
  {
    id: 'clone',
    label: 'Clone',
    render: () => (
      <Loading name="Clone">
        <ClonePanel />
      </Loading>
    ),
  },
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
