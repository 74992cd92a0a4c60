/**
 * What a checked graph says about the model as a whole, asked of its blocks (their `role` and
 * `loss`), never decided here by type names.
 */
import { getBlock } from '../blocks/registry';
import type { Graph } from './document';
import type { GraphAnalysis, LossKind } from './types';

/**
 * The loss the graph's output block trains with. `analysis` must be the graph's own, without
 * issues (so there is exactly one output block and its params are parsed).
 */
export function modelLoss(graph: Graph, analysis: GraphAnalysis): LossKind {
  for (const node of graph.nodes) {
    const block = getBlock(node.type);
    if (block?.role !== 'output') continue;
    if (!block.loss) throw new Error(`Block ${block.type} has the output role but declares no loss`);
    return block.loss(analysis.params[node.id]!);
  }
  throw new Error('modelLoss: the graph has no output block; validate it first');
}
