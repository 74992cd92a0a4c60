/**
 * The data a document binds to, ready for training: read through the file port, decoded, parsed,
 * split (by the file's split column, else seeded and stratified), tokenized, and encoded against a
 * vocabulary built on train only.
 */
import type { DataSummary } from './summary';
import type { DataFacts } from '../graph/types';
import type { DataSpec } from '../graph/document';
import type { FilePort } from '../ports';
import { chooseColumns } from './columns';
import { parseTable, lineOfRow } from './csv';
import { DataError, where } from './dataError';
import { decodeText, notTextReason } from './decode';
import { encodeTokenLists, type EncodeSpec, type EncodedSplit } from './encode';
import { mulberry32 } from './prng';
import { splitByColumn } from './splitColumn';
import { stratifiedSplit } from './stratifiedSplit';
import { tokenizerFor } from './tokenize';
import { buildVocabulary, type Vocabulary } from './vocabulary';

/** Path of the built-in surnames dataset under assets/. */
export const SURNAMES_ASSET = 'datasets/surnames.csv';
/** "auto" maxLength is the longest train example, but never more than this. */
export const AUTO_MAX_LENGTH_CAP = 512;
/** More distinct labels than this means the label column is probably the wrong one. */
export const MAX_CLASSES = 1000;

export interface PrepareOptions {
  /** Use at most this many rows, a seeded sample of the file (for previews and quick runs). */
  maxRows?: number;
}

export interface PreparedData {
  summary: DataSummary;
  facts: DataFacts;
  vocab: Vocabulary;
  classes: string[];
  /** How texts are encoded, maxLength resolved; `encodeTexts(texts, vocab, encodeSpec)` for prediction. */
  encodeSpec: EncodeSpec;
  encoding: DataSpec['encoding'];
  train: EncodedSplit;
  dev: EncodedSplit;
  test: EncodedSplit;
}

/** Reads and prepares the data a document's `data` section names. Throws `DataError` on bad input. */
export async function prepareData(spec: DataSpec, files: FilePort, opts: PrepareOptions = {}): Promise<PreparedData> {
  const source = spec.source;
  if ('builtin' in source) {
    const bytes = await files.readAsset(SURNAMES_ASSET);
    return prepareFromBytes(bytes, `built-in: ${source.builtin}`, spec, opts);
  }
  const bytes = await files.readFile(source.path);
  return prepareFromBytes(bytes, source.path, spec, opts);
}

/** `prepareData` on bytes already read; `file` names them in messages and the summary. */
export function prepareFromBytes(bytes: Uint8Array, file: string, spec: DataSpec, opts: PrepareOptions = {}): PreparedData {
  const binary = notTextReason(bytes);
  if (binary) throw new DataError(`${where(file)}${binary}.`, file);
  const { text } = decodeText(bytes);
  return prepareFromText(text, file, spec, opts);
}

/** `prepareData` on decoded text. */
export function prepareFromText(text: string, file: string, spec: DataSpec, opts: PrepareOptions = {}): PreparedData {
  const table = parseTable(text, file, spec.delimiter === undefined ? {} : { delimiter: spec.delimiter });
  const choice = chooseColumns(table.rows, { text: spec.text, label: spec.label, header: spec.header, split: spec.split.column }, file);
  const firstData = choice.hasHeader ? 1 : 0;
  let rowIds = Array.from({ length: table.rows.length - firstData }, (_, i) => i + firstData);
  if (rowIds.length === 0) throw new DataError(`${where(file)}the file has a header row but no data rows.`, file);
  if (opts.maxRows !== undefined && rowIds.length > opts.maxRows) rowIds = sampleRows(rowIds, opts.maxRows, spec.split.seed);

  // Labels → class ids; classes in numeric order when all labels are numbers (AG News 1–4).
  const rawLabels: string[] = new Array(rowIds.length);
  const texts: string[] = new Array(rowIds.length);
  for (let i = 0; i < rowIds.length; i++) {
    const row = table.rows[rowIds[i]!]!;
    const label = row[choice.labelColumn]!.trim();
    if (label === '') {
      const line = lineOfRow(table, rowIds[i]!);
      throw new DataError(`${where(file, line)}the label (${choice.columns[choice.labelColumn]}) is empty; give every row a label or delete it.`, file, line);
    }
    rawLabels[i] = label;
    texts[i] = row[choice.textColumn]!;
  }
  const distinct = [...new Set(rawLabels)];
  const numeric = distinct.every((l) => /^[-+]?\d+(\.\d+)?$/.test(l));
  distinct.sort(numeric ? (a, b) => Number(a) - Number(b) : (a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (distinct.length < 2) {
    throw new DataError(`${where(file)}the label column (${choice.columns[choice.labelColumn]}) has only one value, ${JSON.stringify(distinct[0])}; a classifier needs two classes or more.`, file);
  }
  if (distinct.length > MAX_CLASSES) {
    throw new DataError(
      `${where(file)}the label column (${choice.columns[choice.labelColumn]}) has ${distinct.length} different values; is it the right column? Choose the column that holds the class.`,
      file,
    );
  }
  const classIndex = new Map(distinct.map((l, i) => [l, i]));
  const labels = Int32Array.from(rawLabels, (l) => classIndex.get(l)!);
  const classes = distinct.map((l) => spec.labelNames?.[l] ?? l);

  const splitColumn = choice.splitColumn;
  const parts =
    splitColumn === undefined
      ? stratifiedSplit(labels, { ratios: spec.split.ratios, seed: spec.split.seed, stratify: spec.split.stratify, classes, file })
      : splitByColumn(
          rowIds.map((r) => table.rows[r]![splitColumn]!),
          { file, column: choice.columns[splitColumn]!, lineOf: (i) => lineOfRow(table, rowIds[i]!) },
        );

  const tokenize = tokenizerFor(spec.tokenizer, spec.lowercase);
  const tokens = texts.map(tokenize);
  const trainTokens = Array.from(parts.train, (i) => tokens[i]!);
  const vocab = buildVocabulary(trainTokens, spec.maxVocab === undefined ? { minCount: spec.minCount } : { minCount: spec.minCount, maxSize: spec.maxVocab });
  let maxLength: number;
  if (spec.maxLength === 'auto') {
    maxLength = 1;
    for (const t of trainTokens) if (t.length > maxLength) maxLength = t.length;
    maxLength = Math.min(maxLength, AUTO_MAX_LENGTH_CAP);
  } else {
    maxLength = spec.maxLength;
  }

  const encodeSplit = (idx: Int32Array): EncodedSplit => {
    const enc = encodeTokenLists(Array.from(idx, (i) => tokens[i]!), vocab, maxLength);
    return { ...enc, numClasses: classes.length, labels: Int32Array.from(idx, (i) => labels[i]!), texts: Array.from(idx, (i) => texts[i]!) };
  };
  const train = encodeSplit(parts.train);
  const dev = encodeSplit(parts.dev);
  const test = encodeSplit(parts.test);

  const onehot = spec.encoding === 'onehot';
  const inputShape = onehot ? [maxLength, vocab.size] : [maxLength];
  const classCounts = new Array<number>(classes.length).fill(0);
  for (const l of labels) classCounts[l]!++;
  const trainClassCounts = new Array<number>(classes.length).fill(0);
  for (const l of train.labels) trainClassCounts[l]!++;
  const summary: DataSummary = {
    source: file,
    rows: rowIds.length,
    classes,
    classCounts,
    trainClassCounts,
    vocabSize: vocab.size,
    maxLength,
    inputShape,
    inputDtype: onehot ? 'float32' : 'int32',
    split: { train: train.n, dev: dev.n, test: test.n },
    ...(splitColumn === undefined ? {} : { splitColumn: choice.columns[splitColumn]! }),
    sample: Array.from(parts.train.subarray(0, 5), (i) => [texts[i]!, classes[labels[i]!]!] as [string, string]),
  };
  const facts: DataFacts = { inputShape, inputDtype: summary.inputDtype, vocabSize: vocab.size, numClasses: classes.length };
  return {
    summary,
    facts,
    vocab,
    classes,
    encodeSpec: { tokenizer: spec.tokenizer, lowercase: spec.lowercase, maxLength },
    encoding: spec.encoding,
    train,
    dev,
    test,
  };
}

/** A seeded sample of `k` row ids, kept in file order. */
function sampleRows(ids: number[], k: number, seed: number): number[] {
  const random = mulberry32(seed ^ 0x5eed);
  const a = ids.slice();
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(random() * (a.length - i));
    const tmp = a[i]!;
    a[i] = a[j]!;
    a[j] = tmp;
  }
  return a.slice(0, k).sort((x, y) => x - y);
}
