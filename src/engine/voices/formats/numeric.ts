/** Element types a voice file may store, decoded to float32, plus the CRC-32 zip needs. */

export type ElementType = 'float16' | 'bfloat16' | 'float32' | 'float64';

export const ELEMENT_BYTES: Record<ElementType, number> = { float16: 2, bfloat16: 2, float32: 4, float64: 8 };

/** IEEE 754 half precision bits to a number (exact: every half is a float32). */
export function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/**
 * Decodes `count` elements starting at `byteOffset` into float32. Reads through a DataView so
 * neither alignment nor the machine's byte order matters.
 */
export function decodeElements(
  bytes: Uint8Array,
  byteOffset: number,
  count: number,
  type: ElementType,
  littleEndian: boolean,
): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(count);
  const step = ELEMENT_BYTES[type];
  for (let i = 0, at = byteOffset; i < count; i++, at += step) {
    switch (type) {
      case 'float32':
        out[i] = view.getFloat32(at, littleEndian);
        break;
      case 'float64':
        out[i] = view.getFloat64(at, littleEndian);
        break;
      case 'float16':
        out[i] = halfToFloat(view.getUint16(at, littleEndian));
        break;
      case 'bfloat16':
        // bfloat16 is the top half of a float32.
        out[i] = bfloatScratch(view.getUint16(at, littleEndian));
        break;
    }
  }
  return out;
}

const scratch = new DataView(new ArrayBuffer(4));
function bfloatScratch(bits: number): number {
  scratch.setUint32(0, bits << 16);
  return scratch.getFloat32(0);
}

/** Little-endian float32 bytes of `data` (a copy, whatever the platform's byte order). */
export function float32ToLittleEndian(data: Float32Array): Uint8Array {
  const out = new Uint8Array(data.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i] as number, true);
  return out;
}

/** Built on the first CRC (a zip read or written), not when the studio's first script loads. */
let crcTable: Uint32Array | undefined;

function crcTableOf(): Uint32Array {
  if (crcTable) return crcTable;
  crcTable = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crcTable[n] = c >>> 0;
  }
  return crcTable;
}

/** CRC-32 (IEEE, as zip uses it). */
export function crc32(bytes: Uint8Array): number {
  const table = crcTableOf();
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++)
    crc = (table[(crc ^ (bytes[i] as number)) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
