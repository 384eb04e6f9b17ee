/**
 * Directions as sliders: the built-in ones are group means of the stock voices (female minus
 * male, American minus British; computed once the English stock packs are loaded), the user's
 * are any A - B saved under a name in IndexedDB's `directions` store.
 */
import {
  AMERICAN_BRITISH,
  BUILT_IN_DIRECTION_NAMES,
  FEMALE_MALE,
  directionBetween,
  type VoiceDirection,
} from '../../../engine/voices/directions';
import { newId, storageErrorMessage, type DirectionRecord } from '../../db/schema';
import { studio } from '../../store/studio-store';
import { deleteDirectionRecord, putDirection, readDirections } from './library-db';
import { onInferenceRestart, ttsWorker } from '../../clients/tts-client';
import { ensureStockPacks, packByName } from './pack-registry';

export interface DirectionLabel {
  title: string;
  /** What negative amounts move toward, and positive ones. */
  negative: string;
  positive: string;
}

export const BUILT_IN_LABELS: Record<string, DirectionLabel> = {
  [FEMALE_MALE]: { title: 'Gender', negative: 'male', positive: 'female' },
  [AMERICAN_BRITISH]: { title: 'Accent', negative: 'British', positive: 'American' },
};

export const DIRECTION_MIN = -3;
export const DIRECTION_MAX = 3;

let builtIns: VoiceDirection[] | undefined;
let builtInsLoading: Promise<VoiceDirection[]> | undefined;
const userDirections = new Map<string, DirectionRecord>();
let loading: Promise<void> | undefined;

// A restarted worker does not answer the old one's call: ask the new one next time.
onInferenceRestart(() => {
  builtIns = undefined;
  builtInsLoading = undefined;
});

/**
 * The group-mean directions, computed once in the inference worker from the English stock
 * packs (a UI-thread group mean of ~28 packs took ~60 ms, over the 50 ms a frame may block).
 */

export function ensureBuiltInDirections(): Promise<VoiceDirection[]> {
  if (builtIns) return Promise.resolve(builtIns);
  builtInsLoading ??= (async () => {
    builtIns = await ttsWorker().builtInDirections();
    return builtIns;
  })();
  builtInsLoading.catch(() => (builtInsLoading = undefined));
  return builtInsLoading;
}

export function isBuiltInDirection(name: string): boolean {
  return BUILT_IN_DIRECTION_NAMES.includes(name);
}

/** Directions usable right now (built-ins only once computed). */
export function availableDirections(): VoiceDirection[] {
  const user = [...userDirections.values()].map((d) => ({ name: d.name, vector: d.vector }));
  return [...(builtIns ?? []), ...user];
}

export function directionNames(): string[] {
  return [...BUILT_IN_DIRECTION_NAMES, ...[...userDirections.values()].map((d) => d.name)];
}

function publish(): void {
  const list = [...userDirections.values()]
    .sort((a, b) => a.createdAt - b.createdAt)
    .map(({ id, name, createdAt }) => ({ id, name, createdAt }));
  studio.set({ userDirections: list });
}

export function loadDirections(): Promise<void> {
  loading ??= (async () => {
    try {
      for (const record of await readDirections()) userDirections.set(record.id, record);
      publish();
    } catch (error) {
      loading = undefined;
      studio.set({
        voicesError: `Could not read your saved directions: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  })();
  return loading;
}

/** Saves `a - b` as a named direction; returns the problem instead when it cannot. */
export async function saveDirection(name: string, a: string, b: string): Promise<string | undefined> {
  const trimmed = name.trim();
  if (!trimmed) return 'A direction needs a name.';
  if (directionNames().some((n) => n.toLowerCase() === trimmed.toLowerCase())) {
    return `There is already a direction called “${trimmed}”.`;
  }
  if (a === b) return 'Pick two different voices: a direction is the difference between them.';
  await ensureStockPacks([a, b]);
  const packA = packByName(a);
  const packB = packByName(b);
  if (!packA || !packB) return `The voice ${packA ? b : a} is not available.`;
  const record: DirectionRecord = {
    id: newId(),
    name: trimmed,
    createdAt: Date.now(),
    vector: directionBetween(trimmed, packA, packB).vector,
  };
  try {
    await putDirection(record);
  } catch (error) {
    return storageErrorMessage(error, `the direction “${trimmed}”`);
  }
  userDirections.set(record.id, record);
  publish();
  return undefined;
}

/** After Models & settings cleared the saved directions in IndexedDB: forget them here too. */
export function forgetDirections(): void {
  const amounts = { ...studio.get().directionAmounts };
  for (const record of userDirections.values()) delete amounts[record.name];
  userDirections.clear();
  studio.set({ directionAmounts: amounts });
  publish();
}

export async function deleteDirection(id: string): Promise<void> {
  const record = userDirections.get(id);
  if (!record) return;
  try {
    await deleteDirectionRecord(id);
  } catch (error) {
    studio.set({
      voicesError: `Could not delete the direction: ${error instanceof Error ? error.message : String(error)}`,
    });
    return;
  }
  userDirections.delete(id);
  const amounts = { ...studio.get().directionAmounts };
  delete amounts[record.name];
  studio.set({ directionAmounts: amounts });
  publish();
}
