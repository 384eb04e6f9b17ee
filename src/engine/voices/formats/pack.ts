/**
 * The voice pack shape shared by every file format, the error type every reader throws, and
 * the checks every reader runs before handing a pack to the rest of the studio.
 */
import { formatCount } from '../../count';

/** Rows of a Kokoro voice pack: one style vector per utterance length (in tokens). */
export const PACK_ROWS = 510;
/** Width of one style vector: 128 timbre (decoder) + 128 prosody (predictor) values. */
export const STYLE_DIM = 256;
/** float32 values in one pack: 510 × 1 × 256. */
export const PACK_LENGTH = PACK_ROWS * STYLE_DIM;
/** Size of a raw little-endian float32 pack (`.bin`). */
export const PACK_BYTES = PACK_LENGTH * 4;
/** Real packs stay within about ±3.2; anything beyond this is not a voice (or is corrupt). */
export const MAX_ABS_VALUE = 1e3;

export interface NamedPack {
  name: string;
  data: Float32Array;
  /** Where the file says the voice came from (Timbre's own `.pt` files say it), one line. */
  provenance?: string;
}

/** A voice file that cannot be read or written; `message` is written for the user. */
export class VoiceFileError extends Error {
  override name = 'VoiceFileError';
}

const EXPECTED = `expected ${PACK_ROWS}×1×${STYLE_DIM} float32 (${formatCount(PACK_BYTES)} bytes)`;

/** "510×1×256" for a shape. */
export function formatShape(shape: readonly number[]): string {
  return shape.length === 0 ? 'a scalar' : shape.join('×');
}

/** Accepts [510, 1, 256] or [510, 256]; anything else is refused with what was found. */
export function checkPackShape(fileName: string, shape: readonly number[]): void {
  const ok =
    (shape.length === 3 && shape[0] === PACK_ROWS && shape[1] === 1 && shape[2] === STYLE_DIM) ||
    (shape.length === 2 && shape[0] === PACK_ROWS && shape[1] === STYLE_DIM);
  if (!ok) throw new VoiceFileError(`${fileName}: ${EXPECTED}, got ${formatShape(shape)}`);
}

export function checkPackByteLength(fileName: string, byteLength: number): void {
  if (byteLength !== PACK_BYTES) {
    throw new VoiceFileError(`${fileName}: ${EXPECTED}, got ${formatCount(byteLength)} bytes`);
  }
}

/** Refuses packs of the wrong length, with NaN/Infinity, or with absurd magnitudes. */
export function checkPackValues(fileName: string, data: Float32Array): void {
  if (data.length !== PACK_LENGTH) {
    throw new VoiceFileError(`${fileName}: ${EXPECTED}, got ${formatCount(data.length)} values`);
  }
  for (let i = 0; i < data.length; i++) {
    const value = data[i] as number;
    if (Number.isNaN(value) || !Number.isFinite(value)) {
      const row = Math.floor(i / STYLE_DIM);
      throw new VoiceFileError(
        `${fileName}: contains ${value} at row ${row}, column ${i % STYLE_DIM}; a voice must be finite numbers`,
      );
    }
    if (Math.abs(value) > MAX_ABS_VALUE) {
      throw new VoiceFileError(
        `${fileName}: value ${value} at row ${Math.floor(i / STYLE_DIM)} is far outside a voice's range (|x| ≤ ${MAX_ABS_VALUE}); the file is probably not a Kokoro voice`,
      );
    }
  }
}

/** "af_heart" from "some/dir/af_heart.pt". */
export function stemOf(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}
