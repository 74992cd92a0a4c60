/**
 * The learning-rate finder's curve: loss against learning rate on a log axis, each batch's loss
 * faint and the smoothed loss bold, the steepest descent and the minimum marked, the suggested
 * rate as a dashed line. While it runs, the batches so far.
 */
import { memo, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { CartesianGrid, ComposedChart, Line, ReferenceDot, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { LrFindSnapshot } from '../../engine/api';
import { CHART, TOOLTIP_STYLE } from '../ui/chartTheme';
import { shortNumber } from './tuneFormat';

interface Row {
  lr: number;
  loss?: number;
  smoothed?: number;
}

export const LrFinderPlot = memo(function LrFinderPlot({ find }: { find: LrFindSnapshot }) {
  const { t } = useTranslation();
  const result = find.result;
  const rows: Row[] = useMemo(
    () =>
      result
        ? result.points.map((p) => ({
            lr: p.lr,
            ...(Number.isFinite(p.loss) ? { loss: p.loss } : {}),
            ...(Number.isFinite(p.smoothed) ? { smoothed: p.smoothed } : {}),
          }))
        : find.points.filter((p) => Number.isFinite(p.loss)).map((p) => ({ lr: p.lr, loss: p.loss })),
    [result, find.points],
  );
  // The explosion would flatten the rest of the curve: the axis stops a little above the start.
  const domain = useMemo((): [number, number] => {
    const values = rows.map((r) => r.smoothed ?? r.loss).filter((v): v is number => v !== undefined);
    if (values.length === 0) return [0, 1];
    const lo = Math.min(...values);
    const first = values.slice(0, 5).reduce((a, b) => a + b, 0) / Math.min(5, values.length);
    return [Math.max(0, lo - (first - lo) * 0.15), Math.max(lo + 1e-6, first * 1.3)];
  }, [rows]);
  const xDomain: [number, number] = [find.minLr, Math.max(find.minLr * 10, rows.at(-1)?.lr ?? find.maxLr)];
  return (
    <figure className="lr-plot" data-testid="lr-finder-plot" data-points={rows.length} data-state={find.state}>
      <div className="lr-plot-area">
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart data={rows} margin={{ top: 8, right: 10, bottom: 2, left: -12 }}>
            <CartesianGrid stroke={CHART.grid} strokeDasharray="3 3" />
            <XAxis
              dataKey="lr"
              type="number"
              scale="log"
              domain={xDomain}
              allowDataOverflow
              tick={{ fill: CHART.tick, fontSize: 10 }}
              stroke={CHART.axis}
              tickFormatter={(v: number) => shortNumber(v, 1)}
            />
            <YAxis
              type="number"
              domain={domain}
              allowDataOverflow
              tick={{ fill: CHART.tick, fontSize: 10 }}
              stroke={CHART.axis}
              tickFormatter={(v: number) => shortNumber(v, 2)}
              width={44}
            />
            <Tooltip
              contentStyle={TOOLTIP_STYLE}
              labelFormatter={(lr) => `lr ${shortNumber(Number(lr))}`}
              formatter={(value) => (typeof value === 'number' ? shortNumber(value, 4) : String(value))}
            />
            <Line
              name={t('tune.plot.batchLoss')}
              dataKey="loss"
              stroke={CHART.batch}
              strokeOpacity={0.45}
              strokeWidth={1}
              dot={false}
              isAnimationActive={false}
            />
            <Line name={t('tune.plot.smoothed')} dataKey="smoothed" stroke={CHART.train} strokeWidth={2} dot={false} isAnimationActive={false} connectNulls />
            {result?.suggested != null && (
              <ReferenceLine
                x={result.suggested}
                stroke={CHART.good}
                strokeDasharray="4 3"
                label={{ value: t('tune.plot.suggested'), fill: CHART.good, fontSize: 10, position: 'insideTopLeft' }}
              />
            )}
            {result?.steepest && (
              <ReferenceDot
                x={result.steepest.lr}
                y={result.steepest.smoothed}
                r={5}
                fill={CHART.good}
                stroke={CHART.dotRing}
                label={{ value: t('tune.plot.steepest'), fill: CHART.good, fontSize: 10, position: 'left' }}
              />
            )}
            {result?.minimum && (
              <ReferenceDot
                x={result.minimum.lr}
                y={result.minimum.smoothed}
                r={5}
                fill={CHART.min}
                stroke={CHART.dotRing}
                label={{ value: t('tune.plot.min'), fill: CHART.min, fontSize: 10, position: 'bottom' }}
              />
            )}
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="muted small">{t('tune.plot.caption')}</figcaption>
    </figure>
  );
});
