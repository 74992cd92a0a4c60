/**
 * Classification metrics from a confusion matrix: per-class precision, recall, F1 and support,
 * their macro and support-weighted averages, and accuracy. Pure numbers, no tensors: the loop
 * counts (true, predicted) pairs and this turns them into what the `done` event reports.
 * Conventions are scikit-learn's: rows are true classes, columns predicted ones; a ratio with
 * nothing to divide by is 0; the averages cover the classes that occur in the split or are
 * predicted (a class with neither would only add zeros).
 */
import type { ClassMetrics, SplitEvaluation } from './events';

/** counts[t][p]: examples of true class t predicted as p. */
export function confusionMatrix(actual: ArrayLike<number>, predicted: ArrayLike<number>, numClasses: number): number[][] {
  if (actual.length !== predicted.length) throw new Error(`confusionMatrix: ${actual.length} labels but ${predicted.length} predictions`);
  const m = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < actual.length; i++) m[actual[i]!]![predicted[i]!]!++;
  return m;
}

const ratio = (a: number, b: number): number => (b > 0 ? a / b : 0);

/** Precision, recall, F1 and support of each class of `matrix`, in class order. */
export function perClassMetrics(matrix: readonly (readonly number[])[]): ClassMetrics[] {
  const k = matrix.length;
  const predictedAs = new Array<number>(k).fill(0);
  for (const row of matrix) row.forEach((v, p) => (predictedAs[p]! += v));
  return matrix.map((row, c) => {
    const tp = row[c] ?? 0;
    const support = row.reduce((a, b) => a + b, 0);
    const precision = ratio(tp, predictedAs[c]!);
    const recall = ratio(tp, support);
    return { precision, recall, f1: ratio(2 * precision * recall, precision + recall), support };
  });
}

/** Macro (each class alike) and weighted (by support) averages; `support` is the total. */
export function averages(perClass: readonly ClassMetrics[], matrix: readonly (readonly number[])[]): { macro: ClassMetrics; weighted: ClassMetrics } {
  const present = perClass.filter((m, c) => m.support > 0 || matrix.some((row) => (row[c] ?? 0) > 0));
  const total = perClass.reduce((a, m) => a + m.support, 0);
  const mean = (key: 'precision' | 'recall' | 'f1') =>
    ratio(
      present.reduce((a, m) => a + m[key], 0),
      present.length,
    );
  const weighted = (key: 'precision' | 'recall' | 'f1') =>
    ratio(
      perClass.reduce((a, m) => a + m[key] * m.support, 0),
      total,
    );
  return {
    macro: { precision: mean('precision'), recall: mean('recall'), f1: mean('f1'), support: total },
    weighted: { precision: weighted('precision'), recall: weighted('recall'), f1: weighted('f1'), support: total },
  };
}

/** The whole evaluation of one split, from its confusion matrix, class names and mean loss. */
export function evaluationFrom(matrix: readonly (readonly number[])[], labels: readonly string[], loss: number): SplitEvaluation {
  const perClass = perClassMetrics(matrix);
  const total = perClass.reduce((a, m) => a + m.support, 0);
  const correct = matrix.reduce((a, row, c) => a + (row[c] ?? 0), 0);
  return {
    loss,
    accuracy: ratio(correct, total),
    perClass: Object.fromEntries(labels.map((label, c) => [label, perClass[c]!])),
    ...averages(perClass, matrix),
    confusion: { labels: [...labels], matrix: matrix.map((row) => [...row]) },
  };
}
