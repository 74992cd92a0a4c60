import type { GloveCoverage } from './glove';
import type { ImageSummary } from './imageSummary';

export type { ImageExample, ImageSummary } from './imageSummary';

/** Facts about the data bound to a document, for the UI, the `data` CLI command and run folders. */
export interface DataSummary {
  source: string;
  rows: number;
  classes: string[];
  /** Rows of each class, in `classes` order, over the whole file. */
  classCounts: number[];
  /** Rows of each class in the train split: what class weights are computed from. */
  trainClassCounts?: number[];
  /** Rows of each class in each split, in `classes` order. */
  splitClassCounts?: { train: number[]; dev: number[]; test: number[] };
  vocabSize: number;
  maxLength: number;
  /** Shape of one encoded example, without batch. */
  inputShape: number[];
  inputDtype: 'float32' | 'int32';
  split: { train: number; dev: number; test: number };
  /** The column the split was read from, when the data names one (`data.split.column`); else the ratios made it. */
  splitColumn?: string;
  /** A few raw rows: [text, label] (several text columns joined with " | "). */
  sample: [string, string][];
  /** How the file's bytes were read as text (absent for data that came as text). */
  fileEncoding?: FileEncodingReport;
  /** The file's columns (header names, or "column 1", …), the text columns and the label column among them. */
  columns?: { all: string[]; text: string[]; label: string; hasHeader: boolean; delimiter: string };
  /** The length of the train examples in tokens (`<bos>`/`<eos>` included), and what maxLength does to them. */
  lengths?: LengthStats;
  /** The share of the dev split's tokens that are `<unk>` (null without a dev split). */
  devUnkShare?: number | null;
  /** A few examples as the model gets them: text → tokens → ids → tensor. */
  preview?: TokenPreviewRow[];
  /** How much of the vocabulary the Embedding's pretrained vectors cover (when the document names a granted file). */
  glove?: GloveCoverage;
  /** Why the pretrained vectors file could not be read for coverage (the Embedding says more when it compiles). */
  gloveError?: string;
  /** Image data: the pictures' size, colour and scaling, examples of each class, what augmentation does. */
  images?: ImageSummary;
  /** Where a built-in dataset comes from and its license. */
  license?: { dataset: string; title: string; license: string; file: string };
}

/** Which encoding a file was read in, and how sure the choice is. */
export interface FileEncodingReport {
  /** The encoding's name as a data spec writes it, e.g. "cp949". */
  name: string;
  /** Its readable name, e.g. "CP949 / EUC-KR (Korean)". */
  label: string;
  /** How it was chosen (see engine/data/detectEncoding.ts). */
  how: 'bom' | 'utf-16' | 'ascii' | 'utf-8' | 'detected' | 'chosen';
  /** 0–1. */
  confidence: number;
  certainty: 'certain' | 'likely' | 'guess';
  /** Other encodings that would read it differently, best first. */
  alternatives: string[];
}

/** A histogram of example lengths and what the chosen maxLength cuts. */
export interface LengthStats {
  /** Equal-width bins over shortest…longest: each `[from, to)` and its count of train examples. */
  bins: { from: number; to: number; count: number }[];
  longest: number;
  mean: number;
  /** The 95th percentile length. */
  p95: number;
  /** The length examples are cut or padded to. */
  maxLength: number;
  /** Share of train examples longer than maxLength (so cut). */
  truncatedShare: number;
}

/** One example as the model gets it. */
export interface TokenPreviewRow {
  /** The text of each text column. */
  texts: string[];
  label: string;
  split: 'train' | 'dev' | 'test';
  /** Its tokens, before cutting to maxLength, specials included. */
  tokens: string[];
  /** Each token's id (1 = `<unk>`). */
  ids: number[];
  /** How many tokens maxLength cut off. */
  cut: number;
  /** The encoded tensor's shape (one example, no batch axis). */
  shape: number[];
  /** Its non-zero cells, at most 48: index (one per axis) and value. */
  cells: { at: number[]; value: number }[];
  /** How many non-zero cells it has in all. */
  nonZero: number;
}
