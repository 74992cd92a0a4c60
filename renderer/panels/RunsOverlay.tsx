import { useMemo, useState } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { AXIS, CHART, TOOLTIP_STYLE } from '../ui/chartTheme';
import { CURVE_METRICS as METRICS, curveSeries as seriesOf, runLabel, useRunsStore, type CurveMetric as MetricKey } from '../state/runsStore';
import { useTranslation } from 'react-i18next';
import { metric, percent } from '../ui/format';

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
  const series = useMemo(
    () =>
      ticked.map((id, i) => {
        const fetched = curves[id];
        const run = runs?.find((r) => r.runId === id);
        return { id, name: run ? runLabel(run) : id, color: runColor(i), points: fetched?.status === 'ok' ? seriesOf(fetched.value, key) : [], fetched };
      }),
    [ticked, curves, runs, key],
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
    <figure className="runs-overlay chart" data-testid="runs-overlay" data-runs={ticked.length} data-points={series.reduce((n, s) => n + s.points.length, 0)}>
      <figcaption>
        <span>{t('run.overlay.compare')}</span>
        <select value={key} onChange={(e) => setKey(e.target.value as MetricKey)} aria-label={t('run.overlay.which')} data-testid="overlay-metric">
          {(Object.keys(METRICS) as MetricKey[]).map((k) => (
            <option key={k} value={k}>
              {t(`run.overlay.metric.${k}`, { defaultValue: METRICS[k].label })}
            </option>
          ))}
        </select>
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
              domain={
                spec.acc
                  ? [(min: number) => Math.max(0, Math.floor((min - 0.03) * 20) / 20), (max: number) => Math.min(1, Math.ceil((max + 0.03) * 20) / 20)]
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
            .map((s) => `${s.name}: ${(s.fetched as { message: string }).message}`)
            .join(' · ')}
        </p>
      )}
    </figure>
  );
}
