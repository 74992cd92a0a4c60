/** Facts about the data bound to a document, for the UI, the `data` CLI command and run folders. */
export interface DataSummary {
  source: string;
  rows: number;
  classes: string[];
  /** Rows of each class, in `classes` order, over the whole file. */
  classCounts: number[];
  /** Rows of each class in the train split: what class weights are computed from. */
  trainClassCounts?: number[];
  vocabSize: number;
  maxLength: number;
  /** Shape of one encoded example, without batch. */
  inputShape: number[];
  inputDtype: 'float32' | 'int32';
  split: { train: number; dev: number; test: number };
  /** The column the split was read from, when the data names one (`data.split.column`); else the ratios made it. */
  splitColumn?: string;
  /** A few raw rows: [text, label]. */
  sample: [string, string][];
}
