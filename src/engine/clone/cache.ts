/**
 * A cache of measured renderings (speaker embedding, and voice features for the target
 * probe) of NAMED voices, keyed per (model variant, encoder variant, voice, probe text).
 * Stock voices are measured once per model and text, whatever reference is being cloned:
 * the score against a new reference is then a dot product. The UI backs this with
 * IndexedDB; tests and benchmarks with the in-memory one below.
 */
import type { Measurement, Probe } from './types';

export interface MeasurementCache {
  get(key: string): Promise<Measurement | undefined>;
  set(key: string, value: Measurement): Promise<void>;
}

/** FNV-1a over the token ids: a short, stable name for a probe's exact text. */
export function probeFingerprint(probe: Probe): string {
  let hash = 0x811c9dc5;
  for (const id of probe.tokenIds) {
    hash ^= id & 0xff;
    hash = Math.imul(hash, 0x01000193) >>> 0;
    hash ^= id >>> 8;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `${probe.tokenIds.length}-${hash.toString(16).padStart(8, '0')}`;
}

export function measurementCacheKey(parts: {
  rendererVariant: string;
  embedderVariant: string;
  voiceId: string;
  probe: Probe;
  withFeatures: boolean;
}): string {
  const kind = parts.withFeatures ? 'ef' : 'e';
  return [
    parts.rendererVariant,
    parts.embedderVariant,
    parts.voiceId,
    probeFingerprint(parts.probe),
    kind,
  ].join('|');
}

export class MemoryMeasurementCache implements MeasurementCache {
  readonly entries = new Map<string, Measurement>();
  hits = 0;
  misses = 0;

  async get(key: string): Promise<Measurement | undefined> {
    const value = this.entries.get(key);
    if (value) this.hits++;
    else this.misses++;
    return value;
  }

  async set(key: string, value: Measurement): Promise<void> {
    this.entries.set(key, value);
  }
}
