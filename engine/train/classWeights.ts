/**
 * The loss's weight of each class, from the Document's `training.classWeights` and the train
 * split's class counts. Only the ratios between weights matter: the categorical loss is their
 * weighted mean, sum(w_y · loss) / sum(w_y), as PyTorch's CrossEntropyLoss(weight=w) computes it.
 */
import type { DataSummary } from '../data/summary';
import type { ClassWeightsSpec } from '../graph/document';

/**
 * One weight per class in `classes` order, or null when classes weigh alike (`none`).
 * - `inverse`: N / (K · count), scikit-learn's "balanced" (a class with no train rows counts 1).
 * - `inverseLog`: 1 / ln(count), what the course uses for the surnames
 *   (`class_weights = 1.0 / torch.log(frequencies)`); counts below 2 count as 2, where ln would
 *   give an infinite (1) or negative (0) weight.
 * - a record: the named classes' weights, 1 for the others. A name that is no class is an error
 *   (its weight would otherwise silently do nothing).
 */
export function resolveClassWeights(spec: ClassWeightsSpec, classes: readonly string[], trainCounts: readonly number[]): number[] | null {
  if (spec === 'none') return null;
  if (spec === 'inverse') {
    const total = trainCounts.reduce((a, b) => a + b, 0);
    return classes.map((_, c) => total / (classes.length * Math.max(1, trainCounts[c] ?? 0)));
  }
  if (spec === 'inverseLog') return classes.map((_, c) => 1 / Math.log(Math.max(2, trainCounts[c] ?? 0)));
  const unknown = Object.keys(spec).filter((name) => !classes.includes(name));
  if (unknown.length > 0) {
    throw new Error(
      `training.classWeights names ${unknown.map((n) => JSON.stringify(n)).join(', ')}, which ${unknown.length === 1 ? 'is not a class' : 'are not classes'} of this data; ` +
        `the classes are ${classes.map((n) => JSON.stringify(n)).join(', ')}.`,
    );
  }
  return classes.map((name) => (Object.hasOwn(spec, name) ? spec[name]! : 1));
}

/** The weights a run of `summary` uses under `spec` (train counts, else the whole file's). */
export function classWeightsFor(spec: ClassWeightsSpec, summary: Pick<DataSummary, 'classes' | 'classCounts' | 'trainClassCounts'>): number[] | null {
  return resolveClassWeights(spec, summary.classes, summary.trainClassCounts ?? summary.classCounts);
}
