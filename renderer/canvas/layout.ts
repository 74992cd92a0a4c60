/**
 * A tidy layout for a graph: blocks in layers by their distance from the inputs, left to right,
 * and a long chain wrapped into rows (like lines of text) so the whole model is readable in the
 * window instead of a thin strip at a zoom nobody can read. Pure; positions only.
 */
import type { Graph, NodeId } from '../../engine/graph/document';
import type { Position } from '../state/edits';

export interface LayoutOptions {
  /** The canvas size in pixels, to choose how many layers go in one row. */
  viewport: { width: number; height: number };
  nodeWidth?: number;
  nodeHeight?: number;
  /** Horizontal room between layers; the shape labels on the wires live there. */
  columnGap?: number;
  /** Vertical room between blocks of one layer. */
  stackGap?: number;
  /** Vertical room between rows; wrapped wires run there. */
  rowGap?: number;
}

/**
 * The room a model is laid out for when the window's is not known: a 1280×800 window's canvas,
 * less the fit-view padding and the minimap. The example files are stored laid out for it.
 */
export const DEFAULT_LAYOUT_VIEWPORT = { width: 640, height: 368 };

/**
 * Whether a graph has no layout worth keeping: a block without a position, or three or more
 * blocks all in one row (how a generated file lays them out; nobody reads a 7-block strip).
 */
export function needsLayout(graph: Graph): boolean {
  if (graph.nodes.some((n) => n.ui === undefined)) return graph.nodes.length > 0;
  return graph.nodes.length >= 3 && new Set(graph.nodes.map((n) => n.ui!.y)).size === 1;
}

/** Longest-path layers: every block sits one layer right of its deepest input. */
export function layers(graph: Graph): NodeId[][] {
  const ids = graph.nodes.map((n) => n.id);
  const known = new Set(ids);
  const inputs = new Map<NodeId, NodeId[]>(ids.map((id) => [id, []]));
  const outputs = new Map<NodeId, NodeId[]>(ids.map((id) => [id, []]));
  for (const e of graph.edges) {
    if (!known.has(e.source) || !known.has(e.target) || e.source === e.target) continue;
    inputs.get(e.target)!.push(e.source);
    outputs.get(e.source)!.push(e.target);
  }
  // Kahn's order; blocks on a cycle are appended after, in file order.
  const indegree = new Map(ids.map((id) => [id, inputs.get(id)!.length]));
  const order: NodeId[] = ids.filter((id) => indegree.get(id) === 0);
  for (let i = 0; i < order.length; i++) {
    for (const next of outputs.get(order[i]!)!) {
      const d = indegree.get(next)! - 1;
      indegree.set(next, d);
      if (d === 0) order.push(next);
    }
  }
  const placed = new Set(order);
  for (const id of ids) if (!placed.has(id)) order.push(id);

  const depth = new Map<NodeId, number>();
  for (const id of order) {
    let d = 0;
    for (const from of inputs.get(id)!) if (depth.has(from)) d = Math.max(d, depth.get(from)! + 1);
    depth.set(id, d);
  }
  const result: NodeId[][] = [];
  for (const id of order) (result[depth.get(id)!] ??= []).push(id);
  // Within a layer, follow the order of the inputs (barycentre), so wires cross less.
  const rank = new Map<NodeId, number>();
  for (const layer of result) {
    if (!layer) continue;
    const score = (id: NodeId) => {
      const from = inputs.get(id)!.filter((f) => rank.has(f));
      return from.length ? from.reduce((s, f) => s + rank.get(f)!, 0) / from.length : 0;
    };
    layer.sort((a, b) => score(a) - score(b));
    layer.forEach((id, i) => rank.set(id, i));
  }
  return result.filter((l) => l !== undefined);
}

/** Positions for every block. */
export function tidyLayout(graph: Graph, options: LayoutOptions): Map<NodeId, Position> {
  const W = options.nodeWidth ?? 196;
  const H = options.nodeHeight ?? 76;
  const gx = options.columnGap ?? 124;
  const gy = options.stackGap ?? 28;
  const gr = options.rowGap ?? 64;
  const all = layers(graph);
  const positions = new Map<NodeId, Position>();
  if (all.length === 0) return positions;

  const bandOf = (row: NodeId[][]) => Math.max(...row.map((l) => l.length)) * (H + gy) - gy;
  const rowsFor = (perRow: number) => {
    const rows: NodeId[][][] = [];
    for (let i = 0; i < all.length; i += perRow) rows.push(all.slice(i, i + perRow));
    return rows;
  };
  // The number of layers per row that lets the whole model show at the largest zoom.
  let best = { perRow: all.length, zoom: 0 };
  for (let perRow = all.length; perRow >= 2; perRow--) {
    const rows = rowsFor(perRow);
    const width = perRow * W + (perRow - 1) * gx;
    const height = rows.reduce((s, r) => s + bandOf(r), 0) + (rows.length - 1) * gr;
    const zoom = Math.min(options.viewport.width / width, options.viewport.height / height, 1);
    if (zoom > best.zoom + 0.02) best = { perRow, zoom };
  }

  let y = 0;
  for (const row of rowsFor(best.perRow)) {
    const band = bandOf(row);
    row.forEach((layer, col) => {
      const stack = layer.length * (H + gy) - gy;
      layer.forEach((id, i) => positions.set(id, { x: col * (W + gx), y: y + (band - stack) / 2 + i * (H + gy) }));
    });
    y += band + gr;
  }
  return positions;
}
