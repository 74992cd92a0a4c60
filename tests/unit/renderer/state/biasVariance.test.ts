/** The bias/variance readout: which gap dominates, and what to try, as the course reads train and dev error. */
import { describe, expect, it } from 'vitest';
import { ADVICE, parsePercent, readBiasVariance } from '../../../../renderer/state/biasVariance';

describe('readBiasVariance', () => {
  it('is null until train and dev accuracy are known', () => {
    expect(readBiasVariance({ trainAcc: null, devAcc: 0.5 })).toBeNull();
    expect(readBiasVariance({ trainAcc: 0.5, devAcc: Number.NaN })).toBeNull();
    expect(readBiasVariance({ trainAcc: undefined, devAcc: undefined })).toBeNull();
  });

  it("the course's examples: 1% train / 11% dev is high variance; 15% / 16% is high bias", () => {
    const variance = readBiasVariance({ trainAcc: 0.99, devAcc: 0.89 })!;
    expect(variance.diagnosis).toBe('variance');
    expect(variance.variance).toBeCloseTo(0.1, 10);
    expect(variance.avoidableBias).toBeCloseTo(0.01, 10);
    expect(variance.headline).toMatch(/^High variance: dev error is 10\.0 points above train error, which is 1\.0 points above the best possible/);
    expect(variance.advice).toEqual(ADVICE.variance);
    expect(variance.advice.join(' ')).toMatch(/more training data.*dropout.*L2.*early stopping/);
    expect(variance.title).toBe('High variance: the model overfits.');

    const bias = readBiasVariance({ trainAcc: 0.85, devAcc: 0.84 })!;
    expect(bias.diagnosis).toBe('bias');
    expect(bias.headline).toMatch(/^High bias: train error is 15\.0 points above the best possible \(taken as 0%\); dev adds 1\.0 points/);
    expect(bias.advice.join(' ')).toMatch(/bigger network.*train longer.*better architecture/);
    expect(bias.title).toBe('High bias: the model underfits.');
    expect(bias.note).toBeNull();
  });

  it('the best possible error moves the bias gap: 15% train with 14% human error is variance-bound', () => {
    const r = readBiasVariance({ trainAcc: 0.85, devAcc: 0.8, humanError: 0.14 })!;
    expect(r.avoidableBias).toBeCloseTo(0.01, 10);
    expect(r.variance).toBeCloseTo(0.05, 10);
    expect(r.diagnosis).toBe('variance');
    expect(r.humanError).toBe(0.14);
  });

  it('both gaps large: the larger one leads and the other is named', () => {
    const r = readBiasVariance({ trainAcc: 0.85, devAcc: 0.7 })!;
    expect(r.diagnosis).toBe('bias');
    expect(r.note).toMatch(/Variance \(15\.0 points\) matters too/);
  });

  it('both gaps small: near the best possible, with what may still help', () => {
    const r = readBiasVariance({ trainAcc: 0.97, devAcc: 0.96, humanError: 0.02 })!;
    expect(r.diagnosis).toBe('balanced');
    expect(r.headline).toMatch(/^Both gaps are small/);
    expect(r.advice).toEqual(ADVICE.balanced);
  });

  it('says so when the numbers need a caveat: train error below the human error, dev better than train', () => {
    expect(readBiasVariance({ trainAcc: 0.99, devAcc: 0.9, humanError: 0.1 })!.note).toMatch(/below the best possible error you gave/);
    const dropout = readBiasVariance({ trainAcc: 0.7, devAcc: 0.8 })!;
    expect(dropout.variance).toBe(0);
    expect(dropout.note).toMatch(/Dev error is below train error/);
  });
});

describe('parsePercent', () => {
  it('reads what people type as a percentage', () => {
    expect(parsePercent('5')).toBe(0.05);
    expect(parsePercent(' 2.5 % ')).toBe(0.025);
    expect(parsePercent('0,5')).toBe(0.005);
    expect(parsePercent('')).toBeNull();
    expect(parsePercent('abc')).toBeNull();
    expect(parsePercent('150')).toBeNull();
    expect(parsePercent('-1')).toBeNull();
  });
});
