/**
 * Image data, ready for training: a built-in image dataset, a folder with one sub-folder per
 * class (or `train`/`val`/`test` sub-folders holding the class folders), or a CSV/TSV with an
 * image-path column and a label column. Each picture is read through the file port, its size
 * checked on its header, decoded, converted to the chosen colour and resized one at a time, so
 * what is kept is the model-sized bytes, never the files. Then split (by folder or split column,
 * else seeded and stratified ratios) and, for `standardize`, the train split's mean and std.
 * Every problem is a DataError naming the file; a read that fails keeps nothing.
 */
import {
  BUILTIN_IMAGE_DATASETS,
  ImageSchema,
  sourcePathOf,
  type AugmentSpec,
  type BuiltinImageDatasetId,
  type DataSpec,
  type ImageSpec,
} from '../graph/document';
import type { DataFacts } from '../graph/types';
import type { FilePort } from '../ports';
import { augmentInto, augments } from './augment';
import { chooseColumns } from './columns';
import { parseTable } from './csv';
import { otherWords, wordsOf } from '../words';
import { DataError, dataError } from './dataError';
import type { DataProgress, PrepareOptions } from './dataset';
import { decodeText } from './decode';
import { DIGITS_FILES, DigitsManifestSchema, digitFromAtlas, DIGIT_SIZE } from './digits';
import { decodeImage, type DecodedImage } from './imageDecode';
import { resizeInto } from './imageResize';
import type { ImageExample, ImageSummary, ResolvedImage } from './imageSummary';

export type { ResolvedImage } from './imageSummary';
import { mulberry32 } from './prng';
import { splitNamed } from './splitColumn';
import { stratifiedSplit, type SplitIndices } from './stratifiedSplit';
import type { DataSummary } from './summary';

/** The pictures of one split: `n` of height × width × channels bytes each, back to back. */
export interface ImageSplit {
  n: number;
  pixels: Uint8Array;
  /** Class id of each picture. */
  labels: Int32Array;
  /** Where each came from, for messages and the Data tab. */
  files: string[];
}

export interface PreparedImages {
  summary: DataSummary;
  facts: DataFacts;
  classes: string[];
  image: ResolvedImage;
  augment?: AugmentSpec;
  train: ImageSplit;
  dev: ImageSplit;
  test: ImageSplit;
}

/** Pictures of each class the summary shows. */
export const EXAMPLES_PER_CLASS = 8;
/** Classes whose examples the summary shows. */
const EXAMPLE_CLASSES = 40;
/** The most bytes all pictures may take at the model's size (they are kept in memory while training). */
export const MAX_IMAGE_BYTES = 2_000_000_000;
const IMAGE_EXTENSIONS = /\.(png|jpe?g)$/i;

/** One picture to read: its name in messages, how to get its bytes, its label and split (when the data says). */
interface Item {
  file: string;
  read: () => Promise<Uint8Array>;
  label: string;
  part?: 0 | 1 | 2;
  /** A line of the CSV it was named on. */
  line?: number;
}

/** The image settings a data section resolves to (a built-in dataset's size and colour when it gives none). */
export function imageSettingsOf(spec: DataSpec): ImageSpec {
  const builtin = builtinImageOf(spec);
  if (spec.image) return spec.image;
  const d = builtin ? BUILTIN_IMAGE_DATASETS[builtin] : undefined;
  return ImageSchema.parse(d ? { size: [...d.size], color: d.color } : {});
}

function builtinImageOf(spec: DataSpec): BuiltinImageDatasetId | undefined {
  const b = (spec.source as { builtin?: unknown }).builtin;
  return typeof b === 'string' && b in BUILTIN_IMAGE_DATASETS ? (b as BuiltinImageDatasetId) : undefined;
}

/** Reads and prepares the pictures a data section names. Throws DataError on bad input. */
export async function prepareImages(spec: DataSpec, files: FilePort, opts: PrepareOptions = {}): Promise<PreparedImages> {
  const settings = imageSettingsOf(spec);
  const [height, width] = settings.size;
  const channels: 1 | 3 = settings.color === 'rgb' ? 3 : 1;
  const builtin = builtinImageOf(spec);
  const read = sourcePathOf(spec.source);
  const sourceName = builtin ? `built-in: ${builtin}` : (read?.path ?? 'the data');
  const builder = new PictureStore(height, width, channels, settings.fit, sourceName, opts);
  if (builtin) await readDigits(files, builder, opts.maxRows, spec.split.seed);
  else if (read?.folder) await readItems(await folderItems(read.path, files, builder), builder, opts.maxRows, spec.split.seed);
  else if (read) await readItems(await csvItems(read.path, spec, settings, files), builder, opts.maxRows, spec.split.seed);
  else throw dataError('data.noPictures', sourceName);
  const prepared = finishImages(builder, spec, settings, sourceName);
  if (builtin) {
    const d = BUILTIN_IMAGE_DATASETS[builtin];
    prepared.summary.license = { dataset: builtin, title: d.title, license: d.license, file: `assets/${DIGITS_FILES.license}` };
  }
  return prepared;
}

/** Decoded pictures at the model's size, grown as they come. */
class PictureStore {
  readonly cell: number;
  pixels: Uint8Array;
  n = 0;
  readonly labels: string[] = [];
  readonly parts: (0 | 1 | 2 | undefined)[] = [];
  readonly files: string[] = [];
  readonly lines: (number | undefined)[] = [];
  /** The colour of the first picture, and the pictures of the other colour (converted). */
  firstColor: 'grayscale' | 'rgb' | undefined;
  readonly converted: string[] = [];
  convertedCount = 0;
  readonly skipped: string[] = [];
  skippedCount = 0;
  private lastProgress = 0;

  constructor(
    readonly height: number,
    readonly width: number,
    readonly channels: 1 | 3,
    readonly fit: 'pad' | 'stretch',
    readonly source: string,
    private readonly opts: PrepareOptions,
  ) {
    this.cell = height * width * channels;
    this.pixels = new Uint8Array(this.cell * 256);
  }

  /** Room for one more picture; its bytes start at the offset returned. */
  slot(file: string): number {
    if ((this.n + 1) * this.cell > MAX_IMAGE_BYTES) {
      throw dataError('data.picturesTooBig', this.source, {
        gb: (MAX_IMAGE_BYTES / 1e9).toFixed(0),
        size: `${this.height}×${this.width}×${this.channels}`,
        file,
      });
    }
    if ((this.n + 1) * this.cell > this.pixels.length) {
      const grown = new Uint8Array(Math.min(MAX_IMAGE_BYTES, Math.max(this.pixels.length * 2, (this.n + 1) * this.cell)));
      grown.set(this.pixels.subarray(0, this.n * this.cell));
      this.pixels = grown;
    }
    return this.n * this.cell;
  }

  add(file: string, label: string, part: 0 | 1 | 2 | undefined, line: number | undefined): void {
    this.labels.push(label);
    this.parts.push(part);
    this.files.push(file);
    this.lines.push(line);
    this.n++;
    const report = this.opts.onProgress;
    if (report) {
      const now = Date.now();
      if (now - this.lastProgress >= (this.opts.progressMs ?? 100)) {
        this.lastProgress = now;
        report({ bytes: 0, totalBytes: null, rows: this.n, phase: 'reading' } satisfies DataProgress);
      }
    }
  }

  /** A decoded picture, converted and resized into the next slot. */
  addDecoded(img: DecodedImage, file: string, label: string, part: 0 | 1 | 2 | undefined, line: number | undefined): void {
    this.firstColor ??= img.color;
    const wanted = this.channels === 3 ? 'rgb' : 'grayscale';
    if (img.color !== wanted) {
      this.convertedCount++;
      if (this.converted.length < 5) this.converted.push(file);
    }
    const at = this.slot(file);
    resizeInto(img, this.width, this.height, this.channels, this.fit, this.pixels, at);
    this.add(file, label, part, line);
  }
}

async function readDigits(files: FilePort, store: PictureStore, maxRows: number | undefined, seed: number): Promise<void> {
  const manifest = DigitsManifestSchema.parse(JSON.parse(decodeText(await files.readAsset(DIGITS_FILES.manifest)).text));
  const atlas = decodeImage(await files.readAsset(DIGITS_FILES.atlas), `assets/${DIGITS_FILES.atlas}`, Number.MAX_SAFE_INTEGER);
  const total = manifest.counts.reduce((a, b) => a + b, 0);
  const picked = maxRows !== undefined && maxRows < total ? sample(total, maxRows, seed) : null;
  const cell = new Uint8Array(DIGIT_SIZE * DIGIT_SIZE);
  const direct = store.height === DIGIT_SIZE && store.width === DIGIT_SIZE && store.channels === 1;
  let k = 0;
  for (let digit = 0; digit < 10; digit++) {
    for (let i = 0; i < manifest.counts[digit]!; i++, k++) {
      if (picked && !picked.has(k)) continue;
      const file = `digit ${digit}, #${i + 1}`;
      if (direct) {
        const at = store.slot(file);
        digitFromAtlas(atlas.data, atlas.width, manifest.columns, k, store.pixels, at);
        store.firstColor ??= 'grayscale';
        store.add(file, String(digit), undefined, undefined);
      } else {
        digitFromAtlas(atlas.data, atlas.width, manifest.columns, k, cell, 0);
        store.addDecoded({ width: DIGIT_SIZE, height: DIGIT_SIZE, channels: 1, data: cell, color: 'grayscale' }, file, String(digit), undefined, undefined);
      }
    }
  }
}

/** The pictures of a class-per-folder tree, checked: no empty class folder, no folder without classes. */
async function folderItems(root: string, files: FilePort, store: PictureStore): Promise<Item[]> {
  if (!files.listFolder) throw dataError('data.noFolders', root);
  const list = (path: string) =>
    files.listFolder!(path).catch((err: unknown) => {
      throw new DataError({ ...otherWords(err instanceof Error ? err.message : String(err)), at: { file: path } });
    });
  const join = (a: string, b: string) => (a.endsWith('/') || a.endsWith('\\') ? `${a}${b}` : `${a}/${b}`);
  const visible = (e: { name: string }) => !e.name.startsWith('.') && e.name !== 'Thumbs.db' && e.name !== 'desktop.ini';
  const top = (await list(root)).filter(visible);
  const folders = top.filter((e) => e.folder);
  const splitFolders = folders.filter((e) => splitNamed(e.name) !== undefined);
  const bySplit = splitFolders.length > 0 && splitFolders.length === folders.length && splitFolders.some((e) => splitNamed(e.name) === 'train');
  const items: Item[] = [];
  const classFolder = async (dir: string, shown: string, label: string, part: 0 | 1 | 2 | undefined) => {
    const entries = (await list(dir)).filter(visible);
    let found = 0;
    for (const e of entries) {
      const rel = `${shown}/${e.name}`;
      if (e.folder || !IMAGE_EXTENSIONS.test(e.name)) {
        store.skippedCount++;
        if (store.skipped.length < 5) store.skipped.push(rel + (e.folder ? '/' : ''));
        continue;
      }
      const path = join(dir, e.name);
      items.push({ file: rel, read: () => files.readFile(path), label, ...(part === undefined ? {} : { part }) });
      found++;
    }
    if (found === 0) {
      throw entries.length
        ? dataError('data.classFolderOnlyOthers', join(root, shown), { label, count: entries.length })
        : dataError('data.classFolderEmpty', join(root, shown), { label });
    }
  };
  if (folders.length === 0) {
    const images = top.filter((e) => IMAGE_EXTENSIONS.test(e.name)).length;
    throw images > 0 ? dataError('data.picturesNotInClassFolders', root, { example: `${root}/cat/1.png` }) : dataError('data.folderHoldsNothing', root);
  }
  if (bySplit) {
    for (const s of splitFolders) {
      const name = splitNamed(s.name)!;
      const part = name === 'train' ? 0 : name === 'dev' ? 1 : 2;
      const classes = (await list(join(root, s.name))).filter((e) => visible(e) && e.folder);
      if (classes.length === 0) throw dataError('data.splitFolderEmpty', join(root, s.name), { name: s.name });
      for (const c of classes) await classFolder(join(join(root, s.name), c.name), `${s.name}/${c.name}`, c.name, part);
    }
  } else {
    for (const c of folders) await classFolder(join(root, c.name), c.name, c.name, undefined);
  }
  return items;
}

/** The pictures a CSV names: its path column (relative to the CSV's folder), label and split columns. */
async function csvItems(csv: string, spec: DataSpec, settings: ImageSpec, files: FilePort): Promise<Item[]> {
  const column = settings.pathColumn;
  if (!column) throw dataError('data.noPathColumn', csv);
  const table = parseTable(decodeText(await files.readFile(csv), undefined, csv).text, csv, spec.delimiter ? { delimiter: spec.delimiter } : {});
  const choice = chooseColumns(table.rows, { text: column, label: spec.label, header: spec.header, split: spec.split.column }, csv);
  const pathAt = choice.textColumns[0]!;
  const cut = Math.max(csv.lastIndexOf('/'), csv.lastIndexOf('\\'));
  const dir = cut < 0 ? '.' : csv.slice(0, cut);
  const items: Item[] = [];
  for (let r = choice.hasHeader ? 1 : 0; r < table.rows.length; r++) {
    const row = table.rows[r]!;
    const line = table.lines[r]!;
    const rel = row[pathAt]!.trim();
    const label = row[choice.labelColumn]!.trim();
    if (rel === '') throw dataError('data.imagePathEmpty', { file: csv, line, field: column });
    if (label === '') throw dataError('data.labelEmpty', { file: csv, line, field: spec.label });
    let part: 0 | 1 | 2 | undefined;
    if (choice.splitColumn !== undefined) {
      const named = splitNamed(row[choice.splitColumn]!);
      const name = choice.columns[choice.splitColumn]!;
      if (!named) throw dataError('data.badSplitValue', { file: csv, line, field: name }, { value: JSON.stringify(row[choice.splitColumn]) });
      part = named === 'train' ? 0 : named === 'dev' ? 1 : 2;
    }
    const absolute = rel.startsWith('/') || /^[A-Za-z]:[\\/]/.test(rel);
    const path = absolute ? rel : `${dir}/${rel}`;
    items.push({ file: path, read: () => files.readFile(path), label, line, ...(part === undefined ? {} : { part }) });
  }
  if (items.length === 0) throw dataError('data.csvNamesNoPictures', csv);
  return items;
}

async function readItems(items: Item[], store: PictureStore, maxRows: number | undefined, seed: number): Promise<void> {
  const picked = maxRows !== undefined && maxRows < items.length ? sample(items.length, maxRows, seed) : null;
  for (let i = 0; i < items.length; i++) {
    if (picked && !picked.has(i)) continue;
    const item = items[i]!;
    let bytes: Uint8Array;
    try {
      bytes = await item.read();
    } catch (err) {
      throw new DataError({ ...wordsOf(err), at: item.line === undefined ? { file: item.file } : { file: store.source, line: item.line } }, item.file);
    }
    const img = decodeImage(bytes, item.line === undefined ? item.file : `${item.file} (${store.source}, line ${item.line})`);
    store.addDecoded(img, item.file, item.label, item.part, item.line);
  }
}

function finishImages(store: PictureStore, spec: DataSpec, settings: ImageSpec, source: string): PreparedImages {
  const n = store.n;
  if (n === 0) throw dataError('data.noPicturesFound', source);
  // Classes in numeric order when every label is a number, else by name.
  const distinct = [...new Set(store.labels)];
  const numeric = distinct.every((l) => /^[-+]?\d+(\.\d+)?$/.test(l));
  const rawClasses = distinct.sort(numeric ? (a, b) => Number(a) - Number(b) : (a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (rawClasses.length < 2) throw dataError('data.onePictureClass', source, { name: rawClasses[0]! });
  const idOf = new Map(rawClasses.map((c, i) => [c, i]));
  const labels = Int32Array.from(store.labels, (l) => idOf.get(l)!);
  const classes = rawClasses.map((l) => spec.labelNames?.[l] ?? l);

  let parts: SplitIndices;
  if (store.parts.some((p) => p !== undefined)) {
    const by: number[][] = [[], [], []];
    store.parts.forEach((p, i) => by[p ?? 0]!.push(i));
    parts = { train: Int32Array.from(by[0]!), dev: Int32Array.from(by[1]!), test: Int32Array.from(by[2]!) };
  } else {
    parts = stratifiedSplit(labels, { ratios: spec.split.ratios, seed: spec.split.seed, stratify: spec.split.stratify, classes, file: source });
  }
  const counts = (idx: Int32Array) => {
    const out = new Array<number>(classes.length).fill(0);
    for (const i of idx) out[labels[i]!]!++;
    return out;
  };
  const splitClassCounts = { train: counts(parts.train), dev: counts(parts.dev), test: counts(parts.test) };
  const missing = splitClassCounts.train.findIndex((c) => c === 0);
  if (missing >= 0) throw dataError('data.classHasNoTrainPicture', source, { name: classes[missing]! });

  const { height, width, channels } = store;
  const cell = store.cell;
  const take = (idx: Int32Array): ImageSplit => {
    const pixels = new Uint8Array(idx.length * cell);
    idx.forEach((i, j) => pixels.set(store.pixels.subarray(i * cell, (i + 1) * cell), j * cell));
    return { n: idx.length, pixels, labels: Int32Array.from(idx, (i) => labels[i]!), files: Array.from(idx, (i) => store.files[i]!) };
  };
  const train = take(parts.train);
  const dev = take(parts.dev);
  const test = take(parts.test);
  store.pixels = new Uint8Array(0);

  // Per-channel mean and std of pixel/255 over train.
  const sum = new Float64Array(channels);
  const sq = new Float64Array(channels);
  const px = train.pixels;
  for (let i = 0; i < px.length; i++) {
    const v = px[i]! / 255;
    sum[i % channels]! += v;
    sq[i % channels]! += v * v;
  }
  const per = px.length / channels;
  const mean = Array.from(sum, (s) => s / per);
  const std = Array.from(sq, (s, c) => Math.max(1e-6, Math.sqrt(Math.max(0, s / per - mean[c]! ** 2))));
  const image: ResolvedImage = { height, width, channels, fit: settings.fit, scale: settings.scale, mean, std };

  const b64 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  const examples: ImageExample[] = [];
  const shown = new Array<number>(classes.length).fill(0);
  for (const [name, split] of [
    ['train', train],
    ['dev', dev],
    ['test', test],
  ] as const) {
    for (let j = 0; j < split.n; j++) {
      const c = split.labels[j]!;
      if (c >= EXAMPLE_CLASSES || shown[c]! >= EXAMPLES_PER_CLASS) continue;
      shown[c]!++;
      examples.push({ label: classes[c]!, split: name, file: split.files[j]!, pixels: b64(split.pixels.subarray(j * cell, (j + 1) * cell)) });
    }
  }
  examples.sort((a, b) => classes.indexOf(a.label) - classes.indexOf(b.label));
  const augment = settings.augment;
  const images: ImageSummary = { height, width, channels, fit: settings.fit, scale: settings.scale, mean, std, examples };
  if (augments(augment)) images.augmented = augmentPreview(train, classes, height, width, channels, augment, spec.split.seed);
  if (store.convertedCount) images.converted = { count: store.convertedCount, to: channels === 3 ? 'rgb' : 'grayscale', files: store.converted };
  if (store.skippedCount) images.skipped = { count: store.skippedCount, files: store.skipped };

  const classCounts = classes.map((_, c) => splitClassCounts.train[c]! + splitClassCounts.dev[c]! + splitClassCounts.test[c]!);
  const inputShape = [height, width, channels];
  const summary: DataSummary = {
    source,
    rows: n,
    classes,
    classCounts,
    trainClassCounts: splitClassCounts.train,
    splitClassCounts,
    vocabSize: 0,
    maxLength: 0,
    inputShape,
    inputDtype: 'float32',
    split: { train: train.n, dev: dev.n, test: test.n },
    sample: examples.slice(0, 8).map((e) => [e.file, e.label]),
    images,
  };
  const facts: DataFacts = { inputShape, inputDtype: 'float32', vocabSize: 0, numClasses: classes.length };
  return { summary, facts, classes, image, ...(augments(augment) ? { augment } : {}), train, dev, test };
}

/** A few train pictures (one per class, the first four classes) and four augmentations of each. */
function augmentPreview(
  train: ImageSplit,
  classes: readonly string[],
  height: number,
  width: number,
  channels: number,
  spec: AugmentSpec,
  seed: number,
): NonNullable<ImageSummary['augmented']> {
  const random = mulberry32(seed ^ 0xa11);
  const cell = height * width * channels;
  const out: NonNullable<ImageSummary['augmented']> = [];
  const seen = new Set<number>();
  const buf = new Float32Array(cell);
  const bytes = new Uint8Array(cell);
  const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
  for (let j = 0; j < train.n && out.length < 4; j++) {
    const c = train.labels[j]!;
    if (seen.has(c)) continue;
    seen.add(c);
    const variants: string[] = [];
    for (let v = 0; v < 4; v++) {
      augmentInto(train.pixels, j * cell, height, width, channels, spec, random, buf, 0);
      for (let i = 0; i < cell; i++) bytes[i] = Math.round(Math.min(255, Math.max(0, buf[i]!)));
      variants.push(b64(bytes));
    }
    out.push({ file: train.files[j]!, label: classes[c]!, pixels: b64(train.pixels.subarray(j * cell, (j + 1) * cell)), variants });
  }
  return out;
}

/** A seeded sample of k of 0..n-1. */
function sample(n: number, k: number, seed: number): Set<number> {
  const random = mulberry32(seed ^ 0x5eed);
  const a = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(random() * (n - i));
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
  return new Set(a.subarray(0, k));
}
