/**
 * Hostile voice files built on demand for tests (Node): the bombs issue 12 describes. Each
 * is small on disk and would make a naive reader allocate hundreds of megabytes.
 */
import { zipSync } from 'fflate';
import { PACK_BYTES } from '../engine/voices/formats';
import { tensorPickle } from '../engine/voices/formats/pt';

const MARK = 0x28;
const PROTO_2 = [0x80, 0x02];

/** `size` bytes of PROTO 2 then MARKs: each MARK opens a new stack in a naive reader. */
export function markBomb(size: number): Uint8Array {
  const bytes = new Uint8Array(size).fill(MARK);
  bytes.set(PROTO_2);
  return bytes;
}

/** A `.pt` whose data.pkl is `pickle`, deflated, beside a storage record `data`. */
export function deflatedPt(
  pickle: Uint8Array,
  data: Uint8Array = new Uint8Array(PACK_BYTES),
  level: 1 | 9 = 9,
) {
  return zipSync({ 'bomb/data.pkl': [pickle, { level }], 'bomb/data/0': [data, { level: 0 }] });
}

/** A protocol-2 pickle of `{v0: tensor, v1: <the same tensor>, …}`: one tensor, `count` references. */
export function aliasBomb(count: number): Uint8Array {
  const tensor = [...tensorPickle().slice(2, -1)]; // without PROTO and STOP: pushes the tensor
  const bytes: number[] = [...PROTO_2, 0x7d, MARK]; // EMPTY_DICT, MARK
  for (let i = 0; i < count; i++) {
    const key = new TextEncoder().encode(`v${i}`);
    bytes.push(0x8c, key.length, ...key); // SHORT_BINUNICODE key
    if (i === 0)
      bytes.push(...tensor, 0x71, 250); // the tensor once, memoised as 250
    else bytes.push(0x68, 250); // BINGET 250
  }
  bytes.push(0x75, 0x2e); // SETITEMS, STOP
  return new Uint8Array(bytes);
}

/** An `.npz`-looking zip with `count` one-byte `.npy` entries. */
export function manyEntryNpz(count: number): Uint8Array {
  return zipSync(
    Object.fromEntries(Array.from({ length: count }, (_, i) => [`v${i}.npy`, new Uint8Array(1)])),
  );
}

/** Sets the uncompressed size the central directory declares for `name`. */
export function declareSize(zip: Uint8Array, name: string, size: number): Uint8Array {
  const out = zip.slice();
  const view = new DataView(out.buffer);
  const encoded = new TextEncoder().encode(name);
  for (let at = 0; at + 46 < out.length; at++) {
    if (view.getUint32(at, true) !== 0x02014b50) continue;
    const nameLength = view.getUint16(at + 28, true);
    const entryName = out.subarray(at + 46, at + 46 + nameLength);
    if (entryName.length === encoded.length && entryName.every((b, i) => b === encoded[i]))
      view.setUint32(at + 24, size, true);
  }
  return out;
}
