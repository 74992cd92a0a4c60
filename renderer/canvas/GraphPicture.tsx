/**
 * A small picture of a graph, drawn from its nodes and wires: each block a box in its category's
 * colour where the file puts it, each wire a curve between them. For the templates gallery.
 */
import { memo } from 'react';
import { getBlock } from '../../engine/blocks/registry';
import type { Graph } from '../../engine/graph/document';
import { categoryClass } from './categories';
import { flowDirection } from './layout';

const W = 196;
const H = 76;
const PAD = 40;

function GraphPictureView({ graph, label }: { graph: Graph; label: string }) {
  const at = new Map(graph.nodes.map((n, i) => [n.id, n.ui ?? { x: i * (W + 100), y: 0 }]));
  const xs = [...at.values()].map((p) => p.x);
  const ys = [...at.values()].map((p) => p.y);
  const minX = Math.min(0, ...xs) - PAD;
  const minY = Math.min(0, ...ys) - PAD;
  const width = Math.max(W, ...xs.map((x) => x + W)) - minX + PAD;
  const height = Math.max(H, ...ys.map((y) => y + H)) - minY + PAD;
  const down = flowDirection(graph) === 'TB';
  return (
    <svg className="graph-picture" viewBox={`${minX} ${minY} ${width} ${height}`} preserveAspectRatio="xMidYMid meet" role="img" aria-label={label}>
      {graph.edges.map((e) => {
        const a = at.get(e.source);
        const b = at.get(e.target);
        if (!a || !b) return null;
        const [x1, y1, x2, y2] = down ? [a.x + W / 2, a.y + H, b.x + W / 2, b.y] : [a.x + W, a.y + H / 2, b.x, b.y + H / 2];
        const bend = down ? `C ${x1} ${y1 + 50}, ${x2} ${y2 - 50}` : `C ${x1 + 60} ${y1}, ${x2 - 60} ${y2}`;
        return <path key={e.id} d={`M ${x1} ${y1} ${bend}, ${x2} ${y2}`} className="graph-picture-wire" />;
      })}
      {graph.nodes.map((n) => {
        const p = at.get(n.id)!;
        return (
          <g key={n.id} className={categoryClass(getBlock(n.type)?.category ?? 'Unknown')}>
            <rect x={p.x} y={p.y} width={W} height={H} rx={10} className="graph-picture-node" />
            <rect x={p.x} y={p.y} width={12} height={H} rx={4} className="graph-picture-cat" />
            <text x={p.x + 26} y={p.y + H / 2 + 10} className="graph-picture-text">
              {n.type}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

export const GraphPicture = memo(GraphPictureView);
