import { describe, expect, it } from 'vitest';
import { DocumentSchema, edgeId, nodeId, type Document } from '../../../../engine/graph/document';
import { addNode, connect, duplicate, moveNodes, removeElements, setParam } from '../../../../renderer/state/edits';

function doc(): Document {
  return DocumentSchema.parse({
    format: 'modelwright',
    schemaVersion: 1,
    graph: {
      nodes: [
        { id: 'in', type: 'Input', params: {}, ui: { x: 0, y: 0 } },
        { id: 'flat', type: 'Flatten', params: {}, ui: { x: 200, y: 0 } },
        { id: 'out', type: 'Output', params: { units: 'auto' }, ui: { x: 400, y: 0 } },
      ],
      edges: [
        { id: 'e1', source: 'in', target: 'flat' },
        { id: 'e2', source: 'flat', target: 'out' },
      ],
    },
  });
}

const [IN, FLAT, OUT] = [nodeId('in'), nodeId('flat'), nodeId('out')];

describe('document edits', () => {
  it('adds a block under a fresh readable id without touching the original', () => {
    const d = doc();
    const a = addNode(d, 'Dropout', { rate: 0.5 }, { x: 10.4, y: 20.6 });
    const b = addNode(a.doc, 'Dropout', {}, { x: 0, y: 0 });
    expect([a.id, b.id]).toEqual(['dropout1', 'dropout2']);
    expect(a.doc.graph.nodes.at(-1)).toMatchObject({ id: 'dropout1', type: 'Dropout', params: { rate: 0.5 }, ui: { x: 10, y: 21 } });
    expect(d.graph.nodes).toHaveLength(3);
  });

  it('removes blocks with every wire that touches them', () => {
    const d = removeElements(doc(), [FLAT], []);
    expect(d.graph.nodes.map((n) => n.id)).toEqual(['in', 'out']);
    expect(d.graph.edges).toEqual([]);
    const same = doc();
    expect(removeElements(same, [nodeId('nope')], [edgeId('nope')])).toBe(same);
  });

  it('adds a wire without ever removing another; a duplicate or a self-loop changes nothing', () => {
    const one = connect(doc(), { source: IN, sourcePort: 'out', target: OUT, targetPort: 'in' });
    expect(one.doc.graph.edges.map((e) => `${e.source}->${e.target}`)).toEqual(['in->flat', 'flat->out', 'in->out']);
    const d = doc();
    expect(connect(d, { source: FLAT, sourcePort: 'out', target: OUT, targetPort: 'in' })).toEqual({ doc: d, edgeId: null });
    expect(connect(d, { source: FLAT, sourcePort: 'out', target: FLAT, targetPort: 'in' }).edgeId).toBeNull();
  });

  it('names a new wire after its ends, short enough to be an edge id however long the node ids are', () => {
    const d = doc();
    expect(connect(d, { source: IN, sourcePort: 'out', target: OUT, targetPort: 'in' }).edgeId).toBe('e-in-out');
    const [a, b] = [nodeId('a'.repeat(200)), nodeId('b'.repeat(200))];
    const long = DocumentSchema.parse({ ...d, graph: { nodes: [...d.graph.nodes, { id: a, type: 'Dense' }, { id: b, type: 'Dense' }], edges: [] } });
    const first = connect(long, { source: a, sourcePort: 'out', target: b, targetPort: 'in' });
    const second = connect(first.doc, { source: a, sourcePort: 'out', target: b, targetPort: 'x' });
    expect(first.edgeId!.length).toBeLessThanOrEqual(200);
    expect(second.edgeId).toBe(`${first.edgeId!}-2`);
    expect(DocumentSchema.safeParse(second.doc).success).toBe(true);
  });

  it('sets and clears a param, and returns the same document when nothing changes', () => {
    const d = doc();
    const set = setParam(d, OUT, 'units', 7);
    expect(set.graph.nodes[2]!.params).toEqual({ units: 7 });
    expect(setParam(set, OUT, 'units', 7)).toBe(set);
    expect(setParam(set, OUT, 'units', undefined).graph.nodes[2]!.params).toEqual({});
    // Other nodes keep their identity, so the canvas re-renders only what changed.
    expect(set.graph.nodes[0]).toBe(d.graph.nodes[0]);
  });

  it('moves blocks, and duplicates a selection with the wires inside it', () => {
    const moved = moveNodes(doc(), new Map([[FLAT, { x: 1, y: 2 }]]));
    expect(moved.graph.nodes[1]!.ui).toEqual({ x: 1, y: 2 });
    const copy = duplicate(doc(), [IN, FLAT]);
    expect(copy.ids).toEqual(['input1', 'flatten1']);
    expect(copy.doc.graph.edges.at(-1)).toMatchObject({ source: 'input1', target: 'flatten1' });
    expect(copy.doc.graph.nodes.at(-1)!.ui).toEqual({ x: 240, y: 40 });
  });
});

describe('renaming and the clipboard', () => {
  it('renames a block and the wires that name it, and refuses a taken or odd id', async () => {
    const { nodeIdProblem, renameNode } = await import('../../../../renderer/state/edits');
    const d = doc();
    const r = renameNode(d, FLAT, nodeId('flatten'));
    expect(r.graph.nodes.map((n) => n.id)).toEqual(['in', 'flatten', 'out']);
    expect(r.graph.edges.map((e) => `${e.source}->${e.target}`)).toEqual(['in->flatten', 'flatten->out']);
    expect(nodeIdProblem(d, FLAT, 'out')).toMatch(/already/);
    expect(nodeIdProblem(d, FLAT, '1 bad')).toMatch(/letter/);
    expect(renameNode(d, FLAT, OUT)).toBe(d);
  });

  it('pastes a copied fragment under fresh ids, wires included, however often', async () => {
    const { copyFragment, pasteFragment } = await import('../../../../renderer/state/edits');
    const fragment = copyFragment(doc(), [FLAT, OUT]);
    expect(fragment.edges.map((e) => e.id)).toEqual(['e2']);
    const once = pasteFragment(doc(), fragment, { x: 0, y: 100 });
    const twice = pasteFragment(once.doc, fragment, { x: 0, y: 200 });
    expect(twice.ids).toEqual(['flatten2', 'output2']);
    expect(twice.doc.graph.edges.at(-1)).toMatchObject({ source: 'flatten2', target: 'output2' });
  });
});
