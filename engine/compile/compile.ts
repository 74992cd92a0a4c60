/**
 * Document graph → tfjs functional model, from the analysis the caller already made: a graph
 * with issues is never compiled. Each block builds its own layer(s) through `toTfjs`, fed in
 * topological order.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { TfjsNamespaces } from '../blocks/defineBlock';
import type { DataFacts, GraphAnalysis, GraphIssue } from '../graph/types';
import { getBlock } from '../blocks/registry';
import type { Graph, GraphEdge, NodeId } from '../graph/document';
// tfjs-layers' Orthogonal initializer (GRU/LSTM) calls chained tensor methods that tfjs-core's
// Node bundle lacks; the kernels module installs them (idempotent).
import { installChainedOps } from '../kernels/chainedOps';
import { installSeededDropout } from '../kernels/seededDropout';

/** Pretrained weights for an Embedding node: `dims` = [rows (vocabulary), columns (vector size)]. */
export interface PretrainedWeights {
  weights: Float32Array;
  dims: readonly [number, number];
}

export interface CompileOptions {
  /** Seed for every initializer and dropout mask; each node gets its own seed derived from it. */
  seed: number;
  /** Pretrained weights by node id (Embedding blocks with a `pretrained` path the user accepted). */
  pretrained?: Record<string, PretrainedWeights>;
}

/** The tfjs namespaces blocks build with. */
export const TFJS: TfjsNamespaces = {
  layers: tfl.layers,
  regularizers: tfl.regularizers,
  initializers: tfl.initializers,
  input: tfl.input,
};

/** A 31-bit seed for one node, stable across runs: FNV-1a over the training seed and node id. */
export function nodeSeed(seed: number, nodeId: string): number {
  let h = 0x811c9dc5 ^ (seed | 0);
  const text = `:${nodeId}`;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % 0x7fffffff;
}

/** A tfjs layer name from a node id: tfjs wants [A-Za-z0-9_.-] and names unique in a model. */
function layerName(nodeId: string, used: Set<string>): string {
  const base =
    nodeId
      .replace(/[^A-Za-z0-9_.-]/g, '_')
      .replace(/^[^A-Za-z]/, 'n$&')
      .slice(0, 100) || 'node';
  let name = base;
  for (let i = 2; used.has(name); i++) name = `${base}_${i}`;
  used.add(name);
  return name;
}

/** A compiled model and the symbolic tensor of every node's output (for tests and summaries). */
export interface CompiledGraph {
  model: tfl.LayersModel;
  /** Node id → the tensor on its `out` port, in topological order. */
  outputs: Map<string, tfl.SymbolicTensor>;
}

/**
 * What compiling gives: the model, or the user mistakes only building it can find (pretrained
 * vectors whose size does not fit their Embedding), as values.
 */
export type CompileResult = ({ ok: true } & CompiledGraph) | { ok: false; issues: GraphIssue[] };

/**
 * Builds the model of `graph` from the analysis its caller made and checked (engine/graph's
 * inferGraph, with no issues): each block builds its layer(s) in topological order, fed the
 * tensors of its input ports. The model's input is the block with role "input", its output the
 * block with role "output". An analysis with issues is a caller's bug and throws.
 */
export function compileGraph(graph: Graph, analysis: GraphAnalysis, facts: DataFacts, opts: CompileOptions): CompileResult {
  if (analysis.issues.length > 0) throw new Error(`compileGraph: the caller passed an analysis with ${analysis.issues.length} issue(s); check it first`);
  installChainedOps();
  // A seeded Dropout must draw a new mask each step (tfjs-layers' reuses its seed every call).
  installSeededDropout();

  const incoming = new Map<NodeId, GraphEdge[]>();
  for (const edge of graph.edges) {
    const list = incoming.get(edge.target);
    if (list) list.push(edge);
    else incoming.set(edge.target, [edge]);
  }
  const typeOf = new Map<NodeId, string>(graph.nodes.map((n) => [n.id, n.type]));

  const tensors = new Map<string, tfl.SymbolicTensor>();
  const inputs: tfl.SymbolicTensor[] = [];
  let output: tfl.SymbolicTensor | undefined;
  const used = new Set<string>();
  const pretrainedIssues: GraphIssue[] = [];

  for (const id of analysis.order) {
    const block = getBlock(typeOf.get(id)!)!;
    const params = analysis.params[id]!;
    const edges = incoming.get(id) ?? [];
    const args: tfl.SymbolicTensor[] = [];
    for (const port of block.inputs) {
      for (const e of edges) if (e.targetPort === port.name) args.push(tensors.get(e.source)!);
    }
    const pretrained = opts.pretrained?.[id];
    const tensor = block.toTfjs(params, TFJS, args, {
      nodeId: id,
      data: facts,
      seed: nodeSeed(opts.seed, id),
      name: layerName(id, used),
      ...(pretrained ? { pretrained } : {}),
    });
    if (pretrained) {
      const issue = loadPretrained(id, tensor, pretrained);
      if (issue) pretrainedIssues.push(issue);
    }
    tensors.set(id, tensor);
    if (block.role === 'input') inputs.push(tensor);
    if (block.role === 'output') output = tensor;
  }
  if (pretrainedIssues.length) return { ok: false, issues: pretrainedIssues };
  if (!output) throw new Error('compileGraph: the analysis passed but no output block was built');
  return { ok: true, model: tfl.model({ inputs, outputs: output, name: 'modelwright' }), outputs: tensors };
}

/** Copies pretrained vectors into the Embedding layer that produced `tensor`. */
function loadPretrained(nodeId: NodeId, tensor: tfl.SymbolicTensor, pretrained: PretrainedWeights): GraphIssue | null {
  const layer = tensor.sourceLayer;
  const [rows, cols] = pretrained.dims;
  const want = layer.getWeights()[0]?.shape ?? [];
  if (want.length !== 2 || want[0] !== rows || want[1] !== cols) {
    return {
      code: 'data-mismatch',
      nodeId,
      message: `The pretrained vectors are ${rows} × ${cols}, but this ${layer.getClassName()} is ${want.join(' × ')}.`,
      hint: 'Set inputDim to "auto" and outputDim to the vector size of the GloVe file (e.g. 100 for glove.6B.100d).',
      key: 'pretrained-size',
      hintKey: 'pretrained-size',
      params: { rows, cols, layer: layer.getClassName(), want: want.join(' × ') },
    };
  }
  if (pretrained.weights.length !== rows * cols) throw new Error(`Pretrained weights for ${nodeId}: ${pretrained.weights.length} values for ${rows} × ${cols}`);
  const value = tfc.tensor2d(pretrained.weights, [rows, cols]);
  layer.setWeights([value]);
  value.dispose();
  return null;
}
