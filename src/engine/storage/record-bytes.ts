/**
 * About how many bytes a stored record takes: what the Models & settings panel shows per
 * store. IndexedDB keeps a structured clone of each record, so this adds up the parts that
 * clone holds: binary data at its full size, strings as UTF-8, numbers as 8 bytes, and the
 * property names of objects. Engines add their own overhead (and may compress): this is the
 * user's data, not the file size on disk.
 */

/** A number (or boolean, null...) as structured clone writes it: the same order of size. */
const SCALAR_BYTES = 8;

/** UTF-8 length of a string, without TextEncoder (the engine has no DOM or Node globals). */
export function utf8Bytes(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      // A surrogate pair: one code point of four bytes.
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * The bytes of `value` and everything it holds. A typed array counts its whole ArrayBuffer,
 * once, because that is what structured clone stores: a small view of a big buffer stores the
 * big buffer, and two views of one buffer store it once. Cycles are followed once.
 */
export function recordBytes(value: unknown): number {
  const seen = new Set<object>();
  const walk = (item: unknown): number => {
    if (typeof item === 'string') return utf8Bytes(item);
    if (item === null || typeof item !== 'object') return item === undefined ? 0 : SCALAR_BYTES;
    if (ArrayBuffer.isView(item)) {
      if (seen.has(item.buffer)) return 0;
      seen.add(item.buffer);
      return item.buffer.byteLength;
    }
    if (seen.has(item)) return 0;
    seen.add(item);
    if (item instanceof ArrayBuffer) return item.byteLength;
    if (item instanceof Date) return SCALAR_BYTES;
    if (item instanceof Map) {
      let bytes = 0;
      for (const [key, entry] of item) bytes += walk(key) + walk(entry);
      return bytes;
    }
    if (item instanceof Set) {
      let bytes = 0;
      for (const entry of item) bytes += walk(entry);
      return bytes;
    }
    if (Array.isArray(item)) return item.reduce((sum: number, entry) => sum + walk(entry), 0);
    let bytes = 0;
    for (const [key, entry] of Object.entries(item)) bytes += utf8Bytes(key) + walk(entry);
    return bytes;
  };
  return walk(value);
}
