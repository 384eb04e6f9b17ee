/**
 * Directions: named offsets in pack space that a slider moves a voice along
 * (`pack + amount · vector`), in the spirit of KokoVoiceLab's group-mean differences.
 *
 * Built-in directions come from the stock voices, whose ids say language and gender
 * (`af_bella` = American English, female). With amount 1 a voice moves by the whole
 * difference between the two group means; sensible slider ranges are about -3..3.
 */
import {
  HALF_DIM,
  PACK_LENGTH,
  PACK_ROWS,
  STYLE_DIM,
  VOICE_HALVES,
  assertFinite,
  assertPackLength,
  halfOffset,
  partTouches,
  type VoicePart,
} from './pack';

export interface VoiceDirection {
  name: string;
  /** A whole-pack offset (PACK_LENGTH values). */
  vector: Float32Array;
}

export interface DirectionAmount {
  name: string;
  amount: number;
}

/** Built-in direction names; positive amounts move toward the first group. */
export const FEMALE_MALE = 'female-male';
export const AMERICAN_BRITISH = 'american-british';
export const BUILT_IN_DIRECTION_NAMES: readonly string[] = [FEMALE_MALE, AMERICAN_BRITISH];

export interface StockVoiceInfo {
  /** First letter of the id: a=en-US, b=en-GB, e, f, h, i, j, p, z. */
  language: string;
  gender: 'female' | 'male';
}

/** Language and gender from a stock id like `bf_emma`; undefined for other names. */
export function parseStockVoiceId(id: string): StockVoiceInfo | undefined {
  const match = /^([a-z])([fm])_/.exec(id);
  if (!match) return undefined;
  return { language: match[1] as string, gender: match[2] === 'f' ? 'female' : 'male' };
}

function isEnglish(info: StockVoiceInfo | undefined): info is StockVoiceInfo {
  return info !== undefined && (info.language === 'a' || info.language === 'b');
}

/** Element-wise mean of the packs whose name satisfies `predicate`; throws when none does. */
export function groupMean(
  voices: ReadonlyMap<string, Float32Array>,
  predicate: (name: string) => boolean,
): Float32Array {
  const sum = new Float64Array(PACK_LENGTH);
  let count = 0;
  for (const [name, pack] of voices) {
    if (!predicate(name)) continue;
    assertPackLength(pack, `voice '${name}'`);
    for (let i = 0; i < sum.length; i++) sum[i] = (sum[i] as number) + (pack[i] as number);
    count++;
  }
  if (count === 0) throw new Error('groupMean: no voice matches the group');
  const mean = new Float32Array(PACK_LENGTH);
  for (let i = 0; i < mean.length; i++) mean[i] = (sum[i] as number) / count;
  return mean;
}

/** The direction `a - b`, e.g. a user's "brighter" = bright voice minus dull voice. */
export function directionBetween(name: string, a: Float32Array, b: Float32Array): VoiceDirection {
  assertPackLength(a, `direction '${name}'`);
  assertPackLength(b, `direction '${name}'`);
  const vector = new Float32Array(PACK_LENGTH);
  for (let i = 0; i < vector.length; i++) vector[i] = (a[i] as number) - (b[i] as number);
  return { name, vector };
}

/** mean(positive group) - mean(negative group). */
export function directionFromGroups(
  name: string,
  voices: ReadonlyMap<string, Float32Array>,
  positive: (name: string) => boolean,
  negative: (name: string) => boolean,
): VoiceDirection {
  return directionBetween(name, groupMean(voices, positive), groupMean(voices, negative));
}

/** The English stock voices (American and British, female and male): what the built-in directions are made of. */
export const ENGLISH_STOCK_ID = /^[ab][fm]_/;

/**
 * female-male: mean of English female voices (af_*, bf_*) minus English male (am_*, bm_*);
 * american-british: mean of a* minus mean of b* (both genders). Needs those stock packs in `voices`.
 */
export function builtInDirections(voices: ReadonlyMap<string, Float32Array>): VoiceDirection[] {
  const english = (name: string, gender: 'female' | 'male'): boolean => {
    const info = parseStockVoiceId(name);
    return isEnglish(info) && info.gender === gender;
  };
  const language = (name: string, letter: string): boolean => parseStockVoiceId(name)?.language === letter;
  return [
    directionFromGroups(
      FEMALE_MALE,
      voices,
      (n) => english(n, 'female'),
      (n) => english(n, 'male'),
    ),
    directionFromGroups(
      AMERICAN_BRITISH,
      voices,
      (n) => language(n, 'a'),
      (n) => language(n, 'b'),
    ),
  ];
}

/** `pack + Σ amount · direction`, on both halves or one; returns a new pack. */
export function applyDirections(
  pack: Float32Array,
  moves: readonly { direction: VoiceDirection; amount: number }[],
  part: VoicePart = 'both',
): Float32Array {
  assertPackLength(pack, 'applyDirections');
  const out = new Float32Array(pack);
  for (const { direction, amount } of moves) {
    assertPackLength(direction.vector, `direction '${direction.name}'`);
    if (!Number.isFinite(amount))
      throw new Error(`applyDirections: amount of '${direction.name}' is ${amount}`);
    if (amount === 0) continue;
    for (const half of VOICE_HALVES) {
      if (!partTouches(part, half)) continue;
      for (let row = 0; row < PACK_ROWS; row++) {
        const start = row * STYLE_DIM + halfOffset(half);
        const end = start + HALF_DIM;
        for (let i = start; i < end; i++) {
          out[i] = (out[i] as number) + amount * (direction.vector[i] as number);
        }
      }
    }
  }
  assertFinite(out, 'applyDirections');
  return out;
}

/** Where a pack sits along a direction, in units of the direction: dot(pack, v) / dot(v, v). */
export function directionCoordinate(pack: Float32Array, direction: VoiceDirection): number {
  assertPackLength(pack, 'directionCoordinate');
  assertPackLength(direction.vector, `direction '${direction.name}'`);
  let dot = 0;
  let square = 0;
  for (let i = 0; i < pack.length; i++) {
    const v = direction.vector[i] as number;
    dot += (pack[i] as number) * v;
    square += v * v;
  }
  if (square === 0) throw new Error(`directionCoordinate: direction '${direction.name}' is zero`);
  return dot / square;
}
