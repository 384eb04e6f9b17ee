/**
 * Evaluating voice terms into one pack: a weighted element-wise sum, done separately for the
 * two halves of every style row (timbre = first 128 values, prosody = last 128).
 *
 * A half that no term touches is copied bit-for-bit from the base voice (the first term with
 * a positive coefficient), so `timbre(A) + prosody(B)` is A's timbre with B's prosody, and
 * `timbre(0.5*A + 0.5*B)` keeps A's prosody untouched. Terms with coefficient 0 touch
 * nothing: a slider row at 0 is the same as no row.
 */
import type { Term } from './expression';
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
  type VoiceHalf,
  type VoicePart,
} from './pack';

/**
 * - `none`: the plain weighted sum.
 * - `sum-to-one`: divide by the sum of the coefficients touching each half (Kokoro-FastAPI's
 *   weights); an error when that sum is ~0 (e.g. `a - b`).
 * - `base-norm`: rescale each half row to the L2 norm of the base voice's half row, so every
 *   row keeps the base's magnitude (and therefore the whole 256-row too).
 */
export type Normalise = 'none' | 'sum-to-one' | 'base-norm';
export const NORMALISE_MODES: readonly Normalise[] = ['none', 'sum-to-one', 'base-norm'];

export interface CombineOptions {
  normalise: Normalise;
  /** Restrict the whole blend to one half (terms marked `both` then act on that half only). */
  part?: VoicePart;
}

/** Returns the pack for a voice id, or undefined when it is not available. */
export type VoiceLookup = (voice: string) => Float32Array | undefined;

/** |sum of coefficients| below this is treated as zero by `sum-to-one`. */
const SUM_EPSILON = 1e-9;
/** A half row with a smaller L2 norm cannot be rescaled by `base-norm`. */
const NORM_EPSILON = 1e-12;

/** Some voices a blend or recipe needs are not available; `missing` lists them all. */
export class MissingVoicesError extends Error {
  override name = 'MissingVoicesError';
  constructor(
    readonly missing: readonly string[],
    context = 'blend',
  ) {
    super(
      `${context} needs voice${missing.length === 1 ? '' : 's'} that ${missing.length === 1 ? 'is' : 'are'} not available: ${missing.join(', ')}`,
    );
  }
}

/** The base voice: the first term with a positive coefficient, if any. */
export function baseVoice(terms: readonly Term[]): string | undefined {
  return terms.find((term) => term.coefficient > 0)?.voice;
}

/** Terms with `options.part` applied: `both` narrows to the selected half; the other half is an error. */
export function termsForPart(terms: readonly Term[], part: VoicePart = 'both'): Term[] {
  return terms.map((term) => {
    if (part === 'both' || term.part === part) return term;
    if (term.part === 'both') return { ...term, part };
    throw new Error(`combine: ${term.part}(${term.voice}) cannot act when only the ${part} half is blended`);
  });
}

function lookupAll(voices: readonly string[], lookup: VoiceLookup): Map<string, Float32Array> {
  const packs = new Map<string, Float32Array>();
  const missing: string[] = [];
  for (const voice of voices) {
    if (packs.has(voice) || missing.includes(voice)) continue;
    const pack = lookup(voice);
    if (!pack) missing.push(voice);
    else {
      assertPackLength(pack, `voice '${voice}'`);
      packs.set(voice, pack);
    }
  }
  if (missing.length > 0) throw new MissingVoicesError(missing);
  return packs;
}

function copyHalf(out: Float32Array, source: Float32Array, half: VoiceHalf): void {
  const offset = halfOffset(half);
  for (let row = 0; row < PACK_ROWS; row++) {
    const start = row * STYLE_DIM + offset;
    out.set(source.subarray(start, start + HALF_DIM), start);
  }
}

function halfRowNorm(values: Float32Array, start: number): number {
  let sum = 0;
  const end = start + HALF_DIM;
  for (let i = start; i < end; i++) sum += (values[i] as number) ** 2;
  return Math.sqrt(sum);
}

function blendHalf(
  out: Float32Array,
  half: VoiceHalf,
  terms: readonly Term[],
  packs: ReadonlyMap<string, Float32Array>,
  normalise: Normalise,
  base: Float32Array | undefined,
): void {
  let scale = 1;
  if (normalise === 'sum-to-one') {
    const sum = terms.reduce((total, term) => total + term.coefficient, 0);
    if (Math.abs(sum) < SUM_EPSILON) {
      throw new Error(`combine: coefficients on the ${half} half sum to ~0, cannot normalise to sum one`);
    }
    scale = 1 / sum;
  }
  const offset = halfOffset(half);
  const row = new Float64Array(HALF_DIM);
  for (let r = 0; r < PACK_ROWS; r++) {
    const start = r * STYLE_DIM + offset;
    row.fill(0);
    for (const term of terms) {
      const pack = packs.get(term.voice) as Float32Array;
      for (let i = 0; i < row.length; i++)
        row[i] = (row[i] as number) + term.coefficient * (pack[start + i] as number);
    }
    if (normalise === 'base-norm') {
      let norm = 0;
      for (let i = 0; i < row.length; i++) norm += (row[i] as number) ** 2;
      norm = Math.sqrt(norm);
      if (norm < NORM_EPSILON)
        throw new Error(`combine: the ${half} half of row ${r} cancels to zero, cannot rescale`);
      scale = halfRowNorm(base as Float32Array, start) / norm;
    }
    for (let i = 0; i < row.length; i++) out[start + i] = (row[i] as number) * scale;
  }
}

/**
 * The pack `Σ coefficient · voice`, per half, normalised as asked; throws on missing voices,
 * on a half that needs a base when there is none, and on a non-finite result.
 */
export function combine(terms: readonly Term[], lookup: VoiceLookup, options: CombineOptions): Float32Array {
  if (terms.length === 0) throw new Error('combine: no terms');
  for (const term of terms) {
    if (!Number.isFinite(term.coefficient))
      throw new Error(`combine: coefficient of ${term.voice} is ${term.coefficient}`);
  }
  const active = termsForPart(terms, options.part).filter((term) => term.coefficient !== 0);
  const baseName = baseVoice(active);
  const packs = lookupAll([...active.map((term) => term.voice), ...(baseName ? [baseName] : [])], lookup);
  const base = baseName === undefined ? undefined : packs.get(baseName);

  const out = new Float32Array(PACK_LENGTH);
  for (const half of VOICE_HALVES) {
    const touching = active.filter((term) => partTouches(term.part, half));
    if (touching.length === 0) {
      if (!base)
        throw new Error(`combine: no voice with a positive coefficient to take the ${half} half from`);
      copyHalf(out, base, half);
      continue;
    }
    if (options.normalise === 'base-norm' && !base) {
      throw new Error('combine: base-norm needs a voice with a positive coefficient');
    }
    blendHalf(out, half, touching, packs, options.normalise, base);
  }
  assertFinite(out, 'combine');
  return out;
}
