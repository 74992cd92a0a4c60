import { describe, expect, it } from 'vitest';
import { compareRounds, median, medianInterval, showVerdict, summarise } from '../../../../engine/host/bench/stats';
import { classifyBlas, describeReference, showRatio } from '../../../../engine/host/bench/torchReference';

describe('bench statistics over interleaved rounds', () => {
  it('takes the median of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('gives the spread as the range over the median', () => {
    const s = summarise([9, 10, 12]);
    expect(s.median).toBe(10);
    expect(s.spread).toBeCloseTo(0.3);
  });

  it('meets the goal when every one of a few rounds is within it', () => {
    const c = compareRounds([10, 11, 10.5], [10, 10, 10], 1.25);
    expect(c.ratio).toBeCloseTo(1.05);
    expect(c.verdict).toBe('met');
    expect(showVerdict(c)).toBe('≤1.25× met');
  });

  it('misses the goal when every round is over it', () => {
    expect(compareRounds([14, 15, 16], [10, 10, 10], 1.25).verdict).toBe('missed');
  });

  it('says the spread is too wide when the rounds straddle the goal', () => {
    // The ratio of medians (1.2) is within the goal, but one round is over it.
    const c = compareRounds([12, 10, 14], [10, 10, 10], 1.25);
    expect(c.ratio).toBeCloseTo(1.2);
    expect(c.verdict).toBe('unclear');
    expect(showVerdict(c)).toContain('spread too wide to conclude');
    expect(showVerdict(c)).toContain('1.00–1.40×');
  });

  it('pairs rounds: a load that slows both sides in one round does not widen the ratio', () => {
    const c = compareRounds([10, 20, 10], [10, 20, 10], 1.25);
    expect(c.ours.spread).toBeCloseTo(1);
    expect([c.ratioMin, c.ratioMax]).toEqual([1, 1]);
    expect(c.verdict).toBe('met');
  });

  it('reads the verdict off a 90% interval for the median round: the whole range up to 7 rounds, one round in from each end from 8', () => {
    // Exact coverages of [x(k), x(n-k+1)]: 1 - 2 P(Binomial(n, 1/2) <= k - 1).
    expect(medianInterval(3)).toEqual({ k: 1, coverage: 0.75 });
    expect(medianInterval(5)).toEqual({ k: 1, coverage: 1 - 2 / 32 });
    expect(medianInterval(7).k).toBe(1);
    expect(medianInterval(8)).toEqual({ k: 2, coverage: 1 - (2 * 9) / 256 });
    expect(medianInterval(9)).toEqual({ k: 2, coverage: 1 - (2 * 10) / 512 });
    expect(medianInterval(12).k).toBe(3);
    for (let n = 5; n <= 40; n++) expect(medianInterval(n).coverage).toBeGreaterThanOrEqual(0.9);

    // Nine rounds, one of them slowed on our side (1.6x): the median round's interval is 1.00-1.10x.
    const theirs = Array(9).fill(10);
    const once = compareRounds([10, 10.5, 11, 10.2, 16, 10.8, 10.1, 10.4, 10.6], theirs, 1.25);
    expect([once.ratioMin, once.ratioMax]).toEqual([1, 1.6]);
    expect(once.ratioHigh).toBeCloseTo(1.1);
    expect(once.verdict).toBe('met');
    // Two slowed rounds are one too many to set aside.
    const twice = compareRounds([10, 10.5, 11, 10.2, 16, 10.8, 10.1, 14, 10.6], theirs, 1.25);
    expect(twice.verdict).toBe('unclear');
    expect(showVerdict(twice)).toContain('rounds 1.00–1.60×; median round 1.01–1.40× at 96%');
    // A ratio truly at the goal stays unclear however many rounds there are.
    expect(compareRounds([12, 13, 12.2, 12.8, 12.4, 12.6, 13.1, 11.9, 12.5], theirs, 1.25).verdict).toBe('unclear');
  });

  it('refuses unpaired rounds and marks a single round', () => {
    expect(() => compareRounds([1, 2], [1], 1)).toThrow(/2 rounds of ours against 1/);
    expect(showVerdict(compareRounds([1], [1], 1.25))).toContain('one round');
  });
});

describe("the PyTorch reference's BLAS", () => {
  it('names the library the process loaded over the build settings', () => {
    expect(classifyBlas('generic', ['/usr/lib/x86_64-linux-gnu/openblas-openmp/libopenblasp-r0.3.21.so'], 60)).toBe('openblas');
    expect(classifyBlas('generic', ['/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0'], 3)).toBe('reference');
    // OpenBLAS's LAPACK loads libopenblas, but the products run on the libblas.so.3 that loaded.
    expect(
      classifyBlas('generic', ['/usr/lib/x86_64-linux-gnu/openblas-openmp/libopenblasp-r0.3.21.so', '/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0'], 0.4),
    ).toBe('reference');
    expect(classifyBlas('mkl', [], 80)).toBe('mkl');
    expect(classifyBlas('open', [], 80)).toBe('openblas');
  });

  it('falls back on the measured speed where nothing else tells', () => {
    expect(classifyBlas('generic', [], 3.1)).toBe('reference');
    expect(classifyBlas('generic', [], 45)).toBe('unknown');
  });

  it('calls a reference-BLAS PyTorch no peer and says how to fix it', () => {
    const ref = describeReference('/usr/bin/python3', {
      torch: '1.13.0',
      blasInfo: 'generic',
      blasLibraries: ['/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0'],
      gflops: 3.2,
      mkldnn: true,
      onednnVersion: '2.6.3',
    });
    expect(ref.comparable).toBe(false);
    expect(ref.conv).toBe('oneDNN 2.6.3');
    expect(ref.fix).toContain('libopenblas0-openmp');
    expect(showRatio(0.2, ref)).toMatch(/^not comparable/);
    const fair = describeReference('/usr/bin/python3', { ...ref, blasLibraries: ['/usr/lib/libopenblas.so.0'], gflops: 50, mkldnn: true, onednnVersion: null });
    expect(fair.comparable).toBe(true);
    expect(fair.fix).toBeNull();
    expect(showRatio(1.234, fair)).toBe('1.23×');
  });
});
