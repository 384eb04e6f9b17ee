/**
 * Parses imported voice files and recipes off the UI thread. The parsers cap what a file may
 * make them allocate (src/engine/voices/formats/limits.ts); the UI also ends this worker when a
 * parse runs past its time cap, so no file can freeze or crash the studio.
 */
import * as Comlink from 'comlink';
import { importVoiceFile, VoiceFileError } from '../engine/voices/formats';
import { importRecipe, RecipeError } from '../engine/voices/recipe';
import type { ParseOutcome, VoiceFileWorkerApi } from './voice-file-protocol';

function failure(fileName: string, error: unknown): { ok: false; message: string } {
  if (error instanceof VoiceFileError) return { ok: false, message: error.message };
  if (error instanceof RecipeError) return { ok: false, message: `${fileName}: ${error.message}` };
  if (error instanceof RangeError && /alloc|array buffer|memory/i.test(error.message))
    return {
      ok: false,
      message: `${fileName}: refused: reading it needs more memory than a voice file may use`,
    };
  return {
    ok: false,
    message: `${fileName}: could not be read (${(error as Error).message ?? String(error)})`,
  };
}

const api: VoiceFileWorkerApi = {
  async parseVoiceFile(fileName, bytes) {
    try {
      const packs = importVoiceFile(fileName, bytes);
      const outcome: ParseOutcome<typeof packs> = { ok: true, value: packs };
      return Comlink.transfer(outcome, [...new Set(packs.map((pack) => pack.data.buffer as ArrayBuffer))]);
    } catch (error) {
      return failure(fileName, error);
    }
  },
  async parseRecipe(fileName, text) {
    try {
      return { ok: true, value: importRecipe(text) };
    } catch (error) {
      return failure(fileName, error);
    }
  },
};

Comlink.expose(api);
