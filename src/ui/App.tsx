import { useEffect, useState } from 'react';
import { Header } from './components/Header';
import { Notices } from './components/Notices';
import { ModelsDialog } from './components/ModelsDialog';
import { Tabs, type TabDef } from './components/Tabs';
import { SpeakPanel } from './features/speak/SpeakPanel';
import { VoicesPanel } from './features/voices/VoicesPanel';
import { ReferencesPanel } from './features/references/ReferencesPanel';
import { ClonePanel } from './features/clone/ClonePanel';
import { initEngine } from './clients/tts-client';
import { useSpeakingHighlight } from './audio/use-speaking-highlight';
import { studio, useStudio } from './store/studio-store';
import type { StudioTab } from './store/slices/tabs';

/** The studio's sections. A feature adds its panel here. */
const TABS: readonly TabDef<StudioTab>[] = [
  { id: 'speak', label: 'Speak', render: () => <SpeakPanel /> },
  { id: 'voices', label: 'Voices', render: () => <VoicesPanel /> },
  { id: 'references', label: 'References', render: () => <ReferencesPanel /> },
  { id: 'clone', label: 'Clone', render: () => <ClonePanel /> },
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
