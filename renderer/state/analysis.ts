/**
 * Live validation: the engine's own `inferGraph`, run on every edit, indexed for the canvas
 * (issues by node and by wire). The same code the compiler runs, so what the canvas says about a
 * shape is what training will do.
 */
import { useDeferredValue, useMemo } from 'react';
import type { Cost, DataFacts, GraphAnalysis, GraphIssue, TensorType } from '../../engine/graph/types';
import type { EdgeId, Graph, NodeId } from '../../engine/graph/document';
import { expandGroups, liftIssue } from '../../engine/graph/groups';
import { inferGraph } from '../../engine/graph/validate';
import { useAppStore } from './appStore';
import { useDocumentStore } from './documentStore';

export interface CanvasAnalysis {
  raw: GraphAnalysis;
  nodeTypes: Readonly<Record<string, TensorType | null>>;
  edgeTypes: Readonly<Record<string, TensorType | null>>;
  /** Issues about one wire (they name an edge). */
  edgeIssues: ReadonlyMap<EdgeId, GraphIssue[]>;
  /** Issues about a node that name no wire. */
  nodeIssues: ReadonlyMap<NodeId, GraphIssue[]>;
  /** Issues about the whole graph (no Output, empty graph). */
  graphIssues: readonly GraphIssue[];
  totals: Cost;
}

/**
 * Inference of the graph the engine will see: groups expanded into their blocks. What is said
 * about a block inside a group is said about the group node; a group node's type is its output's.
 */
function inferWithGroups(graph: Graph, facts: DataFacts): GraphAnalysis {
  const expansion = expandGroups(graph);
  const inner = inferGraph(expansion.graph, facts);
  if (expansion.graph === graph) return inner;
  const issues: GraphIssue[] = [...expansion.issues];
  const seen = new Set<string>();
  for (const issue of inner.issues) {
    const lifted = liftIssue(issue, expansion);
    const key = `${lifted.nodeId ?? ''}\u0000${lifted.edgeId ?? ''}\u0000${lifted.message}`;
    if (!seen.has(key)) issues.push(lifted);
    seen.add(key);
  }
  const nodeTypes = { ...inner.nodeTypes };
  for (const [group, out] of expansion.outputs) nodeTypes[group] = inner.nodeTypes[out] ?? null;
  return { ...inner, nodeTypes, issues };
}

function analyse(graph: Graph, facts: DataFacts): CanvasAnalysis {
  const raw = inferWithGroups(graph, facts);
  const edgeIssues = new Map<EdgeId, GraphIssue[]>();
  const nodeIssues = new Map<NodeId, GraphIssue[]>();
  const graphIssues: GraphIssue[] = [];
  const push = <K>(map: Map<K, GraphIssue[]>, key: K, issue: GraphIssue) => {
    const list = map.get(key);
    if (list) list.push(issue);
    else map.set(key, [issue]);
  };
  for (const issue of raw.issues) {
    if (issue.edgeId !== undefined) push(edgeIssues, issue.edgeId, issue);
    else if (issue.nodeId !== undefined) push(nodeIssues, issue.nodeId, issue);
    else graphIssues.push(issue);
  }
  let params = 0;
  let macs = 0;
  for (const cost of Object.values(raw.costs)) {
    params += cost.params;
    macs += cost.macs;
  }
  return { raw, nodeTypes: raw.nodeTypes, edgeTypes: raw.edgeTypes, edgeIssues, nodeIssues, graphIssues, totals: { params, macs } };
}

/**
 * Whether two graphs differ in anything inference reads. Moving a node only changes its `ui`,
 * so a drag does not re-run inference on every frame.
 */
function sameStructure(a: Graph, b: Graph): boolean {
  if (a === b) return true;
  if (a.edges !== b.edges || a.groups !== b.groups || a.nodes.length !== b.nodes.length) return false;
  for (let i = 0; i < a.nodes.length; i++) {
    const x = a.nodes[i]!;
    const y = b.nodes[i]!;
    if (x !== y && (x.id !== y.id || x.type !== y.type || x.params !== y.params)) return false;
  }
  return true;
}

/** The last analysis, shared by every component that asks (canvas, inspector, summary). */
let last: { graph: Graph; facts: DataFacts; result: CanvasAnalysis } | null = null;

/** The analysis of `graph` with `facts`, recomputed only when the structure or facts change. */
export function analysisOf(graph: Graph, facts: DataFacts): CanvasAnalysis {
  if (last && last.facts === facts && sameStructure(last.graph, graph)) {
    last = { ...last, graph };
    return last.result;
  }
  const result = analyse(graph, facts);
  last = { graph, facts, result };
  return result;
}

/** The graph last handed to the analysis hooks, kept while the graphs after it differ only in positions. */
let lastStructure: Graph | null = null;

/**
 * `graph`, or the one before it when the two differ only where inference does not read (a
 * drag): the hooks below select this from the store, so a drag re-renders none of the panels that
 * show the analysis, not even to find it unchanged.
 */
function structureOf(graph: Graph | null): Graph | null {
  if (graph === null || lastStructure === null || !sameStructure(lastStructure, graph)) lastStructure = graph;
  return lastStructure;
}

/**
 * The open document's graph as the analysis saw it, with that analysis; null before a document
 * loads. Both follow the edits at a lower priority than the edits themselves (React's deferred
 * value): a keystroke in a field paints at once, and the shapes and problems of a large graph,
 * and what the blocks on the canvas say, catch up just after, together. The graph's positions
 * may be older than the document's (see structureOf): ask the document where blocks stand.
 */
export function useAnalysedGraph(): { graph: Graph; analysis: CanvasAnalysis } | null {
  const graph = useDeferredValue(useDocumentStore((s) => structureOf(s.history?.present.graph ?? null)));
  const facts = useAppStore((s) => s.facts);
  return useMemo(() => (graph ? { graph, analysis: analysisOf(graph, facts) } : null), [graph, facts]);
}

/** The analysis of the open document's graph with the current data facts (deferred: see useAnalysedGraph); null before a document loads. */
export function useAnalysis(): CanvasAnalysis | null {
  return useAnalysedGraph()?.analysis ?? null;
}
