/**
 * Validation and shape inference of a graph. Runs live in the renderer on every edit, so it is
 * O(nodes + edges), allocates little, and reports every user mistake as a value, never throws.
 */
import type { z } from 'zod';
import type { BlockDef } from '../blocks/defineBlock';
import { getBlock } from '../blocks/registry';
import { reportCycles } from './cycles';
import type { Document, EdgeId, Graph, GraphEdge, GraphNode, NodeId } from './document';
import type { IssueMessageKey, IssueParams } from './issueWords';
import type { Cost, DataFacts, GraphAnalysis, GraphIssue, NodeReport, TensorType, ValidateResult } from './types';

type Parsed = { ok: true; value: Record<string, unknown> } | { ok: false; issues: GraphIssue[] };

function parseParams(node: GraphNode, block: BlockDef): Parsed {
  const raw = node.params ?? {};
  const issues: GraphIssue[] = [];
  const known = block.params.shape as Record<string, unknown>;
  for (const key of Object.keys(raw)) {
    if (!(key in known)) {
      const names = Object.keys(known);
      issues.push({
        code: 'unknown-param',
        nodeId: node.id,
        message: `${block.type} has no param "${key}".`,
        hint: names.length ? `Its params are: ${names.join(', ')}. Remove "${key}".` : `${block.type} takes no params; remove "${key}".`,
        key: 'unknown-param',
        hintKey: names.length ? 'unknown-param-list' : 'unknown-param-none',
        params: { block: block.type, param: key, params: names.join(', ') },
      });
    }
  }
  const parsed = (block.params as z.ZodObject).safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = issue.path.map(String).join('.') || '(params)';
      const value = issue.path.length ? describeValue(getPath(raw, issue.path)) : '';
      const help = issue.path.length ? (known[String(issue.path[0])] as { description?: string } | undefined)?.description : undefined;
      const words = zodWords(issue);
      issues.push({
        code: 'bad-param',
        nodeId: node.id,
        message: `${block.type} param "${name}"${value ? ` = ${value}` : ''}: ${issue.message}.`,
        ...(help ? { hint: help } : {}),
        key: words.key,
        params: { block: block.type, param: name, value, reason: issue.message, ...words.params },
      });
    }
  }
  return issues.length || !parsed.success ? { ok: false, issues } : { ok: true, value: parsed.data as Record<string, unknown> };
}

/** Which bad-param sentence a zod issue is, and the bound or options it names. */
function zodWords(issue: z.core.$ZodIssue): { key: IssueMessageKey; params: IssueParams } {
  switch (issue.code) {
    case 'too_small':
      return { key: 'bad-param-too-small', params: { min: String(issue.minimum) } };
    case 'too_big':
      return { key: 'bad-param-too-big', params: { max: String(issue.maximum) } };
    case 'invalid_value':
      return { key: 'bad-param-not-one-of', params: { options: issue.values.map((v) => JSON.stringify(v)).join(', ') } };
    case 'invalid_type':
      return issue.expected === 'int' ? { key: 'bad-param-not-integer', params: {} } : { key: 'bad-param-wrong-type', params: { expected: issue.expected } };
    default:
      return { key: 'bad-param', params: {} };
  }
}

function getPath(value: unknown, path: readonly PropertyKey[]): unknown {
  let v = value;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

function describeValue(v: unknown): string {
  if (v === undefined) return '';
  const text = JSON.stringify(v);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/**
 * Checks a graph and infers the type on every wire. `facts` supplies what `"auto"` params take
 * from the data; without them, blocks that need them report a `data-mismatch`.
 */
export function inferGraph(graph: Graph, facts: DataFacts): GraphAnalysis {
  const issues: GraphIssue[] = [];
  const nodeTypes: Record<string, TensorType | null> = {};
  const edgeTypes: Record<string, TensorType | null> = {};
  const costs: Record<string, Cost> = {};
  const params: Record<string, Record<string, unknown>> = {};
  const order: NodeId[] = [];

  if (graph.nodes.length === 0) {
    issues.push({
      code: 'empty-graph',
      message: 'The graph has no blocks.',
      hint: 'Drag an Input, some layers and an Output from the palette, or open an example.',
      key: 'empty-graph',
      hintKey: 'empty-graph',
    });
    return { nodeTypes, edgeTypes, issues, order, costs, params };
  }

  // Nodes: unique ids, known types, valid params.
  const nodes = new Map<NodeId, { node: GraphNode; block: BlockDef | undefined; params: Record<string, unknown> | undefined }>();
  for (const node of graph.nodes) {
    if (nodes.has(node.id)) {
      issues.push({
        code: 'duplicate-id',
        nodeId: node.id,
        message: `Two blocks have the id "${node.id}".`,
        hint: 'Give each block its own id.',
        key: 'duplicate-node-id',
        hintKey: 'duplicate-node-id',
        params: { id: node.id },
      });
      continue;
    }
    nodeTypes[node.id] = null;
    const block = getBlock(node.type);
    if (!block) {
      issues.push({
        code: 'unknown-type',
        nodeId: node.id,
        message: `Unknown block type "${node.type}".`,
        hint: 'This file may come from a newer Modelwright, or the type is misspelt (names are case-sensitive, e.g. "Conv1D").',
        key: 'unknown-type',
        hintKey: 'unknown-type',
        params: { type: node.type },
      });
      nodes.set(node.id, { node, block: undefined, params: undefined });
      continue;
    }
    const parsed = parseParams(node, block);
    if (parsed.ok) params[node.id] = parsed.value;
    else issues.push(...parsed.issues);
    nodes.set(node.id, { node, block, params: parsed.ok ? parsed.value : undefined });
  }

  // Edges: both ends exist, the ports exist, ids unique. Good edges are grouped by target port.
  const seenEdges = new Set<string>();
  const incoming = new Map<NodeId, Map<string, GraphEdge[]>>();
  const outgoing = new Map<NodeId, GraphEdge[]>();
  for (const edge of graph.edges) {
    if (seenEdges.has(edge.id)) {
      issues.push({
        code: 'duplicate-id',
        edgeId: edge.id,
        nodeId: edge.target,
        port: edge.targetPort,
        message: `Two wires have the id "${edge.id}".`,
        hint: 'Give each wire its own id.',
        key: 'duplicate-wire-id',
        hintKey: 'duplicate-wire-id',
        params: { id: edge.id },
      });
      continue;
    }
    seenEdges.add(edge.id);
    edgeTypes[edge.id] = null;
    const source = nodes.get(edge.source);
    const target = nodes.get(edge.target);
    if (!source || !target) {
      const missing = !source ? edge.source : edge.target;
      issues.push({
        code: 'dangling-edge',
        edgeId: edge.id,
        ...(target ? { nodeId: edge.target, port: edge.targetPort } : source ? { nodeId: edge.source, port: edge.sourcePort } : {}),
        message: `Wire "${edge.id}" ${!source ? 'comes from' : 'goes to'} a block "${missing}" that is not in the graph.`,
        hint: 'Delete the wire, or connect it to a block that exists.',
        key: !source ? 'dangling-edge-from' : 'dangling-edge-to',
        hintKey: 'dangling-edge',
        params: { edge: edge.id, missing },
      });
      continue;
    }
    if (edge.sourcePort !== 'out') {
      issues.push({
        code: 'unknown-port',
        edgeId: edge.id,
        nodeId: edge.source,
        port: edge.sourcePort,
        message: `Blocks have one output port, "out"; wire "${edge.id}" starts at "${edge.sourcePort}".`,
        hint: 'Start the wire at "out".',
        key: 'unknown-source-port',
        hintKey: 'start-at-out',
        params: { edge: edge.id, port: edge.sourcePort },
      });
      continue;
    }
    if (target.block && !target.block.inputs.some((p) => p.name === edge.targetPort)) {
      const ports = target.block.inputs.map((p) => `"${p.name}"`).join(', ');
      issues.push({
        code: 'unknown-port',
        edgeId: edge.id,
        nodeId: edge.target,
        port: edge.targetPort,
        message: ports
          ? `${target.block.type} has no input port "${edge.targetPort}" (its inputs: ${ports}).`
          : `${target.block.type} takes no inputs; it is where data enters.`,
        hint: 'Delete this wire.',
        key: ports ? 'unknown-target-port' : 'no-input-ports',
        hintKey: 'delete-wire',
        params: { block: target.block.type, port: edge.targetPort, ports },
      });
      continue;
    }
    let ports = incoming.get(edge.target);
    if (!ports) incoming.set(edge.target, (ports = new Map()));
    const list = ports.get(edge.targetPort);
    if (list) list.push(edge);
    else ports.set(edge.targetPort, [edge]);
    const outs = outgoing.get(edge.source);
    if (outs) outs.push(edge);
    else outgoing.set(edge.source, [edge]);
  }

  // Port arity.
  const ready = new Set<NodeId>();
  for (const [id, { block }] of nodes) {
    if (!block) continue;
    let fine = true;
    const ports = incoming.get(id);
    for (const port of block.inputs) {
      const edges = ports?.get(port.name) ?? [];
      const min = port.min ?? 1;
      if (!port.multiple && edges.length > 1) {
        fine = false;
        for (const extra of edges.slice(1)) {
          issues.push({
            code: 'too-many-inputs',
            nodeId: id,
            port: port.name,
            edgeId: extra.id,
            message: `${block.type} takes one wire on "${port.name}"; this is wire ${edges.indexOf(extra) + 1} of ${edges.length}.`,
            hint: 'To add or join two paths, wire them into a Residual or a Concat block first.',
            key: 'too-many-inputs',
            hintKey: 'join-paths',
            params: { block: block.type, port: port.name, index: edges.indexOf(extra) + 1, count: edges.length },
          });
        }
      }
      if (edges.length < min) {
        fine = false;
        issues.push({
          code: 'missing-input',
          nodeId: id,
          port: port.name,
          message:
            min === 1
              ? `${block.type} has nothing wired into "${port.name}".`
              : `${block.type} needs at least ${min} wires into "${port.name}"; it has ${edges.length}.`,
          hint: 'Drag a wire from the output of the block that should feed it.',
          key: min === 1 ? 'missing-input' : 'missing-inputs-min',
          hintKey: 'drag-wire',
          params: { block: block.type, port: port.name, min, count: edges.length },
        });
      }
    }
    if (fine) ready.add(id);
  }

  // Topological order (Kahn). Unknown or broken nodes still take part, so cycles through them show.
  const indegree = new Map<NodeId, number>();
  for (const id of nodes.keys()) indegree.set(id, 0);
  for (const outs of outgoing.values()) for (const e of outs) indegree.set(e.target, (indegree.get(e.target) ?? 0) + 1);
  const queue: NodeId[] = [];
  for (const [id, d] of indegree) if (d === 0) queue.push(id);
  for (let head = 0; head < queue.length; head++) {
    const id = queue[head]!;
    order.push(id);
    for (const e of outgoing.get(id) ?? []) {
      const d = indegree.get(e.target)! - 1;
      indegree.set(e.target, d);
      if (d === 0) queue.push(e.target);
    }
  }
  if (order.length < nodes.size) reportCycles(nodes, outgoing, new Set(order), issues);

  // Inference in order. A node whose inputs are unknown stays unknown without a second issue.
  for (const id of order) {
    const entry = nodes.get(id)!;
    const { block } = entry;
    if (!block || !entry.params || !ready.has(id)) continue;
    const inputs: TensorType[] = [];
    const inputEdgeIds: EdgeId[] = [];
    let known = true;
    const ports = incoming.get(id);
    for (const port of block.inputs) {
      for (const e of ports?.get(port.name) ?? []) {
        const t = nodeTypes[e.source];
        if (!t) known = false;
        else inputs.push(t);
        inputEdgeIds.push(e.id);
      }
    }
    if (!known) continue;
    const ctx = { nodeId: id, data: facts, inputEdgeIds };
    const result = block.inferShape(entry.params, inputs, ctx);
    if (!result.ok) {
      for (const issue of result.issues) {
        const edgeId = issue.edgeId ?? singleEdge(ports, issue.port);
        issues.push({ ...issue, nodeId: id, ...(edgeId ? { edgeId } : {}) });
      }
      continue;
    }
    const maskedFrom = block.acceptsMask ? -1 : inputs.findIndex((t) => t.masked === true);
    if (maskedFrom >= 0) {
      issues.push({
        code: 'dtype-mismatch',
        nodeId: id,
        port: 'in',
        edgeId: inputEdgeIds[maskedFrom]!,
        message: `${block.type} cannot take a masked sequence: an Embedding upstream has maskZero on.`,
        hint: 'Turn maskZero off, or put a GRU/LSTM/SimpleRNN between the Embedding and this block.',
        key: 'masked-input',
        hintKey: 'masked-input',
        params: { block: block.type },
      });
      continue;
    }
    nodeTypes[id] = result.out;
    costs[id] = block.cost(entry.params, inputs, result.out, ctx);
    for (const e of outgoing.get(id) ?? []) edgeTypes[e.id] = result.out;
  }

  // Exactly one Output, and one Input (the data feeds one tensor).
  const outputs: NodeId[] = [];
  const inputNodes: NodeId[] = [];
  for (const [id, { block }] of nodes) {
    if (block?.role === 'output') outputs.push(id);
    if (block?.role === 'input') inputNodes.push(id);
  }
  for (const id of inputNodes.slice(1)) {
    issues.push({
      code: 'data-mismatch',
      nodeId: id,
      port: 'out',
      message: `The data feeds one Input; this is Input ${inputNodes.indexOf(id) + 1} of ${inputNodes.length} (the first is "${inputNodes[0]}").`,
      hint: 'Delete the extra Input and wire its blocks from the first one.',
      key: 'several-inputs',
      hintKey: 'several-inputs',
      params: { index: inputNodes.indexOf(id) + 1, count: inputNodes.length, first: inputNodes[0]! },
    });
  }
  if (outputs.length === 0) {
    issues.push({
      code: 'no-output',
      message: 'The graph has no Output block, so there is nothing to train.',
      hint: 'Add an Output block at the end and wire the last layer into it.',
      key: 'no-output',
      hintKey: 'no-output',
    });
  }
  for (const id of outputs.slice(1)) {
    issues.push({
      code: 'several-outputs',
      nodeId: id,
      message: `A model has exactly one Output; this is Output ${outputs.indexOf(id) + 1} of ${outputs.length} (the first is "${outputs[0]}").`,
      hint: 'Delete the extra Output blocks, or join their paths with a Concat before one Output.',
      key: 'several-outputs',
      hintKey: 'several-outputs',
      params: { index: outputs.indexOf(id) + 1, count: outputs.length, first: outputs[0]! },
    });
  }

  return { nodeTypes, edgeTypes, issues, order, costs, params };
}

function singleEdge(ports: Map<string, GraphEdge[]> | undefined, port: string | undefined): EdgeId | undefined {
  if (!port || !ports) return undefined;
  const edges = ports.get(port);
  return edges && edges.length === 1 ? edges[0]!.id : undefined;
}

/**
 * Validates a whole document: the result the CLI's `validate --json` prints and the UI shows. A
 * document without a `data` section is checked on its own, whatever `facts` say: explicit shapes
 * are checked, `"auto"` params are reported as needing data.
 */
export function validateDocument(doc: Document, facts: DataFacts): ValidateResult {
  const analysis = inferGraph(doc.graph, doc.data ? facts : {});
  return toValidateResult(doc.graph, analysis);
}

/** The per-node report and totals of an analysis, in topological order (unsorted nodes last). */
export function toValidateResult(graph: Graph, analysis: GraphAnalysis): ValidateResult {
  const byId = new Map<NodeId, GraphNode>();
  for (const node of graph.nodes) if (!byId.has(node.id)) byId.set(node.id, node);
  const ids = [...analysis.order];
  const inOrder = new Set(ids);
  for (const id of byId.keys()) if (!inOrder.has(id)) ids.push(id);
  const nodes: NodeReport[] = [];
  let totalParams = 0;
  let totalMacs = 0;
  for (const id of ids) {
    const node = byId.get(id)!;
    const cost = analysis.costs[id];
    totalParams += cost?.params ?? 0;
    totalMacs += cost?.macs ?? 0;
    nodes.push({
      id,
      type: node.type,
      outputShape: analysis.nodeTypes[id]?.shape ?? null,
      params: analysis.params[id] ?? node.params ?? {},
      paramCount: cost?.params ?? 0,
      macs: cost?.macs ?? 0,
    });
  }
  return { ok: analysis.issues.length === 0, nodes, errors: analysis.issues, totals: { params: totalParams, macs: totalMacs } };
}
