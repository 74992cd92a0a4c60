import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { AXIS, CHART, TOOLTIP_STYLE } from '../ui/chartTheme';

/** One epoch's learning rate and where it sits on the step axis. */
export interface LearningRatePoint {
  epoch: number;
  /** The global step at the end of the epoch. */
  step: number;
  lr?: number | null | undefined;
}

/** 0.001 → "1e-3", 0.0005 → "5e-4", 0.05 → "0.05". */
export function formatRate(v: number): string {
  if (v === 0) return '0';
  if (v >= 0.01) return String(Number(v.toPrecision(2)));
  const [m, e] = v.toExponential(1).split('e');
  return `${Number(m)}e${Number(e)}`;
}

/**
 * The learning rate each epoch trained with, as a step line on the batch axis of the loss and
 * accuracy charts (each epoch holds its rate from its first step to its last).
 */
export const LearningRateChart = memo(function LearningRateChart({
  epochs,
  stepsPerEpoch,
  totalSteps,
}: {
  epochs: readonly LearningRatePoint[];
  stepsPerEpoch: number;
  totalSteps: number;
}) {
  const { t } = useTranslation();
  const data: { step: number; lr: number; epoch: number }[] = [];
  let previousEnd = 0;
  for (const e of epochs) {
    if (typeof e.lr !== 'number' || !Number.isFinite(e.lr)) continue;
    const from = stepsPerEpoch > 0 ? (e.epoch - 1) * stepsPerEpoch : previousEnd;
    data.push({ step: from, lr: e.lr, epoch: e.epoch }, { step: e.step, lr: e.lr, epoch: e.epoch });
    previousEnd = e.step;
  }
  if (data.length === 0) return <div className="chart-empty">{t('run.lr.empty')}</div>;
  return (
    <ResponsiveContainer width="100%" height="100%">
      <LineChart data={data} margin={{ top: 6, right: 8, bottom: 0, left: -6 }}>
        <CartesianGrid stroke={CHART.grid} strokeDasharray="3 3" />
        <XAxis dataKey="step" type="number" domain={[0, Math.max(1, totalSteps)]} {...AXIS} allowDecimals={false} />
        <YAxis {...AXIS} tickFormatter={formatRate} width={50} domain={[0, (max: number) => max * 1.2]} tickCount={4} />
        <Tooltip
          contentStyle={TOOLTIP_STYLE}
          labelFormatter={(step) => t('run.chart.stepAt', { step: String(step) })}
          formatter={(value) => (typeof value === 'number' ? formatRate(value) : String(value))}
        />
        <Line name={t('run.lr.name')} dataKey="lr" stroke={CHART.lr} strokeWidth={2} dot={false} isAnimationActive={false} />
      </LineChart>
    </ResponsiveContainer>
  );
});
