import type { DataSummary } from '../data/summary';
import type { DataFacts } from './types';

/** The facts blocks need for `"auto"` params, read off a data summary. */
export function factsFromSummary(summary: DataSummary): DataFacts {
  return {
    inputShape: summary.inputShape,
    inputDtype: summary.inputDtype,
    vocabSize: summary.vocabSize,
    numClasses: summary.classes.length,
  };
}
