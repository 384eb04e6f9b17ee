import { ModelStatus } from '../../components/ModelStatus';
import { TextPanel } from '../../components/TextPanel';
import { VoiceControls } from '../../components/VoiceControls';
import { GenerateBar } from '../../components/GenerateBar';
import { ResultPanel } from '../../components/ResultPanel';

/** Text to speech: the script, the voice, Generate/Stop, the result. */
export function SpeakPanel() {
  return (
    <div className="grid gap-6 lg:grid-cols-[1fr_20rem]">
      <div className="flex flex-col gap-6">
        <ModelStatus />
        <TextPanel />
        <GenerateBar />
        <ResultPanel />
      </div>
      <aside className="flex flex-col gap-6">
        <VoiceControls />
      </aside>
    </div>
  );
}
