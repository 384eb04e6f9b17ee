/**
 * The typed contract between the UI and the voice-file worker, which parses the files users
 * import (voice packs, bundles, recipes) away from the UI thread. Types only.
 */
import type { NamedPack } from '../engine/voices/formats';
import type { VoiceRecipe } from '../engine/voices/recipe';

/** A clean refusal travels as data: comlink would lose the error's class. */
export type ParseOutcome<T> = { ok: true; value: T } | { ok: false; message: string };

export interface VoiceFileWorkerApi {
  /** `.pt` `.pth` `.bin` `.npy` `.npz`: every pack in the file, validated, within the parse caps. */
  parseVoiceFile(fileName: string, bytes: Uint8Array): Promise<ParseOutcome<NamedPack[]>>;
  /** Recipe JSON, parsed and validated (which voices it needs is checked by the caller). */
  parseRecipe(fileName: string, text: string): Promise<ParseOutcome<VoiceRecipe>>;
}
