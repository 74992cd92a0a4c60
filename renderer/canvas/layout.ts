/**
 * Automatic layout of a graph through dagre (a layered, Sugiyama-style layout: ranks by longest
 * path, crossings reduced by the barycentre heuristic, Brandes–Köpf coordinates). dagre rather
 * than elkjs because it is synchronous, so a layout is one pure function and one undo step, and
 * small (tens of kilobytes, where elkjs's GWT build is over a megabyte) for what a model graph
 * needs: one direction, blocks of one size, one output port. Pure; positions only.
 */
import dagre from '@dagrejs/dagre';
import type { Graph, NodeId } from '../../engine/graph/document';
import type { Position } from '../state/edits';

/** Left to right (the wires run across, shape labels between columns) or top to bottom. */
export type LayoutDirection = 'LR' | 'TB';

export interface LayoutOptions {
  /** The direction; when absent, the one that shows the whole model larger in `viewport`. */
  direction?: LayoutDirection;
  /** The canvas size in pixels, to choose the direction when none is given. */
  viewport?: { width: number; height: number };
  /** Each block's measured size; blocks not in it are taken to be `nodeWidth` × `nodeHeight`. */
  sizes?: ReadonlyMap<NodeId, { width: number; height: number }>;
  nodeWidth?: number;
  nodeHeight?: number;
}

/** The room a model is laid out for when the window's is not known: a 1280×800 window's canvas. */
export const DEFAULT_LAYOUT_VIEWPORT = { width: 640, height: 368 };

/**
 * Whether a graph has no layout worth keeping: a block without a position, or three or more
 * blocks all in one row (how a generated file lays them out; nobody reads a 7-block strip).
 */
export function needsLayout(graph: Graph): boolean {
  if (graph.nodes.some((n) => n.ui === undefined)) return graph.nodes.length > 0;
  return graph.nodes.length >= 3 && new Set(graph.nodes.map((n) => n.ui!.y)).size === 1;
}

/** Room between the blocks of one rank, and between ranks (the shape labels live there). */
const GAPS: Record<LayoutDirection, { node: number; rank: number }> = { LR: { node: 28, rank: 110 }, TB: { node: 40, rank: 64 } };

/** Top-left positions for every block, laid out in `direction`, starting at (0, 0). */
function layoutIn(graph: Graph, direction: LayoutDirection, options: LayoutOptions): { positions: Map<NodeId, Position>; width: number; height: number } {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: direction, nodesep: GAPS[direction].node, ranksep: GAPS[direction].rank, marginx: 0, marginy: 0 });
  g.setDefaultEdgeLabel(() => ({}));
  const known = new Set<string>();
  for (const node of graph.nodes) {
    if (known.has(node.id)) continue;
    known.add(node.id);
    const size = options.sizes?.get(node.id);
    g.setNode(node.id, { width: size?.width ?? options.nodeWidth ?? 196, height: size?.height ?? options.nodeHeight ?? 76 });
  }
  for (const e of graph.edges) if (known.has(e.source) && known.has(e.target) && e.source !== e.target) g.setEdge(e.source, e.target, {}, e.id);
  dagre.layout(g);
  const positions = new Map<NodeId, Position>();
  let width = 0;
  let height = 0;
  for (const id of known) {
    const n = g.node(id);
    positions.set(id as NodeId, { x: Math.round(n.x - n.width / 2), y: Math.round(n.y - n.height / 2) });
    width = Math.max(width, n.x + n.width / 2);
    height = Math.max(height, n.y + n.height / 2);
  }
  return { positions, width, height };
}

/** Positions for every block, in the given direction or the one that best fits the viewport. */
export function tidyLayout(graph: Graph, options: LayoutOptions = {}): Map<NodeId, Position> {
  if (options.direction) return layoutIn(graph, options.direction, options).positions;
  const viewport = options.viewport ?? DEFAULT_LAYOUT_VIEWPORT;
  const zoom = (l: { width: number; height: number }) => Math.min(viewport.width / Math.max(l.width, 1), viewport.height / Math.max(l.height, 1));
  const across = layoutIn(graph, 'LR', options);
  const down = layoutIn(graph, 'TB', options);
  // Left to right reads like the course's diagrams; top to bottom only when it shows the model clearly larger.
  return zoom(down) > zoom(across) * 1.15 ? down.positions : across.positions;
}

/**
 * Which way a laid-out graph runs, read from where its blocks are: top to bottom when most wires
 * go further down than across, so the canvas can put the ports on the edges the wires leave from.
 */
export function flowDirection(graph: Graph): LayoutDirection {
  const at = new Map<string, { x: number; y: number }>();
  for (const n of graph.nodes) if (n.ui) at.set(n.id, n.ui);
  let down = 0;
  let across = 0;
  for (const e of graph.edges) {
    const a = at.get(e.source);
    const b = at.get(e.target);
    if (!a || !b) continue;
    if (b.y - a.y > Math.abs(b.x - a.x)) down++;
    else across++;
  }
  return down > across ? 'TB' : 'LR';
}
