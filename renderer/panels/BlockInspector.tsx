import { memo, useEffect, useMemo, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
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
import { blockDoc, categoryName } from '../i18n/blockWords';
import { issueText } from '../i18n/issueText';
import { compact } from '../ui/format';
import { Icon } from '../ui/Icon';

/** The selected block's params as a form generated from its schema, or the selected wire. */
export function BlockInspector() {
  const { t } = useTranslation();
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
          <div className="inspector-type">{t('inspector.wire.title')}</div>
          <div className="muted small mono">{edge.id}</div>
        </div>
        <p className="small">
          <Trans
            i18nKey="inspector.wire.route"
            values={{ source: edge.source, sourcePort: edge.sourcePort, target: edge.target, targetPort: edge.targetPort }}
            components={{ b: <b /> }}
          />
        </p>
        <p className="small">
          {t('inspector.wire.carries')} <span className="mono">{type ? `${showShape(type.shape)} ${type.dtype}` : t('inspector.wire.unknownShape')}</span>
        </p>
        <Issues issues={analysis.edgeIssues.get(edge.id) ?? []} />
        <p className="muted small">{t('inspector.wire.delete')}</p>
      </div>
    );
  }

  const count = selection.nodes.length + selection.edges.length;
  return (
    <div className="inspector-body empty-state">
      {count > 1 ? <p>{t('inspector.selected', { count })}</p> : <p>{t('inspector.selectBlock')}</p>}
      <p className="muted small">{t('inspector.howToWire')}</p>
      <Issues issues={analysis.graphIssues} />
    </div>
  );
}

function NodeFormView({ nodeId, type, params, analysis }: { nodeId: NodeId; type: string; params: Record<string, unknown>; analysis: CanvasAnalysis }) {
  const { t } = useTranslation();
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
          <span className="muted small"> · {categoryName(t, block.category)}</span>
        </div>
        <NodeIdField nodeId={nodeId} />
      </div>
      <p className="block-doc">{blockDoc(t, block)}</p>
      <dl className="facts">
        <dt>{t('inspector.facts.output')}</dt>
        <dd className="mono" data-testid="inspector-output-shape">
          {out ? `${showShape(out.shape)}${out.dtype === 'int32' ? ' int32' : ''}` : '—'}
        </dd>
        <dt>{t('inspector.facts.params')}</dt>
        <dd>{cost ? compact(cost.params) : '—'}</dd>
        <dt>{t('inspector.facts.macs')}</dt>
        <dd>{cost ? compact(cost.macs) : '—'}</dd>
      </dl>
      <Issues issues={issues} />
      {fields.length === 0 ? (
        <p className="muted small">{t('inspector.noParams', { block: block.type })}</p>
      ) : (
        <form className="fields" onSubmit={(e) => e.preventDefault()}>
          {fields.map((field) => (
            <FieldInput
              key={field.key}
              field={field}
              value={params[field.key]}
              testId={`param-${field.key}`}
              blockType={block.type}
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
  const { t } = useTranslation();
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
      useAppStore.getState().notify('error', t('inspector.chooseFailed', { error: error instanceof Error ? error.message : String(error) }));
    }
  };
  return (
    <button type="button" onClick={() => void browse()} data-testid={`${role}-browse`}>
      {t('inspector.chooseGlove')}
    </button>
  );
}

/** The block's id, renamed in place (its wires follow); a taken or odd id is refused inline. */
function NodeIdField({ nodeId }: { nodeId: NodeId }) {
  const { t } = useTranslation();
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
        aria-label={t('inspector.nodeId.label')}
        title={t('inspector.nodeId.title')}
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

/** Memoised: a drag makes a new document every frame, and the selected block's form shows nothing that moves. */
const NodeForm = memo(NodeFormView);

export function Issues({ issues }: { issues: readonly GraphIssue[] }) {
  const { t } = useTranslation();
  if (issues.length === 0) return null;
  return (
    <ul className="issues" data-testid="issues">
      {issues.map((issue, i) => {
        const words = issueText(t, issue);
        return (
          <li
            key={i}
            className={`issue${issue.nodeId ? ' clickable' : ''}`}
            title={issue.nodeId ? t('inspector.showNode', { id: issue.nodeId }) : undefined}
            onClick={() => issue.nodeId && showNode(issue.nodeId)}
          >
            <Icon name="warn" />
            <div>
              <div>{words.message}</div>
              {words.hint && <div className="hint">{words.hint}</div>}
            </div>
          </li>
        );
      })}
    </ul>
  );
}
