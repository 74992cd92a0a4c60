/**
 * The edits the editor makes to a Document, as pure functions: each returns a new Document and
 * leaves the old one untouched (undo keeps it), or returns the same object when nothing changed.
 */
import {
  DataSchema,
  edgeId,
  nodeId,
  type DataSpec,
  type Document,
  type EdgeId,
  type GraphEdge,
  type GraphNode,
  type NodeId,
} from '../../engine/graph/document';
import { expandGroupNode, groupSelection } from '../../engine/graph/groups';
import { t } from '../i18n';

export type Position = { x: number; y: number };

function withGraph(doc: Document, nodes: GraphNode[], edges: GraphEdge[]): Document {
  return { ...doc, graph: { ...doc.graph, nodes, edges } };
}

/** A node id not used yet, readable: `dropout1`, `dropout2`, ... */
function freshNodeId(doc: Document, type: string): NodeId {
  const base = type.toLowerCase().replace(/[^a-z0-9]+/g, '') || 'node';
  const taken = new Set<string>(doc.graph.nodes.map((n) => n.id));
  for (let i = 1; ; i++) if (!taken.has(`${base}${i}`)) return nodeId(`${base}${i}`);
}

/**
 * `e-source-target`, or `e-source-target-2`, ... Two long node ids would make an id longer than
 * an edge id may be, so the name part is cut short enough to leave room for the counter.
 */
function freshEdgeId(doc: Document, source: NodeId, target: NodeId): EdgeId {
  const taken = new Set<string>(doc.graph.edges.map((e) => e.id));
  const base = `e-${source}-${target}`.slice(0, 180);
  if (!taken.has(base)) return edgeId(base);
  for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return edgeId(`${base}-${i}`);
}

export function addNode(doc: Document, type: string, params: Record<string, unknown>, at: Position, idBase: string = type): { doc: Document; id: NodeId } {
  const id = freshNodeId(doc, idBase);
  const node: GraphNode = { id, type, params, ui: { x: Math.round(at.x), y: Math.round(at.y) } };
  return { doc: withGraph(doc, [...doc.graph.nodes, node], doc.graph.edges), id };
}

/** Removes nodes (with every wire touching them) and edges. */
export function removeElements(doc: Document, nodeIds: readonly NodeId[], edgeIds: readonly EdgeId[]): Document {
  if (nodeIds.length === 0 && edgeIds.length === 0) return doc;
  const nodes = new Set(nodeIds);
  const edges = new Set(edgeIds);
  const keptNodes = doc.graph.nodes.filter((n) => !nodes.has(n.id));
  const keptEdges = doc.graph.edges.filter((e) => !edges.has(e.id) && !nodes.has(e.source) && !nodes.has(e.target));
  if (keptNodes.length === doc.graph.nodes.length && keptEdges.length === doc.graph.edges.length) return doc;
  return withGraph(doc, keptNodes, keptEdges);
}

export interface Connection {
  source: NodeId;
  sourcePort: string;
  target: NodeId;
  targetPort: string;
}

/**
 * Wires `source.sourcePort` to `target.targetPort`, adding one wire and never removing another.
 * Whether the wire should be drawn at all (a loop, an input already taken, shapes that cannot
 * meet) is the canvas's question, answered by `checkWire` before it calls this. A duplicate or a
 * self-loop changes nothing.
 */
export function connect(doc: Document, c: Connection): { doc: Document; edgeId: EdgeId | null } {
  if (c.source === c.target) return { doc, edgeId: null };
  const same = doc.graph.edges.find((e) => e.source === c.source && e.sourcePort === c.sourcePort && e.target === c.target && e.targetPort === c.targetPort);
  if (same) return { doc, edgeId: null };
  const id = freshEdgeId(doc, c.source, c.target);
  const edge: GraphEdge = { id, source: c.source, sourcePort: c.sourcePort, target: c.target, targetPort: c.targetPort };
  return { doc: withGraph(doc, doc.graph.nodes, [...doc.graph.edges, edge]), edgeId: id };
}

/** Sets one param of one node; `undefined` removes it (back to the block's default). */
export function setParam(doc: Document, id: NodeId, key: string, value: unknown): Document {
  let changed = false;
  const nodes = doc.graph.nodes.map((n) => {
    if (n.id !== id) return n;
    if (Object.is(n.params[key], value) || JSON.stringify(n.params[key]) === JSON.stringify(value)) return n;
    changed = true;
    const params = { ...n.params };
    if (value === undefined) delete params[key];
    else params[key] = value;
    return { ...n, params };
  });
  return changed ? withGraph(doc, nodes, doc.graph.edges) : doc;
}

/** Moves nodes to new canvas positions. */
export function moveNodes(doc: Document, positions: ReadonlyMap<NodeId, Position>): Document {
  let changed = false;
  const nodes = doc.graph.nodes.map((n) => {
    const p = positions.get(n.id);
    if (!p || (n.ui && n.ui.x === p.x && n.ui.y === p.y)) return n;
    changed = true;
    return { ...n, ui: { ...n.ui, x: p.x, y: p.y } };
  });
  return changed ? withGraph(doc, nodes, doc.graph.edges) : doc;
}

/** Why `next` (text the user typed) cannot be the new id of a node, or null when it can. */
export function nodeIdProblem(doc: Document, id: NodeId, next: string): string | null {
  if (next === id) return null;
  if (!/^[A-Za-z][A-Za-z0-9_-]{0,63}$/.test(next)) return t('state.nodeId.form');
  if (doc.graph.nodes.some((n) => n.id === next)) return t('state.nodeId.taken', { id: next });
  return null;
}

/** Renames a node and every wire end that names it. */
export function renameNode(doc: Document, id: NodeId, to: NodeId): Document {
  if (id === to || nodeIdProblem(doc, id, to) !== null) return doc;
  const nodes = doc.graph.nodes.map((n) => (n.id === id ? { ...n, id: to } : n));
  const edges = doc.graph.edges.map((e) =>
    e.source === id || e.target === id ? { ...e, ...(e.source === id ? { source: to } : {}), ...(e.target === id ? { target: to } : {}) } : e,
  );
  return withGraph(doc, nodes, edges);
}

/** A piece of a graph on the clipboard: some nodes and the wires among them. */
export interface Fragment {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** The selected nodes and the wires among them, detached from the document. */
export function copyFragment(doc: Document, nodeIds: readonly NodeId[]): Fragment {
  const chosen = new Set(nodeIds);
  return structuredClone({
    nodes: doc.graph.nodes.filter((n) => chosen.has(n.id)),
    edges: doc.graph.edges.filter((e) => chosen.has(e.source) && chosen.has(e.target)),
  });
}

/** Pastes a fragment under fresh ids, offset from where it was copied. */
export function pasteFragment(doc: Document, fragment: Fragment, offset: Position): { doc: Document; ids: NodeId[] } {
  const renamed = new Map<NodeId, NodeId>();
  let next = doc;
  for (const node of fragment.nodes) {
    const at = { x: (node.ui?.x ?? 0) + offset.x, y: (node.ui?.y ?? 0) + offset.y };
    const added = addNode(next, node.type, structuredClone(node.params), at);
    next = added.doc;
    renamed.set(node.id, added.id);
  }
  for (const edge of fragment.edges) {
    const source = renamed.get(edge.source);
    const target = renamed.get(edge.target);
    if (source && target) next = connect(next, { source, sourcePort: edge.sourcePort, target, targetPort: edge.targetPort }).doc;
  }
  return { doc: next, ids: [...renamed.values()] };
}

/** Copies of nodes (and the wires among them), offset so they do not sit on the originals. */
export function duplicate(doc: Document, nodeIds: readonly NodeId[], offset: Position = { x: 40, y: 40 }): { doc: Document; ids: NodeId[] } {
  return pasteFragment(doc, copyFragment(doc, nodeIds), offset);
}

/** Replaces the training settings with a patched copy. */
export function patchTraining(doc: Document, patch: Partial<Document['training']>): Document {
  return { ...doc, training: { ...doc.training, ...patch } };
}

export function patchOptimizer(doc: Document, patch: Partial<Document['training']['optimizer']>): Document {
  return patchTraining(doc, { optimizer: { ...doc.training.optimizer, ...patch } });
}

/** `doc` with its data section patched; a document without one gets one of defaults first. */
export function patchData(doc: Document, patch: Partial<DataSpec>): Document {
  return { ...doc, data: { ...(doc.data ?? DataSchema.parse({})), ...patch } };
}

/** `doc` without a data section: its graph then validates on its own. */
export function removeData(doc: Document): Document {
  if (!doc.data) return doc;
  const { data: _data, ...rest } = doc;
  return rest;
}

export function rename(doc: Document, name: string): Document {
  return name === doc.name ? doc : { ...doc, name };
}

/** Saves the blocks `ids` as a group named `name` (over the group `replace`, when given). */
export function saveGroup(
  doc: Document,
  ids: readonly NodeId[],
  name: string,
  replace?: string,
): { doc: Document; node: NodeId } | { doc: Document; reason: string } {
  const result = groupSelection(doc.graph, ids, name, replace !== undefined ? { replace } : {});
  if (!result.ok) return { doc, reason: result.reason };
  return { doc: { ...doc, graph: result.graph }, node: result.node };
}

/** Replaces a group node by its blocks; the same document when `id` is not a group node. */
export function expandGroup(doc: Document, id: NodeId): { doc: Document; ids: NodeId[] } {
  const result = expandGroupNode(doc.graph, id);
  return result ? { doc: { ...doc, graph: result.graph }, ids: result.ids } : { doc, ids: [] };
}
