/** Sampling a sweep's configurations: seeded, on each param's own scale, random or a grid. */
import { describe, expect, it } from 'vitest';
import type { SweepParam, SweepSpec } from '../../../engine/graph/document';
import { gridConfigs, gridSize, gridValues, randomConfigs, sampleParam, sweepConfigs, unitOf, valueAt } from '../../../engine/tune/sample';

const lr: SweepParam = { target: { training: 'optimizer.lr' }, scale: 'log', min: 1e-4, max: 1e-1 };
const rate = { target: { node: 'drop', param: 'rate' }, scale: 'linear', min: 0, max: 0.5 } as SweepParam;
const beta1: SweepParam = { target: { training: 'optimizer.beta1' }, scale: 'oneMinusLog', min: 0.9, max: 0.999 };
const units = { target: { node: 'hidden', param: 'units' }, scale: 'intLog', min: 16, max: 512 } as SweepParam;
const batch: SweepParam = { target: { training: 'batchSize' }, scale: 'choice', choices: [16, 32, 64] };

function sweep(params: SweepParam[], extra: Partial<SweepSpec> = {}): SweepSpec {
  return { params, method: 'random', trials: 12, seed: 7, gridSteps: 3, halving: { enabled: true, minEpochs: 1, reduction: 3 }, ...extra };
}

/** The Kolmogorov–Smirnov distance between `us` and the uniform distribution on [0, 1]. */
function ksUniform(us: number[]): number {
  const sorted = [...us].sort((a, b) => a - b);
  let d = 0;
  sorted.forEach((u, i) => (d = Math.max(d, Math.abs((i + 1) / sorted.length - u), Math.abs(u - i / sorted.length))));
  return d;
}

describe('random search', () => {
  it('gives the same configurations for the same seed, others for another, and trial i whatever the budget', () => {
    const s = sweep([lr, rate, batch]);
    expect(randomConfigs(s, 8)).toEqual(randomConfigs(s, 8));
    expect(randomConfigs({ ...s, seed: 8 }, 8)).not.toEqual(randomConfigs(s, 8));
    expect(randomConfigs(s, 12).slice(0, 6)).toEqual(randomConfigs(s, 6));
    expect(Object.keys(randomConfigs(s, 1)[0]!)).toEqual(['training.optimizer.lr', 'graph.nodes.drop.params.rate', 'training.batchSize']);
  });

  it('samples the learning rate log-uniformly within its range (KS test, fixed seed)', () => {
    const n = 2000;
    const values = randomConfigs(sweep([lr], { seed: 42 }), n).map((c) => c['training.optimizer.lr'] as number);
    for (const v of values) {
      expect(v).toBeGreaterThanOrEqual(1e-4);
      expect(v).toBeLessThanOrEqual(1e-1);
    }
    const us = values.map((v) => (Math.log10(v) + 4) / 3);
    // 1.36/√n is the 5% critical value; a linear sampler would be far off (most values above 0.01).
    expect(ksUniform(us)).toBeLessThan(1.36 / Math.sqrt(n));
    const perDecade = [0, 1, 2].map((k) => values.filter((v) => v >= 10 ** (k - 4) && v < 10 ** (k - 3)).length / n);
    for (const share of perDecade) expect(share).toBeGreaterThan(0.3);
  });

  it('samples β as 1 − β on a log scale: as many above 0.99 as below', () => {
    const values = randomConfigs(sweep([beta1], { seed: 3 }), 2000).map((c) => c['training.optimizer.beta1'] as number);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0.9);
    expect(Math.max(...values)).toBeLessThanOrEqual(0.999);
    const above = values.filter((v) => v > 0.99).length / values.length;
    expect(above).toBeGreaterThan(0.45);
    expect(above).toBeLessThan(0.55);
    // Four significant digits of 1 − β, and no float noise.
    for (const v of values.slice(0, 50)) expect(String(v).length).toBeLessThanOrEqual(8);
  });

  it('draws whole numbers for int scales and each choice about as often', () => {
    const intParam = { target: { node: 'conv', param: 'kernelSize' }, scale: 'int', min: 2, max: 5 } as SweepParam;
    const configs = randomConfigs(sweep([intParam, units, batch], { seed: 11 }), 1200);
    const kernels = configs.map((c) => c['graph.nodes.conv.params.kernelSize'] as number);
    expect(new Set(kernels)).toEqual(new Set([2, 3, 4, 5]));
    const u = configs.map((c) => c['graph.nodes.hidden.params.units'] as number);
    expect(u.every((v) => Number.isInteger(v) && v >= 16 && v <= 512)).toBe(true);
    // log-uniform: as many units below √(16·512) ≈ 90 as above.
    expect(u.filter((v) => v < 90).length / u.length).toBeCloseTo(0.5, 1);
    for (const choice of [16, 32, 64]) expect(configs.filter((c) => c['training.batchSize'] === choice).length / configs.length).toBeCloseTo(1 / 3, 1);
  });

  it('maps values to their place on the scale and back', () => {
    for (const p of [lr, rate, beta1] as Extract<SweepParam, { min: number }>[]) {
      for (const u of [0, 0.25, 0.5, 0.9, 1]) expect(unitOf(p, valueAt(p, u))).toBeCloseTo(u, 2);
    }
    expect(valueAt(lr as Extract<SweepParam, { min: number }>, 0.5)).toBe(0.003162);
    expect(unitOf(batch, 64)).toBe(1);
    expect(sampleParam(batch, 0.999)).toBe(64);
  });
});

describe('grid search', () => {
  it('takes gridSteps points on each scale and every choice, the first param slowest', () => {
    expect(gridValues(lr, 3)).toEqual([0.0001, 0.003162, 0.1]);
    expect(gridValues(rate, 3)).toEqual([0, 0.25, 0.5]);
    expect(gridValues(units, 4)).toEqual([16, 51, 161, 512]);
    expect(gridValues(batch, 3)).toEqual([16, 32, 64]);
    const s = sweep([lr, batch], { method: 'grid', trials: 100 });
    expect(gridSize(s)).toBe(9);
    const configs = sweepConfigs(s);
    expect(configs).toHaveLength(9);
    expect(configs.slice(0, 3).map((c) => c['training.optimizer.lr'])).toEqual([0.0001, 0.0001, 0.0001]);
    expect(configs.slice(0, 3).map((c) => c['training.batchSize'])).toEqual([16, 32, 64]);
  });

  it('keeps to the trial budget with a seeded subset of the grid', () => {
    const s = sweep([lr, rate, batch], { method: 'grid', trials: 5 });
    const a = gridConfigs(s, 5);
    expect(a).toHaveLength(5);
    expect(gridConfigs(s, 5)).toEqual(a);
    expect(new Set(a.map((c) => JSON.stringify(c))).size).toBe(5);
  });
});
