/**
 * The canvas's React Flow nodes and wires, and what each block and wire says (its look, published
 * through looks.ts), derived from the Document and its analysis so that an edit makes new objects
 * only for what it changed. React Flow keeps a node's internals (and does not re-render its
 * wrapper) while it is handed the same node object, and it rebuilds its wire lookups only when
 * handed a new wire array; a look changes without React Flow seeing it. So a keystroke in the
 * inspector re-renders the edited block and the wires whose shapes changed, not all 300 blocks
 * and 299 wires, and React Flow does nothing.
 */
import type { TFunction } from 'i18next';
import type { GraphIssue } from '../../engine/graph/types';
import { GROUP_TYPE, nodeId, type EdgeId, type Graph, type GraphNode, type NodeId } from '../../engine/graph/document';
import { groupOf } from '../../engine/graph/groups';
import { getBlock } from '../../engine/blocks/registry';
import type { CanvasAnalysis } from '../state/analysis';
import { paramSummary } from './paramSummary';
import type { BlockFlowNode, BlockNodeData } from './BlockNode';
import type { ShapeEdgeData, ShapeFlowEdge } from './ShapeEdge';

const NO_ISSUES: readonly GraphIssue[] = [];

/** Everything a block's look depends on besides its own type and params. */
export interface BlockLookContext {
  graph: Graph;
  analysis: CanvasAnalysis;
  /** Issues of the last run, from the engine, on the document it was given. */
  runIssues: readonly GraphIssue[];
  /** Waiting for the data summary, so "auto" shapes and data mismatches are not known yet. */
  pending: boolean;
  vertical: boolean;
  t: TFunction;
}

interface DataEntry {
  /** The block's type in the analysed graph. */
  type: string;
  /** What the look was made from. */
  deps: readonly unknown[];
  data: BlockNodeData;
}

/**
 * What each block shows, by node id. Entries of `previous` whose inputs are the same by value are
 * kept as they are: a keystroke re-infers the whole graph (new objects everywhere), but only the
 * blocks whose summary, shape or problems changed get new data.
 */
export function blockDataById(ctx: BlockLookContext, previous: ReadonlyMap<NodeId, DataEntry>): Map<NodeId, DataEntry> {
  const { graph, analysis, runIssues, pending, vertical, t } = ctx;
  const blamed = new Map<NodeId, GraphIssue[]>();
  for (const issue of runIssues) {
    if (issue.nodeId === undefined) continue;
    // The engine validated the groups' blocks ("group/inner"); on the canvas that is the group node.
    const owner = issue.nodeId.includes('/') ? nodeId(issue.nodeId.slice(0, issue.nodeId.indexOf('/'))) : issue.nodeId;
    blamed.set(owner, [...(blamed.get(owner) ?? []), issue]);
  }
  // Problems told on a wire that blame the block at its end (a kernel too wide for the sequence
  // the wire brings): the wire's label says them, and the block is outlined with them.
  const wireBlamed = new Map<NodeId, string[]>();
  for (const [, list] of analysis.edgeIssues)
    for (const issue of list) if (issue.nodeId !== undefined) wireBlamed.set(issue.nodeId, [...(wireBlamed.get(issue.nodeId) ?? []), issue.message]);

  const result = new Map<NodeId, DataEntry>();
  for (const node of graph.nodes) {
    const out = analysis.nodeTypes[node.id];
    const said = analysis.nodeIssues.get(node.id);
    const deps = [
      node.type,
      node.params,
      // The params with defaults filled, as the summary line shows them (by value: see above).
      JSON.stringify(analysis.raw.params[node.id] ?? null),
      out ? `${out.shape.join(',')}:${out.dtype}:${out.masked === true}` : null,
      said ? said.map(issueKey).join('\n') : '',
      wireBlamed.get(node.id)?.join('\n') ?? '',
      runIssues,
      pending,
      vertical,
      graph.groups,
      t,
    ];
    const hit = previous.get(node.id);
    const data = hit && hit.deps.every((d, i) => d === deps[i]) ? hit.data : node.type === GROUP_TYPE ? groupData(node) : nodeData(node);
    result.set(node.id, { type: node.type, deps, data });
  }
  return result;

  function nodeData(node: GraphNode): BlockNodeData {
    const block = getBlock(node.type);
    const filled = analysis.raw.params[node.id] ?? node.params;
    const live = (analysis.nodeIssues.get(node.id) ?? NO_ISSUES).filter((i) => !(pending && i.code === 'data-mismatch'));
    // What the engine said in the last run, unless the canvas already says the same.
    const fromRun = (blamed.get(node.id) ?? []).filter((r) => !live.some((i) => i.message === r.message) && !(r.edgeId && analysis.edgeIssues.has(r.edgeId)));
    return {
      type: node.type,
      category: block?.category ?? 'Unknown',
      summary: block ? paramSummary(node.type, filled) : t('canvas.node.unknownBlock'),
      inputs: block ? block.inputs.map((p) => ({ name: p.name, multiple: p.multiple === true })) : [],
      out: analysis.nodeTypes[node.id] ?? null,
      issues: fromRun.length ? [...live, ...fromRun] : live,
      runIssue: blamed.has(node.id),
      inputIssue: wireBlamed.has(node.id),
      pending,
      known: block !== undefined,
      vertical,
    };
  }

  function groupData(node: GraphNode): BlockNodeData {
    const def = groupOf(graph, node);
    return {
      type: def?.name ?? GROUP_TYPE,
      category: 'Group',
      summary: def ? t('editor.group.summary', { count: def.nodes.length }) : t('editor.group.missing'),
      inputs: def ? def.inputs.map((p) => ({ name: p.name, multiple: false })) : [],
      out: analysis.nodeTypes[node.id] ?? null,
      issues: analysis.nodeIssues.get(node.id) ?? NO_ISSUES,
      runIssue: blamed.has(node.id),
      inputIssue: wireBlamed.has(node.id),
      pending,
      known: def !== undefined,
      vertical,
    };
  }
}

/**
 * What a block says before the analysis has seen it (added a moment ago): its ports, so its wires
 * can be drawn, and its params; its shape and problems come with the analysis just after.
 */
export function unanalysedData(node: GraphNode, graph: Graph, pending: boolean, vertical: boolean, t: TFunction): BlockNodeData {
  const group = node.type === GROUP_TYPE ? groupOf(graph, node) : undefined;
  const block = node.type === GROUP_TYPE ? undefined : getBlock(node.type);
  const inputs = group
    ? group.inputs.map((p) => ({ name: p.name, multiple: false }))
    : (block?.inputs.map((p) => ({ name: p.name, multiple: p.multiple === true })) ?? []);
  return {
    type: group?.name ?? node.type,
    category: group ? 'Group' : (block?.category ?? 'Unknown'),
    summary: group ? t('editor.group.summary', { count: group.nodes.length }) : block ? paramSummary(node.type, node.params) : '',
    inputs,
    out: null,
    issues: NO_ISSUES,
    runIssue: false,
    inputIssue: false,
    pending,
    known: group !== undefined || block !== undefined,
    vertical,
  };
}

/** The data of every React Flow node: what a block says is in the canvas's own store (looks.ts). */
const NODE_DATA: BlockFlowNode['data'] = Object.freeze({});

/**
 * The flow nodes for `nodes` (the document's, where they stand now, or where `dragged` has them
 * while a drag is under way), reusing each node of `previous` whose position, selection and
 * measured size are the same; `previous` itself when every node is reused, so React Flow is not
 * handed a new array at all. What the blocks say does not enter: that is looks.ts's.
 */
export function stableNodes(
  previous: readonly BlockFlowNode[],
  nodes: readonly GraphNode[],
  selected: ReadonlySet<NodeId>,
  measured: ReadonlyMap<NodeId, { width: number; height: number }>,
  dragged?: ReadonlyMap<NodeId, { x: number; y: number }>,
): BlockFlowNode[] {
  const before = new Map(previous.map((n) => [n.id, n]));
  let changed = previous.length !== nodes.length;
  const next = nodes.map((node, i): BlockFlowNode => {
    const at = dragged?.get(node.id);
    const x = at?.x ?? node.ui?.x ?? 0;
    const y = at?.y ?? node.ui?.y ?? 0;
    const isSelected = selected.has(node.id);
    const size = measured.get(node.id);
    const old = before.get(node.id);
    const keep = old && old.position.x === x && old.position.y === y && old.selected === isSelected && old.measured === size;
    const flowNode: BlockFlowNode = keep
      ? old
      : { id: node.id, type: 'block', position: { x, y }, data: NODE_DATA, selected: isSelected, ...(size ? { measured: size } : {}) };
    if (flowNode !== previous[i]) changed = true;
    return flowNode;
  });
  return changed ? next : (previous as BlockFlowNode[]);
}

/**
 * What each wire shows, by wire id: its shape and first problem. An entry of `previous` that says
 * the same (by value) is kept, so a re-inference re-renders only the wires whose label changed.
 */
export function edgeDataById(analysis: CanvasAnalysis, pending: boolean, previous: ReadonlyMap<EdgeId, ShapeEdgeData>): Map<EdgeId, ShapeEdgeData> {
  const result = new Map<EdgeId, ShapeEdgeData>();
  for (const id of Object.keys(analysis.edgeTypes) as EdgeId[]) result.set(id, look(id));
  for (const id of analysis.edgeIssues.keys()) if (!result.has(id)) result.set(id, look(id));
  return result;

  function look(id: EdgeId): ShapeEdgeData {
    const type = analysis.edgeTypes[id] ?? null;
    const issue = analysis.edgeIssues.get(id)?.find((i) => !(pending && i.code === 'data-mismatch')) ?? null;
    const old = previous.get(id);
    const same =
      old !== undefined &&
      old.pending === pending &&
      sameType(old.type, type) &&
      (old.issue === issue || (old.issue !== null && issue !== null && issueKey(old.issue) === issueKey(issue)));
    return same ? old : { type, issue, pending };
  }
}

/** All an issue's words are made of, in every language (what it is about is said by where it is kept). */
function issueKey(issue: GraphIssue): string {
  return JSON.stringify([issue.code, issue.message, issue.hint ?? null, issue.key ?? null, issue.hintKey ?? null, issue.params ?? null]);
}

function sameType(a: ShapeEdgeData['type'], b: ShapeEdgeData['type']): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return a.dtype === b.dtype && a.masked === b.masked && a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i]);
}

/** The flow wires for `edges`, reusing those of `previous` that are unchanged; `previous` itself when all are. What they say is looks.ts's. */
export function stableEdges(previous: readonly ShapeFlowEdge[], edges: Graph['edges'], selected: ReadonlySet<EdgeId>): ShapeFlowEdge[] {
  const before = new Map(previous.map((e) => [e.id, e]));
  let changed = previous.length !== edges.length;
  const next = edges.map((edge, i): ShapeFlowEdge => {
    const isSelected = selected.has(edge.id);
    const old = before.get(edge.id);
    const keep =
      old &&
      old.selected === isSelected &&
      old.source === edge.source &&
      old.sourceHandle === edge.sourcePort &&
      old.target === edge.target &&
      old.targetHandle === edge.targetPort;
    const flowEdge: ShapeFlowEdge = keep
      ? old
      : {
          id: edge.id,
          type: 'shape',
          source: edge.source,
          sourceHandle: edge.sourcePort,
          target: edge.target,
          targetHandle: edge.targetPort,
          selected: isSelected,
        };
    if (flowEdge !== previous[i]) changed = true;
    return flowEdge;
  });
  return changed ? next : (previous as ShapeFlowEdge[]);
}
