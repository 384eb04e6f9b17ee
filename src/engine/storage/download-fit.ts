/**
 * Will a download fit in what the browser lets this site keep? Pure arithmetic over the answer
 * of `navigator.storage.estimate()` (which a worker can ask too), so the model store checks
 * before it downloads, and the tests run it in Node without a browser.
 */
import { formatBytes } from '../models/format';
import { formatCount } from '../count';

/** The part of a `StorageEstimate` used here: both fields are optional in the spec. */
export interface StorageEstimateLike {
  usage?: number;
  quota?: number;
}

const isByteCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0;

/**
 * Bytes this site may still store: quota minus usage, never negative. Undefined when the
 * browser does not give a quota (then nothing can be checked and a download goes ahead).
 */
export function availableBytes(estimate: StorageEstimateLike | undefined): number | undefined {
  if (!isByteCount(estimate?.quota)) return undefined;
  const usage = isByteCount(estimate.usage) ? estimate.usage : 0;
  return Math.max(0, estimate.quota - usage);
}

/** Decimal units with three significant digits (1.24 GB, 92.4 MB, 326 MB). */
function threeDigits(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return unit === 0 ? `${bytes} B` : `${value.toPrecision(3)} ${units[unit]}`;
}

/**
 * Two sizes people can tell apart: the studio's usual rounding, three digits when that makes
 * them look the same, and exact byte counts when even that does.
 */
function sizesApart(a: number, b: number): [string, string] {
  for (const format of [formatBytes, threeDigits]) {
    const [left, right] = [format(a), format(b)];
    if (left !== right) return [left, right];
  }
  return [`${formatCount(a)} bytes`, `${formatCount(b)} bytes`];
}

/**
 * Undefined when `needBytes` fit in what the browser still allows this site (or when it does
 * not say); otherwise the message that refuses the download, with the numbers and what to do:
 * "Kokoro q8 needs 92.4 MB but the browser allows only 40.0 MB more for this site (…)".
 * `what` names the download and starts the sentence.
 */
export function checkDownloadFits(
  needBytes: number,
  estimate: StorageEstimateLike | undefined,
  what = 'This download',
): string | undefined {
  const available = availableBytes(estimate);
  if (available === undefined || needBytes <= available) return undefined;
  const [need, left] = sizesApart(needBytes, available);
  const allows = available === 0 ? 'no more room' : `only ${left} more`;
  const [usage, quota] = sizesApart(isByteCount(estimate?.usage) ? estimate.usage : 0, estimate?.quota ?? 0);
  return (
    `${what} needs ${need} but the browser allows ${allows} for this site ` +
    `(it already keeps ${usage} of the ${quota} it allows). ` +
    'Nothing was downloaded and nothing already stored was removed. To make room, clear what you no ' +
    'longer need in Models & settings, or free disk space on this device, then try again.'
  );
}
