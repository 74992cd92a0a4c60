/** Zooming in: a narrower sweep around the best trials, on each param's own scale. */
import { describe, expect, it } from 'vitest';
import type { SweepSpec } from '../../../engine/graph/document';
import { bestTrials, zoomIn } from '../../../engine/tune/zoom';

const sweep: SweepSpec = {
  params: [
    { target: { training: 'optimizer.lr' }, scale: 'log', min: 1e-4, max: 1e-1 },
    { target: { node: 'hidden', param: 'units' } as SweepSpec['params'][number]['target'], scale: 'intLog', min: 16, max: 512 },
    { target: { training: 'optimizer.type' }, scale: 'choice', choices: ['adam', 'sgd', 'rmsprop'] },
  ],
  method: 'random',
  trials: 8,
  seed: 4,
  gridSteps: 3,
  halving: { enabled: true, minEpochs: 1, reduction: 3 },
};

const trial = (lr: number, units: number, type: string, loss: number | null) => ({
  config: { 'training.optimizer.lr': lr, 'graph.nodes.hidden.params.units': units, 'training.optimizer.type': type },
  bestDevLoss: loss,
});

describe('zoomIn', () => {
  it('narrows each range around the best quarter (at least two), keeps their choices, and takes the next seed', () => {
    const trials = [
      trial(0.002, 128, 'adam', 0.5),
      trial(0.004, 200, 'adam', 0.55),
      trial(0.08, 20, 'sgd', 2),
      trial(0.0001, 500, 'rmsprop', 1.5),
      trial(0.05, 64, 'sgd', null),
      trial(0.03, 300, 'sgd', 1.1),
    ];
    expect(bestTrials(trials).map((t) => t.bestDevLoss)).toEqual([0.5, 0.55]);
    const z = zoomIn(sweep, trials)!;
    expect(z.seed).toBe(5);
    const [lr, units, type] = z.params as unknown as [{ min: number; max: number }, { min: number; max: number }, { choices: string[] }];
    expect(lr.min).toBeGreaterThan(1e-4);
    expect(lr.min).toBeLessThan(0.002);
    expect(lr.max).toBeGreaterThan(0.004);
    expect(lr.max).toBeLessThan(0.1);
    expect(Number.isInteger(units.min) && Number.isInteger(units.max)).toBe(true);
    expect(units.min).toBeLessThan(128);
    expect(units.max).toBeGreaterThan(200);
    expect(units.max - units.min).toBeLessThan(512 - 16);
    expect(type.choices).toEqual(['adam']);
  });

  it('proposes nothing before two trials have a dev loss', () => {
    expect(zoomIn(sweep, [trial(0.01, 64, 'adam', 1), trial(0.02, 64, 'adam', null)])).toBeNull();
  });
});
