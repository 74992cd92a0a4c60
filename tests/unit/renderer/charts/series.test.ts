import { describe, expect, it } from 'vitest';
import { downsample, positive, smooth, type XY } from '../../../../renderer/charts/series';

const noisy = (n: number): XY[] => Array.from({ length: n }, (_, i) => ({ x: i + 1, y: 2 / Math.sqrt(i + 1) + 0.3 * Math.sin(i * 1.7) }));

describe('chart series', () => {
  it('thins 100,000 points to the threshold, keeping the ends and a lone spike', () => {
    const points = noisy(100_000);
    points[61_234] = { x: 61_235, y: 50 };
    const out = downsample(points, 1_500);
    expect(out).toHaveLength(1_500);
    expect(out[0]).toBe(points[0]);
    expect(out.at(-1)).toBe(points.at(-1));
    expect(out.some((p) => p.y === 50)).toBe(true);
    for (let i = 1; i < out.length; i++) expect(out[i]!.x).toBeGreaterThan(out[i - 1]!.x);
    // Fewer points than the threshold are all kept.
    expect(downsample(points.slice(0, 10), 1_500)).toHaveLength(10);
  });

  it('smooths with a debiased moving average: a constant stays itself, noise shrinks', () => {
    expect(
      smooth(
        [
          { x: 1, y: 3 },
          { x: 2, y: 3 },
        ],
        0.9,
      ).map((p) => p.y),
    ).toEqual([3, 3]);
    const points = noisy(5_000);
    const s = smooth(points, 0.9);
    expect(s).toHaveLength(points.length);
    const wiggle = (ps: XY[]) => ps.slice(1_000).reduce((sum, p, i, all) => (i ? sum + Math.abs(p.y - all[i - 1]!.y) : 0), 0);
    expect(wiggle(s)).toBeLessThan(wiggle(points) / 3);
    // A NaN batch does not poison the rest.
    const withNan = smooth(
      [
        { x: 1, y: 1 },
        { x: 2, y: Number.NaN },
        { x: 3, y: 1 },
      ],
      0.5,
    );
    expect(withNan[2]!.y).toBeCloseTo(1);
  });

  it('makes non-positive values gaps on a log axis', () => {
    expect([positive(0.5), positive(0), positive(-1), positive(undefined), positive(Number.POSITIVE_INFINITY)]).toEqual([
      0.5,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});
