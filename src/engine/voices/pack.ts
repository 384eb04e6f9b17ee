/**
 * Voice-pack geometry shared by the voice arithmetic modules.
 *
 * A Kokoro voice pack is float32 [510, 1, 256] stored flat and row-major: row r (256 values)
 * styles an utterance of about r phoneme tokens (style.ts has the exact rule). Each row has two
 * halves that condition different parts of the model (hexgrad/kokoro `model.py`):
 * `ref_s[:, :128]` feeds the decoder (timbre), `ref_s[:, 128:]` the prosody predictor
 * (duration, F0, energy).
 */

// The pack shape has one definition, beside the file formats; re-exported for the arithmetic.
import { PACK_LENGTH, PACK_ROWS, STYLE_DIM } from './formats/pack';

export { PACK_LENGTH, PACK_ROWS, STYLE_DIM };

/** Values per half row: [0, 128) timbre (decoder), [128, 256) prosody (predictor). */
export const HALF_DIM = STYLE_DIM / 2;

/** Which half of every style row an operation touches. */
export type VoicePart = 'both' | 'timbre' | 'prosody';
/** One concrete half. */
export type VoiceHalf = 'timbre' | 'prosody';

export const VOICE_HALVES: readonly VoiceHalf[] = ['timbre', 'prosody'];

/** Offset of a half inside a 256-value row. */
export function halfOffset(half: VoiceHalf): number {
  return half === 'timbre' ? 0 : HALF_DIM;
}

/** True when an operation on `part` touches `half`. */
export function partTouches(part: VoicePart, half: VoiceHalf): boolean {
  return part === 'both' || part === half;
}

/** Throws unless `pack` is a whole voice pack (PACK_LENGTH values). */
export function assertPackLength(pack: ArrayLike<number>, label: string): void {
  if (pack.length !== PACK_LENGTH) {
    throw new Error(`${label}: expected a voice pack of ${PACK_LENGTH} values, got ${pack.length}`);
  }
}

/** Throws when any value is NaN or ±Infinity, naming the first bad index. */
export function assertFinite(values: ArrayLike<number>, label: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new Error(`${label}: non-finite value ${values[i]} at index ${i}`);
    }
  }
}
