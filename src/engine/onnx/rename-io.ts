/**
 * Renames a model's graph inputs and outputs (and every node reference to them, in the main
 * graph and in subgraphs) in an ONNX file, copying every other byte as it is: the weights
 * (initializers) are not decoded, so they stay identical. Used to give kokoro-js, which
 * insists on onnx-community's names (`input_ids` -> `waveform`), the very same kokoro-onnx
 * weights (`tokens` -> `audio`) our pipeline runs.
 * Wire format: https://protobuf.dev/programming-guides/encoding/ ; field numbers from onnx.proto.
 */

interface Field {
  number: number;
  wire: number;
  /** The whole field (tag + payload) as in the input. */
  raw: Uint8Array;
  /** For length-delimited fields: the payload. */
  payload?: Uint8Array;
}

function readVarint(bytes: Uint8Array, at: number): [number, number] {
  let value = 0;
  let shift = 0;
  for (;;) {
    if (at >= bytes.length) throw new Error('ONNX file ends inside a varint');
    const byte = bytes[at++] as number;
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return [value, at];
    shift += 7;
  }
}

function fields(bytes: Uint8Array): Field[] {
  const out: Field[] = [];
  let at = 0;
  while (at < bytes.length) {
    const start = at;
    const [tag, afterTag] = readVarint(bytes, at);
    at = afterTag;
    const wire = tag % 8;
    const number = Math.floor(tag / 8);
    let payload: Uint8Array | undefined;
    if (wire === 0) at = readVarint(bytes, at)[1];
    else if (wire === 1) at += 8;
    else if (wire === 5) at += 4;
    else if (wire === 2) {
      const [length, afterLength] = readVarint(bytes, at);
      payload = bytes.subarray(afterLength, afterLength + length);
      at = afterLength + length;
    } else throw new Error(`Unsupported protobuf wire type ${wire}`);
    if (at > bytes.length) throw new Error('ONNX file is truncated');
    out.push({ number, wire, raw: bytes.subarray(start, at), ...(payload ? { payload } : {}) });
  }
  return out;
}

function varint(value: number): number[] {
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return out;
}

function lengthDelimited(number: number, payload: Uint8Array): Uint8Array[] {
  return [Uint8Array.from([...varint(number * 8 + 2), ...varint(payload.length)]), payload];
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

type Rewrite = (payload: Uint8Array) => Uint8Array;

/** Re-encodes a message, rewriting the length-delimited fields named in `rewrites`. */
function rewriteMessage(bytes: Uint8Array, rewrites: Record<number, Rewrite>): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const field of fields(bytes)) {
    const rewrite = rewrites[field.number];
    if (rewrite && field.payload) parts.push(...lengthDelimited(field.number, rewrite(field.payload)));
    else parts.push(field.raw);
  }
  return concat(parts);
}

/** ModelProto with every name in `renames` replaced. */
export function renameOnnxValues(model: Uint8Array, renames: Readonly<Record<string, string>>): Uint8Array {
  const renameString: Rewrite = (payload) => {
    const name = decoder.decode(payload);
    return Object.hasOwn(renames, name) ? encoder.encode(renames[name]) : payload;
  };
  // ValueInfoProto: name = 1.
  const valueInfo: Rewrite = (payload) => rewriteMessage(payload, { 1: renameString });
  // AttributeProto: g = 6 (graph), graphs = 11.
  const attribute: Rewrite = (payload) => rewriteMessage(payload, { 6: graph, 11: graph });
  // NodeProto: input = 1, output = 2, attribute = 5.
  const node: Rewrite = (payload) =>
    rewriteMessage(payload, { 1: renameString, 2: renameString, 5: attribute });
  // GraphProto: node = 1, input = 11, output = 12, value_info = 13.
  function graph(payload: Uint8Array): Uint8Array {
    return rewriteMessage(payload, { 1: node, 11: valueInfo, 12: valueInfo, 13: valueInfo });
  }
  // ModelProto: graph = 7.
  return rewriteMessage(model, { 7: graph });
}
