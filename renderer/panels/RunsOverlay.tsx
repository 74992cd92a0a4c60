import { useMemo, useState } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { AXIS, CHART, TOOLTIP_STYLE } from '../ui/chartTheme';
import { CURVE_METRICS as METRICS, curveSeries as seriesOf, runLabel, useRunsStore, type CurveMetric as MetricKey } from '../state/runsStore';
import { useTranslation } from 'react-i18next';
import { messageText } from '../i18n/engineErrors';
import type { Words } from '../../engine/words';
import { metric, percent } from '../ui/format';
import { SMOOTHING, useChartPrefs } from '../charts/chartPrefs';
import { positive } from '../charts/series';

const PALETTE = ['#5b8cff', '#f5b14c', '#3fcf8e', '#ff6b9a', '#c77dff', '#2fc4c4', '#e7c04a', '#ff5d5d'];
/** The colour of the `i`-th ticked run, in the list and on the chart. */
export const runColor = (i: number): string => PALETTE[i % PALETTE.length]!;

/** The curves of every ticked run on one chart, one colour each. */
export function RunsOverlay() {
  const ticked = useRunsStore((s) => s.ticked);
  const curves = useRunsStore((s) => s.curves);
  const runs = useRunsStore((s) => s.runs);
  const { t } = useTranslation();
  const [key, setKey] = useState<MetricKey>('devAcc');
  // The single run's chart toggles, shared with it: a log scale for the losses, smoothing for the
  // per-step curve (the only one with batches to smooth), each where it applies.
  const prefs = useChartPrefs();
  const canLog = !METRICS[key].acc;
  const canSmooth = key === 'batchLoss';
  const log = canLog && prefs.log;
  const smoothed = canSmooth && prefs.smooth;
  const series = useMemo(
    () =>
      ticked.map((id, i) => {
        const fetched = curves[id];
        const run = runs?.find((r) => r.runId === id);
        const points = fetched?.status === 'ok' ? seriesOf(fetched.value, key, undefined, smoothed ? SMOOTHING : 0) : [];
        // On a log axis a value not above 0 cannot be drawn: a gap, as on the single run's chart.
        const shown = log ? points.map((p) => ({ x: p.x, y: positive(p.y) })) : points;
        return { id, name: run ? runLabel(run) : id, color: runColor(i), points: shown, fetched };
      }),
    [ticked, curves, runs, key, smoothed, log],
  );
  if (ticked.length < 2) {
    return (
      <div className="runs-overlay empty" data-testid="runs-overlay" data-runs={ticked.length}>
        <div className="view-empty">{t('run.overlay.empty')}</div>
      </div>
    );
  }
  const spec = METRICS[key];
  const fmt = spec.acc ? (v: number) => `${Math.round(v * 100)}%` : (v: number) => String(Number(v.toPrecision(3)));
  return (
    <figure
      className="runs-overlay chart"
      data-testid="runs-overlay"
      data-runs={ticked.length}
      data-points={series.reduce((n, s) => n + s.points.length, 0)}
      data-log={log}
      data-smoothed={smoothed}
    >
      <figcaption>
        <span>{t('run.overlay.compare')}</span>
        <select value={key} onChange={(e) => setKey(e.target.value as MetricKey)} aria-label={t('run.overlay.which')} data-testid="overlay-metric">
          {(Object.keys(METRICS) as MetricKey[]).map((k) => (
            <option key={k} value={k}>
              {t(`run.overlay.metric.${k}`, { defaultValue: METRICS[k].label })}
            </option>
          ))}
        </select>
        <span className="chart-toggles">
          <button
            type="button"
            aria-pressed={log}
            className={log ? 'on' : ''}
            disabled={!canLog}
            onClick={() => prefs.set({ log: !prefs.log })}
            title={canLog ? t('editor.charts.logHelp') : t('editor.charts.logOnlyLoss')}
            data-testid="overlay-log"
          >
            {t('editor.charts.log')}
          </button>
          <button
            type="button"
            aria-pressed={smoothed}
            className={smoothed ? 'on' : ''}
            disabled={!canSmooth}
            onClick={() => prefs.set({ smooth: !prefs.smooth })}
            title={canSmooth ? t('editor.charts.smoothHelp') : t('editor.charts.smoothOnlyBatches')}
            data-testid="overlay-smooth"
          >
            {t('editor.charts.smooth')}
          </button>
        </span>
      </figcaption>
      <div className="chart-area">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart margin={{ top: 6, right: 12, bottom: 0, left: -6 }}>
            <CartesianGrid stroke={CHART.grid} strokeDasharray="3 3" />
            <XAxis
              dataKey="x"
              type="number"
              domain={[key === 'batchLoss' ? 0 : 1, 'dataMax']}
              allowDecimals={false}
              {...AXIS}
              label={{
                value: key === 'batchLoss' ? t('run.chart.step') : t('run.chart.epoch'),
                position: 'insideBottomRight',
                offset: -2,
                fill: CHART.tick,
                fontSize: 10,
              }}
            />
            <YAxis
              {...AXIS}
              tickFormatter={fmt}
              width={44}
              scale={log ? 'log' : 'auto'}
              allowDataOverflow={log}
              domain={
                spec.acc
                  ? [(min: number) => Math.max(0, Math.floor((min - 0.03) * 20) / 20), (max: number) => Math.min(1, Math.ceil((max + 0.03) * 20) / 20)]
                  : log
                    ? // 'auto' rounds a log axis to ticks inside the data and clips the lowest losses
                      ['dataMin', 'dataMax']
                    : ['auto', 'auto']
              }
            />
            <Tooltip
              contentStyle={TOOLTIP_STYLE}
              labelFormatter={(x) => (key === 'batchLoss' ? t('run.chart.stepAt', { step: String(x) }) : t('run.chart.epochAt', { epoch: String(x) }))}
              formatter={(value) => (typeof value === 'number' ? (spec.acc ? percent(value) : metric(value)) : String(value))}
            />
            <Legend wrapperStyle={{ fontSize: 11 }} iconSize={10} />
            {series.map((s) => (
              <Line
                key={s.id}
                data={s.points}
                dataKey="y"
                name={s.name}
                stroke={s.color}
                strokeWidth={2}
                dot={key === 'batchLoss' ? false : { r: 2.5 }}
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
      {series.some((s) => s.fetched?.status === 'error') && (
        <p className="small muted">
          {series
            .filter((s) => s.fetched?.status === 'error')
            .map((s) => `${s.name}: ${messageText(t, s.fetched as { message: string; words?: Words })}`)
            .join(' · ')}
        </p>
      )}
    </figure>
  );
}
