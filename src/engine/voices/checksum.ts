/**
 * Short fingerprints of float32 data (voice packs, preview audio), to show in the UI and to
 * compare in tests: the same values always give the same text, a changed value almost
 * certainly a different one. Not cryptographic.
 */

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/**
 * FNV-1a over the bytes of the values (little-endian on every platform Timbre runs on), in two
 * differently seeded lanes (64 bits), as 16 hex digits.
 */
export function float32Checksum(values: Float32Array): string {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  let a = FNV_OFFSET;
  let b = FNV_OFFSET ^ 0x5bd1e995;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] as number;
    a = Math.imul(a ^ byte, FNV_PRIME);
    b = Math.imul(b ^ byte ^ (i & 0xff), FNV_PRIME);
  }
  return hex32(a) + hex32(b);
}

function hex32(value: number): string {
  return (value >>> 0).toString(16).padStart(8, '0');
}

/** Root mean square of PCM (0 for empty input). */
export function rms(pcm: Float32Array): number {
  if (pcm.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < pcm.length; i++) sum += (pcm[i] as number) ** 2;
  return Math.sqrt(sum / pcm.length);
}
