/**
 * Which row of a voice pack styles an utterance.
 *
 * The official Python pipeline (hexgrad/kokoro `pipeline.py`) passes `pack[len(ps) - 1]`,
 * where `ps` is the phoneme string: one character = one token, so the row is
 * `tokenCount - 1`. kokoro-js and the ONNX model card use `pack[N]` instead (one row later).
 * We follow the official pipeline because the packs were made for it; the difference is
 * small anyway (adjacent rows differ little: within-pack row-to-row std 0.038 vs 0.14
 * across voices), so renders stay comparable with kokoro-js output.
 */
import { PACK_ROWS, STYLE_DIM, assertPackLength } from './pack';

/**
 * Row index for an utterance of `tokenCount` phoneme tokens (pads not counted):
 * `clamp(tokenCount - 1, 0, PACK_ROWS - 1)`.
 */
export function styleRowIndex(tokenCount: number): number {
  if (!Number.isFinite(tokenCount))
    throw new Error(`styleRowIndex: token count must be finite, got ${tokenCount}`);
  const row = Math.floor(tokenCount) - 1;
  return Math.min(Math.max(row, 0), PACK_ROWS - 1);
}

/** The 256-value style for `tokenCount` tokens, as a copy (safe to hand to a worker/tensor). */
export function styleForTokens(pack: Float32Array, tokenCount: number): Float32Array {
  assertPackLength(pack, 'styleForTokens');
  const start = styleRowIndex(tokenCount) * STYLE_DIM;
  return pack.slice(start, start + STYLE_DIM);
}
