import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../engine/data/prng';
import { stratifiedSplit } from '../../../engine/data/stratifiedSplit';

const labels = Int32Array.from({ length: 1000 }, (_, i) => (i < 700 ? 0 : i < 950 ? 1 : 2));
const base = { ratios: [0.7, 0.15, 0.15] as const, seed: 42, stratify: true, classes: ['a', 'b', 'c'], file: 'f.csv' };

describe('stratifiedSplit', () => {
  it('puts every row in exactly one split, each class in proportion', () => {
    const s = stratifiedSplit(labels, base);
    const all = [...s.train, ...s.dev, ...s.test].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    const count = (idx: Int32Array, c: number) => idx.filter((i) => labels[i] === c).length;
    expect([count(s.train, 0), count(s.dev, 0), count(s.test, 0)]).toEqual([490, 105, 105]);
    expect([count(s.train, 2), count(s.dev, 2), count(s.test, 2)]).toEqual([35, 8, 7]);
  });

  it('is fixed by the seed', () => {
    expect(stratifiedSplit(labels, base)).toEqual(stratifiedSplit(labels, base));
    expect(stratifiedSplit(labels, { ...base, seed: 43 }).test).not.toEqual(stratifiedSplit(labels, base).test);
  });

  it('gives a small class one row in each split', () => {
    const few = Int32Array.from([0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1]);
    const s = stratifiedSplit(few, { ...base, classes: ['a', 'b'] });
    for (const part of [s.train, s.dev, s.test]) expect(part.some((i) => few[i] === 1)).toBe(true);
  });

  it('allows an empty dev or test split, and an unstratified split', () => {
    const s = stratifiedSplit(labels, { ...base, ratios: [0.8, 0, 0.2] });
    expect([s.train.length, s.dev.length, s.test.length]).toEqual([800, 0, 200]);
    const u = stratifiedSplit(labels, { ...base, stratify: false });
    expect([u.train.length, u.dev.length, u.test.length]).toEqual([700, 150, 150]);
  });
});

describe('mulberry32', () => {
  it('gives the same numbers everywhere for a seed', () => {
    const r = mulberry32(1);
    expect([r(), r(), r()].map((x) => x.toFixed(8))).toEqual(['0.62707394', '0.00273572', '0.52744704']);
  });
});
