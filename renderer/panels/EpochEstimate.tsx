/**
 * The model summary's time estimate: how long one epoch (and the whole run) will take on this
 * machine and backend, from a few real training steps the engine times in a worker. Measured
 * again, after a pause, when the model, its data or the batch size change; never on a layout move.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EpochEstimate as Estimate } from '../../engine/api';
import type { Document } from '../../engine/graph/document';
import { useHost } from '../HostContext';
import { useAppStore } from '../state/appStore';
import { fileAccess } from '../state/consentStore';
import { useDocumentStore } from '../state/documentStore';
import { spokenDuration } from '../ui/format';
import { sayError } from '../i18n';

/** Edits this long apart are one change: the estimate waits for the user to pause. */
const SETTLE_MS = 900;

type State = { key: string; status: 'measuring' } | { key: string; status: 'done'; estimate: Estimate } | { key: string; status: 'failed'; message: string };

/** What the estimate depends on: the model (not where its blocks sit), its data and batch size. */
export function estimateKey(doc: Document): string {
  const { graph } = doc;
  return JSON.stringify([graph.nodes.map((n) => [n.id, n.type, n.params]), graph.edges, graph.groups ?? null, doc.data ?? null, doc.training.batchSize]);
}

export function EpochEstimate({ doc, valid }: { doc: Document; valid: boolean }) {
  const { t } = useTranslation();
  const { host } = useHost();
  const dataOk = useAppStore((s) => s.data.status === 'ok');
  const file = useDocumentStore((s) => s.file);
  const key = useMemo(() => estimateKey(doc), [doc]);
  const [state, setState] = useState<State | null>(null);
  const latest = useRef(key);
  latest.current = key;
  const docRef = useRef(doc);
  docRef.current = doc;

  const measure = () => {
    const asked = latest.current;
    setState({ key: asked, status: 'measuring' });
    host.engine
      .estimateEpoch({ documentText: JSON.stringify(docRef.current), ...fileAccess(host, file) })
      .then(
        (r) => (r.ok ? { key: asked, status: 'done' as const, estimate: r.value } : { key: asked, status: 'failed' as const, message: sayError(r.error) }),
        (error: unknown) => ({ key: asked, status: 'failed' as const, message: error instanceof Error ? error.message : String(error) }),
      )
      .then((next) => {
        // An answer about a model edited since is not shown as this one's.
        if (next.key === latest.current) setState(next);
      });
  };

  useEffect(() => {
    if (!valid || !dataOk || !doc.data || state?.key === key) return;
    const timer = setTimeout(measure, SETTLE_MS);
    return () => clearTimeout(timer);
    // `measure` reads the latest document through refs, so the key alone decides when to re-run.
  }, [key, valid, dataOk]);

  const current = state?.key === key ? state : null;
  return (
    <div className="epoch-estimate" data-testid="epoch-estimate" data-state={current?.status ?? 'idle'}>
      <div className="epoch-estimate-head">
        <span className="muted small">{t('editor.estimate.title')}</span>
        <button type="button" className="link small" onClick={measure} disabled={current?.status === 'measuring' || !doc.data} data-testid="estimate-again">
          {t('editor.estimate.again')}
        </button>
      </div>
      {!doc.data || !valid ? (
        <div className="muted small">{t(doc.data ? 'editor.estimate.fixFirst' : 'editor.estimate.noData')}</div>
      ) : current?.status === 'done' ? (
        <>
          <div className="total-value" data-testid="epoch-seconds" data-seconds={current.estimate.secondsPerEpoch.toFixed(3)}>
            {t('editor.estimate.perEpoch', { time: spokenDuration(current.estimate.secondsPerEpoch) })}
          </div>
          <div className="muted small">
            {t('editor.estimate.detail', {
              ms: current.estimate.msPerStep.toFixed(current.estimate.msPerStep < 10 ? 1 : 0),
              steps: current.estimate.stepsPerEpoch,
              batch: current.estimate.batchSize,
              backend: current.estimate.backend ?? '?',
            })}
          </div>
          <div className="muted small">
            {t('editor.estimate.run', { epochs: doc.training.epochs, time: spokenDuration(current.estimate.secondsPerEpoch * doc.training.epochs) })}
          </div>
        </>
      ) : current?.status === 'failed' ? (
        <div className="small bad" role="alert">
          {current.message}
        </div>
      ) : (
        <div className="muted small">{t('editor.estimate.measuring')}</div>
      )}
    </div>
  );
}
