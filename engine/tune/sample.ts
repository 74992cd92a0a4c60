/**
 * Which configurations a sweep trains: sampled at random on each param's own scale (the
 * default, as the course teaches: the learning rate log-uniform, β as 1 − β on a log scale), or
 * a grid when asked. Seeded by the sweep's seed, so the same seed gives the same configurations
 * on every machine; trial i's configuration does not depend on the trial budget.
 */
import { mulberry32, shuffleInPlace } from '../data/prng';
import type { SweepParam, SweepRangeParam, SweepSpec } from '../graph/document';
import { targetPath, type SweepConfig, type SweepValue } from '../graph/sweep';
import { valueAt } from '../graph/sweepScale';

export { unitOf, valueAt } from '../graph/sweepScale';

type RangeParam = SweepRangeParam;

/** One param's value for a uniform draw `u` in [0, 1). */
export function sampleParam(p: SweepParam, u: number): SweepValue {
  if (p.scale === 'choice') return p.choices[Math.min(p.choices.length - 1, Math.floor(u * p.choices.length))]!;
  return valueAt(p, u);
}

/** `count` random configurations, drawn param by param from one stream seeded by `sweep.seed`. */
export function randomConfigs(sweep: Pick<SweepSpec, 'params' | 'seed'>, count: number): SweepConfig[] {
  const random = mulberry32(sweep.seed);
  const out: SweepConfig[] = [];
  for (let i = 0; i < count; i++) {
    const config: SweepConfig = {};
    for (const p of sweep.params) config[targetPath(p.target)] = sampleParam(p, random());
    out.push(config);
  }
  return out;
}

/** The values a grid takes along one param: its choices, or `steps` points evenly on its scale. */
export function gridValues(p: SweepParam, steps: number): SweepValue[] {
  if (p.scale === 'choice') return [...p.choices];
  const values: number[] = [];
  for (let i = 0; i < steps; i++) {
    // Whole-number scales reach max at u = 1 only through the top of their last bucket.
    const u = steps === 1 ? 0.5 : i / (steps - 1);
    const v = p.scale === 'int' || p.scale === 'intLog' ? Math.round(u === 1 ? p.max : exactAt(p, u)) : valueAt(p, u);
    if (!values.includes(v)) values.push(v);
  }
  return values;
}

/** A whole-number scale's position without flooring (for evenly spaced grid points). */
function exactAt(p: RangeParam, u: number): number {
  return p.scale === 'intLog' ? Math.exp(Math.log(p.min) + u * (Math.log(p.max) - Math.log(p.min))) : p.min + u * (p.max - p.min);
}

/** How many configurations the full grid has. */
export function gridSize(sweep: Pick<SweepSpec, 'params' | 'gridSteps'>): number {
  return sweep.params.reduce((n, p) => n * gridValues(p, sweep.gridSteps).length, 1);
}

/**
 * Every grid configuration (the first param varying slowest); when there are more than
 * `budget`, a seeded random `budget` of them, so the trial budget holds.
 */
export function gridConfigs(sweep: Pick<SweepSpec, 'params' | 'gridSteps' | 'seed'>, budget: number): SweepConfig[] {
  let configs: SweepConfig[] = [{}];
  for (const p of sweep.params) {
    const path = targetPath(p.target);
    const values = gridValues(p, sweep.gridSteps);
    configs = configs.flatMap((c) => values.map((v) => ({ ...c, [path]: v })));
  }
  if (configs.length <= budget) return configs;
  return shuffleInPlace(configs, mulberry32(sweep.seed)).slice(0, budget);
}

/** The configurations a sweep trains, in order: `sweep.trials` random ones, or its grid. */
export function sweepConfigs(sweep: SweepSpec): SweepConfig[] {
  return sweep.method === 'grid' ? gridConfigs(sweep, sweep.trials) : randomConfigs(sweep, sweep.trials);
}
