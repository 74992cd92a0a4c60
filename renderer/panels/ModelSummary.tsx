import { useTranslation } from 'react-i18next';
import { showShape } from '../../engine/blocks/common';
import type { NodeId } from '../../engine/graph/document';
import { toValidateResult } from '../../engine/graph/validate';
import { useAnalysis } from '../state/analysis';
import { useDoc, useDocumentStore } from '../state/documentStore';
import { compact } from '../ui/format';
import { Issues } from './BlockInspector';
import { EpochEstimate } from './EpochEstimate';

/** Params and multiply-adds per block and in total, in the order data flows; every issue. */
export function ModelSummary() {
  const { t } = useTranslation();
  const doc = useDoc();
  const selected = useDocumentStore((s) => s.selection.nodes);
  const analysis = useAnalysis();
  if (!doc || !analysis) return null;

  // The engine's per-node report: topological order, blocks it could not sort last.
  const rows = toValidateResult(doc.graph, analysis.raw).nodes;
  const issues = analysis.raw.issues;
  const select = (id: NodeId) => useDocumentStore.getState().select({ nodes: [id], edges: [] });

  return (
    <div className="inspector-body" data-testid="model-summary">
      {typeof doc.description === 'string' && doc.description && <p className="doc-description">{doc.description}</p>}
      <div className="totals">
        <div>
          <div className="total-value" data-testid="total-params">
            {compact(analysis.totals.params)}
          </div>
          <div className="muted small">{t('canvas.model.params')}</div>
        </div>
        <div>
          <div className="total-value" data-testid="total-macs">
            {compact(analysis.totals.macs)}
          </div>
          <div className="muted small">{t('canvas.model.macs')}</div>
        </div>
        <div>
          <div className={`total-value ${issues.length ? 'bad' : 'good'}`}>{issues.length}</div>
          <div className="muted small">{t('canvas.model.problems', { count: issues.length })}</div>
        </div>
      </div>
      <EpochEstimate doc={doc} valid={issues.length === 0} />
      <table className="summary-table">
        <thead>
          <tr>
            <th>{t('canvas.model.block')}</th>
            <th>{t('canvas.model.output')}</th>
            <th className="num">{t('canvas.model.paramsHead')}</th>
            <th className="num" title={t('canvas.model.macs')}>
              {t('canvas.model.macsHead')}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ id, type, outputShape }) => {
            const cost = analysis.raw.costs[id];
            const bad = analysis.nodeIssues.has(id) || issues.some((i) => i.nodeId === id);
            return (
              <tr key={id} className={`${selected.includes(id) ? 'selected' : ''}${bad ? ' bad' : ''}`} onClick={() => select(id)}>
                <td>
                  <div>{type}</div>
                  <div className="muted small mono">{id}</div>
                </td>
                <td className="mono small">{outputShape ? showShape(outputShape) : '—'}</td>
                <td className="num">{cost ? compact(cost.params) : '—'}</td>
                <td className="num">{cost ? compact(cost.macs) : '—'}</td>
              </tr>
            );
          })}
        </tbody>
        <tfoot>
          <tr>
            <td>{t('canvas.model.total')}</td>
            <td />
            <td className="num">{compact(analysis.totals.params)}</td>
            <td className="num">{compact(analysis.totals.macs)}</td>
          </tr>
        </tfoot>
      </table>
      <Issues issues={issues} />
    </div>
  );
}
