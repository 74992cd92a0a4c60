import { memo, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { BaseEdge, getBezierPath, getSmoothStepPath, Position, useStore, type Edge, type EdgeProps, type ReactFlowState } from '@xyflow/react';
import type { GraphIssue, TensorType } from '../../engine/graph/types';
import { edgeId } from '../../engine/graph/document';
import { showShape } from '../../engine/blocks/common';
import { useTranslation } from 'react-i18next';
import { issueText as wordedIssue } from '../i18n/issueText';
import { issueText } from './BlockNode';
import { useDocumentStore } from '../state/documentStore';
import { useWireLook } from './looks';

export interface ShapeEdgeData extends Record<string, unknown> {
  type: TensorType | null;
  issue: GraphIssue | null;
  pending: boolean;
}

/** A wire as React Flow holds it: its ends, no more; what it says is its look (looks.ts). */
export type ShapeFlowEdge = Edge<Record<string, never>, 'shape'>;

/** React Flow's layer for HTML labels over the wires, found once per canvas. */
const labelLayers = new WeakMap<HTMLDivElement, HTMLElement>();
function labelLayer(s: ReactFlowState): HTMLElement | null {
  const dom = s.domNode;
  if (!dom) return null;
  let layer = labelLayers.get(dom);
  if (!layer?.isConnected) {
    layer = dom.querySelector<HTMLElement>('.react-flow__edgelabel-renderer') ?? undefined;
    if (layer) labelLayers.set(dom, layer);
  }
  return layer ?? null;
}

/**
 * React Flow's EdgeLabelRenderer, without its cost: that one's store selector runs a
 * querySelector, and every wire's runs at every change to React Flow's store (each frame of a
 * drag: 299 DOM searches at 300 blocks, a quarter of the frame's script).
 */
function EdgeLabel({ children }: { children: ReactNode }) {
  const layer = useStore(labelLayer);
  return layer ? createPortal(children, layer) : null;
}

/** A wire labelled with the shape it carries; red, with the reason, when it is wrong. */
function ShapeEdgeView(props: EdgeProps<ShapeFlowEdge>) {
  const { t } = useTranslation();
  const { id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, selected } = props;
  const data = useWireLook(edgeId(id));
  // A wire that runs back to the left (a wrapped row) goes round the blocks, not through them.
  const down = sourcePosition === Position.Bottom;
  const backwards = down ? targetY < sourceY + 24 : targetX < sourceX + 24;
  const [path, labelX, labelY] = backwards
    ? getSmoothStepPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, borderRadius: 12, offset: 18 })
    : getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  const issue = data?.issue ?? null;
  const shape = data?.type ? showShape(data.type.shape) : null;
  const state = issue ? 'bad' : shape ? 'ok' : 'unknown';
  return (
    <>
      <BaseEdge id={id} path={path} className={`shape-edge ${state}${selected ? ' selected' : ''}`} interactionWidth={18} />
      <EdgeLabel>
        <div
          className={`edge-label nodrag nopan ${state}${selected ? ' selected' : ''}`}
          style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
          data-testid={`edge-label-${id}`}
          data-state={state}
          data-source={props.source}
          data-target={props.target}
          onClick={(e) => {
            // The label is HTML over the canvas, not part of the SVG wire: clicking it selects the wire.
            const store = useDocumentStore.getState();
            const additive = e.shiftKey || e.metaKey || e.ctrlKey;
            const wire = edgeId(id); // React Flow's id is a plain string
            store.select(additive ? { nodes: store.selection.nodes, edges: [...store.selection.edges, wire] } : { nodes: [], edges: [wire] });
          }}
          title={issue ? issueText(issue) : shape ? `${shape} ${data?.type?.dtype ?? ''}` : undefined}
        >
          {issue ? (
            <>
              <span className="edge-reason">
                <span aria-hidden>⚠ </span>
                {wordedIssue(t, issue).message}
              </span>
              {shape && <span className="edge-shape">{shape}</span>}
            </>
          ) : (
            <span className="edge-shape">{shape ?? (data?.pending ? '…' : '?')}</span>
          )}
        </div>
      </EdgeLabel>
    </>
  );
}

export const ShapeEdge = memo(ShapeEdgeView);
