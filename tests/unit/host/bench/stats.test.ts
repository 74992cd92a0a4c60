import { describe, expect, it } from 'vitest';
import { compareRounds, median, showVerdict, summarise } from '../../../../engine/host/bench/stats';
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

  it('meets the goal only when every round is within it', () => {
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

  it('refuses unpaired rounds and marks a single round', () => {
    expect(() => compareRounds([1, 2], [1], 1)).toThrow(/2 rounds of ours against 1/);
    expect(showVerdict(compareRounds([1], [1], 1.25))).toContain('one round');
  });
});

describe("the PyTorch reference's BLAS", () => {
  it('names the library the process loaded over the build settings', () => {
    expect(classifyBlas('generic', ['/usr/lib/x86_64-linux-gnu/openblas-openmp/libopenblasp-r0.3.21.so'], 60)).toBe('openblas');
    expect(classifyBlas('generic', ['/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0'], 3)).toBe('reference');
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
