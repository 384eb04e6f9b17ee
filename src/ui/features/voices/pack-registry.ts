/**
 * Voice packs in memory, kept out of the store: stock packs (loaded through the TTS worker,
 * which reads them via the model store and its cache) and the user's packs (from IndexedDB).
 *
 * A voice is addressed by a key (`stock:af_bella`, `user:<uuid>`) in the UI, and by its name
 * in expressions and recipes: a stock voice's name is its id, a user voice's name is unique
 * across the whole library (library.ts enforces it).
 */
import * as Comlink from 'comlink';
import { onInferenceRestart, ttsWorker } from '../../clients/tts-client';
import { studio } from '../../store/studio-store';

const stockPacks = new Map<string, Float32Array>();
const userPacks = new Map<string, Float32Array>();
const loading = new Map<string, Promise<void>>();

/** Stock packs per worker call: small enough for visible progress, big enough to be quick. */
const STOCK_BATCH = 6;

export type VoiceKey = `stock:${string}` | `user:${string}`;

export const stockKey = (id: string): VoiceKey => `stock:${id}`;
export const userKey = (id: string): VoiceKey => `user:${id}`;

export function parseVoiceKey(key: string): { kind: 'stock' | 'user'; id: string } | undefined {
  const match = /^(stock|user):(.+)$/.exec(key);
  return match ? { kind: match[1] as 'stock' | 'user', id: match[2] as string } : undefined;
}

export function stockIds(): string[] {
  return studio.get().status?.manifest.voices.map((v) => v.id) ?? [];
}

/** Every name an expression or recipe may use now: stock ids and user voice names. */
export function voiceNames(): string[] {
  return [...stockIds(), ...studio.get().voiceLibrary.map((v) => v.name)];
}

export function keyForName(name: string): VoiceKey | undefined {
  const user = studio.get().voiceLibrary.find((v) => v.name === name);
  if (user) return userKey(user.id);
  return stockIds().includes(name) ? stockKey(name) : undefined;
}

export function nameForKey(key: string): string | undefined {
  const parsed = parseVoiceKey(key);
  if (!parsed) return undefined;
  if (parsed.kind === 'stock') return parsed.id;
  return studio.get().voiceLibrary.find((v) => v.id === parsed.id)?.name;
}

export function packForKey(key: string): Float32Array | undefined {
  const parsed = parseVoiceKey(key);
  if (!parsed) return undefined;
  return parsed.kind === 'stock' ? stockPacks.get(parsed.id) : userPacks.get(parsed.id);
}

/** The pack behind a name, if loaded: the VoiceLookup for combine and recipes. */
export function packByName(name: string): Float32Array | undefined {
  const key = keyForName(name);
  return key ? packForKey(key) : undefined;
}

export function setUserPack(id: string, pack: Float32Array): void {
  userPacks.set(id, pack);
}

export function deleteUserPack(id: string): void {
  userPacks.delete(id);
}

export function loadedStockPacks(): ReadonlyMap<string, Float32Array> {
  return stockPacks;
}

// Another model source (or a restarted worker) may list other stock voices: the map is fitted again.
onInferenceRestart(() => studio.set({ stockMap: undefined, stockPacksLoaded: 0, stockPacksTotal: 0 }));

/**
 * The map of the stock voices: the inference worker reads every stock pack and fits the map
 * there, off the UI thread (it keeps only the few packs used last); progress and failure go to
 * the store. The UI thread keeps only the packs a blend names.
 */
export async function loadStockMap(): Promise<void> {
  if (studio.get().stockMap) return;
  studio.set({ stockPacksError: undefined });
  try {
    const stockMap = await ttsWorker().stockVoiceMap(
      Comlink.proxy((loaded: number, total: number) =>
        studio.set({ stockPacksLoaded: loaded, stockPacksTotal: total }),
      ),
    );
    studio.set({ stockMap });
  } catch (error) {
    studio.set({ stockPacksError: error instanceof Error ? error.message : String(error) });
  }
}

/** Loads the stock packs among `names` that are not in memory yet (other names are ignored). */
export async function ensureStockPacks(names: Iterable<string>): Promise<void> {
  const known = new Set(stockIds());
  const wanted = [...new Set(names)].filter((name) => known.has(name));
  const missing = wanted.filter((id) => !stockPacks.has(id) && !loading.has(id));
  for (let start = 0; start < missing.length; start += STOCK_BATCH) {
    const batch = missing.slice(start, start + STOCK_BATCH);
    const pending = ttsWorker()
      .loadVoicePacks(
        batch,
        Comlink.proxy(() => undefined),
      )
      .then((packs) => {
        for (const { id, pack } of packs) stockPacks.set(id, pack);
      })
      .finally(() => {
        for (const id of batch) loading.delete(id);
      });
    for (const id of batch) loading.set(id, pending);
  }
  await Promise.all(wanted.map((id) => loading.get(id)));
}
