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
 * The looks of `items` (in the document's order) by `keyOf`, from `lookOf`, as a map; `previous`
 * itself when every key has the same look object as there and no key came or went, so that
 * publishing it changes nothing.
 */
export function stableLooks<T, K, V>(previous: ReadonlyMap<K, V>, items: readonly T[], keyOf: (item: T) => K, lookOf: (item: T) => V): ReadonlyMap<K, V> {
  let changed = previous.size !== items.length;
  const next = new Map<K, V>();
  for (const item of items) {
    const key = keyOf(item);
    const look = lookOf(item);
    if (previous.get(key) !== look) changed = true;
    next.set(key, look);
  }
  return changed ? next : previous;
}
