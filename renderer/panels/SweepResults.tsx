/**
 * A sweep's results as pictures, over the workspace: where it is and what halving saved, the
 * sortable table, each param against dev loss, the parallel coordinates, and the two ways back
 * into the Document, each one undoable step: "Apply best" and "Zoom in".
 */
import { useEffect } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { createPortal } from 'react-dom';
import type { SweepSnapshot } from '../../engine/api';
import { targetLabel, targetPath } from '../../engine/graph/sweep';
import { useHost } from '../HostContext';
import { messageText } from '../i18n/engineErrors';
import { applyBest, applyZoom } from '../state/tuneActions';
import { useShownSweep, useTuneStore } from '../state/tuneStore';
import { duration } from '../ui/format';
import { SweepParallel } from './SweepParallel';
import { SweepScatter } from './SweepScatter';
import { SweepTable } from './SweepTable';
import { shortNumber, sweepValue } from './tuneFormat';

function statusLine(t: TFunction, s: SweepSnapshot): string {
  const finished = s.trials.filter((t) => t.finished).length;
  const running = s.trials.filter((t) => t.state === 'running' || (t.state === 'pruned' && !t.finished)).length;
  switch (s.state) {
    case 'running':
      return t('tune.results.running', { trial: finished + 1, trials: s.trials.length, finished, running, parallel: s.parallel });
    case 'done':
      return t('tune.results.done', { trials: s.trials.length, time: duration(s.seconds) });
    case 'stopped':
      return t('tune.results.stopped', { finished, trials: s.trials.length });
    case 'failed':
      return t('tune.results.failed', { why: s.message !== null ? messageText(t, { message: s.message, words: s.words }) : t('tune.results.couldNotGoOn') });
  }
}

export function SweepResults() {
  const { t } = useTranslation();
  const { host } = useHost();
  const sweep = useShownSweep();
  const open = useTuneStore((s) => s.resultsOpen);
  const close = () => useTuneStore.getState().set({ resultsOpen: false });
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && close();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open]);
  if (!open || !sweep) return null;
  const best = sweep.trials.find((t) => t.trial === sweep.best) ?? null;
  const { epochsRun, epochsBudgeted, fraction } = sweep.saving;
  return createPortal(
    <div className="overlay sweep-overlay" onMouseDown={(e) => e.target === e.currentTarget && close()}>
      <section className="sweep-results" role="dialog" aria-modal="true" aria-labelledby="sweep-title" data-testid="sweep-results" data-state={sweep.state}>
        <header className="sweep-results-head">
          <div>
            <h2 id="sweep-title">{t('tune.results.title', { name: sweep.documentName })}</h2>
            <div className="muted small" data-testid="sweep-status">
              {statusLine(t, sweep)}{' '}
              {sweep.rungs.length > 0 ? `${t('tune.results.halving', { count: sweep.rungs.length, epochs: sweep.rungs.join(', ') })} ` : ''}
              <span data-testid="sweep-saving">{t('tune.results.saving', { run: epochsRun, budget: epochsBudgeted, saved: Math.round(fraction * 100) })}</span>
            </div>
          </div>
          <div className="sweep-actions">
            {sweep.state === 'running' && (
              <button type="button" className="danger" onClick={() => void host.engine.stopSweep(sweep.sweepId)} data-testid="sweep-stop">
                {t('tune.stop')}
              </button>
            )}
            <button
              type="button"
              onClick={() => applyZoom(sweep)}
              disabled={!sweep.zoom}
              title={
                sweep.zoom
                  ? sweep.zoom.params
                      .map(
                        (p) =>
                          `${targetPath(p.target)}: ${p.scale === 'choice' ? p.choices.join(', ') : `${shortNumber(p.min, 4)} … ${shortNumber(p.max, 4)}`}`,
                      )
                      .join('\n')
                  : t('tune.results.zoomNeeds')
              }
              data-testid="sweep-zoom"
            >
              {t('tune.results.zoom')}
            </button>
            <button type="button" className="primary" onClick={() => applyBest(sweep)} disabled={!best} data-testid="sweep-apply">
              {t('tune.results.applyBest')}
            </button>
            <button
              type="button"
              className="tool"
              onClick={close}
              aria-label={t('tune.results.closeLabel')}
              title={t('tune.results.closeTitle')}
              data-testid="sweep-close"
            >
              ×
            </button>
          </div>
        </header>
        {best && (
          <p className="sweep-best" data-testid="sweep-best">
            {t(best.bestDevAcc !== null ? 'tune.results.bestWithAcc' : 'tune.results.best', {
              trial: best.trial,
              config: sweep.sweep.params.map((p) => `${targetLabel(p.target)} ${sweepValue(best.config[targetPath(p.target)])}`).join(', '),
              loss: shortNumber(best.bestDevLoss, 4),
              acc: best.bestDevAcc !== null ? (best.bestDevAcc * 100).toFixed(1) : '',
            })}
          </p>
        )}
        <div className="sweep-results-body">
          <SweepTable sweep={sweep} />
          <SweepScatter sweep={sweep} />
          <SweepParallel sweep={sweep} />
        </div>
      </section>
    </div>,
    document.body,
  );
}
