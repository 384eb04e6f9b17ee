/**
 * The one progress type of the studio. Workers report it through a Comlink.proxy callback;
 * the UI store writes it with plain actions.
 */
export type Progress =
  | { kind: 'download'; file: string; loadedBytes: number; totalBytes: number; fromCache: boolean }
  | { kind: 'compile'; model: string; backend: string }
  | { kind: 'run'; task: string; done: number; total: number }
  | { kind: 'done'; task: string };

export type ProgressCallback = (progress: Progress) => void;

/** Thrown (or rethrown) when an AbortSignal fires; `name` matches the DOM's AbortError. */
export class AbortedError extends Error {
  override name = 'AbortError';
  constructor(message = 'Cancelled') {
    super(message);
  }
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortedError();
}
