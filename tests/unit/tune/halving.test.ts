/** Successive halving: the rungs, and who goes on at each. */
import { describe, expect, it } from 'vitest';
import { HalvingRungs, rungEpochs } from '../../../engine/tune/halving';

describe('rungEpochs', () => {
  it('puts rungs at minEpochs·η^k below the trial epochs', () => {
    expect(rungEpochs({ enabled: true, minEpochs: 1, reduction: 3 }, 20)).toEqual([1, 3, 9]);
    expect(rungEpochs({ enabled: true, minEpochs: 2, reduction: 2 }, 20)).toEqual([2, 4, 8, 16]);
    expect(rungEpochs({ enabled: true, minEpochs: 1, reduction: 3 }, 1)).toEqual([]);
    expect(rungEpochs({ enabled: false, minEpochs: 1, reduction: 3 }, 20)).toEqual([]);
  });
});

describe('HalvingRungs', () => {
  it('lets a trial go on while it is within the best 1/η at the rung, itself included', () => {
    const rungs = new HalvingRungs([1, 3], 3);
    expect(rungs.decide(1, 1.0)).toBe('continue'); // the first is the best there yet
    expect(rungs.decide(1, 1.2)).toBe('stop'); // n = 2: only the best goes on
    expect(rungs.decide(1, 0.9)).toBe('continue');
    expect(rungs.decide(1, 0.95)).toBe('stop'); // n = 4: k = 1, the best is 0.9
    for (const loss of [2, 2, 2, 2, 2]) rungs.decide(1, loss);
    // n = 10: k = 3, so the third best (1.0) still goes on, the fourth (1.1) would not.
    expect(rungs.decide(1, 1.0)).toBe('continue');
    expect(rungs.decide(1, 1.1)).toBe('stop');
    expect(rungs.at(1)).toHaveLength(11);
    expect(rungs.decide(2, 100)).toBe('continue'); // not a rung
    expect(rungs.decide(3, Number.NaN)).toBe('stop');
  });
});
