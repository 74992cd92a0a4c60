/**
 * Parallel coordinates: one vertical axis a param (its range on its own scale, bottom to top)
 * and one for the best dev loss, each trial a line through its values, coloured from green (the
 * lowest loss) to red; trials halving stopped are dashed, the best is drawn last and thick.
 */
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { SweepSnapshot, TrialResult } from '../../engine/api';
import type { SweepParam } from '../../engine/graph/document';
import { targetLabel, targetPath } from '../../engine/graph/sweep';
import { unitOf } from '../../engine/graph/sweepScale';
import { CHART } from '../ui/chartTheme';
import { shortNumber } from './tuneFormat';

const W = 640;
const H = 220;
const PAD = { top: 24, bottom: 26, left: 40, right: 56 };

function ends(p: SweepParam): [string, string] {
  if (p.scale === 'choice') return [String(p.choices[0]), String(p.choices.at(-1))];
  return [shortNumber(p.min, 3), shortNumber(p.max, 3)];
}

/** Green for the lowest loss, red for the highest. */
function colour(t: number): string {
  const hue = 140 - 140 * Math.min(1, Math.max(0, t));
  return `hsl(${hue} 70% 55%)`;
}

export const SweepParallel = memo(function SweepParallel({ sweep }: { sweep: SweepSnapshot }) {
  const { t: say } = useTranslation();
  const params = sweep.sweep.params;
  const scored = sweep.trials.filter((t): t is TrialResult & { bestDevLoss: number } => t.bestDevLoss !== null && Number.isFinite(t.bestDevLoss));
  const losses = scored.map((t) => t.bestDevLoss);
  const lo = losses.length ? Math.min(...losses) : 0;
  const hi = losses.length ? Math.max(...losses) : 1;
  const axes = params.length + 1;
  const x = (i: number) => PAD.left + (axes === 1 ? 0 : (i * (W - PAD.left - PAD.right)) / (axes - 1));
  const y = (u: number) => PAD.top + (1 - u) * (H - PAD.top - PAD.bottom);
  const lossU = (l: number) => (hi > lo ? (l - lo) / (hi - lo) : 0.5);
  // Worst first, so the best lines are on top; the best trial last of all.
  const order = [...scored].sort((a, b) => (a.trial === sweep.best ? 1 : b.trial === sweep.best ? -1 : b.bestDevLoss - a.bestDevLoss));
  return (
    <figure className="sweep-parallel" data-testid="sweep-parallel" data-lines={scored.length}>
      <figcaption>
        {say('tune.parallel.title')} <span className="muted">{say('tune.parallel.note')}</span>
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={say('tune.parallel.aria')}>
        {order.map((t) => {
          const pts = params.map((p, i) => `${x(i).toFixed(1)},${y(unitOf(p, t.config[targetPath(p.target)]!)).toFixed(1)}`);
          pts.push(`${x(params.length).toFixed(1)},${y(1 - lossU(t.bestDevLoss)).toFixed(1)}`);
          const best = t.trial === sweep.best;
          return (
            <polyline
              key={t.trial}
              points={pts.join(' ')}
              fill="none"
              stroke={best ? CHART.good : colour(lossU(t.bestDevLoss))}
              strokeWidth={best ? 3 : 1.5}
              strokeOpacity={best ? 1 : 0.75}
              strokeDasharray={t.stoppedEarly ? '4 3' : undefined}
              data-trial={t.trial}
            >
              <title>{say('sweep.trialLine', { trial: t.trial, loss: shortNumber(t.bestDevLoss, 4) })}</title>
            </polyline>
          );
        })}
        {params.map((p, i) => {
          const [low, high] = ends(p);
          return (
            <g key={targetPath(p.target)}>
              <line x1={x(i)} x2={x(i)} y1={y(0)} y2={y(1)} stroke={CHART.wire} />
              <text x={x(i)} y={12} textAnchor="middle" className="axis-title">
                {targetLabel(p.target)}
              </text>
              <text x={x(i) - 4} y={y(1) + 4} textAnchor="end" className="axis-tick">
                {high}
              </text>
              <text x={x(i) - 4} y={y(0) + 4} textAnchor="end" className="axis-tick">
                {low}
              </text>
              <text x={x(i)} y={H - 6} textAnchor="middle" className="axis-tick">
                {p.scale === 'oneMinusLog' ? '1−x log' : p.scale}
              </text>
            </g>
          );
        })}
        <g>
          <line x1={x(params.length)} x2={x(params.length)} y1={y(0)} y2={y(1)} stroke={CHART.muted} />
          <text x={x(params.length)} y={12} textAnchor="middle" className="axis-title">
            dev loss
          </text>
          <text x={x(params.length) + 4} y={y(1) + 4} className="axis-tick">
            {shortNumber(lo, 3)}
          </text>
          <text x={x(params.length) + 4} y={y(0) + 4} className="axis-tick">
            {shortNumber(hi, 3)}
          </text>
        </g>
      </svg>
    </figure>
  );
});
