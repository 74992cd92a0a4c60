/**
 * Tuning, under the training settings: the learning-rate finder first (its curve, the steepest
 * descent and the minimum, "apply" the suggestion), then the document's sweep (the editor, Run,
 * Stop, the results). It follows the host's tune events while it is shown and asks for the
 * host's jobs when it appears or the link comes back, so nothing is missed between.
 */
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useHost } from '../HostContext';
import { messageText } from '../i18n/engineErrors';
import { useAppStore } from '../state/appStore';
import { useDoc } from '../state/documentStore';
import { applyLearningRate, startLrFind, startSweep } from '../state/tuneActions';
import { useShownSweep, useTuneStore } from '../state/tuneStore';
import { LrFinderPlot } from './LrFinderPlot';
import { SweepEditor } from './SweepEditor';
import { SweepResults } from './SweepResults';
import { shortNumber } from './tuneFormat';

function useTuneEvents(): void {
  const { host } = useHost();
  const connected = useAppStore((s) => s.connection === 'open');
  useEffect(() => host.engine.onTuneEvent((event) => useTuneStore.getState().receive(event)), [host]);
  useEffect(() => {
    if (!connected) return;
    let cancelled = false;
    host.engine.tuneJobs().then(
      (jobs) => !cancelled && useTuneStore.getState().adopt(jobs),
      () => undefined, // The link dropped again; the next open asks again.
    );
    return () => {
      cancelled = true;
    };
  }, [host, connected]);
}

export function TunePanel() {
  const { t } = useTranslation();
  useTuneEvents();
  const { host } = useHost();
  const doc = useDoc();
  const connected = useAppStore((s) => s.connection === 'open');
  const find = useTuneStore((s) => s.find);
  const starting = useTuneStore((s) => s.starting);
  const error = useTuneStore((s) => s.error);
  const sweep = useShownSweep();
  if (!doc) return null;
  const finding = find?.state === 'running';
  const sweeping = sweep?.state === 'running';
  const result = find?.result ?? null;
  const lr = doc.training.optimizer.lr;
  return (
    <div className="inspector-body tune-panel" data-testid="tune-panel">
      <h4 className="section">{t('tune.lr.title')}</h4>
      <p className="muted small">{t('tune.lr.explain')}</p>
      <div className="tune-buttons">
        <button type="button" onClick={() => void startLrFind(host)} disabled={!connected || finding || starting !== null} data-testid="lr-find-button">
          {finding ? t('tune.lr.finding') : t('tune.lr.find')}
        </button>
        {finding && (
          <button type="button" className="danger" onClick={() => void host.engine.stopLrFind(find.findId)} data-testid="lr-find-stop">
            {t('tune.stop')}
          </button>
        )}
      </div>
      {find && (
        <div className="lr-find" data-testid="lr-find" data-state={find.state}>
          {find.state === 'running' && (
            <div className="muted small">
              {find.points.length > 0
                ? t('tune.lr.progress', { batch: find.points.length, steps: find.steps, lr: shortNumber(find.points.at(-1)!.lr) })
                : find.message !== null
                  ? messageText(t, { message: find.message, words: find.words })
                  : t('tune.starting')}
            </div>
          )}
          {find.state === 'failed' && (
            <div className="run-error" role="alert" data-testid="lr-find-error">
              {find.message !== null && messageText(t, { message: find.message, words: find.words })}
            </div>
          )}
          {(find.points.length > 0 || result) && <LrFinderPlot find={find} />}
          {result && (
            <dl className="facts" data-testid="lr-find-result">
              <dt>{t('tune.lr.steepest')}</dt>
              <dd data-testid="lr-steepest">{shortNumber(result.steepest?.lr)}</dd>
              <dt>{t('tune.lr.minimum')}</dt>
              <dd data-testid="lr-minimum">{shortNumber(result.minimum?.lr)}</dd>
              <dt>{t('tune.lr.suggested')}</dt>
              <dd data-testid="lr-suggested">{shortNumber(result.suggested)}</dd>
              <dt>{t('tune.lr.now')}</dt>
              <dd>{shortNumber(lr)}</dd>
            </dl>
          )}
          {result?.suggested != null && (
            <button
              type="button"
              className="primary"
              onClick={() => applyLearningRate(result.suggested!)}
              disabled={result.suggested === lr}
              data-testid="lr-apply"
            >
              {t('tune.lr.apply', { lr: shortNumber(result.suggested) })}
            </button>
          )}
        </div>
      )}

      <h4 className="section">{t('tune.sweep.title')}</h4>
      <SweepEditor doc={doc} />
      <div className="tune-buttons">
        <button
          type="button"
          className="primary"
          onClick={() => void startSweep(host)}
          disabled={!connected || sweeping || starting !== null}
          data-testid="sweep-run"
        >
          {starting === 'sweep' ? t('tune.starting') : t('tune.sweep.run')}
        </button>
        {sweeping && (
          <button type="button" className="danger" onClick={() => void host.engine.stopSweep(sweep.sweepId)} data-testid="sweep-stop-side">
            {t('tune.stop')}
          </button>
        )}
        {sweep && (
          <button type="button" onClick={() => useTuneStore.getState().set({ resultsOpen: true })} data-testid="sweep-show">
            {sweeping
              ? t('tune.sweep.resultsSoFar', { done: sweep.trials.filter((trial) => trial.finished).length, trials: sweep.trials.length })
              : t('tune.sweep.results')}
          </button>
        )}
      </div>
      {error && (
        <div className="run-error" role="alert" data-testid="tune-error">
          {error}
        </div>
      )}
      <SweepResults />
    </div>
  );
}
