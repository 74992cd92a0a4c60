import { memo, useMemo, useState } from 'react';
import { CartesianGrid, ComposedChart, Legend, Line, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { AXIS, CHART, TOOLTIP_STYLE } from '../ui/chartTheme';
import { useHost } from '../HostContext';
import { useAppStore } from '../state/appStore';
import { isActive, useTrainingStore, type BatchPoint, type EpochPoint, type RunState } from '../state/trainingStore';
import { useTranslation } from 'react-i18next';
import { messageText } from '../i18n/engineErrors';
import { downsample, positive, smooth, type XY } from '../charts/series';
import { SMOOTHING, useChartPrefs } from '../charts/chartPrefs';
import { useDocumentStore } from '../state/documentStore';
import { refusedFiles, useConsentStore } from '../state/consentStore';
import { t } from '../i18n';
import { duration, metric, percent } from '../ui/format';
import { Icon } from '../ui/Icon';
import { Issues } from './BlockInspector';
import { keyLabel } from '../useShortcuts';
import { useRunsStore } from '../state/runsStore';
import { useLeaveGuard } from '../state/useLeaveGuard';
import { BiasVariance } from './BiasVariance';
import { LearningRateChart } from './LearningRateChart';
import { PredictBox } from './PredictBox';
import { RunsPanel } from './RunsPanel';
import { TestView } from './TestView';
import { TrainingTabs } from './TrainingTabs';

/** Points per curve drawn; longer runs are thinned by LTTB (renderer/charts/series.ts), every point kept. */
const MAX_POINTS = 1_500;

interface ChartRow {
  step: number;
  batch?: number;
  /** The batch curve smoothed, when smoothing is on. */
  smooth?: number;
  train?: number;
  dev?: number;
}

function rows(batches: readonly BatchPoint[], epochs: readonly EpochPoint[], metricOf: 'loss' | 'acc', options: { smooth: boolean; log: boolean }): ChartRow[] {
  const byStep = new Map<number, ChartRow>();
  const row = (step: number) => {
    let r = byStep.get(step);
    if (!r) byStep.set(step, (r = { step }));
    return r;
  };
  const y = (v: number | undefined) => (options.log ? positive(v) : v);
  const all: XY[] = batches.map((b) => ({ x: b.step, y: metricOf === 'loss' ? b.loss : b.acc }));
  for (const p of downsample(all, MAX_POINTS)) row(p.x).batch = y(p.y);
  if (options.smooth) for (const p of downsample(smooth(all, SMOOTHING), MAX_POINTS)) row(p.x).smooth = y(p.y);
  for (const e of epochs) {
    const r = row(e.step);
    r.train = y(metricOf === 'loss' ? e.trainLoss : e.trainAcc);
    r.dev = y(metricOf === 'loss' ? e.devLoss : e.devAcc);
  }
  return [...byStep.values()].sort((a, b) => a.step - b.step);
}

const COLORS = { batch: CHART.batch, smooth: CHART.smooth, train: CHART.train, dev: CHART.dev };

const Chart = memo(function Chart({
  data,
  kind,
  totalSteps,
  bestStep,
  log = false,
  smoothed = false,
}: {
  data: ChartRow[];
  kind: 'loss' | 'acc';
  totalSteps: number;
  bestStep?: number | undefined;
  log?: boolean;
  smoothed?: boolean;
}) {
  useTranslation(); // The legend and tooltip words follow the language.
  const fmt = kind === 'acc' ? (v: number) => `${Math.round(v * 100)}%` : (v: number) => String(Number(v.toPrecision(3)));
  return (
    <ResponsiveContainer width="100%" height="100%">
      <ComposedChart data={data} margin={{ top: 6, right: 12, bottom: 0, left: -6 }}>
        <CartesianGrid stroke={CHART.grid} strokeDasharray="3 3" />
        <XAxis dataKey="step" type="number" domain={[0, Math.max(1, totalSteps)]} {...AXIS} allowDecimals={false} />
        <YAxis
          {...AXIS}
          tickFormatter={fmt}
          width={44}
          scale={log ? 'log' : 'auto'}
          allowDataOverflow={log}
          domain={kind === 'acc' ? [0, 1] : ['auto', 'auto']}
        />
        <Tooltip
          contentStyle={TOOLTIP_STYLE}
          labelFormatter={(step) => t('run.chart.stepAt', { step: String(step) })}
          formatter={(value) => (typeof value === 'number' ? (kind === 'acc' ? percent(value) : metric(value)) : String(value))}
        />
        <Legend wrapperStyle={{ fontSize: 11 }} iconSize={10} />
        <Line
          name={t('run.chart.batch')}
          dataKey="batch"
          stroke={COLORS.batch}
          strokeWidth={1.2}
          strokeOpacity={smoothed ? 0.35 : 1}
          dot={false}
          isAnimationActive={false}
          connectNulls
        />
        {smoothed && (
          <Line name={t('run.chart.smoothed')} dataKey="smooth" stroke={COLORS.smooth} strokeWidth={1.8} dot={false} isAnimationActive={false} connectNulls />
        )}
        <Line name={t('run.chart.train')} dataKey="train" stroke={COLORS.train} strokeWidth={2} dot={{ r: 3 }} isAnimationActive={false} connectNulls />
        <Line name={t('run.chart.dev')} dataKey="dev" stroke={COLORS.dev} strokeWidth={2} dot={{ r: 3 }} isAnimationActive={false} connectNulls />
        {bestStep !== undefined && (
          // The epoch whose weights early stopping restored: the model the run kept.
          <ReferenceLine
            x={bestStep}
            stroke={CHART.best}
            strokeDasharray="4 3"
            label={{ value: t('run.chart.best'), position: 'insideTopRight', fill: CHART.best, fontSize: 10 }}
          />
        )}
      </ComposedChart>
    </ResponsiveContainer>
  );
});

function statusLine(run: RunState): string {
  const said = run.message === null ? null : messageText(t, { message: run.message, words: run.statusWords ?? undefined });
  switch (run.status) {
    case 'idle':
      return t('training.status.idle');
    case 'starting':
      return said ?? t('training.status.starting');
    case 'queued':
      return said ?? t('training.status.queued');
    case 'running':
      return said ?? (run.lastBatch ? t('training.status.training') : t('training.status.preparing'));
    case 'stopping':
      return t('training.status.stopping');
    case 'done': {
      const d = run.done;
      if (!d) return t('training.status.done');
      return t(`training.status.ended.${d.reason}`, { count: d.epochs, time: duration(d.seconds) });
    }
    case 'error':
      return t('training.status.failed');
    case 'crashed': {
      const b = run.crash?.lastBatch;
      if (!b) return t('training.status.crashed');
      return t('training.status.crashedAt', { epoch: b.epoch, batch: b.batch, steps: run.crash?.stepsPerEpoch ?? '?' });
    }
    case 'lost':
      return t('training.status.lost');
  }
}

/** The training dashboard: Train/Stop, progress, live loss and accuracy curves, the outcome. */
export function TrainingPanel() {
  useTranslation(); // Re-renders the panel's words when the language changes.
  const { actions, host } = useHost();
  const run = useTrainingStore((s) => s.run);
  const view = useRunsStore((s) => s.view);
  const connected = useAppStore((s) => s.connection === 'open');
  const hasDoc = useDocumentStore((s) => s.history !== null);
  const [collapsed, setCollapsed] = useState(false);
  const waitingForConsent = useConsentStore((s) => refusedFiles(s.files).length > 0);

  const stepsPerEpoch = run.start?.stepsPerEpoch ?? 0;
  const epochs = run.start?.epochs ?? 0;
  const totalSteps = stepsPerEpoch * epochs;
  const step = run.lastBatch?.step ?? 0;
  const progress = totalSteps > 0 ? Math.min(1, step / totalSteps) : 0;
  const active = isActive(run.status);
  const { t } = useTranslation();
  const chart = useChartPrefs();
  const lossRows = useMemo(
    () => rows(run.batches, run.epochs, 'loss', { smooth: chart.smooth, log: chart.log }),
    [run.batches, run.epochs, chart.smooth, chart.log],
  );
  const accRows = useMemo(() => rows(run.batches, run.epochs, 'acc', { smooth: chart.smooth, log: false }), [run.batches, run.epochs, chart.smooth]);
  const lastEpoch = run.epochs[run.epochs.length - 1];
  // While training the axis spans the whole run; a run that ended early is shown at its length.
  const ended = run.status === 'done' || run.status === 'error' || run.status === 'crashed' || run.status === 'lost';
  const axisEnd = ended ? Math.max(step, lastEpoch?.step ?? 0) : totalSteps || step;
  const eta = run.lastBatch && totalSteps > 0 ? ((totalSteps - step) * run.lastBatch.msPerStep) / 1000 : null;
  // Marked when early stopping restored an epoch before the last: the weights the run kept.
  const bestEpoch = run.done?.bestEpoch;
  const bestStep = bestEpoch !== undefined && bestEpoch < (lastEpoch?.epoch ?? 0) ? run.epochs.find((e) => e.epoch === bestEpoch)?.step : undefined;
  // In the browser the run goes on in the host when the tab closes; still, ask first. (The
  // desktop window's close is the main process's to confirm: a renderer's beforeunload there
  // would silently keep the window open.)
  useLeaveGuard(host.kind === 'web' && active);

  return (
    <section
      className={`training-panel${collapsed ? ' collapsed' : view !== 'curves' ? ' tall' : ''}`}
      aria-label={t('run.panel.label')}
      data-status={run.status}
      data-testid="training-panel"
    >
      <div className="training-head">
        <button
          type="button"
          className="primary"
          onClick={() => void actions.train()}
          disabled={active || !connected || !hasDoc}
          data-testid="train-button"
          title={t('run.panel.trainTitle', { keys: keyLabel('Mod+Enter') })}
        >
          <Icon name="play" /> {t('run.panel.train')}
        </button>
        <button type="button" className="danger" onClick={() => void actions.stop()} disabled={!active || run.status === 'stopping'} data-testid="stop-button">
          <Icon name="stop" /> {t('run.panel.stop')}
        </button>
        <div className="run-progress" data-testid="run-progress">
          <div className="progress-text">
            <span data-testid="run-status">
              {active && !connected
                ? t('run.panel.reconnecting')
                : run.status === 'error' && waitingForConsent
                  ? t('run.panel.waitingConsent')
                  : statusLine(run)}
            </span>
            {run.lastBatch && active && (
              <span className="muted">
                {' '}
                {t('run.panel.progress', {
                  epoch: run.lastBatch.epoch,
                  epochs,
                  batch: run.lastBatch.batch,
                  steps: stepsPerEpoch,
                  ms: Math.round(run.lastBatch.msPerStep),
                })}
                {eta !== null ? ` · ${t('run.panel.left', { time: duration(eta) })}` : ''}
              </span>
            )}
          </div>
          <div className="progress-bar" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(progress * 100)}>
            <div className={`progress-fill${active ? ' live' : ''}`} style={{ width: `${progress * 100}%` }} />
          </div>
        </div>
        <div className="run-metrics">
          <Metric label={t('run.metric.batchLoss')} value={metric(run.lastBatch?.loss)} />
          <Metric label={t('run.metric.devLoss')} value={metric(lastEpoch?.devLoss)} />
          <Metric label={t('run.metric.devAcc')} value={percent(lastEpoch?.devAcc)} />
        </div>
        <button
          type="button"
          className="tool"
          onClick={() => setCollapsed(!collapsed)}
          aria-label={collapsed ? t('run.panel.showCharts') : t('run.panel.hideCharts')}
          title={collapsed ? t('run.panel.showCharts') : t('run.panel.hideCharts')}
        >
          <Icon name={collapsed ? 'collapse' : 'expand'} />
        </button>
      </div>
      {!collapsed && <TrainingTabs />}
      {!collapsed && (
        <div className="training-body">
          {(run.status === 'error' || run.status === 'crashed') && run.error && (
            <div className="run-error" role="alert" data-testid="run-error">
              <div className="run-error-title">
                <Icon name="warn" /> {messageText(t, run.error)}
              </div>
              <Issues issues={run.error.issues} />
              {waitingForConsent && (
                <button type="button" onClick={() => useConsentStore.getState().reopen()} data-testid="run-review-files">
                  {t('run.panel.reviewFiles')}
                </button>
              )}
            </div>
          )}
          {run.nan && (
            <div className="run-error" role="alert">
              <div className="run-error-title">
                <Icon name="warn" /> {messageText(t, run.nan)}
              </div>
            </div>
          )}
          {view === 'test' && <TestView />}
          {view === 'predict' && <PredictBox />}
          {view === 'runs' && <RunsPanel />}
          {view === 'curves' && (
            <div className="charts">
              <figure
                className="chart"
                data-testid="loss-chart"
                data-points={run.batches.length}
                data-epochs={run.epochs.length}
                data-first-step={run.batches[0]?.step ?? ''}
              >
                <figcaption>
                  {t('training.chart.loss')}
                  <span className="chart-toggles">
                    <button
                      type="button"
                      aria-pressed={chart.log}
                      className={chart.log ? 'on' : ''}
                      onClick={() => chart.set({ log: !chart.log })}
                      title={t('editor.charts.logHelp')}
                      data-testid="loss-log"
                    >
                      {t('editor.charts.log')}
                    </button>
                    <button
                      type="button"
                      aria-pressed={chart.smooth}
                      className={chart.smooth ? 'on' : ''}
                      onClick={() => chart.set({ smooth: !chart.smooth })}
                      title={t('editor.charts.smoothHelp')}
                      data-testid="loss-smooth"
                    >
                      {t('editor.charts.smooth')}
                    </button>
                  </span>
                </figcaption>
                <div className="chart-area">
                  {lossRows.length > 0 ? (
                    <Chart data={lossRows} kind="loss" totalSteps={axisEnd} bestStep={bestStep} log={chart.log} smoothed={chart.smooth} />
                  ) : (
                    <Empty run={run} />
                  )}
                </div>
              </figure>
              <figure className="chart" data-testid="accuracy-chart">
                <figcaption>{t('training.chart.accuracy')}</figcaption>
                <div className="chart-area">
                  {accRows.length > 0 ? (
                    <Chart data={accRows} kind="acc" totalSteps={axisEnd} bestStep={bestStep} smoothed={chart.smooth} />
                  ) : (
                    <Empty run={run} />
                  )}
                </div>
              </figure>
              <figure className="chart lr-chart" data-testid="lr-chart" data-epochs={run.epochs.filter((e) => e.lr !== undefined).length}>
                <figcaption>{t('training.chart.lr')}</figcaption>
                <div className="chart-area">
                  <LearningRateChart epochs={run.epochs} stepsPerEpoch={stepsPerEpoch} totalSteps={axisEnd} />
                </div>
              </figure>
              <div className="run-side">
                <BiasVariance trainAcc={lastEpoch?.trainAcc} devAcc={lastEpoch?.devAcc} epoch={lastEpoch?.epoch} />
                {run.done && (
                  <dl className="run-done facts" data-testid="run-done">
                    <dt>{t('run.done.testAcc')}</dt>
                    <dd>{percent(run.done.testAcc)}</dd>
                    <dt>{t('run.done.testLoss')}</dt>
                    <dd>{metric(run.done.testLoss)}</dd>
                    <dt>{t('run.done.bestDevLoss')}</dt>
                    <dd>{metric(run.done.bestDevLoss)}</dd>
                    <dt>{t('run.done.finalLoss')}</dt>
                    <dd>{metric(run.done.finalLoss)}</dd>
                    <dt>{t('run.done.runDir')}</dt>
                    <dd className="mono small path" title={run.done.runDir}>
                      {run.done.runDir}
                    </dd>
                  </dl>
                )}
              </div>
            </div>
          )}
        </div>
      )}
    </section>
  );
}

function Metric({ label, value }: { label: string; value: string }) {
  return (
    <div className="metric">
      <div className="metric-value">{value}</div>
      <div className="metric-label">{label}</div>
    </div>
  );
}

function Empty({ run }: { run: RunState }) {
  return <div className="chart-empty">{isActive(run.status) ? t('training.chart.waiting') : t('training.chart.empty')}</div>;
}
