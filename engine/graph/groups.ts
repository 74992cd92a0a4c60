/**
 * Groups: a few blocks saved as one reusable block (a residual block, a NiN block). A group node
 * (`type: "Group"`, `params.group` naming a definition in `graph.groups`) is what the canvas
 * shows; everything else — validation, shape inference, compile, training, export — sees the
 * blocks it stands for. `expandGroups` makes that plain graph: each group node's blocks under ids
 * `<group node>/<inner id>`, wires into a group port rewired to the inner ports it feeds, wires
 * out of it starting at the inner output. Wires outside keep their ids, so what is said about
 * them (their shape, their problems) is said about the canvas's own wires. Pure.
 */
import { GROUP_TYPE, type EdgeId, type Graph, type GraphEdge, type GraphNode, type GroupDef, type GroupInput, type NodeId } from './document';
import type { GraphIssue } from './types';

/** Groups inside groups inside groups…: deeper than this is a mistake, not a model. */
const MAX_DEPTH = 16;

export interface Expansion {
  /** The graph without group nodes or definitions; the same object when it had none. */
  graph: Graph;
  /** Every expanded node's id → the group node on the canvas it came from. */
  origin: ReadonlyMap<string, NodeId>;
  /** Each group node on the canvas → the expanded node whose output is the group's. */
  outputs: ReadonlyMap<NodeId, NodeId>;
  /** Group nodes that could not be expanded (a definition missing or broken), at the group node. */
  issues: GraphIssue[];
}

interface Flat {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** The inner input ports a wire into (node, port) feeds. Empty: that port does not exist. */
  targets(node: NodeId, port: string): { node: NodeId; port: string }[];
  /** The node whose output is `node`'s. */
  source(node: NodeId): NodeId;
}

const under = (prefix: string, id: string) => `${prefix}/${id}`;

/** Whether a graph has anything to expand. */
export function hasGroups(graph: Graph): boolean {
  return (graph.groups?.length ?? 0) > 0 || graph.nodes.some((n) => n.type === GROUP_TYPE);
}

/** The definition a group node names, if the graph has it. */
export function groupOf(graph: Graph, node: GraphNode): GroupDef | undefined {
  const id = node.params.group;
  return typeof id === 'string' ? graph.groups?.find((g) => g.id === id) : undefined;
}

export function expandGroups(graph: Graph): Expansion {
  if (!hasGroups(graph)) return { graph, origin: new Map(), outputs: new Map(), issues: [] };
  const defs = new Map((graph.groups ?? []).map((g) => [g.id, g]));
  const issues: GraphIssue[] = [];
  const memo = new Map<string, Flat | string>();

  /** A definition, itself expanded; a string says why it cannot be. */
  function flatDef(id: string, stack: readonly string[]): Flat | string {
    const known = memo.get(id);
    if (known) return known;
    const def = defs.get(id);
    if (!def) return `the group "${id}" is not defined in this file`;
    if (stack.includes(id)) return `the group "${id}" contains itself (${[...stack, id].join(' → ')})`;
    if (stack.length >= MAX_DEPTH) return `groups are nested more than ${MAX_DEPTH} deep`;
    const inner = new Set(def.nodes.map((n) => n.id));
    if (!inner.has(def.output)) return `the group "${def.name}" names "${def.output}" as its output, which is not one of its blocks`;
    for (const input of def.inputs) {
      const stray = input.targets.find((t) => !inner.has(t.node));
      if (stray) return `the group "${def.name}"'s input "${input.name}" feeds "${stray.node}", which is not one of its blocks`;
    }
    const flat = flatten(def.nodes, def.edges, [...stack, id], null);
    if (typeof flat === 'string') return flat;
    const byName = new Map<string, GroupInput>(def.inputs.map((i) => [i.name, i]));
    const result: Flat = {
      nodes: flat.nodes,
      edges: flat.edges,
      targets: (_node, port) => byName.get(port)?.targets.flatMap((t) => flat.targets(t.node, t.port)) ?? [],
      source: () => flat.source(def.output),
    };
    memo.set(id, result);
    return result;
  }

  /**
   * `nodes` and `edges` with every group node replaced by its blocks. At the top (`top` set) a
   * group that cannot be expanded is reported at its node; inside a definition it fails the whole.
   */
  function flatten(
    nodes: readonly GraphNode[],
    edges: readonly GraphEdge[],
    stack: readonly string[],
    top: { origin: Map<string, NodeId>; outputs: Map<NodeId, NodeId> } | null,
  ): Flat | string {
    const outNodes: GraphNode[] = [];
    const outEdges: GraphEdge[] = [];
    const groups = new Map<NodeId, Flat>();
    for (const node of nodes) {
      if (node.type !== GROUP_TYPE) {
        outNodes.push(node);
        continue;
      }
      const id = typeof node.params.group === 'string' ? node.params.group : '';
      const flat = flatDef(id, stack);
      if (typeof flat === 'string') {
        if (!top) return flat;
        issues.push({
          code: 'unknown-type',
          nodeId: node.id,
          message: id ? `Group "${node.id}" cannot be used: ${flat}.` : `Group "${node.id}" names no group (its "group" param is missing).`,
          hint: 'Delete this block, or save a group of that name from blocks on the canvas.',
          key: id ? 'group-unusable' : 'group-unnamed',
          hintKey: 'group-unusable',
          params: { node: node.id, reason: flat },
        });
        continue;
      }
      groups.set(node.id, flat);
      for (const n of flat.nodes) {
        const { ui: _ui, ...rest } = n;
        outNodes.push({ ...rest, id: under(node.id, n.id) as NodeId });
        top?.origin.set(under(node.id, n.id), node.id);
      }
      for (const e of flat.edges) {
        outEdges.push({ ...e, id: under(node.id, e.id) as EdgeId, source: under(node.id, e.source) as NodeId, target: under(node.id, e.target) as NodeId });
      }
      top?.outputs.set(node.id, under(node.id, flat.source(node.id)) as NodeId);
    }
    const targets = (node: NodeId, port: string) => {
      const g = groups.get(node);
      return g ? g.targets(node, port).map((t) => ({ node: under(node, t.node) as NodeId, port: t.port })) : [{ node, port }];
    };
    const source = (node: NodeId) => {
      const g = groups.get(node);
      return g ? (under(node, g.source(node)) as NodeId) : node;
    };
    for (const e of edges) {
      const ends = targets(e.target, e.targetPort);
      if (ends.length === 0) {
        if (!top) return `a wire goes into a port "${e.targetPort}" its group does not have`;
        issues.push({
          code: 'unknown-port',
          nodeId: e.target,
          port: e.targetPort,
          edgeId: e.id,
          message: `Group "${e.target}" has no input "${e.targetPort}".`,
          hint: 'Delete this wire.',
          key: 'group-no-input',
          hintKey: 'delete-wire',
          params: { node: e.target, port: e.targetPort },
        });
        continue;
      }
      ends.forEach((end, i) =>
        outEdges.push({ ...e, id: (i === 0 ? e.id : `${e.id}/${i + 1}`) as EdgeId, source: source(e.source), target: end.node, targetPort: end.port }),
      );
    }
    return { nodes: outNodes, edges: outEdges, targets, source };
  }

  const origin = new Map<string, NodeId>();
  const outputs = new Map<NodeId, NodeId>();
  const flat = flatten(graph.nodes, graph.edges, [], { origin, outputs }) as Flat;
  const { groups: _groups, ...rest } = graph;
  return { graph: { ...rest, nodes: flat.nodes, edges: flat.edges }, origin, outputs, issues };
}

/** An issue about an expanded node or wire, said about the group node on the canvas instead. */
export function liftIssue(issue: GraphIssue, expansion: Expansion): GraphIssue {
  const group = issue.nodeId !== undefined ? expansion.origin.get(issue.nodeId) : undefined;
  const innerEdge = issue.edgeId !== undefined && issue.edgeId.includes('/') && expansion.origin.size > 0;
  if (group === undefined && !innerEdge) return issue;
  const inner = issue.nodeId !== undefined ? issue.nodeId.slice(issue.nodeId.indexOf('/') + 1) : '';
  const { edgeId: _e, port: _p, ...rest } = issue;
  const edge = innerEdge ? {} : issue.edgeId !== undefined ? { edgeId: issue.edgeId } : {};
  return { ...rest, ...edge, ...(group !== undefined ? { nodeId: group, message: `In group "${group}", block "${inner}": ${issue.message}` } : {}) };
}

// ---- Editing: making a group from blocks, placing one, expanding one back. ----

export type GroupResult = { ok: true; graph: Graph; node: NodeId; group: GroupDef } | { ok: false; reason: string };

/** A definition id from a name: "Residual block" → "residual-block" (made unique in the graph). */
export function groupIdFor(graph: Graph, name: string): string {
  const base =
    name
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 56) || 'group';
  const taken = new Set((graph.groups ?? []).map((g) => g.id));
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
}

function freshId(taken: Set<string>, base: string): NodeId {
  const clean = base.replace(/[^A-Za-z0-9_-]+/g, '') || 'node';
  let id = clean;
  for (let i = 2; taken.has(id); i++) id = `${clean}${i}`;
  taken.add(id);
  return id as NodeId;
}

/**
 * Saves the blocks `ids` as a new group named `name` and puts one group node in their place,
 * wired as they were. The blocks must hand their result out through one block (a group has one
 * output); every distinct outside block feeding them becomes one input port.
 */
export function groupSelection(graph: Graph, ids: readonly NodeId[], name: string, options: { replace?: string } = {}): GroupResult {
  const chosen = new Set(ids);
  const nodes = graph.nodes.filter((n) => chosen.has(n.id));
  if (nodes.length < 2) return { ok: false, reason: 'Select two or more blocks to make a group.' };
  if (nodes.some((n) => n.type === 'Input' || n.type === 'Output')) {
    return { ok: false, reason: 'A group cannot hold the Input or the Output: it is the middle of a model, placed between them.' };
  }
  const inside = graph.edges.filter((e) => chosen.has(e.source) && chosen.has(e.target));
  const into = graph.edges.filter((e) => !chosen.has(e.source) && chosen.has(e.target));
  const out = graph.edges.filter((e) => chosen.has(e.source) && !chosen.has(e.target));
  const leaving = [...new Set(out.map((e) => e.source))];
  let output: NodeId | undefined = leaving[0];
  if (leaving.length > 1) {
    return { ok: false, reason: `A group has one output, and ${leaving.map((id) => `"${id}"`).join(' and ')} both feed blocks outside it.` };
  }
  if (!output) {
    const sinks = nodes.filter((n) => !inside.some((e) => e.source === n.id));
    if (sinks.length !== 1) return { ok: false, reason: 'A group has one output: the selected blocks should end in one block.' };
    output = sinks[0]!.id;
  }
  // One input port per outside block (and port) feeding the selection: a skip path and the main
  // path that both start at the same block are one input, as in a residual block.
  const feeders = [...new Set(into.map((e) => `${e.source}\u0000${e.sourcePort}`))];
  const inputs: GroupInput[] = feeders.map((key, i) => ({
    name: i === 0 ? 'in' : `in${i + 1}`,
    targets: into.filter((e) => `${e.source}\u0000${e.sourcePort}` === key).map((e) => ({ node: e.target, port: e.targetPort })),
  }));
  const xs = nodes.map((n) => n.ui?.x ?? 0);
  const ys = nodes.map((n) => n.ui?.y ?? 0);
  const [minX, minY] = [Math.min(...xs), Math.min(...ys)];
  const replaced = options.replace !== undefined ? graph.groups?.find((g) => g.id === options.replace) : undefined;
  const def: GroupDef = {
    id: replaced?.id ?? groupIdFor(graph, name),
    name: name.trim().slice(0, 80) || 'Group',
    nodes: structuredClone(nodes).map((n) => ({ ...n, ui: { x: (n.ui?.x ?? 0) - minX, y: (n.ui?.y ?? 0) - minY } })),
    edges: structuredClone(inside),
    inputs,
    output,
  };
  const taken = new Set<string>(graph.nodes.filter((n) => !chosen.has(n.id)).map((n) => n.id));
  // Named as the editor names a placed group ("residualblock1", "residualblock2", ...).
  const stem = def.id.replace(/[^a-z0-9]+/g, '') || 'group';
  let node = `${stem}1` as NodeId;
  for (let i = 2; taken.has(node); i++) node = `${stem}${i}` as NodeId;
  const at = { x: Math.round(xs.reduce((a, b) => a + b, 0) / xs.length), y: Math.round(ys.reduce((a, b) => a + b, 0) / ys.length) };
  const groupNode: GraphNode = { id: node, type: GROUP_TYPE, params: { group: def.id }, ui: at };
  const edges: GraphEdge[] = graph.edges.filter((e) => !chosen.has(e.source) && !chosen.has(e.target));
  for (const [i, key] of feeders.entries()) {
    const first = into.find((e) => `${e.source}\u0000${e.sourcePort}` === key)!;
    edges.push({ ...first, target: node, targetPort: inputs[i]!.name });
  }
  for (const e of out) edges.push({ ...e, source: node, sourcePort: 'out' });
  const kept = graph.nodes.filter((n) => !chosen.has(n.id));
  // Saving over a group changes every block that places it: they all name the one definition.
  const groups = replaced ? (graph.groups ?? []).map((g) => (g === replaced ? def : g)) : [...(graph.groups ?? []), def];
  return { ok: true, graph: { ...graph, nodes: [...kept, groupNode], edges, groups }, node, group: def };
}

/** Replaces the group node `id` by copies of its blocks, wired as the group wires them. */
export function expandGroupNode(graph: Graph, id: NodeId): { graph: Graph; ids: NodeId[] } | null {
  const node = graph.nodes.find((n) => n.id === id);
  const def = node && node.type === GROUP_TYPE ? groupOf(graph, node) : undefined;
  if (!node || !def) return null;
  const taken = new Set<string>(graph.nodes.filter((n) => n.id !== id).map((n) => n.id));
  const renamed = new Map<NodeId, NodeId>();
  const base = node.ui ?? { x: 0, y: 0 };
  const blocks: GraphNode[] = def.nodes.map((n) => {
    const fresh = freshId(taken, n.id);
    renamed.set(n.id, fresh);
    return { ...structuredClone(n), id: fresh, ui: { x: base.x + (n.ui?.x ?? 0), y: base.y + (n.ui?.y ?? 0) } };
  });
  const edgeIds = new Set<string>(graph.edges.map((e) => e.id));
  const fresh = (e: string) => {
    let name = e;
    for (let i = 2; edgeIds.has(name); i++) name = `${e}-${i}`;
    edgeIds.add(name);
    return name as EdgeId;
  };
  const edges: GraphEdge[] = [];
  for (const e of graph.edges) {
    if (e.target === id) {
      const input = def.inputs.find((i) => i.name === e.targetPort);
      for (const [k, t] of (input?.targets ?? []).entries())
        edges.push({ ...e, id: k === 0 ? e.id : fresh(`${e.id}-${k + 1}`), target: renamed.get(t.node)!, targetPort: t.port });
    } else if (e.source === id) {
      edges.push({ ...e, source: renamed.get(def.output)!, sourcePort: 'out' });
    } else edges.push(e);
  }
  for (const e of def.edges) edges.push({ ...structuredClone(e), id: fresh(e.id), source: renamed.get(e.source)!, target: renamed.get(e.target)! });
  const nodes = [...graph.nodes.filter((n) => n.id !== id), ...blocks];
  return { graph: { ...graph, nodes, edges }, ids: [...renamed.values()] };
}

/** The group's input port names, for the canvas to draw. */
export function groupPorts(def: GroupDef): string[] {
  return def.inputs.map((i) => i.name);
}

/** Definitions no group node uses any more (the palette can offer to forget them). */
export function unusedGroups(graph: Graph): string[] {
  const used = new Set(graph.nodes.filter((n) => n.type === GROUP_TYPE).map((n) => n.params.group));
  return (graph.groups ?? []).filter((g) => !used.has(g.id)).map((g) => g.id);
}
