import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GraphSchema, nodeId } from '../../../../engine/graph/document';
import { parseDocument } from '../../../../engine/graph/load';
import { DEFAULT_LAYOUT_VIEWPORT, layers, needsLayout, tidyLayout } from '../../../../renderer/canvas/layout';

function chain(n: number) {
  const ids = Array.from({ length: n }, (_, i) => `n${i}`);
  return GraphSchema.parse({
    nodes: ids.map((id) => ({ id, type: 'Dense' })),
    edges: ids.slice(1).map((id, i) => ({ id: `e${i}`, source: ids[i], target: id })),
  });
}

describe('tidy layout', () => {
  it('puts each block one layer after its deepest input', () => {
    const g = GraphSchema.parse({
      nodes: [
        { id: 'a', type: 'Input' },
        { id: 'b', type: 'Dense' },
        { id: 'c', type: 'Dense' },
        { id: 'add', type: 'Residual' },
      ],
      edges: [
        { id: '1', source: 'a', target: 'b' },
        { id: '2', source: 'b', target: 'c' },
        { id: '3', source: 'a', target: 'add' },
        { id: '4', source: 'c', target: 'add' },
      ],
    });
    expect(layers(g)).toEqual([['a'], ['b'], ['c'], ['add']]);
  });

  it('wraps a long chain into rows that fit a wide, short canvas', () => {
    const pos = tidyLayout(chain(7), { viewport: { width: 750, height: 460 } });
    const ys = new Set([...pos.values()].map((p) => p.y));
    expect(ys.size).toBeGreaterThan(1);
    // Reading order: left to right in a row, rows top to bottom.
    const order = [...pos.entries()].sort(([, a], [, b]) => a.y - b.y || a.x - b.x).map(([id]) => id);
    expect(order).toEqual(['n0', 'n1', 'n2', 'n3', 'n4', 'n5', 'n6']);
    // A short chain in a wide window stays on one row.
    expect(new Set([...tidyLayout(chain(3), { viewport: { width: 1600, height: 400 } }).values()].map((p) => p.y)).size).toBe(1);
  });

  it('stacks the blocks of one layer without overlap, and survives a cycle', () => {
    const g = GraphSchema.parse({
      nodes: [
        { id: 'a', type: 'Input' },
        { id: 'b', type: 'Dense' },
        { id: 'c', type: 'Dense' },
      ],
      edges: [
        { id: '1', source: 'a', target: 'b' },
        { id: '2', source: 'a', target: 'c' },
      ],
    });
    const pos = tidyLayout(g, { viewport: { width: 800, height: 600 } });
    const [b, c] = [pos.get(nodeId('b'))!, pos.get(nodeId('c'))!];
    expect(b.x).toBe(c.x);
    expect(Math.abs(b.y - c.y)).toBeGreaterThanOrEqual(76);
    const loop = GraphSchema.parse({
      nodes: [
        { id: 'x', type: 'Dense' },
        { id: 'y', type: 'Dense' },
      ],
      edges: [
        { id: '1', source: 'x', target: 'y' },
        { id: '2', source: 'y', target: 'x' },
      ],
    });
    expect(tidyLayout(loop, { viewport: { width: 800, height: 600 } }).size).toBe(2);
  });
});

describe('a free spot for a clicked-in block', () => {
  it('is the centre when it is free, and next to the blocks there when it is not', async () => {
    const { freeSpot } = await import('../../../../renderer/canvas/addBlock');
    expect(freeSpot([], { x: 0, y: 0 })).toEqual({ x: 0, y: 0 });
    const taken = [{ x: -100, y: -32 }];
    const spot = freeSpot(taken, { x: 0, y: 0 });
    expect(spot).not.toEqual({ x: 0, y: 0 });
    const again = freeSpot([...taken, { x: spot.x - 100, y: spot.y - 32 }], { x: 0, y: 0 });
    expect(again).not.toEqual(spot);
  });
});

describe('needsLayout and the stored examples', () => {
  it('lays out a graph in one long row or without positions, and keeps any other layout', () => {
    const row = chain(4);
    expect(needsLayout({ ...row, nodes: row.nodes.map((n, i) => ({ ...n, ui: { x: 240 * i, y: 120 } })) })).toBe(true);
    expect(needsLayout(row)).toBe(true);
    expect(needsLayout({ ...row, nodes: row.nodes.map((n, i) => ({ ...n, ui: { x: 240 * (i % 2), y: 100 * i } })) })).toBe(false);
    // Two blocks side by side are a fine layout.
    const two = chain(2);
    expect(needsLayout({ ...two, nodes: two.nodes.map((n, i) => ({ ...n, ui: { x: 240 * i, y: 0 } })) })).toBe(false);
    expect(needsLayout(chain(0))).toBe(false);
  });

  const dir = join(__dirname, '..', '..', '..', '..', 'assets', 'examples');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    it(`${file} is stored in the layout the app would give it, so it opens as saved`, () => {
      const parsed = parseDocument(readFileSync(join(dir, file), 'utf8'));
      if (!parsed.ok) throw new Error(parsed.error);
      const graph = parsed.doc.graph;
      expect(needsLayout(graph)).toBe(false);
      const pos = tidyLayout(graph, { viewport: DEFAULT_LAYOUT_VIEWPORT });
      for (const node of graph.nodes) expect(node.ui, node.id).toEqual(pos.get(node.id));
    });
  }
});
