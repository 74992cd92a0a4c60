/** Groups: made from blocks, expanded for validation, placed twice, expanded back, migrated in. */
import { describe, expect, it } from 'vitest';
import { DocumentSchema, GROUP_TYPE, nodeId, type Graph } from '../../../engine/graph/document';
import { expandGroupNode, expandGroups, groupSelection, liftIssue } from '../../../engine/graph/groups';
import { parseDocument, serializeDocument } from '../../../engine/graph/load';
import { inferGraph } from '../../../engine/graph/validate';
import { checkWire } from '../../../engine/graph/wireCheck';
import { residualGraph } from './fixtures';

const BLOCK = ['conv_a', 'bn', 'conv_b', 'add'].map(nodeId);

function grouped(): { graph: Graph; node: string } {
  const r = groupSelection(residualGraph(), BLOCK, 'Residual block');
  if (!r.ok) throw new Error(r.reason);
  return { graph: r.graph, node: r.node };
}

describe('a group made from blocks', () => {
  it('has one input feeding both the main and the skip path, and the add as its output', () => {
    const { graph, node } = grouped();
    const def = graph.groups![0]!;
    expect(def).toMatchObject({ id: 'residual-block', name: 'Residual block', output: 'add' });
    expect(def.inputs).toEqual([
      {
        name: 'in',
        targets: [
          { node: 'conv_a', port: 'in' },
          { node: 'add', port: 'in' },
        ],
      },
    ]);
    expect(graph.nodes.map((n) => n.id)).toEqual(['x', 'flat', 'out', node]);
    expect(graph.nodes.at(-1)).toMatchObject({ type: GROUP_TYPE, params: { group: 'residual-block' } });
    expect(graph.edges.map((e) => `${e.source}->${e.target}:${e.targetPort}`).sort()).toEqual([`${node}->flat:in`, 'flat->out:in', `x->${node}:in`].sort());
  });

  it('validates as its blocks: the same shapes and parameter count as before grouping', () => {
    const before = inferGraph(residualGraph(), {});
    const { graph } = grouped();
    const expansion = expandGroups(graph);
    const after = inferGraph(expansion.graph, {});
    expect(after.issues).toEqual([]);
    expect(after.nodeTypes.flat).toEqual(before.nodeTypes.flat);
    const params = (a: typeof before) => Object.values(a.costs).reduce((s, c) => s + c.params, 0);
    expect(params(after)).toBe(params(before));
  });

  it('placed twice is two independent copies of its blocks', () => {
    const { graph, node } = grouped();
    // A second instance between the first and Flatten.
    const second = { id: nodeId('res2'), type: GROUP_TYPE, params: { group: 'residual-block' } };
    const edges = graph.edges.filter((e) => e.target !== 'flat');
    const twice: Graph = {
      ...graph,
      nodes: [...graph.nodes, second],
      edges: [
        ...edges,
        { id: 'g1', source: nodeId(node), sourcePort: 'out', target: second.id, targetPort: 'in' } as Graph['edges'][number],
        { id: 'g2', source: second.id, sourcePort: 'out', target: nodeId('flat'), targetPort: 'in' } as Graph['edges'][number],
      ],
    };
    const expansion = expandGroups(twice);
    expect(expansion.graph.nodes.filter((n) => n.type === 'Conv1D')).toHaveLength(4);
    expect(expansion.outputs.get(second.id)).toBe('res2/add');
    const analysis = inferGraph(expansion.graph, {});
    expect(analysis.issues).toEqual([]);
    expect(analysis.nodeTypes.flat?.shape).toEqual([null, 32]);
  });

  it('says what is wrong inside it about the group node', () => {
    const { graph, node } = grouped();
    const def = graph.groups![0]!;
    const broken: Graph = {
      ...graph,
      groups: [{ ...def, nodes: def.nodes.map((n) => (n.id === 'conv_b' ? { ...n, params: { ...n.params, filters: 6 } } : n)) }],
    };
    const expansion = expandGroups(broken);
    const issues = inferGraph(expansion.graph, {}).issues.map((i) => liftIssue(i, expansion));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: 'shape-mismatch', nodeId: node });
    expect(issues[0]!.message).toMatch(/^In group ".+", block "add": Residual inputs have different shapes/);
    expect(issues[0]!.edgeId).toBeUndefined();
  });

  it('refuses a selection with two outputs, or with the Input', () => {
    expect(groupSelection(residualGraph(), ['conv_a', 'bn'].map(nodeId), 'x')).toMatchObject({ ok: true });
    const two = groupSelection(residualGraph(), ['conv_a', 'conv_b'].map(nodeId), 'x');
    expect(two).toMatchObject({ ok: false, reason: expect.stringMatching(/one output/) });
    expect(groupSelection(residualGraph(), ['x', 'conv_a'].map(nodeId), 'x')).toMatchObject({ ok: false, reason: expect.stringMatching(/Input/) });
  });

  it('expands back into its blocks, wired as they were', () => {
    const { graph, node } = grouped();
    const back = expandGroupNode(graph, nodeId(node))!;
    expect(back.ids.sort()).toEqual(['add', 'bn', 'conv_a', 'conv_b']);
    const wires = (g: Graph) => g.edges.map((e) => `${e.source}->${e.target}`).sort();
    expect(wires(back.graph)).toEqual(wires(residualGraph()));
    expect(inferGraph(back.graph, {}).nodeTypes.flat).toEqual(inferGraph(residualGraph(), {}).nodeTypes.flat);
    // Where the group stood, in the group's own arrangement.
    const conv = back.graph.nodes.find((n) => n.id === 'conv_a')!;
    expect(conv.ui).toEqual(graph.nodes.find((n) => n.id === node)!.ui);
  });

  it('refuses a wire into a group whose blocks cannot take its shape, with their words', () => {
    const { graph, node } = grouped();
    const open: Graph = { ...graph, edges: graph.edges.filter((e) => e.target !== node) };
    const wide = { id: nodeId('wide'), type: 'Conv1D', params: { filters: 6, kernelSize: 1 } };
    const g: Graph = {
      ...open,
      nodes: [...open.nodes, wide],
      edges: [...open.edges, { id: 'w', source: nodeId('x'), sourcePort: 'out', target: wide.id, targetPort: 'in' } as Graph['edges'][number]],
    };
    const refusal = checkWire(g, {}, { source: wide.id, sourcePort: 'out', target: nodeId(node), targetPort: 'in' });
    expect(refusal).toMatchObject({ code: 'shape', message: expect.stringMatching(/In group .*different shapes/) });
    expect(checkWire(g, {}, { source: nodeId('x'), sourcePort: 'out', target: nodeId(node), targetPort: 'in' })).toBeNull();
    expect(checkWire(g, {}, { source: nodeId('x'), sourcePort: 'out', target: nodeId(node), targetPort: 'nope' })?.code).toBe('unknown-port');
  });
});

describe('groups in the file format (v3)', () => {
  const doc = () => DocumentSchema.parse({ format: 'modelwright', schemaVersion: 3, graph: grouped().graph });

  it('round-trip through a file for the editor, and reach everyone else expanded', () => {
    const text = serializeDocument(doc());
    const kept = parseDocument(text, { keepGroups: true });
    expect(kept.ok && kept.doc.graph.groups?.[0]?.name).toBe('Residual block');
    const plain = parseDocument(text);
    if (!plain.ok) throw new Error(plain.error);
    expect(plain.doc.graph.groups).toBeUndefined();
    expect(plain.doc.graph.nodes.some((n) => n.type === GROUP_TYPE)).toBe(false);
    expect(inferGraph(plain.doc.graph, {}).issues).toEqual([]);
  });

  it('a group node naming no definition fails to load for the engine, naming the node', () => {
    const d = doc();
    const text = serializeDocument({ ...d, graph: { ...d.graph, groups: [] } });
    const r = parseDocument(text);
    expect(r).toMatchObject({ ok: false, error: expect.stringMatching(/graph\.nodes\[3\] \("residualblock1"\): .*not defined/) });
    // The editor still opens it, and validation says the same at the node.
    expect(parseDocument(text, { keepGroups: true }).ok).toBe(true);
  });

  it('a group that contains itself is refused, not expanded forever', () => {
    const d = doc();
    const def = d.graph.groups![0]!;
    const loop = { ...def, nodes: [...def.nodes, { id: nodeId('me'), type: GROUP_TYPE, params: { group: def.id } }] };
    const expansion = expandGroups({ ...d.graph, groups: [loop] });
    expect(expansion.issues[0]?.message).toMatch(/contains itself/);
  });
});
