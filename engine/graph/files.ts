/**
 * The files a document asks to read for pretrained embeddings. A host shows these paths to the
 * user and reads one only once it is accepted; then it builds the weights (engine/data/glove.ts)
 * and hands them to `compileModel` as `pretrained[nodeId]`.
 */
import { getBlock } from '../blocks/registry';
import type { Graph } from './document';

export interface PretrainedRequest {
  /** The Embedding node that wants the vectors. */
  nodeId: string;
  /** The GloVe-format file, as written in the document (not yet read, not yet trusted). */
  path: string;
  /** The vector size the node expects (its outputDim). */
  dim: number;
  /** Whether training may change the vectors. */
  trainable: boolean;
}

/** Every Embedding node with a `pretrained` path, in graph order (nodes with bad params skipped). */
export function pretrainedRequests(graph: Graph): PretrainedRequest[] {
  const block = getBlock('Embedding')!;
  const out: PretrainedRequest[] = [];
  for (const node of graph.nodes) {
    if (node.type !== 'Embedding') continue;
    const parsed = block.params.safeParse(node.params);
    if (!parsed.success) continue;
    const p = parsed.data as { pretrained?: string; outputDim: number; trainable: boolean };
    if (p.pretrained) out.push({ nodeId: node.id, path: p.pretrained, dim: p.outputDim, trainable: p.trainable });
  }
  return out;
}
