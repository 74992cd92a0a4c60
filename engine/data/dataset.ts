/**
 * The data a document binds to, ready for training: read through the file port a chunk at a
 * time, decoded (detected or named encoding), parsed, each row tokenized and counted as it
 * arrives; then split (by the file's split column, else seeded and stratified), and encoded
 * against a vocabulary built on train only. What is kept while reading is the rows' token ids,
 * labels and lines (rowStore.ts), never the text, so memory follows the encoded data.
 */
import { isImageData, sourcePathOf, type BuiltinDatasetId, type DataSpec } from '../graph/document';
import type { DataFacts } from '../graph/types';
import type { FilePort } from '../ports';
import { builtinLicense, builtinSourceName, BUILTIN_FILES } from './builtins';
import { CHARSET_LABELS, type Charset } from './charsets';
import { chooseColumns, refuseNumericText, type ColumnChoice } from './columns';
import { delimiterFor, raggedRowError } from './csv';
import { CsvStream } from './csvStream';
import { english } from '../words';
import { DataError, dataError } from './dataError';
import { chunkDecoder, InvalidBytes, invalidBytesError, notTextWords, type ChunkDecoder } from './decode';
import { chosenEncoding, detectEncoding, DETECT_BYTES, type EncodingChoice } from './detectEncoding';
import { frameInto, type EncodeSpec, type EncodedSplit, type Encoding, type Framing } from './encode';
import { AUTO_MAX_LENGTH_CAP, lengthStats, resolveMaxLength } from './lengths';
import { mulberry32 } from './prng';
import { Dictionary, RowStore, SEP_MARK } from './rowStore';
import { splitNamed } from './splitColumn';
import { stratifiedSplit, type SplitIndices } from './stratifiedSplit';
import type { DataSummary, FileEncodingReport } from './summary';
import { previewRow } from './tokenPreview';
import { tokenizerOf } from './tokenize';
import { BOS_TOKEN, EOS_TOKEN, SEP_TOKEN, UNK_ID, vocabularyFromCounts, type Vocabulary } from './vocabulary';

export { AUTO_MAX_LENGTH_CAP };
/** Path of the built-in surnames dataset under assets/. */
export const SURNAMES_ASSET = BUILTIN_FILES.surnames.csv;
/** More distinct labels than this means the label column is probably the wrong one. */
export const MAX_CLASSES = 1000;
/** Bytes read at a time. */
export const CHUNK_BYTES = 1 << 20;
/** Rows of the file's start whose text is kept for the sample and the token preview (and each class's first row). */
const KEPT_TEXTS = 64;
/** The most classes whose first row's text is kept too, so a file sorted by class previews several. */
const KEPT_CLASSES = 64;
/** Rows read before the header and columns are decided (the header guess looks at 500). */
const HEAD_ROWS = 501;

export interface PrepareOptions {
  /** Use at most this many rows, a seeded sample of the file (for previews and quick runs). */
  maxRows?: number;
  /** Keep every example's text in its split (`EncodedSplit.texts`); off, only a few are kept. */
  keepTexts?: boolean;
  /** Told how far reading has got, at most every `progressMs` (default 100 ms) and once at the end. */
  onProgress?: (progress: DataProgress) => void;
  progressMs?: number;
}

/** How far reading a data file has got. */
export interface DataProgress {
  /** Bytes read so far, and the file's size (null when unknown). */
  bytes: number;
  totalBytes: number | null;
  /** Data rows read so far. */
  rows: number;
  /** reading: the file; encoding: splitting, counting and encoding what was read. */
  phase: 'reading' | 'encoding';
}

export interface PreparedData {
  summary: DataSummary;
  facts: DataFacts;
  vocab: Vocabulary;
  /** How often each vocabulary entry occurs in the train split (by id). */
  vocabCounts: Int32Array;
  classes: string[];
  /** How texts are encoded, maxLength resolved; `encodeTexts(texts, vocab, encodeSpec)` for prediction. */
  encodeSpec: EncodeSpec;
  encoding: Encoding;
  train: EncodedSplit;
  dev: EncodedSplit;
  test: EncodedSplit;
}

/** A readable source of a file's bytes: opened again when the encoding must be detected anew. */
interface ByteSource {
  open(): Promise<{ size: number | null; chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array> }>;
}

/** What a document without a `data` section is told when it is asked for data. */
export const NO_DATA_MESSAGE = english({ key: 'data.noData' });
const noData = (file: string) => new DataError({ key: 'data.noData' }, file);

/**
 * Reads and prepares the data a document's `data` section names. Throws `DataError` on bad input,
 * and when there is no `data` section.
 */
export async function prepareData(spec: DataSpec | undefined, files: FilePort, opts: PrepareOptions = {}): Promise<PreparedData> {
  if (!spec) throw noData('the document');
  const source = spec.source;
  const read = sourcePathOf(source);
  if (isImageData(spec) || (read && read.folder)) throw new DataError({ key: 'data.imagesNotTable' }, read?.path ?? 'the document');
  if (!read) {
    const id = source.builtin as BuiltinDatasetId;
    const bytes = await files.readAsset(BUILTIN_FILES[id].csv);
    const prepared = prepareFromBytes(bytes, builtinSourceName(id), spec, opts);
    prepared.summary.license = builtinLicense(id);
    return prepared;
  }
  const path = read.path;
  const open = files.openFile;
  if (!open) return prepareFromBytes(await files.readFile(path), path, spec, opts);
  return prepareStreamed({ open: () => open.call(files, path) }, path, spec, opts);
}

async function prepareStreamed(source: ByteSource, file: string, spec: DataSpec, opts: PrepareOptions): Promise<PreparedData> {
  let forced: EncodingChoice | undefined;
  for (;;) {
    const { size, chunks } = await source.open();
    const builder = new DataBuilder(spec, file, opts, size, forced);
    try {
      for await (const chunk of chunks) builder.pushBytes(chunk);
      return builder.finish();
    } catch (err) {
      if (err instanceof Redetect && forced === undefined) {
        forced = err.choice;
        continue;
      }
      throw err;
    }
  }
}

/** `prepareData` on bytes already read; `file` names them in messages and the summary. */
export function prepareFromBytes(bytes: Uint8Array, file: string, spec: DataSpec | undefined, opts: PrepareOptions = {}): PreparedData {
  if (!spec) throw noData(file);
  let forced: EncodingChoice | undefined;
  for (;;) {
    const builder = new DataBuilder(spec, file, opts, bytes.length, forced);
    try {
      for (let at = 0; at < bytes.length; at += CHUNK_BYTES) builder.pushBytes(bytes.subarray(at, Math.min(bytes.length, at + CHUNK_BYTES)));
      return builder.finish();
    } catch (err) {
      if (err instanceof Redetect && forced === undefined) {
        forced = err.choice;
        continue;
      }
      throw err;
    }
  }
}

/** `prepareData` on decoded text (its `fileEncoding` is not used). */
export function prepareFromText(text: string, file: string, spec: DataSpec | undefined, opts: PrepareOptions = {}): PreparedData {
  if (!spec) throw noData(file);
  const builder = new DataBuilder(spec, file, opts, null, undefined);
  builder.pushText(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  return builder.finish();
}

/** Thrown inside a read whose detected encoding proved wrong further on: read again in `choice`. */
class Redetect extends Error {
  constructor(readonly choice: EncodingChoice) {
    super(`read again as ${choice.charset}`);
  }
}

/**
 * Builds PreparedData from a file pushed in as bytes (or text), in one pass. Every user mistake is
 * a `DataError` naming the file, line and column; nothing is kept from a read that failed.
 */
class DataBuilder {
  private readonly store = new RowStore();
  private readonly tokenize: (text: string) => string[];
  private readonly textColumnCount: number;
  // Decoding.
  private head: Uint8Array[] | null = [];
  private headBytes = 0;
  private choice: EncodingChoice | undefined;
  private decoder: ChunkDecoder | undefined;
  private lastChunk: Uint8Array | undefined;
  /** Lines (\n) in the text decoded so far, and characters after the last one: where a decode error is. */
  private decodedLines = 0;
  private decodedColumn = 0;
  // Parsing.
  private textHead = '';
  private csv: CsvStream | undefined;
  private delimiter = ',';
  private headRows: { fields: string[]; line: number }[] | null = [];
  private columns: ColumnChoice | undefined;
  /** The texts of the rows kept for the sample and the preview, by row. */
  private readonly keptTexts = new Map<number, string[]>();
  private readonly firstOfLabel = new Set<number>();
  private readonly allTexts: string[][] | null;
  // Progress.
  private bytesRead = 0;
  private lastProgress = 0;

  constructor(
    private readonly spec: DataSpec,
    private readonly file: string,
    private readonly opts: PrepareOptions,
    private readonly totalBytes: number | null,
    forced: EncodingChoice | undefined,
  ) {
    this.tokenize = tokenizerOf(spec);
    this.textColumnCount = typeof spec.text === 'string' ? 1 : spec.text.length;
    this.allTexts = opts.keepTexts ? [] : null;
    // A second read, in the encoding the first one found further on: no detection this time.
    if (forced) {
      this.head = null;
      this.startDecoding(forced);
    }
  }

  pushBytes(chunk: Uint8Array): void {
    this.bytesRead += chunk.length;
    if (this.head) {
      this.head.push(chunk);
      this.headBytes += chunk.length;
      if (this.headBytes >= DETECT_BYTES || (this.totalBytes !== null && this.bytesRead >= this.totalBytes)) this.flushHead(false);
    } else {
      this.decode(chunk);
    }
    this.progress('reading');
  }

  pushText(text: string): void {
    this.head = null;
    this.feedText(text);
  }

  /** The first bytes are in: is this text at all, and in which encoding? */
  private flushHead(complete: boolean): void {
    const head = concat(this.head!);
    this.head = null;
    if (head.length === 0) return;
    if (!this.choice) {
      const binary = notTextWords(head);
      if (binary) throw dataError('data.notText', this.file, { what: binary });
      const named = this.spec.fileEncoding;
      const choice = named === 'auto' ? detectEncoding(head, complete) : chosenEncoding(named, head);
      if (!choice) {
        throw dataError('data.noEncoding', this.file);
      }
      this.startDecoding(choice);
      this.decode(head.subarray(choice.bomBytes));
    } else {
      this.decode(head);
    }
  }

  private startDecoding(choice: EncodingChoice): void {
    this.choice = choice;
    this.decoder = chunkDecoder(choice.charset);
  }

  private decode(chunk: Uint8Array): void {
    this.lastChunk = chunk;
    let text: string;
    try {
      text = this.decoder!.write(chunk);
    } catch (err) {
      throw this.decodeError(err);
    }
    this.feedDecoded(text);
  }

  private feedDecoded(text: string): void {
    let last = -1;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
      this.decodedLines++;
      last = i;
    }
    this.decodedColumn = last < 0 ? this.decodedColumn + text.length : text.length - last - 1;
    this.feedText(text);
  }

  private decodeError(err: unknown): unknown {
    if (!(err instanceof InvalidBytes)) return err;
    const choice = this.choice!;
    // The start was ASCII or valid UTF-8 and only later bytes are not: look at them again.
    if (this.spec.fileEncoding === 'auto' && (choice.how === 'ascii' || choice.how === 'utf-8') && this.lastChunk) {
      // From the start of the line the bad bytes are on (UTF-8 knows where they are).
      const chunk = this.lastChunk;
      const at = err.byteOffset ?? 0;
      const lineStart = at > 0 ? chunk.lastIndexOf(10, at - 1) + 1 : 0;
      const again = detectEncoding(chunk.subarray(lineStart, lineStart + DETECT_BYTES), false);
      if (again && again.how === 'detected' && again.charset !== choice.charset)
        throw new Redetect({ ...again, certainty: again.certainty === 'likely' ? 'likely' : 'guess' });
    }
    let line = this.decodedLines + 1;
    let column = this.decodedColumn + 1;
    const before = err.before;
    const nl = before.lastIndexOf('\n');
    for (let i = before.indexOf('\n'); i >= 0; i = before.indexOf('\n', i + 1)) line++;
    column = nl >= 0 ? before.length - nl : column + before.length;
    return invalidBytesError(this.file, err.charset, line, column, choice);
  }

  /** Decoded text: find the delimiter from the first 64 KB, then parse. */
  private feedText(text: string): void {
    if (this.csv) {
      this.csv.push(text, this.onRow);
      return;
    }
    this.textHead += text;
    if (this.textHead.length < 64 * 1024) return;
    this.startParsing();
  }

  private startParsing(): void {
    const text = this.textHead;
    this.textHead = '';
    this.delimiter = this.spec.delimiter ?? delimiterFor(this.file, text);
    this.csv = new CsvStream(this.file, this.delimiter);
    this.csv.push(text, this.onRow);
  }

  private readonly onRow = (fields: string[], line: number): void => {
    if (this.headRows) {
      this.headRows.push({ fields, line });
      if (this.headRows.length >= HEAD_ROWS) this.decideColumns();
      return;
    }
    this.addRow(fields, line);
  };

  /** The first rows are in: which is the header, which columns are text, label and split. */
  private decideColumns(): void {
    const head = this.headRows!;
    this.headRows = null;
    const rows = head.map((r) => r.fields);
    const spec = this.spec;
    const choice = chooseColumns(rows, { text: spec.text, label: spec.label, header: spec.header, split: spec.split.column }, this.file);
    this.columns = choice;
    const start = choice.hasHeader ? 1 : 0;
    const body = head.slice(start);
    // Ragged rows first, so the numeric check reads whole rows.
    const width = choice.columns.length;
    for (const r of body) if (r.fields.length !== width) this.ragged(r.fields.length, r.line);
    refuseNumericText(
      body.map((r) => r.fields),
      body.map((r) => r.line),
      choice,
      this.file,
    );
    for (const r of body) this.addRow(r.fields, r.line);
  }

  private ragged(n: number, line: number): never {
    throw raggedRowError(this.file, line, n, this.columns!.columns.length, this.delimiter, {
      key: this.columns!.hasHeader ? 'data.theHeader' : 'data.theFirstRow',
    });
  }

  private addRow(fields: string[], line: number): void {
    const choice = this.columns!;
    if (fields.length !== choice.columns.length) this.ragged(fields.length, line);
    const store = this.store;
    const label = fields[choice.labelColumn]!.trim();
    if (label === '') {
      const name = choice.columns[choice.labelColumn]!;
      throw dataError('data.labelEmpty', { file: this.file, line, field: name });
    }
    const texts = choice.textColumns.map((c) => fields[c]!);
    if (texts.every((t) => t.trim() === '')) {
      const name = choice.columns[choice.textColumns[0]!]!;
      const at = { file: this.file, line, field: name };
      if (texts.length === 1) throw dataError('data.textEmpty', at);
      throw dataError('data.textsEmpty', at, { columns: choice.textColumns.map((c) => JSON.stringify(choice.columns[c])).join(', ') });
    }
    if (choice.splitColumn !== undefined) {
      const value = fields[choice.splitColumn]!;
      const part = splitNamed(value);
      if (part === undefined) {
        const name = choice.columns[choice.splitColumn]!;
        const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
        throw dataError('data.badSplitValue', { file: this.file, line, field: name }, { value: JSON.stringify(shown) });
      }
      store.parts.push(part === 'train' ? 0 : part === 'dev' ? 1 : 2);
    }
    const dict = store.dictionary;
    const tokens = store.tokens;
    for (let c = 0; c < texts.length; c++) {
      if (c > 0) tokens.push(SEP_MARK);
      for (const t of this.tokenize(texts[c]!)) tokens.push(dict.idOf(t));
    }
    store.offsets.push(tokens.length);
    const labelId = store.labelNames.idOf(label);
    store.labels.push(labelId);
    store.lines.push(line);
    const row = store.rows - 1;
    const firstOfClass = !this.firstOfLabel.has(labelId) && this.firstOfLabel.size < KEPT_CLASSES;
    if (firstOfClass) this.firstOfLabel.add(labelId);
    if (row < KEPT_TEXTS || firstOfClass) this.keptTexts.set(row, texts.map(own));
    this.allTexts?.push(texts.map(own));
  }

  private progress(phase: DataProgress['phase'], force = false): void {
    const report = this.opts.onProgress;
    if (!report) return;
    const now = Date.now();
    if (!force && now - this.lastProgress < (this.opts.progressMs ?? 100)) return;
    this.lastProgress = now;
    report({ bytes: this.bytesRead, totalBytes: this.totalBytes, rows: this.store.rows, phase });
  }

  /** The file has ended: split, count, choose the vocabulary, encode. */
  finish(): PreparedData {
    if (this.head) this.flushHead(true);
    if (this.decoder) {
      let rest: string;
      try {
        rest = this.decoder.end();
      } catch (err) {
        throw this.decodeError(err);
      }
      this.feedDecoded(rest);
    }
    if (!this.csv) {
      if (this.textHead.trim() === '') throw dataError('data.emptyFile', this.file);
      this.startParsing();
    }
    this.csv!.end(this.onRow);
    if (this.headRows) {
      if (this.headRows.length === 0) throw dataError('data.emptyFile', this.file);
      this.decideColumns();
    }
    this.progress('encoding', true);
    return this.build();
  }

  private build(): PreparedData {
    const { spec, file, store } = this;
    const choice = this.columns!;
    const total = store.rows;
    if (total === 0) {
      throw dataError('data.headerOnly', file, { columns: choice.columns.map((c) => JSON.stringify(c)).join(', ') });
    }
    // The rows used: all, or a seeded sample in file order.
    let rows: Int32Array = Int32Array.from({ length: total }, (_, i) => i);
    if (this.opts.maxRows !== undefined && total > this.opts.maxRows) rows = sampleRows(total, this.opts.maxRows, spec.split.seed);
    const n = rows.length;

    // Labels → classes, in numeric order when all labels are numbers (AG News 1–4).
    const labelName = choice.columns[choice.labelColumn]!;
    const distinct = store.labelNames.strings.slice();
    const numeric = distinct.every((l) => /^[-+]?\d+(\.\d+)?$/.test(l));
    const sorted = distinct
      .map((l, i) => [l, i] as const)
      .sort(numeric ? (a, b) => Number(a[0]) - Number(b[0]) : (a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const classOf = new Int32Array(distinct.length);
    sorted.forEach(([, provisional], c) => (classOf[provisional] = c));
    const rawClasses = sorted.map(([l]) => l);
    const used = new Set<number>();
    const labels = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      labels[i] = classOf[store.labels.data[rows[i]!]!]!;
      used.add(labels[i]!);
    }
    if (used.size < 2) {
      throw dataError('data.oneClass', file, { column: labelName, value: JSON.stringify(rawClasses[labels[0]!]) });
    }
    if (rawClasses.length > MAX_CLASSES) {
      throw dataError('data.tooManyClasses', file, { column: labelName, count: rawClasses.length });
    }
    const classes = rawClasses.map((l) => spec.labelNames?.[l] ?? l);

    // Split: by the file's column, else seeded and stratified.
    let parts: SplitIndices;
    if (choice.splitColumn === undefined) {
      parts = stratifiedSplit(labels, { ratios: spec.split.ratios, seed: spec.split.seed, stratify: spec.split.stratify, classes, file });
    } else {
      const byPart: number[][] = [[], [], []];
      for (let i = 0; i < n; i++) byPart[store.parts.data[rows[i]!]!]!.push(i);
      const splitName = choice.columns[choice.splitColumn]!;
      if (byPart[0]!.length === 0) throw dataError('data.noTrainRows', file, { column: splitName });
      parts = { train: Int32Array.from(byPart[0]!), dev: Int32Array.from(byPart[1]!), test: Int32Array.from(byPart[2]!) };
    }
    const splitClassCounts = {
      train: countClasses(parts.train, labels, classes.length),
      dev: countClasses(parts.dev, labels, classes.length),
      test: countClasses(parts.test, labels, classes.length),
    };
    const missing = splitClassCounts.train.findIndex((c) => c === 0);
    if (missing >= 0) {
      let at = -1;
      for (let i = 0; i < n && at < 0; i++) if (labels[i] === missing) at = i;
      const line = store.lines.data[rows[at]!]!;
      throw dataError(
        'data.classNotInTrain',
        { file, line, field: labelName },
        { name: JSON.stringify(classes[missing]), count: splitClassCounts.dev[missing]! + splitClassCounts.test[missing]! },
      );
    }

    // The vocabulary, on the train split's counts.
    const dict = store.dictionary;
    const counts = new Int32Array(dict.strings.length);
    const offsets = store.offsets.data;
    const tokens = store.tokens.data;
    for (const i of parts.train) {
      const r = rows[i]!;
      for (let k = offsets[r]!; k < offsets[r + 1]!; k++) {
        const t = tokens[k]!;
        if (t !== SEP_MARK) counts[t]!++;
      }
    }
    const specials = [...(spec.bos ? [BOS_TOKEN] : []), ...(spec.eos ? [EOS_TOKEN] : []), ...(this.textColumnCount > 1 ? [SEP_TOKEN] : [])];
    const vocab = vocabularyFromCounts(countEntries(dict, counts), {
      minCount: spec.minCount,
      specials,
      ...(spec.maxVocab === undefined ? {} : { maxSize: spec.maxVocab }),
    });
    const sepId = vocab.ids.get(SEP_TOKEN) ?? UNK_ID;
    const remap = new Int32Array(dict.strings.length);
    for (let t = 0; t < remap.length; t++) remap[t] = vocab.ids.get(dict.strings[t]!) ?? UNK_ID;
    const vocabCounts = new Int32Array(vocab.size);
    for (let t = 0; t < remap.length; t++) vocabCounts[remap[t]!]! += counts[t]!;

    // Lengths (specials included) and maxLength, on train.
    const extra = (spec.bos ? 1 : 0) + (spec.eos ? 1 : 0);
    const lengthOf = (r: number) => offsets[r + 1]! - offsets[r]! + extra;
    const trainLengths = Int32Array.from(parts.train, (i) => lengthOf(rows[i]!)).sort();
    const least = extra + 1;
    const maxLength = resolveMaxLength(spec.maxLength, trainLengths, least);
    if (maxLength < least) {
      const [a = '', b] = specials.filter((s) => s !== SEP_TOKEN);
      throw dataError('data.maxLengthTooSmall', file, { maxLength, specials: b === undefined ? a : { key: 'data.and', params: { a, b } }, least });
    }
    const framing: Framing = {
      maxLength,
      truncate: spec.truncate,
      bos: spec.bos ? vocab.ids.get(BOS_TOKEN)! : -1,
      eos: spec.eos ? vocab.ids.get(EOS_TOKEN)! : -1,
    };

    // Encode each split.
    let rowBuf = new Int32Array(256);
    let devTokens = 0;
    let devUnk = 0;
    const encodeSplit = (idx: Int32Array, isDev: boolean): EncodedSplit => {
      const ids = new Int32Array(idx.length * maxLength);
      for (let j = 0; j < idx.length; j++) {
        const r = rows[idx[j]!]!;
        const from = offsets[r]!;
        const len = offsets[r + 1]! - from;
        if (rowBuf.length < len) rowBuf = new Int32Array(len * 2);
        for (let k = 0; k < len; k++) {
          const t = tokens[from + k]!;
          const id = t === SEP_MARK ? sepId : remap[t]!;
          rowBuf[k] = id;
          if (isDev && t !== SEP_MARK) {
            devTokens++;
            if (id === UNK_ID) devUnk++;
          }
        }
        frameInto(ids, j * maxLength, rowBuf, 0, len, framing);
      }
      const split: EncodedSplit = {
        n: idx.length,
        maxLength,
        vocabSize: vocab.size,
        ids,
        numClasses: classes.length,
        labels: Int32Array.from(idx, (i) => labels[i]!),
        rows: Int32Array.from(idx, (i) => rows[i]!),
        ...(spec.encoding === 'bag' ? { bagValue: spec.bagValue } : {}),
      };
      if (this.allTexts) split.texts = Array.from(idx, (i) => this.allTexts![rows[i]!]!.join(' | '));
      return split;
    };
    const train = encodeSplit(parts.train, false);
    const dev = encodeSplit(parts.dev, true);
    const test = encodeSplit(parts.test, false);

    const encoding = spec.encoding;
    const inputShape = encoding === 'onehot' ? [maxLength, vocab.size] : encoding === 'bag' ? [vocab.size] : [maxLength];
    const inputDtype = encoding === 'index' ? 'int32' : 'float32';
    const encodeSpec: EncodeSpec = {
      tokenizer: spec.tokenizer,
      lowercase: spec.lowercase,
      punctuation: spec.tokenizer === 'word' ? spec.punctuation : undefined,
      maxLength,
      truncate: spec.truncate,
      bos: spec.bos,
      eos: spec.eos,
      textColumns: this.textColumnCount,
      ...(encoding === 'bag' ? { bagValue: spec.bagValue } : {}),
    };
    if (encodeSpec.punctuation === undefined) delete encodeSpec.punctuation;

    // The sample and the preview: each class's first row, then the first rows of the file.
    const kept = new Map<number, { split: 'train' | 'dev' | 'test'; label: number }>();
    for (const [name, idx] of [
      ['train', parts.train],
      ['dev', parts.dev],
      ['test', parts.test],
    ] as const) {
      for (const i of idx) if (this.keptTexts.has(rows[i]!)) kept.set(rows[i]!, { split: name, label: labels[i]! });
    }
    const byClassFirst = (pick: (r: number) => boolean): number[] => {
      const candidates = [...kept.keys()].filter(pick).sort((a, b) => a - b);
      const firsts: number[] = [];
      const seen = new Set<number>();
      for (const r of candidates) {
        const c = kept.get(r)!.label;
        if (!seen.has(c)) {
          seen.add(c);
          firsts.push(r);
        }
      }
      firsts.sort((a, b) => kept.get(a)!.label - kept.get(b)!.label);
      return [...firsts, ...candidates.filter((r) => !firsts.includes(r))];
    };
    const sample = byClassFirst((r) => kept.get(r)!.split === 'train')
      .slice(0, 8)
      .map((r) => [this.keptTexts.get(r)!.join(' | '), classes[kept.get(r)!.label]!] as [string, string]);
    const preview = byClassFirst(() => true)
      .slice(0, 6)
      .map((r) => previewRow(this.keptTexts.get(r)!, classes[kept.get(r)!.label]!, kept.get(r)!.split, vocab, encodeSpec, encoding));

    const classCounts = new Array<number>(classes.length).fill(0);
    for (const l of labels) classCounts[l]!++;
    const summary: DataSummary = {
      source: file,
      rows: n,
      classes,
      classCounts,
      trainClassCounts: splitClassCounts.train,
      splitClassCounts,
      vocabSize: vocab.size,
      maxLength,
      inputShape,
      inputDtype,
      split: { train: train.n, dev: dev.n, test: test.n },
      ...(choice.splitColumn === undefined ? {} : { splitColumn: choice.columns[choice.splitColumn]! }),
      sample,
      ...(this.choice ? { fileEncoding: encodingReport(this.choice) } : {}),
      columns: {
        all: choice.columns,
        text: choice.textColumns.map((c) => choice.columns[c]!),
        label: labelName,
        hasHeader: choice.hasHeader,
        delimiter: this.delimiter,
      },
      lengths: lengthStats(trainLengths, maxLength),
      devUnkShare: devTokens === 0 ? null : devUnk / devTokens,
      preview,
    };
    const facts: DataFacts = { inputShape, inputDtype, vocabSize: vocab.size, numClasses: classes.length };
    return { summary, facts, vocab, vocabCounts, classes, encodeSpec, encoding, train, dev, test };
  }
}

function* countEntries(dict: Dictionary, counts: Int32Array): Iterable<[string, number]> {
  for (let t = 0; t < counts.length; t++) if (counts[t]! > 0) yield [dict.strings[t]!, counts[t]!];
}

function countClasses(idx: Int32Array, labels: Int32Array, k: number): number[] {
  const out = new Array<number>(k).fill(0);
  for (const i of idx) out[labels[i]!]!++;
  return out;
}

function encodingReport(choice: EncodingChoice): FileEncodingReport {
  return {
    name: choice.charset,
    label: CHARSET_LABELS[choice.charset as Charset],
    how: choice.how,
    confidence: choice.confidence,
    certainty: choice.certainty,
    alternatives: [...choice.alternatives],
  };
}

/** Texts kept past the read must not hold the chunk they were cut from. */
function own(s: string): string {
  return s.length < 13 ? s : (JSON.parse(JSON.stringify(s)) as string);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A seeded sample of `k` of the row ids 0..n-1, in file order. */
function sampleRows(n: number, k: number, seed: number): Int32Array {
  const random = mulberry32(seed ^ 0x5eed);
  const a = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(random() * (n - i));
    const tmp = a[i]!;
    a[i] = a[j]!;
    a[j] = tmp;
  }
  return a.slice(0, k).sort();
}
