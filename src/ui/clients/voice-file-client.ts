/**
 * The UI's handle on the voice-file worker. Each parse has a time cap: a file that keeps the
 * worker busy past it ends the worker (the next parse starts a fresh one), and the user gets a
 * message naming the file; nothing is imported and the library is untouched.
 */
import * as Comlink from 'comlink';
import type { NamedPack } from '../../engine/voices/formats';
import type { VoiceRecipe } from '../../engine/voices/recipe';
import type { ParseOutcome, VoiceFileWorkerApi } from '../../workers/voice-file-protocol';

export type { ParseOutcome };

/** Reading the largest real bundle takes about a second; anything past this is stuck. */
export const PARSE_TIME_CAP_MS = 20_000;

export interface ParseWorkerHandle {
  api: Pick<VoiceFileWorkerApi, 'parseVoiceFile' | 'parseRecipe'>;
  terminate(): void;
  /** Settles with a reason if the worker dies or cannot start (it then answers nothing). */
  failed?: Promise<string>;
}

/**
 * Runs parses one at a time in one worker; ends the worker when a parse runs past `timeCapMs`
 * (counted from when that parse starts, not while it waits its turn).
 */
export class ParseRunner {
  private handle: ParseWorkerHandle | undefined;
  private tail: Promise<unknown> = Promise.resolve();
  constructor(
    private readonly start: () => ParseWorkerHandle,
    private readonly timeCapMs = PARSE_TIME_CAP_MS,
  ) {}

  private run<T>(
    fileName: string,
    call: (api: ParseWorkerHandle['api']) => Promise<ParseOutcome<T>>,
  ): Promise<ParseOutcome<T>> {
    const result = this.tail.then(() => this.runNow(fileName, call));
    this.tail = result;
    return result;
  }

  private runNow<T>(
    fileName: string,
    call: (api: ParseWorkerHandle['api']) => Promise<ParseOutcome<T>>,
  ): Promise<ParseOutcome<T>> {
    const handle = (this.handle ??= this.start());
    return new Promise((resolve) => {
      let settled = false;
      const settle = (outcome: ParseOutcome<T>): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(outcome);
      };
      const stop = (why: string): void => {
        handle.terminate();
        if (this.handle === handle) this.handle = undefined;
        settle({
          ok: false,
          message: `${fileName}: ${why} Nothing was imported; your library is unchanged.`,
        });
      };
      const timer = setTimeout(
        () =>
          stop(
            `reading it took longer than ${Math.round(this.timeCapMs / 1000)} s, so it was stopped: the file is damaged or built to hang a reader.`,
          ),
        this.timeCapMs,
      );
      void handle.failed?.then((why) => stop(`the reader stopped (${why}).`));
      call(handle.api).then(settle, (error: unknown) =>
        stop(`the reader failed (${error instanceof Error ? error.message : String(error)}).`),
      );
    });
  }

  parseVoiceFile(fileName: string, bytes: Uint8Array): Promise<ParseOutcome<NamedPack[]>> {
    return this.run(fileName, (api) =>
      api.parseVoiceFile(fileName, Comlink.transfer(bytes, [bytes.buffer as ArrayBuffer])),
    );
  }

  parseRecipe(fileName: string, text: string): Promise<ParseOutcome<VoiceRecipe>> {
    return this.run(fileName, (api) => api.parseRecipe(fileName, text));
  }

  /** Ends the worker now (e.g. when the page hides); the next parse starts another. */
  dispose(): void {
    this.handle?.terminate();
    this.handle = undefined;
  }
}

function startWorker(): ParseWorkerHandle {
  const worker = new Worker(new URL('../../workers/voice-file.worker.ts', import.meta.url), {
    type: 'module',
    name: 'voice-files',
  });
  const api = Comlink.wrap<VoiceFileWorkerApi>(worker);
  // A worker that dies silently (out of memory) answers nothing: the time cap ends it.
  const failed = new Promise<string>((resolve) => {
    worker.addEventListener('error', (event) => resolve(event.message || 'the worker failed'));
  });
  return { api, terminate: () => worker.terminate(), failed };
}

let runner: ParseRunner | undefined;

export function voiceFileParser(): ParseRunner {
  return (runner ??= new ParseRunner(startWorker));
}
