/**
 * Typed errors of model loading. Each message says which file, what was tried and what the
 * user can do about it, because these end up verbatim in the studio's error banner.
 */
import { selfHostHint, type ModelSource } from './sources';

/** One candidate URL that did not deliver the file, and why (`404`, `text/html`, `size 12 B`...). */
export interface FailedAttempt {
  url: string;
  reason: string;
}

function describeAttempts(attempts: readonly FailedAttempt[]): string {
  return attempts.map((attempt) => `${attempt.url} (${attempt.reason})`).join(', ');
}

/** No candidate URL served the file (404, an HTML fallback page, or a file of another size). */
export class ModelNotFoundError extends Error {
  override name = 'ModelNotFoundError';
  readonly path: string;
  readonly attempts: readonly FailedAttempt[];

  constructor(path: string, attempts: readonly FailedAttempt[], source: ModelSource) {
    super(
      `Model file ${path} was not found. Tried: ${describeAttempts(attempts)}. ` +
        `To self-host it, ${selfHostHint(path, source)}.`,
    );
    this.path = path;
    this.attempts = attempts;
  }
}

export type IntegrityCheck = 'size' | 'sha256';

/** A download arrived but is not the file the manifest describes; it was discarded, not cached. */
export class IntegrityError extends Error {
  override name = 'IntegrityError';
  readonly path: string;
  readonly url: string;
  readonly check: IntegrityCheck;
  readonly expected: string;
  readonly actual: string;

  constructor(path: string, url: string, check: IntegrityCheck, expected: string, actual: string) {
    const what =
      check === 'size'
        ? `its size is ${actual} bytes, expected ${expected}`
        : `its SHA-256 is ${actual}, expected ${expected}`;
    super(
      `The download of ${path} from ${url} is corrupt: ${what}. ` +
        'The corrupt download was discarded (nothing was cached); try again, or replace the self-hosted copy.',
    );
    this.path = path;
    this.url = url;
    this.check = check;
    this.expected = expected;
    this.actual = actual;
  }
}

/** The attempt reason the worker's model store records for a request the CSP blocked. */
export const BLOCKED_BY_POLICY = "blocked by this site's Content-Security-Policy";

function originsOf(attempts: readonly FailedAttempt[]): string {
  // scheme://host[:port], without URL (the engine has no DOM or WebWorker lib)
  const origins = attempts.map(
    (attempt) => /^[a-z][a-z0-9+.-]*:\/\/[^/?#]+/i.exec(attempt.url)?.[0] ?? attempt.url,
  );
  return [...new Set(origins)].join(' or ');
}

/**
 * The network failed: offline, DNS, a server that refused the connection or answered 5xx, or a
 * cross-origin response the browser blocked (CORS). `fetch` reports most of these as one TypeError.
 */
export class ModelNetworkError extends Error {
  override name = 'ModelNetworkError';
  readonly path: string;
  readonly attempts: readonly FailedAttempt[];

  constructor(path: string, attempts: readonly FailedAttempt[], source: ModelSource) {
    const blocked = attempts.filter((attempt) => attempt.reason === BLOCKED_BY_POLICY);
    super(
      blocked.length > 0
        ? `Could not download model file ${path}: this site's Content-Security-Policy does not allow ` +
            `${originsOf(blocked)}, so the browser blocked the request. Whoever hosts Timbre must add that origin ` +
            `to connect-src (README: Hosting), or choose a model source this site allows in Models & settings. ` +
            `Tried: ${describeAttempts(attempts)}.`
        : `Could not download model file ${path}: the network request failed (offline, a server error, or the server ` +
            `does not allow cross-origin requests (CORS)). Tried: ${describeAttempts(attempts)}. ` +
            `To work offline, ${selfHostHint(path, source)}.`,
    );
    this.path = path;
    this.attempts = attempts;
  }
}

/** manifest.json is not valid JSON or does not have the ModelManifest shape. */
export class ManifestError extends Error {
  override name = 'ManifestError';
  readonly problems: readonly string[];

  constructor(origin: string, problems: readonly string[]) {
    const MAX_LISTED = 8;
    const listed = problems.slice(0, MAX_LISTED).join('; ');
    const more = problems.length > MAX_LISTED ? `; and ${problems.length - MAX_LISTED} more` : '';
    super(`Invalid model manifest ${origin}: ${listed}${more}`);
    this.problems = problems;
  }
}

/**
 * A download refused before it started: the file would not fit in what the browser still lets
 * this site store (navigator.storage.estimate()). Nothing was fetched and nothing stored was removed.
 */
export class StorageQuotaError extends Error {
  override name = 'StorageQuotaError';
  readonly path: string;
  readonly needBytes: number;
  readonly availableBytes: number;

  /** `message` comes from engine/storage/download-fit.ts: it carries the numbers. */
  constructor(path: string, needBytes: number, availableBytes: number, message: string) {
    super(message);
    this.path = path;
    this.needBytes = needBytes;
    this.availableBytes = availableBytes;
  }
}
