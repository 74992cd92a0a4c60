import { describe, expect, it } from 'vitest';
import { TrainingSchema } from '../../../engine/graph/document';
import { classWeightsFor, resolveClassWeights } from '../../../engine/train/classWeights';

const classes = ['English', 'Greek', 'Czech'];
const counts = [2972, 156, 414];

describe('resolveClassWeights', () => {
  it('none: classes weigh alike', () => {
    expect(resolveClassWeights('none', classes, counts)).toBeNull();
    expect(TrainingSchema.parse({}).classWeights).toBe('none');
  });

  it('inverse: N / (K · count), scikit-learn’s balanced', () => {
    const n = 2972 + 156 + 414;
    expect(resolveClassWeights('inverse', classes, counts)).toEqual([n / (3 * 2972), n / (3 * 156), n / (3 * 414)]);
  });

  it('inverseLog: 1 / ln(count), as the course computes 1.0 / torch.log(frequencies)', () => {
    const w = resolveClassWeights('inverseLog', classes, counts)!;
    expect(w[0]).toBeCloseTo(1 / Math.log(2972), 12);
    expect(w[1]).toBeCloseTo(0.198, 3); // 1 / ln 156
    expect(w[2]).toBeCloseTo(1 / Math.log(414), 12);
    // Counts below 2 would give an infinite or negative weight; they count as 2.
    expect(resolveClassWeights('inverseLog', ['a', 'b', 'c'], [1, 0, 10])).toEqual([1 / Math.log(2), 1 / Math.log(2), 1 / Math.log(10)]);
    expect(resolveClassWeights('inverse', ['a', 'b'], [4, 0])).toEqual([0.5, 2]);
  });

  it('explicit: the named classes’ weights, 1 for the others; a name that is no class is an error', () => {
    expect(resolveClassWeights({ Greek: 3, Czech: 0.5 }, classes, counts)).toEqual([1, 3, 0.5]);
    expect(() => resolveClassWeights({ Greek: 3, Grek: 2, Chech: 1 }, classes, counts)).toThrow(
      'training.classWeights names "Grek", "Chech", which are not classes of this data; the classes are "English", "Greek", "Czech".',
    );
    expect(resolveClassWeights({ toString: 2 } as Record<string, number>, ['toString', 'b'], [1, 1])).toEqual([2, 1]);
    expect(() => resolveClassWeights({ constructor: 2 } as Record<string, number>, ['a', 'b'], [1, 1])).toThrow(/"constructor"/);
  });

  it('uses the train split’s counts, else the whole file’s', () => {
    const summary = { classes: ['a', 'b'], classCounts: [10, 10], trainClassCounts: [7, 2] };
    expect(classWeightsFor('inverse', summary)).toEqual([9 / 14, 9 / 4]);
    expect(classWeightsFor('inverse', { classes: ['a', 'b'], classCounts: [10, 30] })).toEqual([2, 2 / 3]);
  });

  it('is validated by the schema: positive finite weights only', () => {
    expect(TrainingSchema.safeParse({ classWeights: { a: 0 } }).success).toBe(false);
    expect(TrainingSchema.safeParse({ classWeights: { a: -1 } }).success).toBe(false);
    expect(TrainingSchema.safeParse({ classWeights: 'log' }).success).toBe(false);
    expect(TrainingSchema.parse({ classWeights: { a: 2 } }).classWeights).toEqual({ a: 2 });
  });
});
