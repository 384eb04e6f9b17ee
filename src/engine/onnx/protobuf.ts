/**
 * A minimal protocol-buffers writer: just what encoding ONNX models needs (varints,
 * fixed32 floats, length-delimited bytes/strings/messages, packed repeated fields).
 * Wire format: https://protobuf.dev/programming-guides/encoding/
 */

const WIRE_VARINT = 0;
const WIRE_FIXED32 = 5;
const WIRE_LENGTH_DELIMITED = 2;

const utf8 = new TextEncoder();

/** Appends fields to a growable byte buffer; `finish()` returns the encoded message. */
export class ProtoWriter {
  private bytes = new Uint8Array(256);
  private length = 0;

  private ensure(extra: number): void {
    if (this.length + extra <= this.bytes.length) return;
    let capacity = this.bytes.length * 2;
    while (capacity < this.length + extra) capacity *= 2;
    const grown = new Uint8Array(capacity);
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

  private pushByte(byte: number): void {
    this.ensure(1);
    this.bytes[this.length++] = byte;
  }

  /** Unsigned or two's-complement (negative int64 -> 10 bytes) base-128 varint. */
  private writeVarint(value: number | bigint): void {
    let v = BigInt.asUintN(64, BigInt(value));
    while (v >= 0x80n) {
      this.pushByte(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.pushByte(Number(v));
  }

  private writeTag(field: number, wireType: number): void {
    this.writeVarint((field << 3) | wireType);
  }

  private writeRaw(data: Uint8Array): void {
    this.ensure(data.length);
    this.bytes.set(data, this.length);
    this.length += data.length;
  }

  /** int32 / int64 / enum / bool field. */
  int(field: number, value: number | bigint): this {
    this.writeTag(field, WIRE_VARINT);
    this.writeVarint(value);
    return this;
  }

  /** float field (fixed32, little-endian). */
  float(field: number, value: number): this {
    this.writeTag(field, WIRE_FIXED32);
    const word = new Uint8Array(4);
    new DataView(word.buffer).setFloat32(0, value, true);
    this.writeRaw(word);
    return this;
  }

  bytesField(field: number, data: Uint8Array): this {
    this.writeTag(field, WIRE_LENGTH_DELIMITED);
    this.writeVarint(data.length);
    this.writeRaw(data);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytesField(field, utf8.encode(value));
  }

  /** Embedded message field: `build` fills a fresh writer for the sub-message. */
  message(field: number, build: (writer: ProtoWriter) => void): this {
    const sub = new ProtoWriter();
    build(sub);
    return this.bytesField(field, sub.finish());
  }

  /** Packed repeated varints (e.g. int64 dims, ints attributes). */
  packedInts(field: number, values: readonly (number | bigint)[]): this {
    const sub = new ProtoWriter();
    for (const value of values) sub.writeVarint(value);
    return this.bytesField(field, sub.finish());
  }

  /** Packed repeated floats. */
  packedFloats(field: number, values: readonly number[]): this {
    const data = new Uint8Array(values.length * 4);
    const view = new DataView(data.buffer);
    values.forEach((value, i) => view.setFloat32(i * 4, value, true));
    return this.bytesField(field, data);
  }

  finish(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}
