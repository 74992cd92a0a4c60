import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GraphSchema, nodeId } from '../../../../engine/graph/document';
import { parseDocument } from '../../../../engine/graph/load';
import { flowDirection, needsLayout, tidyLayout } from '../../../../renderer/canvas/layout';

function chain(n: number) {
  const ids = Array.from({ length: n }, (_, i) => `n${i}`);
  return GraphSchema.parse({
    nodes: ids.map((id) => ({ id, type: 'Dense' })),
    edges: ids.slice(1).map((id, i) => ({ id: `e${i}`, source: ids[i], target: id })),
  });
}

describe('tidy layout (dagre)', () => {
  const diamond = GraphSchema.parse({
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

  it('left to right puts each block right of its inputs, top to bottom below them', () => {
    const across = tidyLayout(diamond, { direction: 'LR' });
    const down = tidyLayout(diamond, { direction: 'TB' });
    for (const e of diamond.edges) {
      expect(across.get(e.target)!.x, `${e.source}->${e.target}`).toBeGreaterThan(across.get(e.source)!.x + 150);
      expect(down.get(e.target)!.y, `${e.source}->${e.target}`).toBeGreaterThan(down.get(e.source)!.y + 70);
    }
  });

  it('keeps blocks from overlapping, using their measured sizes', () => {
    const g = GraphSchema.parse({
      nodes: ['a', 'b', 'c', 'd'].map((id) => ({ id, type: 'Dense' })),
      edges: ['b', 'c', 'd'].map((id) => ({ id: `e${id}`, source: 'a', target: id })),
    });
    const sizes = new Map([[nodeId('c'), { width: 300, height: 160 }]]);
    const pos = tidyLayout(g, { direction: 'LR', sizes });
    const box = (id: string) => {
      const p = pos.get(nodeId(id))!;
      const s = sizes.get(nodeId(id)) ?? { width: 196, height: 76 };
      return { ...p, r: p.x + s.width, b: p.y + s.height };
    };
    const ids = ['a', 'b', 'c', 'd'];
    for (const x of ids)
      for (const y of ids) {
        if (x >= y) continue;
        const [p, q] = [box(x), box(y)];
        expect(p.r <= q.x || q.r <= p.x || p.b <= q.y || q.b <= p.y, `${x} and ${y} overlap`).toBe(true);
      }
  });

  it('chooses the direction that shows a long chain larger in the viewport, and survives a cycle', () => {
    const long = tidyLayout(chain(9), { viewport: { width: 400, height: 900 } });
    expect(new Set([...long.values()].map((p) => p.x)).size).toBe(1); // a tall window: top to bottom
    const wide = tidyLayout(chain(3), { viewport: { width: 1600, height: 400 } });
    expect(new Set([...wide.values()].map((p) => p.y)).size).toBe(1); // a wide one: left to right
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
    expect(tidyLayout(loop, { direction: 'LR' }).size).toBe(2);
  });

  it('reads back which way a laid-out graph runs, so the ports go on the right edges', () => {
    const place = (direction: 'LR' | 'TB') => {
      const pos = tidyLayout(diamond, { direction });
      return { ...diamond, nodes: diamond.nodes.map((n) => ({ ...n, ui: pos.get(n.id)! })) };
    };
    expect(flowDirection(place('TB'))).toBe('TB');
    expect(flowDirection(place('LR'))).toBe('LR');
    expect(flowDirection(diamond)).toBe('LR'); // no positions: the default
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
    it(`${file} is stored with a layout of its own, so it opens as saved`, () => {
      const parsed = parseDocument(readFileSync(join(dir, file), 'utf8'));
      if (!parsed.ok) throw new Error(parsed.error);
      expect(needsLayout(parsed.doc.graph)).toBe(false);
    });
  }
});
