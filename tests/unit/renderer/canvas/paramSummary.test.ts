import { describe, expect, it } from 'vitest';
import { paramSummary } from '../../../../renderer/canvas/paramSummary';

describe('node summaries', () => {
  it('says what a block does in a few words', () => {
    expect(paramSummary('Conv1D', { filters: 256, kernelSize: 3, strides: 2, padding: 'valid', dilationRate: 1, activation: 'elu' })).toBe(
      '256 filters · k3 · s2 · elu',
    );
    expect(paramSummary('Input', { shape: 'auto', dtype: 'float32' })).toBe('shape from data · float32');
    expect(paramSummary('Output', { units: 'auto', activation: 'softmax' })).toBe('one unit per class · softmax');
    expect(paramSummary('Dropout', { rate: 0.30000001 })).toBe('rate 0.3');
    expect(paramSummary('SomethingNew', { a: 1, b: true, c: false, d: [1] })).toBe('a 1 · b');
  });
});
