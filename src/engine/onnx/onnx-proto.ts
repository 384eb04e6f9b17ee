/**
 * Encodes the subset of onnx.proto that fixture models need: ModelProto, GraphProto,
 * NodeProto, AttributeProto, TensorProto, ValueInfoProto. Field numbers follow
 * onnx/onnx.proto (IR version 8).
 */
import { ProtoWriter } from './protobuf';

/** TensorProto.DataType values. */
export const DataType = {
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  INT32: 6,
  INT64: 7,
  BOOL: 9,
  FLOAT16: 10,
} as const;
export type DataTypeCode = (typeof DataType)[keyof typeof DataType];

export interface TensorInit {
  name: string;
  dataType: DataTypeCode;
  dims: readonly number[];
  /** Little-endian element bytes (TensorProto.raw_data). */
  raw: Uint8Array;
}

/** A dimension: a fixed size or a symbolic name (dim_param). */
export type Dim = number | string;

export interface ValueInfo {
  name: string;
  elemType: DataTypeCode;
  shape: readonly Dim[];
}

/** number / bigint = INT, number[] = INTS, string = STRING; floats need an explicit wrapper. */
export type AttrValue =
  | number
  | bigint
  | readonly number[]
  | string
  | { float: number }
  | { floats: readonly number[] }
  | { tensor: TensorInit };

export interface NodeInit {
  opType: string;
  inputs: readonly string[];
  outputs: readonly string[];
  name: string;
  attributes?: Readonly<Record<string, AttrValue>>;
}

export interface GraphInit {
  name: string;
  nodes: readonly NodeInit[];
  initializers: readonly TensorInit[];
  inputs: readonly ValueInfo[];
  outputs: readonly ValueInfo[];
  docString?: string;
}

export interface ModelInit {
  irVersion: number;
  opsetVersion: number;
  producerName: string;
  producerVersion: string;
  docString: string;
  metadata: Readonly<Record<string, string>>;
  graph: GraphInit;
}

// AttributeProto.AttributeType
const ATTR_FLOAT = 1;
const ATTR_INT = 2;
const ATTR_STRING = 3;
const ATTR_TENSOR = 4;
const ATTR_FLOATS = 6;
const ATTR_INTS = 7;

function writeTensor(w: ProtoWriter, tensor: TensorInit): void {
  if (tensor.dims.length > 0) w.packedInts(1, tensor.dims);
  w.int(2, tensor.dataType);
  w.string(8, tensor.name);
  w.bytesField(9, tensor.raw);
}

function writeAttribute(w: ProtoWriter, name: string, value: AttrValue): void {
  w.string(1, name);
  if (typeof value === 'number' || typeof value === 'bigint') {
    w.int(3, value).int(20, ATTR_INT);
  } else if (typeof value === 'string') {
    w.string(4, value).int(20, ATTR_STRING);
  } else if (Array.isArray(value)) {
    w.packedInts(8, value as readonly number[]).int(20, ATTR_INTS);
  } else if ('float' in value) {
    w.float(2, value.float).int(20, ATTR_FLOAT);
  } else if ('floats' in value) {
    w.packedFloats(7, value.floats).int(20, ATTR_FLOATS);
  } else if ('tensor' in value) {
    w.message(5, (t) => writeTensor(t, value.tensor)).int(20, ATTR_TENSOR);
  }
}

function writeNode(w: ProtoWriter, node: NodeInit): void {
  for (const input of node.inputs) w.string(1, input);
  for (const output of node.outputs) w.string(2, output);
  w.string(3, node.name);
  w.string(4, node.opType);
  for (const [name, value] of Object.entries(node.attributes ?? {})) {
    w.message(5, (a) => writeAttribute(a, name, value));
  }
}

function writeValueInfo(w: ProtoWriter, info: ValueInfo): void {
  w.string(1, info.name);
  w.message(2, (type) =>
    type.message(1, (tensorType) => {
      tensorType.int(1, info.elemType);
      tensorType.message(2, (shape) => {
        for (const dim of info.shape) {
          shape.message(1, (d) => (typeof dim === 'number' ? d.int(1, dim) : d.string(2, dim)));
        }
      });
    }),
  );
}

function writeGraph(w: ProtoWriter, graph: GraphInit): void {
  for (const node of graph.nodes) w.message(1, (n) => writeNode(n, node));
  w.string(2, graph.name);
  for (const tensor of graph.initializers) w.message(5, (t) => writeTensor(t, tensor));
  if (graph.docString) w.string(10, graph.docString);
  for (const input of graph.inputs) w.message(11, (v) => writeValueInfo(v, input));
  for (const output of graph.outputs) w.message(12, (v) => writeValueInfo(v, output));
}

/** Serialises a ModelProto. */
export function encodeModel(model: ModelInit): Uint8Array {
  const w = new ProtoWriter();
  w.int(1, model.irVersion);
  w.string(2, model.producerName);
  w.string(3, model.producerVersion);
  w.int(5, 1); // model_version
  w.string(6, model.docString);
  w.message(7, (g) => writeGraph(g, model.graph));
  w.message(8, (opset) => opset.string(1, '').int(2, model.opsetVersion));
  for (const [key, value] of Object.entries(model.metadata)) {
    w.message(14, (entry) => entry.string(1, key).string(2, value));
  }
  return w.finish();
}
