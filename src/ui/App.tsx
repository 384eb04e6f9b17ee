import { useEffect, useState } from 'react';
import { Header } from './components/Header';
import { Notices } from './components/Notices';
import { ModelStatus } from './components/ModelStatus';
import { TextPanel } from './components/TextPanel';
import { VoiceControls } from './components/VoiceControls';
import { GenerateBar } from './components/GenerateBar';
import { ResultPanel } from './components/ResultPanel';
import { ModelsDialog } from './components/ModelsDialog';
import { initEngine } from './clients/tts-client';
import { useSpeakingHighlight } from './audio/use-speaking-highlight';

export function App() {
  const [modelsOpen, setModelsOpen] = useState(false);
  useEffect(() => {
    void initEngine();
  }, []);
  useSpeakingHighlight();

  return (
    <div className="min-h-screen">
      <Header onOpenModels={() => setModelsOpen(true)} />
      <Notices />
      <main className="mx-auto grid max-w-6xl gap-6 p-6 lg:grid-cols-[1fr_20rem]">
        <div className="flex flex-col gap-6">
          <ModelStatus />
          <TextPanel />
          <GenerateBar />
          <ResultPanel />
        </div>
        <aside className="flex flex-col gap-6">
          <VoiceControls />
        </aside>
      </main>
      <ModelsDialog open={modelsOpen} onClose={() => setModelsOpen(false)} />
    </div>
  );
}
