import { describe, expect, it } from 'vitest';
import { DocumentSchema, nodeId, type Document, type EdgeId, type NodeId } from '../../../../engine/graph/document';
import type { DataFacts } from '../../../../engine/graph/types';
import { moveNodes, setParam } from '../../../../renderer/state/edits';
import { analysisOf } from '../../../../renderer/state/analysis';
import { blockDataById, edgeDataById, stableEdges, stableNodes } from '../../../../renderer/canvas/flowElements';
import type { BlockFlowNode, BlockNodeData } from '../../../../renderer/canvas/BlockNode';
import type { ShapeEdgeData, ShapeFlowEdge } from '../../../../renderer/canvas/ShapeEdge';
import { stableLooks } from '../../../../renderer/canvas/looks';
import { t } from '../../../../renderer/i18n';

const FACTS: DataFacts = { inputShape: [17, 77], inputDtype: 'float32', numClasses: 18 };
const NO_RUN_ISSUES: readonly never[] = [];

/** Input, Flatten, then Dense/Dropout pairs, then Output: `n` blocks in a chain, as the editor bench builds. */
function chain(n: number): Document {
  const nodes: { id: string; type: string; params: Record<string, unknown>; ui?: { x: number; y: number } }[] = [
    { id: 'in', type: 'Input', params: { shape: 'auto' } },
    { id: 'flat', type: 'Flatten', params: {} },
  ];
  for (let i = 0; nodes.length < n - 1; i++)
    nodes.push(i % 2 === 0 ? { id: `dense${i}`, type: 'Dense', params: { units: 16 } } : { id: `drop${i}`, type: 'Dropout', params: { rate: 0.1 } });
  nodes.push({ id: 'out', type: 'Output', params: { units: 'auto' } });
  nodes.forEach((node, i) => (node.ui = { x: (i % 15) * 300, y: Math.floor(i / 15) * 140 }));
  const edges = nodes.slice(1).map((node, i) => ({ id: `e${i}`, source: nodes[i]!.id, target: node.id }));
  return DocumentSchema.parse({ format: 'modelwright', schemaVersion: 3, graph: { nodes, edges } });
}

/** The canvas's derivation, as Canvas.tsx runs it, carrying its caches from one call to the next. */
function canvasOf() {
  let data = new Map() as ReturnType<typeof blockDataById>;
  let edgeData = new Map() as ReturnType<typeof edgeDataById>;
  let nodes: BlockFlowNode[] = [];
  let edges: ShapeFlowEdge[] = [];
  let blocks: ReadonlyMap<NodeId, BlockNodeData> = new Map();
  let wires: ReadonlyMap<EdgeId, ShapeEdgeData> = new Map();
  return (doc: Document, selected: readonly NodeId[] = []) => {
    const analysis = analysisOf(doc.graph, FACTS);
    data = blockDataById({ graph: doc.graph, analysis, runIssues: NO_RUN_ISSUES, pending: false, vertical: false, t }, data);
    edgeData = edgeDataById(analysis, false, edgeData);
    blocks = stableLooks(
      blocks,
      doc.graph.nodes,
      (n) => n.id,
      (n) => data.get(n.id)!.data,
    );
    wires = stableLooks(
      wires,
      doc.graph.edges,
      (e) => e.id,
      (e) => edgeData.get(e.id)!,
    );
    nodes = stableNodes(nodes, doc.graph.nodes, new Set(selected), new Map());
    edges = stableEdges(edges, doc.graph.edges, new Set());
    return { nodes, edges, blocks, wires, analysis };
  };
}

/** The ids whose look in `b` is another object than in `a`. */
const changedLooks = <K, V>(a: ReadonlyMap<K, V>, b: ReadonlyMap<K, V>) => [...b].filter(([id, look]) => a.get(id) !== look).map(([id]) => id);

/** What a canvas derived from scratch shows for `doc`. */
function fresh(doc: Document, selected: readonly NodeId[] = []) {
  return canvasOf()(doc, selected);
}

describe('the canvas keeps React Flow objects an edit did not change', () => {
  it('a param edit makes new looks for the blocks and wires whose words or shapes changed, and hands React Flow the same arrays', () => {
    const canvas = canvasOf();
    const before = chain(300);
    const a = canvas(before);
    const b = canvas(setParam(before, nodeId('dense0'), 'units', 256));

    // dense0 (its summary and shape) and drop1 (the shape it passes on); dense2 still gives 16.
    expect(changedLooks(a.blocks, b.blocks)).toEqual(['dense0', 'drop1']);
    expect(b.blocks.get(nodeId('dense0'))!.summary).toContain('256');
    // dense0 → drop1 → dense2: the two wires after dense0 now carry 256, and only they changed.
    const wireEnds = (id: EdgeId) => {
      const e = before.graph.edges.find((w) => w.id === id)!;
      return `${e.source}→${e.target}`;
    };
    expect(changedLooks(a.wires, b.wires).map(wireEnds)).toEqual(['dense0→drop1', 'drop1→dense2']);
    expect(b.wires.get(before.graph.edges.find((e) => e.source === 'drop1')!.id)!.type!.shape).toEqual([null, 256]);
    // React Flow sees nothing: the very same node and wire arrays.
    expect(b.nodes).toBe(a.nodes);
    expect(b.edges).toBe(a.edges);

    // What it shows is what a canvas built from nothing would show.
    const settled = fresh(setParam(before, nodeId('dense0'), 'units', 256));
    expect(b.blocks).toEqual(settled.blocks);
    expect(b.wires).toEqual(settled.wires);
    expect(b.nodes).toEqual(settled.nodes);
  });

  it('an edit that breaks the chain re-tells every block after it, and taking it back re-tells them again', () => {
    const canvas = canvasOf();
    const before = chain(40);
    const a = canvas(before);
    const broken = setParam(before, nodeId('flat'), 'bogus', 1);
    const b = canvas(broken);
    expect(b.blocks.get(nodeId('flat'))!.issues.length).toBeGreaterThan(0);
    expect(b.blocks).toEqual(fresh(broken).blocks);
    expect(b.wires).toEqual(fresh(broken).wires);
    const c = canvas(before);
    expect(c.blocks).toEqual(a.blocks);
    expect(c.wires).toEqual(a.wires);
  });

  it('a drag makes a new object for the moved block only, the same looks, and the same wires array', () => {
    const canvas = canvasOf();
    const before = chain(300);
    const a = canvas(before);
    const moved = moveNodes(before, new Map([[nodeId('dense10'), { x: 5, y: 7 }]]));
    const b = canvas(moved);
    expect(b.analysis).toBe(a.analysis);
    const changed = b.nodes.filter((n, i) => n !== a.nodes[i]);
    expect(changed.map((n) => [n.id, n.position])).toEqual([['dense10', { x: 5, y: 7 }]]);
    expect(b.blocks).toBe(a.blocks);
    expect(b.wires).toBe(a.wires);
    expect(b.edges).toBe(a.edges);
  });

  it('while a drag is under way, the blocks it holds stand where it has them, and nothing else changes', () => {
    const doc = chain(300);
    const a = stableNodes([], doc.graph.nodes, new Set(), new Map());
    const dragged = new Map([[nodeId('dense10'), { x: 11, y: -3 }]]);
    const b = stableNodes(a, doc.graph.nodes, new Set(), new Map(), dragged);
    expect(b.filter((n, i) => n !== a[i]).map((n) => [n.id, n.position])).toEqual([['dense10', { x: 11, y: -3 }]]);
    // The same held position again: the same objects, the same array.
    expect(stableNodes(b, doc.graph.nodes, new Set(), new Map(), new Map(dragged))).toBe(b);
    // The drag lands (the document has the position, nothing is held): still the same objects.
    const landed = moveNodes(doc, dragged);
    expect(stableNodes(b, landed.graph.nodes, new Set(), new Map())).toBe(b);
  });

  it('hands back the very same arrays when nothing the canvas shows changed', () => {
    const canvas = canvasOf();
    const doc = chain(30);
    const a = canvas(doc);
    const b = canvas(doc);
    expect(b.nodes).toBe(a.nodes);
    expect(b.edges).toBe(a.edges);
    // Selecting one block: a new object for it, the others kept.
    const c = canvas(doc, [nodeId('dense4')]);
    expect(c.nodes.filter((n, i) => n !== a.nodes[i]).map((n) => [n.id, n.selected])).toEqual([['dense4', true]]);
  });
});
