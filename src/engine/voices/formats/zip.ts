/**
 * Minimal zip reading and writing for voice files (`.pt` and `.npz` are both zips). Reading
 * checks sizes and CRCs so a damaged file fails here with a clear message rather than later as
 * nonsense numbers; deflate goes through fflate. Writing has two layouts: the one PyTorch's
 * writer (miniz) produces, and a conventional one for `.npz`.
 */
import { inflateSync } from 'fflate';
import { DecodeBudget, RATIO_FLOOR_BYTES } from './limits';
import { crc32 } from './numeric';
import { VoiceFileError } from './pack';
import { formatCount } from '../../count';

export interface ZipEntry {
  name: string;
  /** Uncompressed size from the central directory. */
  size: number;
  /** Decompresses (or slices) and CRC-checks the entry. */
  read(): Uint8Array;
}

export interface ZipFileToWrite {
  name: string;
  data: Uint8Array;
}

const LOCAL_HEADER_SIG = 0x04034b50;
const CENTRAL_HEADER_SIG = 0x02014b50;
const END_SIG = 0x06054b50;
const ZIP64_END_SIG = 0x06064b50;
const ZIP64_LOCATOR_SIG = 0x07064b50;
const DATA_DESCRIPTOR_SIG = 0x08074b50;
const LOCAL_HEADER_BYTES = 30;
const END_RECORD_BYTES = 22;
const MAX_COMMENT_BYTES = 0xffff;
const U32_MAX = 0xffffffff;
/** PyTorch aligns every record's data to this many bytes so storages can be memory-mapped. */
const TORCH_ALIGNMENT_BYTES = 64;

export function looksLikeZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5);
}

/**
 * The archive's entries. Sizes, entry count and compression ratio are checked against
 * `budget.limits` here; each `read()` charges its bytes to `budget` before inflating.
 */
export function readZip(
  fileName: string,
  bytes: Uint8Array,
  budget: DecodeBudget = new DecodeBudget(fileName),
): ZipEntry[] {
  const limits = budget.limits;
  const corrupt = (why: string): VoiceFileError =>
    new VoiceFileError(`${fileName}: the zip archive is damaged or incomplete (${why})`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u64 = (at: number): number => {
    const value = view.getBigUint64(at, true);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw corrupt('a size does not fit');
    return Number(value);
  };
  const inBounds = (at: number, length: number): boolean =>
    at >= 0 && length >= 0 && at + length <= bytes.length;

  let end = -1;
  for (
    let at = bytes.length - END_RECORD_BYTES;
    at >= Math.max(0, bytes.length - END_RECORD_BYTES - MAX_COMMENT_BYTES);
    at--
  ) {
    if (view.getUint32(at, true) === END_SIG) {
      end = at;
      break;
    }
  }
  if (end < 0) throw corrupt('no end-of-archive record; the file may be truncated');
  let entryCount = view.getUint16(end + 10, true);
  let directorySize = view.getUint32(end + 12, true);
  let directoryOffset = view.getUint32(end + 16, true);
  if (entryCount === 0xffff || directorySize === U32_MAX || directoryOffset === U32_MAX) {
    const locator = end - 20;
    if (!inBounds(locator, 20) || view.getUint32(locator, true) !== ZIP64_LOCATOR_SIG)
      throw corrupt('missing zip64 locator');
    const zip64End = u64(locator + 8);
    if (!inBounds(zip64End, 56) || view.getUint32(zip64End, true) !== ZIP64_END_SIG)
      throw corrupt('bad zip64 end record');
    entryCount = u64(zip64End + 32);
    directorySize = u64(zip64End + 40);
    directoryOffset = u64(zip64End + 48);
  }
  if (!inBounds(directoryOffset, directorySize)) throw corrupt('central directory outside the file');
  if (entryCount > limits.maxZipEntries)
    throw new VoiceFileError(
      `${fileName}: refused: the archive lists ${formatCount(entryCount)} entries; a voice file has at most ${limits.maxZipEntries}`,
    );

  const entries: ZipEntry[] = [];
  let at = directoryOffset;
  for (let index = 0; index < entryCount; index++) {
    if (!inBounds(at, 46) || view.getUint32(at, true) !== CENTRAL_HEADER_SIG)
      throw corrupt('bad central directory entry');
    const flags = view.getUint16(at + 8, true);
    const method = view.getUint16(at + 10, true);
    const expectedCrc = view.getUint32(at + 16, true);
    let compressedSize = view.getUint32(at + 20, true);
    let size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    let localOffset = view.getUint32(at + 42, true);
    if (!inBounds(at + 46, nameLength + extraLength + commentLength))
      throw corrupt('central directory entry cut short');
    const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength));
    // Zip64 extra field: the 64-bit values appear only for the fields saturated above.
    for (let extra = at + 46 + nameLength; extra + 4 <= at + 46 + nameLength + extraLength;) {
      const id = view.getUint16(extra, true);
      const length = view.getUint16(extra + 2, true);
      if (id === 0x0001) {
        let field = extra + 4;
        if (size === U32_MAX) {
          size = u64(field);
          field += 8;
        }
        if (compressedSize === U32_MAX) {
          compressedSize = u64(field);
          field += 8;
        }
        if (localOffset === U32_MAX) localOffset = u64(field);
      }
      extra += 4 + length;
    }
    at += 46 + nameLength + extraLength + commentLength;

    if (flags & 1) throw new VoiceFileError(`${fileName}: ${name} is encrypted; voice files never are`);
    if (method !== 0 && method !== 8)
      throw new VoiceFileError(
        `${fileName}: ${name} uses zip compression method ${method}; only stored and deflate are supported`,
      );
    if (size > limits.maxEntryBytes)
      throw new VoiceFileError(
        `${fileName}: refused: ${name} claims ${formatCount(size)} bytes, far more than any voice file`,
      );
    if (method === 8 && size > RATIO_FLOOR_BYTES && size > compressedSize * limits.maxCompressionRatio)
      throw new VoiceFileError(
        `${fileName}: refused: ${name} would expand ${Math.round(size / Math.max(1, compressedSize))}-fold (${formatCount(compressedSize)} to ${formatCount(size)} bytes); voice data never compresses past ${limits.maxCompressionRatio}-fold, so this looks like a zip bomb`,
      );
    if (
      !inBounds(localOffset, LOCAL_HEADER_BYTES) ||
      view.getUint32(localOffset, true) !== LOCAL_HEADER_SIG
    ) {
      throw corrupt(`bad local header for ${name}`);
    }
    const dataStart =
      localOffset +
      LOCAL_HEADER_BYTES +
      view.getUint16(localOffset + 26, true) +
      view.getUint16(localOffset + 28, true);
    if (!inBounds(dataStart, compressedSize)) throw corrupt(`${name} runs past the end of the file`);
    const stored = bytes.subarray(dataStart, dataStart + compressedSize);
    entries.push({
      name,
      size,
      read() {
        let data: Uint8Array;
        if (method === 0) data = stored;
        else {
          budget.take(size, name);
          try {
            data = inflateSync(stored, { out: new Uint8Array(size) });
          } catch (error) {
            throw corrupt(`${name} does not decompress: ${(error as Error).message}`);
          }
        }
        if (data.length !== size) throw corrupt(`${name} is ${data.length} bytes, expected ${size}`);
        if (crc32(data) !== expectedCrc) throw corrupt(`checksum mismatch in ${name}`);
        return data;
      },
    });
  }
  return entries;
}

/** Concatenates little-endian fields into one buffer. */
class ByteSink {
  private chunks: Uint8Array[] = [];
  length = 0;
  bytes(data: Uint8Array): this {
    this.chunks.push(data);
    this.length += data.length;
    return this;
  }
  private field(byteLength: number, write: (view: DataView) => void): this {
    const chunk = new Uint8Array(byteLength);
    write(new DataView(chunk.buffer));
    return this.bytes(chunk);
  }
  u16(value: number): this {
    return this.field(2, (view) => view.setUint16(0, value, true));
  }
  u32(value: number): this {
    return this.field(4, (view) => view.setUint32(0, value >>> 0, true));
  }
  u64(value: number): this {
    return this.field(8, (view) => view.setBigUint64(0, BigInt(value), true));
  }
  toBytes(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, at);
      at += chunk.length;
    }
    return out;
  }
}

/**
 * Uncompressed zip. `torch` reproduces PyTorch's writer byte for byte: zeroed local-header
 * sizes followed by a data descriptor, an "FB" extra field padding each record's data to a
 * 64-byte boundary, zero dates/versions, and zip64 end records. `plain` is a conventional
 * archive (DOS date 1980-01-01, CRC and sizes in the local header) that any unzip tool shows well.
 */
export function writeZip(files: readonly ZipFileToWrite[], layout: 'torch' | 'plain'): Uint8Array {
  const torch = layout === 'torch';
  const VERSION = torch ? 0 : 20;
  const FLAGS = torch ? 0x0808 : 0x0800; // bit 3: data descriptor follows; bit 11: UTF-8 names
  const DOS_DATE_1980_01_01 = torch ? 0 : 0x0021;
  const sink = new ByteSink();
  const central = new ByteSink();
  for (const file of files) {
    const name = new TextEncoder().encode(file.name);
    const crc = crc32(file.data);
    const offset = sink.length;
    let extra = new Uint8Array(0);
    if (torch) {
      const start = offset + LOCAL_HEADER_BYTES + name.length + 4;
      const padding = (TORCH_ALIGNMENT_BYTES - (start % TORCH_ALIGNMENT_BYTES)) % TORCH_ALIGNMENT_BYTES;
      extra = new Uint8Array(4 + padding).fill(0x5a); // 'Z'
      extra.set([0x46, 0x42, padding & 0xff, padding >> 8]); // "FB", padding length
    }
    sink.u32(LOCAL_HEADER_SIG).u16(VERSION).u16(FLAGS).u16(0).u16(0).u16(DOS_DATE_1980_01_01);
    if (torch) sink.u32(0).u32(0).u32(0);
    else sink.u32(crc).u32(file.data.length).u32(file.data.length);
    sink.u16(name.length).u16(extra.length).bytes(name).bytes(extra).bytes(file.data);
    if (torch) sink.u32(DATA_DESCRIPTOR_SIG).u32(crc).u32(file.data.length).u32(file.data.length);

    central
      .u32(CENTRAL_HEADER_SIG)
      .u16(VERSION)
      .u16(VERSION)
      .u16(FLAGS)
      .u16(0)
      .u16(0)
      .u16(DOS_DATE_1980_01_01);
    central.u32(crc).u32(file.data.length).u32(file.data.length).u16(name.length).u16(0).u16(0);
    central.u16(0).u16(0).u32(0).u32(offset).bytes(name);
  }
  const directoryOffset = sink.length;
  const directorySize = central.length;
  sink.bytes(central.toBytes());
  if (torch) {
    const zip64End = sink.length;
    const ZIP64_RECORD_BYTES = 44;
    const MADE_BY_UNIX_3_0 = 0x031e;
    const NEEDS_ZIP64_4_5 = 0x2d;
    sink.u32(ZIP64_END_SIG).u64(ZIP64_RECORD_BYTES).u16(MADE_BY_UNIX_3_0).u16(NEEDS_ZIP64_4_5).u32(0).u32(0);
    sink.u64(files.length).u64(files.length).u64(directorySize).u64(directoryOffset);
    sink.u32(ZIP64_LOCATOR_SIG).u32(0).u64(zip64End).u32(1);
  }
  sink
    .u32(END_SIG)
    .u16(0)
    .u16(0)
    .u16(files.length)
    .u16(files.length)
    .u32(directorySize)
    .u32(directoryOffset)
    .u16(0);
  return sink.toBytes();
}
