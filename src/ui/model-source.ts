/** Changing where models come from: the one place that stores it and reloads the engine. */
import { initEngine, restartTtsWorker } from './clients/tts-client';
import { studio } from './store/studio-store';

/** Uses `modelBase` (undefined = self-hosted, then the hub) from now on, stored: the user chose it. */
export function chooseModelSource(modelBase: string | undefined): void {
  studio.set({ modelBase, modelBaseFromLink: undefined });
  restartTtsWorker();
  void initEngine();
}

/** "Keep using it": the source a link set becomes the stored choice (nothing reloads). */
export function keepLinkModelSource(): void {
  studio.set({ modelBaseFromLink: undefined });
}

/** "Back to the default" (or to the source the user had chosen before the link). */
export function dropLinkModelSource(): void {
  chooseModelSource(studio.get().modelBaseFromLink?.previous);
}

/** "host:port" of a model source URL, for the banner; the URL itself when it cannot be parsed. */
export function sourceOrigin(base: string): string {
  try {
    return new URL(base).origin;
  } catch {
    return base;
  }
}
