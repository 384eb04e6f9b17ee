/**
 * Waiting for a promise at most so long. Browser APIs that normally answer at once (such as
 * WebGPU's requestAdapter on a loaded software renderer) can stall for tens of seconds; the
 * caller then moves on with a fallback instead of leaving the page waiting.
 */

/** Rejection of `withTimeout` when the promise did not settle in time. */
export class TimeoutError extends Error {
  override name = 'TimeoutError';
  constructor(readonly timeoutMs: number) {
    super(`No answer within ${timeoutMs} ms`);
  }
}

/**
 * Settles like `promise` when it settles within `timeoutMs`; rejects with TimeoutError
 * otherwise. A late settlement of `promise` is ignored (a late rejection is handled here, so
 * it is never reported as unhandled).
 */
export function withTimeout<T>(promise: PromiseLike<T>, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new TimeoutError(timeoutMs)), timeoutMs);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
