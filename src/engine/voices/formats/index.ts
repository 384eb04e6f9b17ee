/**
 * Voice pack files in and out: `.bin` (raw float32, kokoro-js), `.npy`, `.npz` (kokoro-onnx's
 * voices-v1.0.bin), and `.pt` (PyTorch; read through a restricted pickle reader that never
 * executes anything). Content decides the format; the extension only breaks ties.
 */
import { decodeElements, float32ToLittleEndian } from './numeric';
import type { FileProvenance } from '../../provenance';
import { DecodeBudget, VOICE_FILE_LIMITS, type ParseLimits } from './limits';
import { looksLikeNpy, readNpy, readNpz, writeNpy, writeNpz } from './npy';
import {
  checkPackByteLength,
  checkPackValues,
  PACK_BYTES,
  PACK_LENGTH,
  stemOf,
  VoiceFileError,
  type NamedPack,
} from './pack';
import { readPtLegacy, readPtZip, writePt } from './pt';
import { looksLikeZip, readZip } from './zip';
import { formatCount } from '../../count';

export { PACK_BYTES, PACK_LENGTH, PACK_ROWS, STYLE_DIM, VoiceFileError, type NamedPack } from './pack';
export { VOICE_FILE_LIMITS, type ParseLimits } from './limits';

export type VoiceExportFormat = 'pt' | 'bin' | 'npy';

/** File extensions the importer understands, for a file picker's `accept`. */
export const VOICE_FILE_EXTENSIONS: readonly string[] = ['.pt', '.pth', '.bin', '.npy', '.npz'];

const PICKLE_PROTO = 0x80;
const PICKLE_LONG1 = 0x8a;

/** Legacy torch.save starts with PROTO n, then LONG1 holding its magic number. */
function looksLikeLegacyTorch(bytes: Uint8Array): boolean {
  return bytes[0] === PICKLE_PROTO && bytes[2] === PICKLE_LONG1;
}

/**
 * Reads any supported voice file into one or more validated packs. Whatever the file declares,
 * decoding stays within `limits` (checked before allocating); past them it is refused.
 */
export function importVoiceFile(
  fileName: string,
  bytes: Uint8Array,
  limits: Readonly<ParseLimits> = VOICE_FILE_LIMITS,
): NamedPack[] {
  const extension = /\.[^./\\]+$/.exec(fileName)?.[0].toLowerCase() ?? '';
  const budget = new DecodeBudget(fileName, limits);
  if (bytes.length === 0) throw new VoiceFileError(`${fileName}: the file is empty`);
  if (looksLikeZip(bytes)) {
    // The central directory is read once; the readers get its entries.
    const entries = readZip(fileName, bytes, budget);
    const names = entries.map((entry) => entry.name);
    if (names.some((name) => /^([^/]+\/)?data\.pkl$/.test(name)))
      return readPtZip(fileName, bytes, budget, entries);
    if (names.some((name) => name.endsWith('.npy'))) return readNpz(fileName, bytes, budget, entries);
    throw new VoiceFileError(
      `${fileName}: a zip archive, but neither a PyTorch file nor a NumPy .npz of voices`,
    );
  }
  if (looksLikeNpy(bytes)) return [{ name: stemOf(fileName), data: readNpy(fileName, bytes, budget) }];
  if (looksLikeLegacyTorch(bytes)) return readPtLegacy(fileName, bytes, budget);
  if (extension === '.bin' || bytes.length === PACK_BYTES) {
    return [{ name: stemOf(fileName), data: readBin(fileName, bytes) }];
  }
  // Some other pickle: the restricted reader explains what it would have had to run.
  if (bytes[0] === PICKLE_PROTO) return readPtLegacy(fileName, bytes, budget);
  throw new VoiceFileError(
    `${fileName}: not a recognised voice file; expected a PyTorch .pt, a raw float32 .bin (${formatCount(PACK_BYTES)} bytes), a .npy or a .npz`,
  );
}

/** Raw little-endian float32 [510, 1, 256]. */
export function readBin(fileName: string, bytes: Uint8Array): Float32Array {
  checkPackByteLength(fileName, bytes.length);
  const data = decodeElements(bytes, 0, PACK_LENGTH, 'float32', true);
  checkPackValues(fileName, data);
  return data;
}

/**
 * One pack as `.pt` (torch.load-able), `.bin` (kokoro-js) or `.npy`. Only `.pt` has room for
 * `provenance` (a record torch.load ignores); `.bin` is raw floats and numpy refuses extra
 * header keys.
 */
export function exportVoice(
  format: VoiceExportFormat,
  pack: NamedPack,
  provenance?: FileProvenance,
): Uint8Array {
  checkPackValues(pack.name, pack.data);
  switch (format) {
    case 'pt':
      return writePt(pack, provenance);
    case 'bin':
      return float32ToLittleEndian(pack.data);
    case 'npy':
      return writeNpy(pack.data);
  }
}

/** Several packs as one `.npz` (`<name>.npy` each), the layout kokoro-onnx loads. */
export function exportBundle(packs: readonly NamedPack[]): Uint8Array {
  if (packs.length === 0) throw new VoiceFileError('nothing to export: the bundle has no voices');
  const seen = new Set<string>();
  for (const pack of packs) {
    if (pack.name.length === 0 || /[\\/]/.test(pack.name)) {
      throw new VoiceFileError(`"${pack.name}" cannot be a voice name in a bundle`);
    }
    if (seen.has(pack.name)) throw new VoiceFileError(`the bundle has two voices named "${pack.name}"`);
    seen.add(pack.name);
    checkPackValues(pack.name, pack.data);
  }
  return writeNpz(packs);
}
