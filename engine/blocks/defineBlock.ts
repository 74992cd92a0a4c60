/**
 * What a block is. Each block type lives in its own file under engine/blocks/ and exports one
 * `defineBlock({...})`; registry.ts lists them. Block files import tfjs *types* only: `toTfjs`
 * receives the tfjs namespaces from compile/, so the renderer's bundle carries no tfjs.
 */
import type { z } from 'zod';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { EdgeId, NodeId } from '../graph/document';
import type { Cost, DataFacts, GraphIssue, LossKind, TensorType } from '../graph/types';
import type { FormResult, OnnxContext, OnnxForm, PyTorchContext, PyTorchForm, TfjsWeightDef } from './exportForms';

/** An input port. Every block has exactly one output port, `out`. */
export interface InputPortDef {
  name: string;
  /** Several edges may end here (Residual, Concat). */
  multiple?: boolean;
  /** Least number of edges that must end here (default 1). */
  min?: number;
}

export interface InferContext {
  nodeId: NodeId;
  data: DataFacts;
  /** The ids of the edges feeding each input, in the order of `inputs`; lets a block name a wire. */
  inputEdgeIds?: readonly EdgeId[];
}

/** What `inferShape` returns: the output type, or issues (the block could not say). */
export type InferResult = { ok: true; out: TensorType } | { ok: false; issues: Omit<GraphIssue, 'nodeId'>[] };

/** The tfjs namespaces a block needs to build its layer; handed in by compile/. */
export interface TfjsNamespaces {
  layers: typeof tfl.layers;
  regularizers: typeof tfl.regularizers;
  initializers: typeof tfl.initializers;
  /** tf.input, for the Input block. */
  input: typeof tfl.input;
}

export interface ToTfjsContext {
  nodeId: NodeId;
  data: DataFacts;
  /** Pretrained weights for an Embedding, already read and accepted by the user. */
  pretrained?: { weights: Float32Array; dims: readonly [number, number] };
  /** Seed for initializers, derived from the training seed and the node id. */
  seed: number;
  /** The tfjs layer name to use (unique in the model, derived from the node id). */
  name?: string;
}

/**
 * A param that names a file the block reads when the model is built (an Embedding's pretrained
 * GloVe vectors). Hosts list such files and read one only once the user has accepted it.
 */
export interface FileParamDef<Params> {
  /** The param holding the path, as written in the document. */
  param: keyof Params & string;
  /** What the file is, for the consent dialog and the file port's limits. */
  role: 'pretrained';
  /** What reading the file needs besides its path: the vector size, whether training may change it. */
  request(params: Params): { dim: number; trainable: boolean };
}

/** What a block is in the model as a whole, beyond the layer it builds. */
export type BlockRole =
  /** Where the data enters: exactly one per model, fed the encoded examples. */
  | 'input'
  /** The prediction training compares with the labels: exactly one per model, with its loss. */
  | 'output';

export interface BlockDef<P extends z.ZodObject = z.ZodObject, T extends string = string> {
  /** The type name used in files, e.g. "Conv1D". Public file format: never rename. */
  type: T;
  /** Palette group. */
  category: 'Input' | 'Embedding' | 'Convolution' | 'Pooling' | 'Normalization' | 'Merge' | 'Recurrent' | 'Dense' | 'Regularization' | 'Shape' | 'Output';
  /** One or two sentences the palette and inspector show. */
  doc: string;
  /** Params with defaults, ranges and `.describe()` help text; the inspector form is generated from it. */
  params: P;
  inputs: readonly InputPortDef[];
  /** 'input' or 'output' for the blocks the model is fed through and trained at; absent for layers. */
  role?: BlockRole;
  /** The loss training minimises at this block (output blocks only). */
  loss?(params: z.infer<P>): LossKind;
  /** The params that name files to read (absent: the block reads none). */
  reads?: readonly FileParamDef<z.infer<P>>[];
  /** Whether the block passes a padding mask through (or consumes it); false/absent = refuses one. */
  acceptsMask?: boolean;
  inferShape(params: z.infer<P>, inputs: readonly TensorType[], ctx: InferContext): InferResult;
  cost(params: z.infer<P>, inputs: readonly TensorType[], out: TensorType, ctx: InferContext): Cost;
  /**
   * Builds the tfjs layer(s) and applies them to the inputs (in port order; for a `multiple`
   * port, in the order of their edges in `graph.edges`).
   */
  toTfjs(params: z.infer<P>, tf: TfjsNamespaces, inputs: tfl.SymbolicTensor[], ctx: ToTfjsContext): tfl.SymbolicTensor;
  /**
   * The weights the layer `toTfjs` names after the node holds, in its order (absent: none). The
   * exports check a run's saved weights against them, and read them by these names.
   */
  tfjsWeights?(params: z.infer<P>, inputs: readonly TensorType[], out: TensorType, data: DataFacts): readonly TfjsWeightDef[];
  /** The block in PyTorch: a module and its forward expression, computing what `toTfjs` does (exportForms.ts). */
  toPyTorch(params: z.infer<P>, ctx: PyTorchContext): FormResult<PyTorchForm>;
  /** The block as ONNX operators (opset 13), computing what `toTfjs` does, or why it cannot be. */
  toOnnx(params: z.infer<P>, ctx: OnnxContext): FormResult<OnnxForm>;
}

/**
 * Declares a block; keeps `P` inferred so each block's functions see its own param types, and
 * `T` as a literal so the registry can derive the union of block type names.
 */
export function defineBlock<P extends z.ZodObject, const T extends string = string>(def: BlockDef<P, T>): BlockDef<P, T> {
  return def;
}
