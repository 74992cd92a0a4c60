/**
 * "Zoom in on the region that worked": from a finished (or partly finished) sweep, a narrower
 * sweep around its best trials, coarse to fine. Each range shrinks to span the best trials'
 * values on the param's own scale, with a margin, inside the old range; a choice keeps the
 * choices the best trials made. The new sweep gets the next seed, so it samples afresh.
 */
import type { SweepParam, SweepSpec } from '../graph/document';
import { targetPath, type SweepConfig } from '../graph/sweep';
import { unitOf, valueAt } from '../graph/sweepScale';

/** A trial as zooming reads it: its configuration and its best dev loss. */
export interface ZoomTrial {
  config: SweepConfig;
  bestDevLoss: number | null;
}

/** The best trials a zoom is built around: the best quarter, at least two. */
export function bestTrials<T extends ZoomTrial>(trials: readonly T[]): T[] {
  const scored = trials.filter((t) => t.bestDevLoss !== null && Number.isFinite(t.bestDevLoss)).sort((a, b) => a.bestDevLoss! - b.bestDevLoss!);
  return scored.slice(0, Math.max(2, Math.ceil(scored.length / 4)));
}

/** Extra room either side of the best trials' span, as a fraction of the old range's scale. */
const MARGIN = 0.1;

function zoomParam(p: SweepParam, values: readonly unknown[]): SweepParam {
  if (p.scale === 'choice') {
    const kept = p.choices.filter((c) => values.includes(c));
    return kept.length > 0 ? { ...p, choices: kept } : p;
  }
  const units = values.filter((v): v is number => typeof v === 'number').map((v) => unitOf(p, v));
  if (units.length === 0) return p;
  const lo = Math.max(0, Math.min(...units) - MARGIN);
  const hi = Math.min(1, Math.max(...units) + MARGIN);
  let min = valueAt(p, lo);
  let max = valueAt(p, hi);
  if (p.scale === 'int' || p.scale === 'intLog') {
    min = Math.max(p.min, Math.floor(min));
    max = Math.min(p.max, Math.ceil(max));
    if (max <= min) max = Math.min(p.max, min + 1);
    if (max <= min) min = Math.max(p.min, max - 1);
  }
  if (!(min < max)) return p;
  return { ...p, min, max };
}

/**
 * The narrower sweep around `trials`' best, or null when fewer than two trials have a dev loss
 * to go by.
 */
export function zoomIn(sweep: SweepSpec, trials: readonly ZoomTrial[]): SweepSpec | null {
  const best = bestTrials(trials);
  if (best.length < 2) return null;
  const params = sweep.params.map((p) => {
    const path = targetPath(p.target);
    return zoomParam(
      p,
      best.map((t) => t.config[path]),
    );
  });
  return { ...sweep, params, seed: sweep.seed + 1 };
}
