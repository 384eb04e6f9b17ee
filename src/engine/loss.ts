/**
 * A promise that only ever rejects, when a worker (or the port to one) is lost: calls to that
 * worker race it (`Promise.race([call, loss.promise])`), so they fail instead of waiting
 * forever for an answer that cannot come. Unraced, its rejection is not reported.
 */
export interface Loss {
  promise: Promise<never>;
  reject: (error: Error) => void;
}

export function createLoss(): Loss {
  let reject: (error: Error) => void = () => undefined;
  const promise = new Promise<never>((_, r) => (reject = r));
  promise.catch(() => undefined); // only the calls racing it care
  return { promise, reject };
}
