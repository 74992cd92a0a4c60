/**
 * Each swept param against the best dev loss, one small chart a param, on the param's own
 * scale: a log axis for log scales, 1 − x on a log axis for β-like params (labelled with x), the
 * choices side by side for a choice. The best trial is green; trials halving stopped are hollow.
 */
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { CartesianGrid, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis, ZAxis } from 'recharts';
import type { SweepSnapshot } from '../../engine/api';
import type { SweepParam } from '../../engine/graph/document';
import { targetLabel, targetPath } from '../../engine/graph/sweep';
import { CHART, TOOLTIP_STYLE } from '../ui/chartTheme';
import { shortNumber } from './tuneFormat';

interface Point {
  x: number;
  loss: number;
  trial: number;
  value: string;
}

/**
 * Ticks for a log axis from `lo` to `hi`: the powers of ten between them when there are three or
 * more, else four points spaced evenly on the log scale, to three significant digits.
 */
export function logTicks(lo: number, hi: number): number[] {
  const decades: number[] = [];
  for (let k = Math.ceil(Math.log10(lo)); k <= Math.floor(Math.log10(hi)); k++) decades.push(10 ** k);
  if (decades.length >= 3) return decades;
  return [0, 1, 2, 3].map((i) => Number((lo * Math.pow(hi / lo, i / 3)).toPrecision(3)));
}

/** Where a value goes on the chart's x axis, and how the axis is drawn. */
function axisOf(p: SweepParam) {
  if (p.scale === 'choice') {
    return {
      x: (v: unknown) =>
        Math.max(
          0,
          p.choices.findIndex((c) => c === v),
        ),
      scale: 'linear' as const,
      domain: [-0.5, p.choices.length - 0.5] as [number, number],
      ticks: p.choices.map((_, i) => i),
      format: (x: number) => String(p.choices[Math.round(x)] ?? ''),
      reversed: false,
    };
  }
  if (p.scale === 'oneMinusLog') {
    const lo = 1 - p.max;
    const hi = 1 - p.min;
    return {
      x: (v: unknown) => 1 - Number(v),
      scale: 'log' as const,
      domain: [lo, hi] as [number, number],
      ticks: logTicks(lo, hi),
      format: (x: number) => shortNumber(1 - x, 4),
      reversed: true,
    };
  }
  const log = p.scale === 'log' || p.scale === 'intLog';
  return {
    x: (v: unknown) => Number(v),
    scale: log ? ('log' as const) : ('linear' as const),
    domain: [p.min, p.max] as [number, number],
    ticks: log ? logTicks(p.min, p.max) : undefined,
    format: (x: number) => shortNumber(x, 3),
    reversed: false,
  };
}

const ParamScatter = memo(function ParamScatter({ sweep, param }: { sweep: SweepSnapshot; param: SweepParam }) {
  const { t } = useTranslation();
  const path = targetPath(param.target);
  const axis = axisOf(param);
  const points = (state: 'best' | 'done' | 'pruned'): Point[] =>
    sweep.trials
      .filter(
        (t) =>
          t.bestDevLoss !== null &&
          Number.isFinite(t.bestDevLoss) &&
          (state === 'best' ? t.trial === sweep.best : t.trial !== sweep.best && (state === 'pruned' ? t.stoppedEarly : !t.stoppedEarly)),
      )
      .map((t) => ({ x: axis.x(t.config[path]), loss: t.bestDevLoss!, trial: t.trial, value: String(t.config[path]) }));
  const all = sweep.trials.filter((t) => t.bestDevLoss !== null && Number.isFinite(t.bestDevLoss)).length;
  return (
    <figure className="sweep-scatter-chart" data-testid={`sweep-scatter-${targetLabel(param.target)}`} data-points={all} data-scale={param.scale}>
      <figcaption title={path}>
        {targetLabel(param.target)} <span className="muted">({param.scale === 'oneMinusLog' ? '1 − x, log' : param.scale})</span>
      </figcaption>
      <div className="sweep-scatter-area">
        <ResponsiveContainer width="100%" height="100%">
          <ScatterChart margin={{ top: 6, right: 10, bottom: 0, left: -14 }}>
            <CartesianGrid stroke={CHART.grid} strokeDasharray="3 3" />
            <XAxis
              type="number"
              dataKey="x"
              scale={axis.scale}
              domain={axis.domain}
              allowDataOverflow
              reversed={axis.reversed}
              {...(axis.ticks ? { ticks: axis.ticks } : {})}
              tickFormatter={axis.format}
              tick={{ fill: CHART.tick, fontSize: 10 }}
              stroke={CHART.axis}
            />
            <YAxis
              type="number"
              dataKey="loss"
              domain={['auto', 'auto']}
              tick={{ fill: CHART.tick, fontSize: 10 }}
              stroke={CHART.axis}
              width={42}
              tickFormatter={(v: number) => shortNumber(v, 3)}
            />
            <ZAxis range={[36, 36]} />
            <Tooltip
              cursor={false}
              contentStyle={TOOLTIP_STYLE}
              formatter={(value, name) => (name === 'x' ? axis.format(Number(value)) : typeof value === 'number' ? shortNumber(value, 4) : String(value))}
            />
            <Scatter name={t('tune.scatter.trained')} data={points('done')} fill={CHART.accent} isAnimationActive={false} />
            <Scatter name={t('tune.scatter.pruned')} data={points('pruned')} fill="none" stroke={CHART.warn} strokeWidth={1.5} isAnimationActive={false} />
            <Scatter name={t('tune.scatter.best')} data={points('best')} fill={CHART.good} isAnimationActive={false} />
          </ScatterChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
});

export function SweepScatter({ sweep }: { sweep: SweepSnapshot }) {
  return (
    <div className="sweep-scatter" data-testid="sweep-scatter">
      {sweep.sweep.params.map((p) => (
        <ParamScatter key={targetPath(p.target)} sweep={sweep} param={p} />
      ))}
    </div>
  );
}
