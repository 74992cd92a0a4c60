import { memo } from 'react';
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import type { GraphIssue, TensorType } from '../../engine/graph/types';
import { showShape } from '../../engine/blocks/common';
import { useTranslation } from 'react-i18next';
import { t as translate } from '../i18n';
import { issueText as wordedIssue } from '../i18n/issueText';
import { categoryClass } from './categories';
import { useBlockLook } from './looks';
import { nodeId } from '../../engine/graph/document';

export interface BlockNodeData extends Record<string, unknown> {
  type: string;
  category: string;
  summary: string;
  inputs: readonly { name: string; multiple: boolean }[];
  out: TensorType | null;
  issues: readonly GraphIssue[];
  /** The engine refused the last run because of this node. */
  runIssue: boolean;
  /** A problem on an input wire blames this block (its label on the wire says what). */
  inputIssue: boolean;
  /** Waiting for the data summary, so "auto" shapes are not known yet. */
  pending: boolean;
  known: boolean;
  /** The graph runs top to bottom: inputs on the top edge, the output on the bottom. */
  vertical: boolean;
}

/** A block as React Flow holds it: where it is, no more; what it says is its look (looks.ts). */
export type BlockFlowNode = Node<Record<string, never>, 'block'>;

function BlockNodeView({ id, selected }: NodeProps<BlockFlowNode>) {
  useTranslation(); // Re-renders the block when the language changes.
  const data = useBlockLook(nodeId(id));
  // Only between a block's adding and the canvas's publishing its look, before a paint.
  if (!data) return <div className="block-node" />;
  const bad = data.issues.length > 0 || data.runIssue || data.inputIssue;
  const first = data.issues[0];
  const classes = ['block-node', categoryClass(data.category), selected ? 'selected' : '', bad ? 'has-issue' : '', data.known ? '' : 'unknown'];
  const many = data.inputs.length > 1;
  return (
    <div className={classes.filter(Boolean).join(' ')} data-type={data.type} title={first ? issueText(first) : undefined}>
      {data.inputs.map((port, i) => (
        <Handle
          key={port.name}
          type="target"
          position={data.vertical ? Position.Top : Position.Left}
          id={port.name}
          className={`port-in${port.multiple ? ' port-many' : ''}${data.vertical ? '' : ` port-slot-${data.inputs.length}-${i}`}`}
          style={data.vertical && data.inputs.length > 1 ? { left: `${((i + 1) * 100) / (data.inputs.length + 1)}%` } : undefined}
          title={port.multiple ? translate('canvas.port.many', { name: port.name }) : port.name}
        />
      ))}
      <div className="block-head">
        <span className="block-type">{data.type}</span>
        <span className="block-id">{id}</span>
      </div>
      {data.summary && <div className="block-summary">{data.summary}</div>}
      {many && (
        <div className="block-ports">
          {data.inputs.map((p) => (
            <span key={p.name}>{p.name}</span>
          ))}
        </div>
      )}
      <div className="block-foot">
        {first ? (
          <span className="block-issue">
            <span aria-hidden>⚠</span> {wordedIssue(translate, first).message}
            {data.issues.length > 1 ? ` ${translate('canvas.node.more', { count: data.issues.length - 1 })}` : ''}
          </span>
        ) : data.out ? (
          <span className="block-shape" data-testid={`node-shape-${id}`}>
            {showShape(data.out.shape)}
            {data.out.dtype === 'int32' ? ' int32' : ''}
          </span>
        ) : (
          <span className="block-shape muted">{data.pending ? translate('canvas.node.reading') : translate('canvas.node.shapeUnknown')}</span>
        )}
      </div>
      <Handle type="source" position={data.vertical ? Position.Bottom : Position.Right} id="out" className="port-out" title={translate('canvas.port.out')} />
    </div>
  );
}

/** An issue's message and hint in the user's language, for a tooltip. */
export function issueText(issue: GraphIssue): string {
  const words = wordedIssue(translate, issue);
  return words.hint ? `${words.message}\n${words.hint}` : words.message;
}

export const BlockNode = memo(BlockNodeView);
