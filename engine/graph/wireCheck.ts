/**
 * Whether a wire the user is drawing may be added, and why not. The canvas asks while the wire
 * is still under the pointer, so a wire that would close a loop, fill an input that already has
 * its one wire, or join shapes that cannot meet is refused before it exists, and no other wire is
 * ever touched. The shape check is validation's own: the graph with the wire added goes through
 * `inferGraph`, and what the target block then says about its input is the answer.
 */
import { getBlock } from '../blocks/registry';
import { GROUP_TYPE, type EdgeId, type Graph, type GraphEdge, type NodeId } from './document';
import { expandGroups, groupOf, liftIssue } from './groups';
import type { DataFacts, GraphIssue, IssueCode } from './types';
import { inferGraph } from './validate';

/** A wire the user proposes, from an output port to an input port. */
export interface WireProposal {
  source: NodeId;
  sourcePort: string;
  target: NodeId;
  targetPort: string;
}

/** Why a proposed wire is refused. `code` is stable; `message` names the blocks and ports. */
export interface WireRefusal {
  code: 'self-loop' | 'duplicate' | 'cycle' | 'occupied' | 'unknown-port' | 'shape';
  /** The wire's ends, so a renderer can word the refusal in its own language. */
  source: NodeId;
  target: NodeId;
  port: string;
  /** For `occupied`: the block whose wire already fills the input. */
  taken?: NodeId;
  /** In English, for the CLI and logs; `shape` carries validation's own message. */
  message: string;
  hint?: string;
  /** For `shape`: the validation issue's own code (rank-, shape-, dtype-mismatch, shape-too-small). */
  issueCode?: IssueCode;
  /** For `shape`: validation's issue itself (its `key`, `params`, `hintKey`), so a renderer words it as the red wire would. */
  issue?: GraphIssue;
  /** For `shape` inside a group: the group on the canvas and the block in it that complained. */
  inGroup?: { group: NodeId; block: string };
}

/** The issue codes that mean the two ends of a wire cannot meet. */
const SHAPE_CODES: ReadonlySet<IssueCode> = new Set(['rank-mismatch', 'shape-mismatch', 'dtype-mismatch', 'shape-too-small']);

/** The id the proposed wire has while it is checked; no Document edge id can contain a space. */
const PROPOSED = 'proposed wire' as EdgeId;

/** Whether `to` can be reached from `from` along the graph's wires. O(nodes + edges). */
export function reaches(graph: Graph, from: NodeId, to: NodeId): boolean {
  const outgoing = new Map<NodeId, NodeId[]>();
  for (const e of graph.edges) {
    const list = outgoing.get(e.source);
    if (list) list.push(e.target);
    else outgoing.set(e.source, [e.target]);
  }
  const seen = new Set<NodeId>([from]);
  const stack = [from];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (id === to) return true;
    for (const next of outgoing.get(id) ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        stack.push(next);
      }
    }
  }
  return false;
}

/**
 * Null when the wire may be added; otherwise why not. Checks, in order: a block wired to itself,
 * the same wire twice, a loop, an input that takes one wire and has it, a port the block does not
 * have, and shapes that do not fit. A shape that cannot be known yet (the data is still being read,
 * an upstream block is broken) is no reason to refuse: the wire is added and validation speaks.
 */
export function checkWire(graph: Graph, facts: DataFacts, wire: WireProposal): WireRefusal | null {
  const ends = { source: wire.source, target: wire.target, port: wire.targetPort };
  if (wire.source === wire.target) {
    return { ...ends, code: 'self-loop', message: `"${wire.source}" cannot feed itself.`, hint: 'Wire it to a block further on.' };
  }
  const edges = graph.edges;
  if (edges.some((e) => e.source === wire.source && e.sourcePort === wire.sourcePort && e.target === wire.target && e.targetPort === wire.targetPort)) {
    return { ...ends, code: 'duplicate', message: `"${wire.source}" is already wired into "${wire.target}".` };
  }
  if (reaches(graph, wire.target, wire.source)) {
    return {
      ...ends,
      code: 'cycle',
      message: `This wire would make a loop: "${wire.target}" already feeds "${wire.source}".`,
      hint: 'Data flows one way, from the Input to the Output; wire a block that comes later.',
    };
  }
  const targetNode = graph.nodes.find((n) => n.id === wire.target);
  const group = targetNode?.type === GROUP_TYPE ? groupOf(graph, targetNode) : undefined;
  const block = targetNode && !group ? getBlock(targetNode.type) : undefined;
  // A group's input ports take one wire each, like most blocks' inputs.
  const port = group ? group.inputs.find((p) => p.name === wire.targetPort) && { multiple: false } : block?.inputs.find((p) => p.name === wire.targetPort);
  if ((block || group) && !port) {
    return { ...ends, code: 'unknown-port', message: `"${wire.target}" has no input "${wire.targetPort}".` };
  }
  if (port && !port.multiple) {
    const taken = edges.find((e) => e.target === wire.target && e.targetPort === wire.targetPort);
    if (taken) {
      return {
        ...ends,
        code: 'occupied',
        taken: taken.source,
        message: `"${wire.target}" already takes its input from "${taken.source}".`,
        hint: 'Delete that wire first, or join both paths with a Residual or a Concat block.',
      };
    }
  }
  // The graph validation will see: groups expanded, the wire into a group fanned out to the
  // inner ports it feeds (under ids "proposed wire", "proposed wire/2", ...).
  const proposed: GraphEdge = { id: PROPOSED, ...wire };
  const expansion = expandGroups({ ...graph, edges: [...edges, proposed] });
  const analysis = inferGraph(expansion.graph, facts);
  const isProposed = (id: EdgeId | undefined) => id !== undefined && (id === PROPOSED || id.startsWith(`${PROPOSED}/`));
  const fed = new Set<string>(expansion.graph.edges.filter((e) => isProposed(e.id)).map((e) => e.target));
  const candidates = analysis.issues.filter(
    (i) =>
      SHAPE_CODES.has(i.code) &&
      (isProposed(i.edgeId) ||
        (i.nodeId !== undefined && i.edgeId === undefined && fed.has(i.nodeId)) ||
        // Inside a group, what its blocks say once this wire feeds them is about this wire.
        (group !== undefined && i.nodeId !== undefined && expansion.origin.get(i.nodeId) === wire.target)),
  );
  // A complaint made before this wire (about the target's other wires) is not this wire's fault.
  const before = candidates.some((i) => !isProposed(i.edgeId)) ? inferGraph(expandGroups(graph).graph, facts).issues : [];
  const bad = candidates.find((i) => isProposed(i.edgeId) || !before.some((b) => b.nodeId === i.nodeId && b.message === i.message));
  if (bad) {
    const said = liftIssue(bad, expansion);
    const inGroup =
      said.nodeId !== undefined && said.nodeId !== bad.nodeId && bad.nodeId !== undefined
        ? { group: said.nodeId, block: bad.nodeId.slice(bad.nodeId.indexOf('/') + 1) }
        : undefined;
    return {
      ...ends,
      code: 'shape',
      issueCode: bad.code,
      message: said.message,
      ...(said.hint ? { hint: said.hint } : {}),
      issue: bad,
      ...(inGroup ? { inGroup } : {}),
    };
  }
  return null;
}
