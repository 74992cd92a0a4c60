/**
 * What the training loop needs from prepared data: split sizes and a way to fill one batch of
 * encoded examples into reusable typed arrays. engine/data's PreparedData is adapted to it in
 * train/data.ts (trainDataFrom); tests build it directly from synthetic arrays.
 */
import type { Preprocessing } from '../data/preprocessing';
import type { DataSummary } from '../data/summary';
import type { Vocabulary } from '../data/vocabulary';

export type SplitName = 'train' | 'dev' | 'test';

/** One batch, laid out row-major: x is [n, ...inputShape], y is one-hot [n, numClasses]. */
export interface BatchArrays {
  x: Float32Array | Int32Array;
  y: Float32Array;
}

export interface TrainData {
  summary: DataSummary;
  /** Shape of one example without the batch axis. */
  inputShape: readonly number[];
  inputDtype: 'float32' | 'int32';
  numClasses: number;
  size(split: SplitName): number;
  /**
   * What turns raw text into this model's inputs and outputs back into labels (classes,
   * vocabulary, encoding), as JSON; saved with the run so prediction matches training.
   */
  preprocessing?: Preprocessing;
  /** The token vocabulary built on train (ids as the inputs use them); pretrained vectors are matched against it. */
  vocabulary?: Vocabulary;
  /**
   * Fills the examples `indices` of `split` into `out` when given (it has room for exactly
   * `indices.length` rows), else into new arrays, and returns them.
   */
  fill(split: SplitName, indices: ArrayLike<number>, out?: BatchArrays): BatchArrays;
}
