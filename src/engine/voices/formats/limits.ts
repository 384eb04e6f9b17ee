/**
 * Caps for reading files that strangers send. Every cap is checked before the memory it guards
 * is allocated, so a small hostile file (a zip declaring a huge entry, a pickle of millions of
 * MARKs, a dict of a thousand references to one tensor) is refused in milliseconds with a
 * message that says which cap it hit, instead of taking the tab down.
 */
import { PACK_BYTES, VoiceFileError } from './pack';

export interface ParseLimits {
  /** Entries in one zip archive (a 54-voice `.npz` has 54; a `.pt` about 5). */
  maxZipEntries: number;
  /** The uncompressed size one zip entry may declare. */
  maxEntryBytes: number;
  /** Uncompressed / compressed size of a deflated entry larger than {@link RATIO_FLOOR_BYTES}. */
  maxCompressionRatio: number;
  /** One pickle program (`data.pkl`); torch.save writes well under 1 KB per tensor. */
  maxPickleBytes: number;
  /** Opcodes one pickle may run. */
  maxPickleOps: number;
  /** Entries in a pickle's memo. */
  maxMemoEntries: number;
  /** Open MARKs at once (torch.save nests about three). */
  maxMarkDepth: number;
  /** Tensors one file may yield. */
  maxTensors: number;
  /** Bytes allocated while decoding one file: inflated entries plus decoded tensors. */
  maxDecodedBytes: number;
}

const MB = 1024 * 1024;

/** Entries this small are never refused for their ratio (a tiny text compresses very well). */
export const RATIO_FLOOR_BYTES = MB;

/** Voice files, bundles (the 54 stock voices as one `.npz` are ~28 MB) and legacy `.pt`s. */
export const VOICE_FILE_LIMITS: Readonly<ParseLimits> = {
  maxZipEntries: 1024,
  maxEntryBytes: 64 * MB,
  maxCompressionRatio: 100,
  maxPickleBytes: MB,
  maxPickleOps: 200_000,
  maxMemoEntries: 100_000,
  maxMarkDepth: 64,
  // A bundle of 256 voices decodes to 256 × 522 KB ≈ 134 MB of float32; a compressed bundle
  // is charged twice (inflated records, then decoded packs), float64 ones more: room for both.
  maxTensors: 256,
  maxDecodedBytes: 3 * 256 * PACK_BYTES + 64 * MB,
};

/** Model checkpoints the app reads (GE2E's 17 MB `pretrained.pt`): more tensors, same spirit. */
export const CHECKPOINT_LIMITS: Readonly<ParseLimits> = {
  ...VOICE_FILE_LIMITS,
  maxEntryBytes: 256 * MB,
  maxPickleBytes: 16 * MB,
  maxPickleOps: 2_000_000,
  maxTensors: 4096,
  maxDecodedBytes: 1024 * MB,
};

function megabytes(bytes: number): string {
  return `${(bytes / MB).toFixed(bytes < 10 * MB ? 1 : 0)} MB`;
}

/** Counts what one file's decoding allocates; refuses before an allocation would pass the cap. */
export class DecodeBudget {
  private bytes = 0;
  private tensors = 0;
  constructor(
    readonly fileName: string,
    readonly limits: Readonly<ParseLimits> = VOICE_FILE_LIMITS,
  ) {}

  /** Call before allocating `byteCount` bytes for `what`. */
  take(byteCount: number, what: string): void {
    if (!Number.isSafeInteger(byteCount) || byteCount < 0)
      throw new VoiceFileError(`${this.fileName}: ${what} declares an impossible size`);
    if (this.bytes + byteCount > this.limits.maxDecodedBytes) {
      throw new VoiceFileError(
        `${this.fileName}: refused: decoding ${what} would bring the file to ${megabytes(this.bytes + byteCount)}, over the ${megabytes(this.limits.maxDecodedBytes)} a voice file may decode to`,
      );
    }
    this.bytes += byteCount;
  }

  /** Call before decoding each tensor of `byteCount` output bytes. */
  takeTensor(byteCount: number): void {
    this.tensors += 1;
    if (this.tensors > this.limits.maxTensors) {
      throw new VoiceFileError(
        `${this.fileName}: refused: the file holds more than ${this.limits.maxTensors} tensors`,
      );
    }
    this.take(byteCount, `tensor ${this.tensors}`);
  }

  get decodedBytes(): number {
    return this.bytes;
  }
}
