import { useEffect, useMemo, useState } from 'react';
import { showShape } from '../../engine/blocks/common';
import type { GraphIssue } from '../../engine/graph/types';
import { nodeId as toNodeId, type NodeId } from '../../engine/graph/document';
import { getBlock } from '../../engine/blocks/registry';
import { categoryClass } from '../canvas/categories';
import { FieldInput } from '../inspector/FieldInput';
import { describeParams } from '../inspector/paramFields';
import { useHost } from '../HostContext';
import { useAppStore } from '../state/appStore';
import { useConsentStore } from '../state/consentStore';
import { useAnalysis, type CanvasAnalysis } from '../state/analysis';
import { useDoc, useDocumentStore } from '../state/documentStore';
import { nodeIdProblem, renameNode, setParam } from '../state/edits';
import { compact } from '../ui/format';
import { Icon } from '../ui/Icon';

/** The selected block's params as a form generated from its schema, or the selected wire. */
export function BlockInspector() {
  const doc = useDoc();
  const selection = useDocumentStore((s) => s.selection);
  const analysis = useAnalysis();
  if (!doc || !analysis) return null;

  const node = selection.nodes.length === 1 ? doc.graph.nodes.find((n) => n.id === selection.nodes[0]) : undefined;
  if (node) return <NodeForm key={node.id} nodeId={node.id} type={node.type} params={node.params} analysis={analysis} />;

  const edge = selection.nodes.length === 0 && selection.edges.length === 1 ? doc.graph.edges.find((e) => e.id === selection.edges[0]) : undefined;
  if (edge) {
    const type = analysis.edgeTypes[edge.id];
    return (
      <div className="inspector-body">
        <div className="inspector-head">
          <div className="inspector-type">Wire</div>
          <div className="muted small mono">{edge.id}</div>
        </div>
        <p className="small">
          From <b>{edge.source}</b>.{edge.sourcePort} to <b>{edge.target}</b>.{edge.targetPort}
        </p>
        <p className="small">
          Carries <span className="mono">{type ? `${showShape(type.shape)} ${type.dtype}` : 'an unknown shape'}</span>
        </p>
        <Issues issues={analysis.edgeIssues.get(edge.id) ?? []} />
        <p className="muted small">Press Delete to remove it.</p>
      </div>
    );
  }

  const count = selection.nodes.length + selection.edges.length;
  return (
    <div className="inspector-body empty-state">
      {count > 1 ? <p>{count} items selected.</p> : <p>Select a block to edit its parameters.</p>}
      <p className="muted small">Drag blocks from the palette; drag from a block’s right edge to another’s left edge to wire them.</p>
      <Issues issues={analysis.graphIssues} />
    </div>
  );
}

function NodeForm({ nodeId, type, params, analysis }: { nodeId: NodeId; type: string; params: Record<string, unknown>; analysis: CanvasAnalysis }) {
  const block = getBlock(type);
  const fields = useMemo(() => (block ? describeParams(block.params) : []), [block]);
  // The params that name files the block reads (its definition's `reads`).
  const fileParams = useMemo(() => new Set(block?.reads?.map((r) => r.param) ?? []), [block]);
  const edit = useDocumentStore((s) => s.edit);
  const out = analysis.nodeTypes[nodeId];
  const cost = analysis.raw.costs[nodeId];
  const issues = [...(analysis.nodeIssues.get(nodeId) ?? [])];
  for (const [, list] of analysis.edgeIssues) for (const issue of list) if (issue.nodeId === nodeId) issues.push(issue);

  if (!block) {
    return (
      <div className="inspector-body">
        <div className="inspector-head">
          <div className="inspector-type">{type}</div>
        </div>
        <Issues issues={issues} />
      </div>
    );
  }
  return (
    <div className="inspector-body" data-node={nodeId}>
      <div className={`inspector-head ${categoryClass(block.category)}`}>
        <div className="inspector-type">
          <span className="swatch" aria-hidden />
          {block.type}
          <span className="muted small"> · {block.category}</span>
        </div>
        <NodeIdField nodeId={nodeId} />
      </div>
      <p className="block-doc">{block.doc}</p>
      <dl className="facts">
        <dt>Output</dt>
        <dd className="mono" data-testid="inspector-output-shape">
          {out ? `${showShape(out.shape)}${out.dtype === 'int32' ? ' int32' : ''}` : '—'}
        </dd>
        <dt>Params</dt>
        <dd>{cost ? compact(cost.params) : '—'}</dd>
        <dt>Mult-adds</dt>
        <dd>{cost ? compact(cost.macs) : '—'}</dd>
      </dl>
      <Issues issues={issues} />
      {fields.length === 0 ? (
        <p className="muted small">{block.type} has no parameters.</p>
      ) : (
        <form className="fields" onSubmit={(e) => e.preventDefault()}>
          {fields.map((field) => (
            <FieldInput
              key={field.key}
              field={field}
              value={params[field.key]}
              testId={`param-${field.key}`}
              onCommit={(value) => {
                // A path typed here is the user's own choice: the page asks the host to grant it.
                if (fileParams.has(field.key) && typeof value === 'string') useConsentStore.getState().typedPath(`${field.key}:${nodeId}`, value);
                edit((doc) => setParam(doc, nodeId, field.key, value), `param:${nodeId}:${field.key}`);
              }}
            />
          ))}
          {block.reads?.map((file) => (
            <FileBrowse key={file.param} nodeId={nodeId} param={file.param} role={file.role} />
          ))}
        </form>
      )}
    </div>
  );
}

/** "Browse…" for a file param (an Embedding's GloVe vectors), where the host can give a path (desktop). */
function FileBrowse({ nodeId, param, role }: { nodeId: NodeId; param: string; role: 'pretrained' }) {
  const { host } = useHost();
  const edit = useDocumentStore((s) => s.edit);
  if (!host.pickFile) return null;
  const browse = async () => {
    try {
      const picked = await host.pickFile?.({ purpose: role });
      if (!picked) return;
      useConsentStore.getState().typedPath(`${param}:${nodeId}`, picked.path);
      edit((doc) => setParam(doc, nodeId, param, picked.path), `param:${nodeId}:${param}`);
    } catch (error) {
      useAppStore.getState().notify('error', `Could not choose a file: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  return (
    <button type="button" onClick={() => void browse()} data-testid={`${role}-browse`}>
      Choose GloVe vectors…
    </button>
  );
}

/** The block's id, renamed in place (its wires follow); a taken or odd id is refused inline. */
function NodeIdField({ nodeId }: { nodeId: NodeId }) {
  const [draft, setDraft] = useState<string>(nodeId);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    setDraft(nodeId);
    setProblem(null);
  }, [nodeId]);
  const commit = () => {
    const store = useDocumentStore.getState();
    const doc = store.history?.present;
    const next = draft.trim();
    if (!doc || next === nodeId) return setDraft(nodeId);
    const why = nodeIdProblem(doc, nodeId, next);
    if (why) return setProblem(why);
    const to = toNodeId(next);
    store.edit((d) => renameNode(d, nodeId, to));
    store.select({ nodes: [to], edges: [] });
  };
  return (
    <>
      <input
        className={`node-id mono${problem ? ' invalid' : ''}`}
        value={draft}
        onChange={(e) => {
          setDraft(e.target.value);
          setProblem(null);
        }}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') e.currentTarget.blur();
          if (e.key === 'Escape') {
            setDraft(nodeId);
            setProblem(null);
          }
        }}
        aria-label="Block id"
        title="The block's id: it names the block in messages, files and the trained model"
        spellCheck={false}
        data-testid="node-id"
      />
      {problem && (
        <div className="field-error" role="alert">
          {problem}
        </div>
      )}
    </>
  );
}

/** Selects a block and shows it in the inspector (from an issue in a list). */
function showNode(id: NodeId): void {
  const store = useDocumentStore.getState();
  if (!store.history?.present.graph.nodes.some((n) => n.id === id)) return;
  store.select({ nodes: [id], edges: [] });
  useAppStore.getState().set({ sidebarTab: 'block' });
}

export function Issues({ issues }: { issues: readonly GraphIssue[] }) {
  if (issues.length === 0) return null;
  return (
    <ul className="issues" data-testid="issues">
      {issues.map((issue, i) => (
        <li
          key={i}
          className={`issue${issue.nodeId ? ' clickable' : ''}`}
          title={issue.nodeId ? `Show ${issue.nodeId}` : undefined}
          onClick={() => issue.nodeId && showNode(issue.nodeId)}
        >
          <Icon name="warn" />
          <div>
            <div>{issue.message}</div>
            {issue.hint && <div className="hint">{issue.hint}</div>}
          </div>
        </li>
      ))}
    </ul>
  );
}
