/**
 * Zip helpers for the fuzzer: a deflating writer (the project writes stored entries only, so
 * this gives the inflate path seeds), and a lenient walker that re-fixes CRCs and sizes after a
 * byte mutation, so the mutation gets past the checksum to the parser behind it.
 */
import { deflateSync, inflateSync } from 'fflate';
import { crc32 } from '../../engine/voices/formats/numeric';

export interface ZipFile {
  name: string;
  data: Uint8Array;
}

/** A conventional zip whose entries are all deflated. */
export function writeDeflatedZip(files: readonly ZipFile[]): Uint8Array {
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const file of files) {
    const name = new TextEncoder().encode(file.name);
    const packed = deflateSync(file.data, { level: 1 });
    const crc = crc32(file.data);
    const local = new Uint8Array(30 + name.length + packed.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, 20, true);
    lv.setUint16(8, 8, true); // deflate
    lv.setUint32(14, crc, true);
    lv.setUint32(18, packed.length, true);
    lv.setUint32(22, file.data.length, true);
    lv.setUint16(26, name.length, true);
    local.set(name, 30);
    local.set(packed, 30 + name.length);
    const central = new Uint8Array(46 + name.length);
    const cv = new DataView(central.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, 20, true);
    cv.setUint16(6, 20, true);
    cv.setUint16(10, 8, true);
    cv.setUint32(16, crc, true);
    cv.setUint32(20, packed.length, true);
    cv.setUint32(24, file.data.length, true);
    cv.setUint16(28, name.length, true);
    cv.setUint32(42, offset, true);
    central.set(name, 46);
    locals.push(local);
    centrals.push(central);
    offset += local.length;
  }
  const directorySize = centrals.reduce((n, c) => n + c.length, 0);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, files.length, true);
  ev.setUint16(10, files.length, true);
  ev.setUint32(12, directorySize, true);
  ev.setUint32(16, offset, true);
  const out = new Uint8Array(offset + directorySize + end.length);
  let at = 0;
  for (const part of [...locals, ...centrals, end]) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * After a mutation: for every central-directory entry that still points at a local header,
 * recompute the CRC of what the entry holds (inflated when it is deflated) and write it into
 * both headers; with `sizes`, also the sizes. Anything it cannot follow is left as it is.
 */
export function refixZip(input: Uint8Array, sizes: boolean): Uint8Array {
  const bytes = input.slice();
  const view = new DataView(bytes.buffer);
  let end = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at--) {
    if (view.getUint32(at, true) === 0x06054b50) {
      end = at;
      break;
    }
  }
  if (end < 0) return bytes;
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  if (at === 0xffffffff) {
    // zip64 (PyTorch's writer): the real offset is in the zip64 end record.
    const locator = end - 20;
    if (locator < 0 || view.getUint32(locator, true) !== 0x07064b50) return bytes;
    const record = Number(view.getBigUint64(locator + 8, true));
    if (record + 56 > bytes.length || view.getUint32(record, true) !== 0x06064b50) return bytes;
    at = Number(view.getBigUint64(record + 48, true));
  }
  for (let index = 0; index < Math.min(count, 1000); index++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== 0x02014b50) break;
    const method = view.getUint16(at + 10, true);
    const compressedSize = view.getUint32(at + 20, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const local = view.getUint32(at + 42, true);
    if (local + 30 <= bytes.length && view.getUint32(local, true) === 0x04034b50) {
      const dataStart = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
      if (dataStart + compressedSize <= bytes.length) {
        const stored = bytes.subarray(dataStart, dataStart + compressedSize);
        let data: Uint8Array | undefined = stored;
        if (method === 8) {
          try {
            data = inflateSync(stored);
          } catch {
            data = undefined;
          }
        }
        if (data && data.length <= 0x10000000) {
          const crc = crc32(data);
          view.setUint32(at + 16, crc, true);
          view.setUint32(local + 14, crc, true);
          if (sizes) view.setUint32(at + 24, data.length, true);
        }
      }
    }
    at += 46 + nameLength + extraLength + commentLength;
  }
  return bytes;
}
