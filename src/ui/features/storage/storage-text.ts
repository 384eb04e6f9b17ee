/**
 * The words of the storage panel: each store's name and what it is, its counts, what a Clear
 * deletes, and what is left after it. Plain functions, so the panel stays layout.
 */
import { formatBytes } from '../../../engine/models/format';
import { MAX_CACHED_MEASUREMENTS } from '../clone/clone-db';
import type { StoreId, StoreUsage } from './storage-usage';
import { formatCount } from '../../../engine/count';

export interface StoreInfo {
  /** Row heading, and the end of the Clear button's name ("Clear voice library"). */
  title: string;
  description: string;
}

export const STORE_INFO: Record<StoreId, StoreInfo> = {
  models: {
    title: 'Models',
    description: 'Kokoro, stock voices and speaker encoders, kept for offline use (Cache Storage).',
  },
  voices: { title: 'Voice library', description: 'Your saved voices and directions.' },
  references: {
    title: 'Reference clips',
    description: 'Target voices, their clips, and what was measured from the clips.',
  },
  checkpoints: {
    title: 'Clone jobs',
    description: 'Saved searches: interrupted jobs to resume and results not saved yet.',
  },
  measurements: {
    title: 'Clone measurements',
    description: `Measured renderings that make cloning faster the next time; the ${formatCount(MAX_CACHED_MEASUREMENTS)} used last are kept.`,
  },
};

/** Singular and plural of each count kind. */
const KIND_WORDS: Record<string, [string, string]> = {
  files: ['file', 'files'],
  voices: ['voice', 'voices'],
  directions: ['direction', 'directions'],
  targets: ['target voice', 'target voices'],
  clips: ['clip', 'clips'],
  analyses: ['clip analysis', 'clip analyses'],
  searches: ['saved search', 'saved searches'],
  measurements: ['measurement', 'measurements'],
};

export function countText(count: number, kind: string): string {
  const [one, many] = KIND_WORDS[kind] ?? [kind, kind];
  return `${formatCount(count)} ${count === 1 ? one : many}`;
}

function isEmpty(usage: StoreUsage): boolean {
  return Object.values(usage.counts).every((count) => count === 0);
}

/** ["2 voices", "1 direction"]: the kinds it holds any of. */
export function holdsParts(usage: StoreUsage): string[] {
  return Object.entries(usage.counts)
    .filter(([, count]) => count > 0)
    .map(([kind, count]) => countText(count, kind));
}

/** "2 voices · 1 direction"; "Empty" when it holds nothing. */
export function holdsText(usage: StoreUsage): string {
  const parts = holdsParts(usage);
  return parts.length > 0 ? parts.join(' · ') : 'Empty';
}

/** "2 voices and 1 direction" (every kind, for a sentence). */
function listText(usage: StoreUsage): string {
  const parts = holdsParts(usage);
  if (parts.length <= 1) return parts[0] ?? 'nothing';
  return `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

/** The question a Clear asks before it deletes anything. */
export function confirmText(id: StoreId, usage: StoreUsage): string {
  const what = `${listText(usage)} (${formatBytes(usage.bytes)})`;
  switch (id) {
    case 'models':
      return `Delete ${what} from this browser? They download again the next time they are needed; nothing you made is touched.`;
    case 'voices':
      return `Delete ${what}? This cannot be undone: download the voices you want to keep first.`;
    case 'references':
      return `Delete ${what}? This cannot be undone, and clone jobs of these voices can no longer be resumed.`;
    case 'checkpoints':
      return `Delete ${what}? Interrupted clone jobs can no longer be resumed, and results not saved to the library are lost.`;
    case 'measurements':
      return `Delete ${what}? Nothing you made is lost: cloning measures again when it needs to, which takes longer the first time.`;
  }
}

/** Why a Clear cannot go ahead for reasons of the store itself (the busy reasons come from clearBlocker). */
export function emptyOrUnknownReason(usage: StoreUsage | undefined): string | undefined {
  if (!usage) return 'Still measuring.';
  return isEmpty(usage) ? 'Nothing to clear.' : undefined;
}
