import { describe, expect, it } from 'vitest';
import { averages, confusionMatrix, evaluationFrom, perClassMetrics } from '../../../engine/train/metrics';

describe('metrics', () => {
  // True:      a a a a b b c c c c   (a: 4, b: 2, c: 4)
  // Predicted: a a b c b a c c c b
  const actual = [0, 0, 0, 0, 1, 1, 2, 2, 2, 2];
  const predicted = [0, 0, 1, 2, 1, 0, 2, 2, 2, 1];
  const m = confusionMatrix(actual, predicted, 3);

  it('counts (true, predicted) pairs, rows true and columns predicted', () => {
    expect(m).toEqual([
      [2, 1, 1],
      [1, 1, 0],
      [0, 1, 3],
    ]);
  });

  it('gives per-class precision, recall, F1 and support as computed by hand', () => {
    const [a, b, c] = perClassMetrics(m);
    // a: tp 2, predicted a 3, support 4 → P 2/3, R 1/2, F1 2·(1/3)/(7/6) = 4/7
    expect(a!.precision).toBeCloseTo(2 / 3, 12);
    expect(a!.recall).toBeCloseTo(0.5, 12);
    expect(a!.f1).toBeCloseTo(4 / 7, 12);
    expect(a!.support).toBe(4);
    // b: tp 1, predicted b 3, support 2 → P 1/3, R 1/2, F1 0.4
    expect(b!.precision).toBeCloseTo(1 / 3, 12);
    expect(b!.recall).toBeCloseTo(0.5, 12);
    expect(b!.f1).toBeCloseTo(0.4, 12);
    // c: tp 3, predicted c 4, support 4 → P R F1 3/4
    expect(c).toEqual({ precision: 0.75, recall: 0.75, f1: 0.75, support: 4 });
  });

  it('averages by class (macro) and by support (weighted), as scikit-learn does', () => {
    const { macro, weighted } = averages(perClassMetrics(m), m);
    expect(macro.precision).toBeCloseTo((2 / 3 + 1 / 3 + 0.75) / 3, 12);
    expect(macro.recall).toBeCloseTo((0.5 + 0.5 + 0.75) / 3, 12);
    expect(macro.f1).toBeCloseTo((4 / 7 + 0.4 + 0.75) / 3, 12);
    expect(weighted.precision).toBeCloseTo((4 * (2 / 3) + 2 * (1 / 3) + 4 * 0.75) / 10, 12);
    expect(weighted.f1).toBeCloseTo((4 * (4 / 7) + 2 * 0.4 + 4 * 0.75) / 10, 12);
    expect(weighted.recall).toBeCloseTo(0.6, 12); // weighted recall is accuracy
    expect(macro.support).toBe(10);
  });

  it('counts 0 where there is nothing to divide by, and leaves classes never seen out of the macro average', () => {
    // Class b never occurs and is never predicted; class c occurs but is never predicted.
    const mm = confusionMatrix([0, 0, 2], [0, 0, 0], 3);
    const per = perClassMetrics(mm);
    expect(per[1]).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
    expect(per[2]).toEqual({ precision: 0, recall: 0, f1: 0, support: 1 });
    const { macro } = averages(per, mm);
    // Over a and c only: a has P 2/3, R 1.
    expect(macro.precision).toBeCloseTo(1 / 3, 12);
    expect(macro.recall).toBeCloseTo(0.5, 12);
  });

  it('builds the evaluation with labels, accuracy and a copy of the matrix', () => {
    const e = evaluationFrom(m, ['a', 'b', 'c'], 0.75);
    expect(e.loss).toBe(0.75);
    expect(e.accuracy).toBeCloseTo(0.6, 12);
    expect(Object.keys(e.perClass)).toEqual(['a', 'b', 'c']);
    expect(e.perClass.c!.f1).toBe(0.75);
    expect(e.confusion).toEqual({ labels: ['a', 'b', 'c'], matrix: m });
    expect(e.confusion.matrix).not.toBe(m);
    expect(() => confusionMatrix([0], [0, 1], 2)).toThrow();
  });
});
