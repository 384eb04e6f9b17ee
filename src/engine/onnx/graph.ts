/**
 * GraphBuilder: a small fluent helper to assemble ONNX graphs in TypeScript. Each op call
 * appends a node and returns the name of its (first) output, so graphs read like
 * expressions: `g.op('Mul', [g.op('Sin', [x]), amplitude])`.
 */
import {
  DataType,
  encodeModel,
  type AttrValue,
  type DataTypeCode,
  type Dim,
  type NodeInit,
  type TensorInit,
  type ValueInfo,
} from './onnx-proto';

export const IR_VERSION = 8;
export const OPSET_VERSION = 17;

/** How a weight matrix is stored in the file. */
export type WeightStorage = 'fp32' | 'q8' | 'fp16';

export interface ModelOptions {
  docString: string;
  /** Written as the model's producer; default 'timbre-fixtures'. */
  producerName?: string;
  metadata: Readonly<Record<string, string>>;
}

function littleEndianBytes(view: ArrayBufferView): Uint8Array {
  // Typed arrays are little-endian on every platform ORT targets; copy to own the bytes.
  return new Uint8Array(view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength));
}

export class GraphBuilder {
  private readonly nodes: NodeInit[] = [];
  private readonly initializers: TensorInit[] = [];
  private readonly inputs: ValueInfo[] = [];
  private readonly outputs: ValueInfo[] = [];
  private readonly usedNames = new Set<string>();
  private counter = 0;

  constructor(private readonly graphName: string) {}

  /** A fresh internal value name; the `.n` suffix keeps it apart from input/output names. */
  private fresh(stem: string): string {
    const name = `${stem}.${++this.counter}`;
    this.usedNames.add(name);
    return name;
  }

  private reserve(name: string): void {
    if (this.usedNames.has(name)) throw new Error(`Duplicate graph value name ${name}`);
    this.usedNames.add(name);
  }

  input(name: string, elemType: DataTypeCode, shape: readonly Dim[]): string {
    this.reserve(name);
    this.inputs.push({ name, elemType, shape });
    return name;
  }

  /** Declares `value` as a graph output named `name` (via Identity, so any value can be exported). */
  output(value: string, name: string, elemType: DataTypeCode, shape: readonly Dim[]): void {
    this.reserve(name);
    this.nodes.push({ opType: 'Identity', inputs: [value], outputs: [name], name: `out_${name}` });
    this.outputs.push({ name, elemType, shape });
  }

  private initializer(
    stem: string,
    dataType: DataTypeCode,
    dims: readonly number[],
    raw: Uint8Array,
  ): string {
    const name = this.fresh(stem);
    this.initializers.push({ name, dataType, dims, raw });
    return name;
  }

  /** float32 constant; `dims` [] makes a scalar. */
  float(values: ArrayLike<number>, dims: readonly number[], stem = 'const_f'): string {
    checkSize(values.length, dims, stem);
    return this.initializer(stem, DataType.FLOAT, dims, littleEndianBytes(Float32Array.from(values)));
  }

  scalar(value: number, stem = 'scalar'): string {
    return this.float([value], [], stem);
  }

  int64(values: readonly number[], dims: readonly number[] = [values.length], stem = 'const_i64'): string {
    checkSize(values.length, dims, stem);
    return this.initializer(
      stem,
      DataType.INT64,
      dims,
      littleEndianBytes(BigInt64Array.from(values.map(BigInt))),
    );
  }

  int8(values: Int8Array, dims: readonly number[], stem = 'const_i8'): string {
    checkSize(values.length, dims, stem);
    return this.initializer(stem, DataType.INT8, dims, littleEndianBytes(values));
  }

  /** Appends a node with `outputCount` outputs and returns their names. */
  opN(
    opType: string,
    inputs: readonly string[],
    outputCount: number,
    attributes?: Readonly<Record<string, AttrValue>>,
    stem = opType.toLowerCase(),
  ): string[] {
    const outputs = Array.from({ length: outputCount }, () => this.fresh(stem));
    const node: NodeInit = { opType, inputs, outputs, name: this.fresh(`node_${stem}`) };
    if (attributes) node.attributes = attributes;
    this.nodes.push(node);
    return outputs;
  }

  op(
    opType: string,
    inputs: readonly string[],
    attributes?: Readonly<Record<string, AttrValue>>,
    stem?: string,
  ): string {
    const [out] = this.opN(opType, inputs, 1, attributes, stem);
    return out as string;
  }

  // Shorthands for the ops used most.
  add(a: string, b: string): string {
    return this.op('Add', [a, b]);
  }
  sub(a: string, b: string): string {
    return this.op('Sub', [a, b]);
  }
  mul(a: string, b: string): string {
    return this.op('Mul', [a, b]);
  }
  div(a: string, b: string): string {
    return this.op('Div', [a, b]);
  }
  matmul(a: string, b: string): string {
    return this.op('MatMul', [a, b]);
  }

  /** x - floor(x), in [0, 1). */
  fract(x: string): string {
    return this.sub(x, this.op('Floor', [x]));
  }

  /** Slice along one axis with constant bounds (negative = from the end). */
  slice(x: string, axis: number, start: number, end: number): string {
    return this.op('Slice', [x, this.int64([start]), this.int64([end]), this.int64([axis])]);
  }

  reshape(x: string, shape: readonly number[]): string {
    return this.op('Reshape', [x, this.int64(shape)]);
  }

  unsqueeze(x: string, axes: readonly number[]): string {
    return this.op('Unsqueeze', [x, this.int64(axes)]);
  }

  /** ReduceX with constant axes (opset 18 moved axes to an input; opset 17 keeps it an attribute for most). */
  reduce(
    opType: 'ReduceSum' | 'ReduceMean' | 'ReduceMax',
    x: string,
    axes: readonly number[],
    keepDims: boolean,
  ): string {
    // ReduceSum takes axes as an input since opset 13; the others still use the attribute in opset 17.
    if (opType === 'ReduceSum') return this.op(opType, [x, this.int64(axes)], { keepdims: keepDims ? 1 : 0 });
    return this.op(opType, [x], { axes, keepdims: keepDims ? 1 : 0 });
  }

  /** int8 weights with a per-tensor scale, dequantised in the graph (the q8 variant). */
  dequantized(values: Float32Array, dims: readonly number[], stem: string): string {
    let maxAbs = 0;
    for (const v of values) maxAbs = Math.max(maxAbs, Math.abs(v));
    const scale = maxAbs > 0 ? maxAbs / 127 : 1;
    const quantized = Int8Array.from(values, (v) => Math.max(-127, Math.min(127, Math.round(v / scale))));
    const q = this.int8(quantized, dims, `${stem}_q`);
    const zeroPoint = this.initializer(`${stem}_zp`, DataType.INT8, [], new Uint8Array(1));
    return this.op('DequantizeLinear', [q, this.scalar(scale, `${stem}_scale`), zeroPoint], undefined, stem);
  }

  /** float16 weights cast to float32 in the graph (the `fp16` variant). */
  halfPrecision(values: Float32Array, dims: readonly number[], stem: string): string {
    checkSize(values.length, dims, stem);
    const half = this.initializer(
      `${stem}_f16`,
      DataType.FLOAT16,
      dims,
      littleEndianBytes(Uint16Array.from(values, float16Bits)),
    );
    return this.op('Cast', [half], { to: DataType.FLOAT }, stem);
  }

  /** Weights stored as float32, int8 + DequantizeLinear (`q8`) or float16 + Cast (`fp16`). */
  weights(values: Float32Array, dims: readonly number[], stem: string, storage: WeightStorage): string {
    if (storage === 'q8') return this.dequantized(values, dims, stem);
    if (storage === 'fp16') return this.halfPrecision(values, dims, stem);
    return this.float(values, dims, stem);
  }

  /** Distinct op types used so far (for reports and tests). */
  opTypes(): string[] {
    return [...new Set(this.nodes.map((n) => n.opType))].sort();
  }

  encode(options: ModelOptions): Uint8Array {
    return encodeModel({
      irVersion: IR_VERSION,
      opsetVersion: OPSET_VERSION,
      producerName: options.producerName ?? 'timbre-fixtures',
      producerVersion: '1',
      docString: options.docString,
      metadata: options.metadata,
      graph: {
        name: this.graphName,
        nodes: this.nodes,
        initializers: this.initializers,
        inputs: this.inputs,
        outputs: this.outputs,
        docString: options.docString,
      },
    });
  }
}

function checkSize(length: number, dims: readonly number[], stem: string): void {
  const expected = dims.reduce((a, b) => a * b, 1);
  if (length !== expected) throw new Error(`${stem}: ${length} values for dims [${dims.join(', ')}]`);
}

/** IEEE 754 binary16 bits of a number (round to nearest; overflow to infinity). */
export function float16Bits(value: number): number {
  const f32 = new Float32Array([value]);
  const bits = new Uint32Array(f32.buffer)[0]!;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = ((bits >>> 23) & 0xff) - 127 + 15;
  const mantissa = bits & 0x7fffff;
  if (Number.isNaN(value)) return 0x7e00;
  if (exponent >= 0x1f) return sign | 0x7c00;
  if (exponent <= 0) {
    if (exponent < -10) return sign;
    const full = mantissa | 0x800000;
    return sign | Math.round(full / 2 ** (14 - exponent));
  }
  const rounded = Math.round(mantissa / 0x2000);
  return (sign | (exponent << 10)) + rounded; // a carry into the exponent is still correct
}
