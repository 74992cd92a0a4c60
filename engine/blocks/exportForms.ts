/**
 * What a block says about itself to the exports (engine/export): the weights its tfjs layer
 * holds, its PyTorch form (a module and the expression its forward step computes) and its ONNX
 * form (operators added to a graph). Types only: engine/export walks the graph in order, asks
 * each block, and writes the files. Every tensor an export handles is channels-last, as in the
 * app, so a form converts layouts only around the operators that want channels first.
 */
import type { NodeId } from '../graph/document';
import type { DataFacts, TensorType } from '../graph/types';

/** One weight of a block's tfjs layer: its name after the layer's, and its shape. */
export interface TfjsWeightDef {
  /**
   * `kernel`, `bias`, `gamma`, …; inside a Bidirectional wrapper `forward/kernel` and
   * `backward/kernel` (tfjs names them `forward_<inner layer>/kernel`).
   */
  name: string;
  shape: readonly number[];
}

/** A trained weight as the run saved it: tfjs's shape and row-major float32 values. */
export interface WeightValue {
  shape: readonly number[];
  values: Float32Array;
}

/** How a weight is rearranged from tfjs's layout: reshaped first (row-major), then its axes permuted. */
export interface WeightTransform {
  reshape?: readonly number[];
  /** Axis `i` of the result is axis `perm[i]` of the (reshaped) tfjs array. */
  perm?: readonly number[];
}

/** What a block's form may answer instead: the export stops before writing anything, naming the block. */
export type FormResult<F> = { ok: true; form: F } | { ok: false; reason: string };

/** One input of a node as an export sees it: its name in the generated code, type and padding mask. */
export interface ExportInput {
  /** A Python variable (PyTorch) or an ONNX value name. */
  name: string;
  type: TensorType;
  /**
   * The padding mask the input carries (`Embedding` with `maskZero`), or null: in PyTorch a
   * bool [batch, length] variable; in ONNX an int32 [batch] value of sequence lengths (padding
   * only ever trails, so a mask is a length).
   */
  mask: string | null;
}

export interface PyTorchContext {
  nodeId: NodeId;
  /** `self.<name>`: where the node's module lives, when its form has one. */
  self: string;
  inputs: readonly ExportInput[];
  out: TensorType;
  data: DataFacts;
}

/** A tfjs weight's place in the PyTorch module's state dict. */
export interface PyTorchWeight extends WeightTransform {
  /** The state-dict key under the node's module, e.g. `weight`, `cell.kernel`. */
  key: string;
  /** The tfjs weight it comes from (a `TfjsWeightDef.name`). */
  from: string;
}

export interface PyTorchForm {
  /** The constructor of the node's module (`self.<name> = …`), when it has weights or state. */
  module?: string;
  /** The node's output as one Python expression of its inputs' names (and `ctx.self`). */
  forward: string;
  /** Set by a form whose `forward` gives logits (the Output block): the probabilities from them. */
  probabilities?: (logits: string) => string;
  weights?: readonly PyTorchWeight[];
  /** The padding mask of the output (a bool [batch, length] expression), when the node makes one. */
  mask?: string;
  /** A term training adds to the loss (a Dense's L2 penalty), a Python expression. */
  penalty?: string;
  /** Names the code takes from the project's layers.py. */
  uses?: readonly string[];
}

/** An ONNX attribute value, typed as the format stores it. */
export type OnnxAttr = { int: number } | { float: number } | { ints: readonly number[] } | { floats: readonly number[] } | { string: string };

/** The graph an ONNX form adds to; names it makes start with the node's id. */
export interface OnnxGraph {
  /** Adds one operator (default domain); returns the names of its `outputs` outputs (default 1). */
  op(type: string, inputs: readonly string[], attrs?: Readonly<Record<string, OnnxAttr>>, outputs?: number): string[];
  /** A float32 initializer `<node id>/<name>`. */
  floats(name: string, dims: readonly number[], values: Float32Array): string;
  /** An integer initializer `<node id>/<name>` (shapes, axes): int64 unless `type` says int32, 1-D unless `dims` says otherwise. */
  ints(name: string, values: readonly number[], opts?: { dims?: readonly number[]; type?: 'int64' | 'int32' }): string;
}

export interface OnnxContext {
  nodeId: NodeId;
  inputs: readonly ExportInput[];
  out: TensorType;
  data: DataFacts;
  g: OnnxGraph;
  /** The node's trained tfjs weight `name` (a `TfjsWeightDef.name`). */
  weight(name: string): WeightValue;
}

export interface OnnxForm {
  /** The value holding the node's output. */
  output: string;
  /** The sequence lengths of the output, when the node makes a padding mask. */
  mask?: string;
}
