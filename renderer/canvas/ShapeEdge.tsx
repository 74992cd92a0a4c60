import { memo } from 'react';
import { BaseEdge, EdgeLabelRenderer, getBezierPath, type Edge, type EdgeProps } from '@xyflow/react';
import type { GraphIssue, TensorType } from '../../engine/blocks/defineBlock';
import { showShape } from '../../engine/blocks/common';
import { issueText } from './BlockNode';

export interface ShapeEdgeData extends Record<string, unknown> {
  type: TensorType | null;
  issue: GraphIssue | null;
  pending: boolean;
}

export type ShapeFlowEdge = Edge<ShapeEdgeData, 'shape'>;

/** A wire labelled with the shape it carries; red, with the reason, when it is wrong. */
function ShapeEdgeView(props: EdgeProps<ShapeFlowEdge>) {
  const { id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data, selected } = props;
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  const issue = data?.issue ?? null;
  const shape = data?.type ? showShape(data.type.shape) : null;
  const state = issue ? 'bad' : shape ? 'ok' : 'unknown';
  return (
    <>
      <BaseEdge id={id} path={path} className={`shape-edge ${state}${selected ? ' selected' : ''}`} interactionWidth={18} />
      <EdgeLabelRenderer>
        <div
          className={`edge-label nodrag nopan ${state}${selected ? ' selected' : ''}`}
          style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
          data-testid={`edge-label-${id}`}
          data-state={state}
          title={issue ? issueText(issue) : shape ? `${shape} ${data?.type?.dtype ?? ''}` : undefined}
        >
          {issue ? (
            <>
              <span className="edge-reason">
                <span aria-hidden>⚠ </span>
                {issue.message}
              </span>
              {shape && <span className="edge-shape">{shape}</span>}
            </>
          ) : (
            <span className="edge-shape">{shape ?? (data?.pending ? '…' : '?')}</span>
          )}
        </div>
      </EdgeLabelRenderer>
    </>
  );
}

export const ShapeEdge = memo(ShapeEdgeView);
