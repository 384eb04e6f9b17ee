/**
 * Runs `callback` when the page is next idle (`requestIdleCallback`, at most `timeoutMs` later),
 * or in a task of its own where the browser has no idle callbacks (Safari).
 */
export function whenIdle(callback: () => void, timeoutMs: number): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(callback, { timeout: timeoutMs });
  else setTimeout(callback, 0);
}
