/** Finding the loops in a graph, for validation. O(nodes + edges). */
import type { GraphIssue } from './types';
import type { GraphEdge } from './document';

/**
 * Flags the wires of every cycle. Kahn's algorithm left the nodes on or after a cycle; peeling
 * off, in reverse, those that lead to no other leftover node keeps the ones on a cycle.
 */
export function reportCycles(nodes: ReadonlyMap<string, unknown>, outgoing: Map<string, GraphEdge[]>, sorted: Set<string>, issues: GraphIssue[]): void {
  const left = new Set<string>();
  for (const id of nodes.keys()) if (!sorted.has(id)) left.add(id);
  const outdeg = new Map<string, number>();
  const into = new Map<string, GraphEdge[]>();
  for (const id of left) {
    let d = 0;
    for (const e of outgoing.get(id) ?? []) {
      if (!left.has(e.target)) continue;
      d++;
      const list = into.get(e.target);
      if (list) list.push(e);
      else into.set(e.target, [e]);
    }
    outdeg.set(id, d);
  }
  const queue: string[] = [];
  for (const [id, d] of outdeg) if (d === 0) queue.push(id);
  for (let head = 0; head < queue.length; head++) {
    const id = queue[head]!;
    left.delete(id);
    for (const e of into.get(id) ?? []) {
      const d = outdeg.get(e.source)! - 1;
      outdeg.set(e.source, d);
      if (d === 0) queue.push(e.source);
    }
  }
  for (const id of left) {
    for (const e of outgoing.get(id) ?? []) {
      if (!left.has(e.target)) continue;
      issues.push({
        code: 'cycle',
        nodeId: e.target,
        port: e.targetPort,
        edgeId: e.id,
        message: `The wire from "${e.source}" to "${e.target}" is part of a loop; data must flow one way, from the Input to the Output.`,
        hint: 'Delete one of the wires that lead back to an earlier block.',
        key: 'cycle',
        hintKey: 'cycle',
        params: { source: e.source, target: e.target },
      });
    }
  }
}
