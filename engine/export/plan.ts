/**
 * The nodes an export writes: those the output block depends on, in the analysis's topological
 * order, each with its block, parsed params, output type and inputs in the order compile feeds
 * them (port order; a `multiple` port's edges in their order in `graph.edges`). Nodes that feed
 * nothing the output needs are not part of the trained model and are left out, as tfjs does.
 */
import type { BlockDef } from '../blocks/defineBlock';
import { getBlock } from '../blocks/registry';
import type { Graph, NodeId } from '../graph/document';
import type { GraphAnalysis, TensorType } from '../graph/types';

export interface ExportNode {
  id: NodeId;
  block: BlockDef;
  /** The params after the block's schema filled in its defaults. */
  params: Record<string, unknown>;
  type: TensorType;
  /** The nodes feeding its inputs, in the order its block receives them. */
  inputs: readonly NodeId[];
  inputTypes: readonly TensorType[];
}

/** The model's nodes, from an analysis without issues (a caller's bug otherwise, and it throws). */
export function exportNodes(graph: Graph, analysis: GraphAnalysis, blocks: (type: string) => BlockDef | undefined = getBlock): ExportNode[] {
  const typeOf = new Map<NodeId, string>(graph.nodes.map((n) => [n.id, n.type]));
  const edgesTo = new Map<NodeId, Graph['edges']>();
  for (const e of graph.edges) {
    const list = edgesTo.get(e.target);
    if (list) list.push(e);
    else edgesTo.set(e.target, [e]);
  }
  const incoming = new Map<NodeId, NodeId[]>();
  for (const id of analysis.order) {
    const edges = edgesTo.get(id) ?? [];
    incoming.set(
      id,
      blocks(typeOf.get(id)!)!.inputs.flatMap((port) => edges.filter((e) => e.targetPort === port.name).map((e) => e.source)),
    );
  }
  const output = analysis.order.find((id) => blocks(typeOf.get(id)!)?.role === 'output');
  if (output === undefined) throw new Error('exportNodes: the graph has no output block; analyse it first');
  const needed = new Set<NodeId>([output]);
  for (let i = analysis.order.length - 1; i >= 0; i--) {
    const id = analysis.order[i]!;
    if (needed.has(id)) for (const source of incoming.get(id)!) needed.add(source);
  }
  return analysis.order
    .filter((id) => needed.has(id))
    .map((id) => {
      const inputs = incoming.get(id)!;
      return {
        id,
        block: blocks(typeOf.get(id)!)!,
        params: analysis.params[id]!,
        type: analysis.nodeTypes[id]!,
        inputs,
        inputTypes: inputs.map((source) => analysis.nodeTypes[source]!),
      };
    });
}

/** The block's type and params in a short line, e.g. `Conv1D filters=256 kernelSize=3 activation=elu`. */
export function describeNode(node: ExportNode): string {
  const params = Object.entries(node.params)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  return [node.block.type, ...params].join(' ');
}

/** A shape for comments: `[B, 17, 77]`. */
export function showBatchShape(type: TensorType): string {
  return `[${type.shape.map((d) => (d === null ? 'B' : String(d))).join(', ')}]`;
}
