/**
 * What each block and wire on the canvas says (its type, summary, shape, problems), by id, in a
 * store of the canvas's own rather than in React Flow's node and wire data. A keystroke that
 * changes two shapes then changes two entries here, re-rendering those blocks and wires alone,
 * and hands React Flow the very same node and wire arrays: React Flow rebuilds no lookup and runs
 * none of its 600 per-node and per-wire selectors (at 300 blocks that was the largest part of a
 * keystroke's script). Canvas.tsx publishes the looks; BlockNode and ShapeEdge read their own.
 */
import { create } from 'zustand';
import type { EdgeId, NodeId } from '../../engine/graph/document';
import type { BlockNodeData } from './BlockNode';
import type { ShapeEdgeData } from './ShapeEdge';

export interface CanvasLooks {
  blocks: ReadonlyMap<NodeId, BlockNodeData>;
  wires: ReadonlyMap<EdgeId, ShapeEdgeData>;
}

export const useCanvasLooks = create<CanvasLooks>(() => ({ blocks: new Map(), wires: new Map() }));

/** The look of one block (undefined for the moment between its adding and the canvas's next publish). */
export const useBlockLook = (id: NodeId): BlockNodeData | undefined => useCanvasLooks((s) => s.blocks.get(id));

/** The look of one wire. */
export const useWireLook = (id: EdgeId): ShapeEdgeData | undefined => useCanvasLooks((s) => s.wires.get(id));

/**
 * The looks of `ids` (in the document's order) from `lookOf`, as a map; `previous` itself when
 * every id has the same look object as there and no id came or went, so that publishing it
 * changes nothing.
 */
export function stableLooks<K, V>(previous: ReadonlyMap<K, V>, ids: readonly K[], lookOf: (id: K) => V): ReadonlyMap<K, V> {
  let changed = previous.size !== ids.length;
  const next = new Map<K, V>();
  for (const id of ids) {
    const look = lookOf(id);
    if (previous.get(id) !== look) changed = true;
    next.set(id, look);
  }
  return changed ? next : previous;
}
