/**
 * An ONNX graph under construction and its encoding as a ModelProto (onnx.proto, IR version 7,
 * default-domain opset 13). Blocks add operators through one node's scope (`scope(id)`), whose
 * names start with the node id; the value a node ends with is then renamed to the node id
 * itself, so the graph's values follow the document's graph.
 */
import type { OnnxAttr, OnnxGraph } from '../../blocks/exportForms';
import { ProtoWriter } from './protobuf';

/** The opset the export writes: every operator it uses is in ONNX 1.8's default domain at 13. */
export const ONNX_OPSET = 13;
/** IR version 7 goes with opset 13 (ONNX 1.8). */
export const ONNX_IR_VERSION = 7;

/** TensorProto.DataType values. */
export const ONNX_FLOAT = 1;
export const ONNX_INT32 = 6;
export const ONNX_INT64 = 7;

interface OnnxNode {
  op: string;
  name: string;
  inputs: string[];
  outputs: string[];
  attrs: Readonly<Record<string, OnnxAttr>>;
}

interface Initializer {
  name: string;
  dims: readonly number[];
  type: number;
  raw: Uint8Array;
}

/** A graph input or output: its element type and shape, `"batch"` for the free batch axis. */
export interface OnnxValueInfo {
  name: string;
  type: number;
  dims: readonly (number | string)[];
}

export class OnnxGraphBuilder {
  private readonly nodes: OnnxNode[] = [];
  private readonly inits: Initializer[] = [];
  private readonly used = new Set<string>();
  /** Names kept for the document's node ids, so no intermediate value takes one. */
  private readonly reserved: ReadonlySet<string>;
  /** Which node (by index) produced each value. */
  private readonly producer = new Map<string, number>();

  constructor(reserved: Iterable<string>) {
    this.reserved = new Set(reserved);
  }

  fresh(base: string): string {
    let name = base;
    for (let i = 2; this.used.has(name) || this.reserved.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }

  /** Claims a reserved node id as a value name (a graph input). */
  claim(id: string): string {
    this.used.add(id);
    return id;
  }

  /** The builder a block sees while its node `id` is added. */
  scope(id: string): OnnxGraph {
    const op: OnnxGraph['op'] = (type, inputs, attrs = {}, outputs = 1) => {
      const base = this.fresh(`${id}/${type}`);
      const names = Array.from({ length: outputs }, (_, i) => (i === 0 ? base : this.fresh(`${base}:${i}`)));
      this.nodes.push({ op: type, name: base, inputs: [...inputs], outputs: names, attrs });
      for (const n of names) this.producer.set(n, this.nodes.length - 1);
      return names;
    };
    const initializer = (name: string, dims: readonly number[], type: number, raw: Uint8Array): string => {
      const full = this.fresh(`${id}/${name}`);
      this.inits.push({ name: full, dims, type, raw });
      return full;
    };
    return {
      op,
      floats: (name, dims, values) => {
        const raw = new Uint8Array(values.length * 4);
        const view = new DataView(raw.buffer);
        values.forEach((v, i) => view.setFloat32(i * 4, v, true));
        return initializer(name, dims, ONNX_FLOAT, raw);
      },
      ints: (name, values, opts = {}) => {
        const int32 = opts.type === 'int32';
        const raw = new Uint8Array(values.length * (int32 ? 4 : 8));
        const view = new DataView(raw.buffer);
        values.forEach((v, i) => (int32 ? view.setInt32(i * 4, v, true) : view.setBigInt64(i * 8, BigInt(v), true)));
        return initializer(name, opts.dims ?? [values.length], int32 ? ONNX_INT32 : ONNX_INT64, raw);
      },
    };
  }

  /**
   * Names `value` after the node `id` when one of the node's own operators made it (from index
   * `firstNode` on); a value it passed on unchanged keeps its name. Returns the value's name.
   */
  finish(value: string, id: string, firstNode: number): string {
    const at = this.producer.get(value);
    if (at === undefined || at < firstNode) return value;
    this.used.add(id);
    for (const node of this.nodes) {
      node.outputs = node.outputs.map((n) => (n === value ? id : n));
      node.inputs = node.inputs.map((n) => (n === value ? id : n));
    }
    this.producer.delete(value);
    this.producer.set(id, at);
    return id;
  }

  /** How many operators the graph has so far (a node's first operator index). */
  get size(): number {
    return this.nodes.length;
  }

  /** The whole model as ONNX bytes. */
  encode(opts: {
    name: string;
    doc: string;
    inputs: OnnxValueInfo[];
    outputs: OnnxValueInfo[];
    metadata: Record<string, string>;
    producerVersion: string;
  }): Uint8Array {
    const graph = new ProtoWriter();
    for (const node of this.nodes) graph.message(1, encodeNode(node));
    graph.string(2, opts.name);
    for (const init of this.inits) graph.message(5, encodeInitializer(init));
    graph.string(10, opts.doc);
    for (const input of opts.inputs) graph.message(11, encodeValueInfo(input));
    for (const output of opts.outputs) graph.message(12, encodeValueInfo(output));

    const model = new ProtoWriter();
    model.int(1, ONNX_IR_VERSION);
    model.string(2, 'Modelwright');
    model.string(3, opts.producerVersion);
    model.int(5, 1);
    model.string(6, opts.doc);
    model.message(7, graph);
    model.message(8, new ProtoWriter().string(1, '').int(2, ONNX_OPSET));
    for (const [key, value] of Object.entries(opts.metadata)) model.message(14, new ProtoWriter().string(1, key).string(2, value));
    return model.finish();
  }
}

function encodeNode(node: OnnxNode): ProtoWriter {
  const w = new ProtoWriter();
  for (const input of node.inputs) w.string(1, input);
  for (const output of node.outputs) w.string(2, output);
  w.string(3, node.name);
  w.string(4, node.op);
  for (const [name, attr] of Object.entries(node.attrs)) w.message(5, encodeAttr(name, attr));
  return w;
}

/** AttributeProto: name 1, f 2, i 3, s 4, floats 7, ints 8, type 20 (FLOAT 1, INT 2, STRING 3, FLOATS 6, INTS 7). */
function encodeAttr(name: string, attr: OnnxAttr): ProtoWriter {
  const w = new ProtoWriter().string(1, name);
  if ('int' in attr) return w.int(3, attr.int).int(20, 2);
  if ('float' in attr) return w.float(2, attr.float).int(20, 1);
  if ('string' in attr) return w.string(4, attr.string).int(20, 3);
  if ('ints' in attr) {
    for (const v of attr.ints) w.int(8, v);
    return w.int(20, 7);
  }
  for (const v of attr.floats) w.float(7, v);
  return w.int(20, 6);
}

/** TensorProto: dims 1, data_type 2, name 8, raw_data 9 (little-endian). */
function encodeInitializer(init: Initializer): ProtoWriter {
  const w = new ProtoWriter();
  for (const d of init.dims) w.int(1, d);
  return w.int(2, init.type).string(8, init.name).bytes(9, init.raw);
}

/** ValueInfoProto { name 1, type 2: TypeProto { tensor_type 1: { elem_type 1, shape 2: { dim 1: { dim_value 1 | dim_param 2 } } } } }. */
function encodeValueInfo(info: OnnxValueInfo): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of info.dims) shape.message(1, typeof d === 'number' ? new ProtoWriter().int(1, d) : new ProtoWriter().string(2, d));
  const tensor = new ProtoWriter().int(1, info.type).message(2, shape);
  return new ProtoWriter().string(1, info.name).message(2, new ProtoWriter().message(1, tensor));
}
