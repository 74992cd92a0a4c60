/**
 * `modelwright data FILE_OR_CSV`: what the model would get from a data file, read in this process
 * through the same file port and code as training: the encoding and how sure, the columns, rows
 * and classes per split, the vocabulary, lengths against maxLength, `<unk>` on dev, GloVe
 * coverage and a few examples as tokens and ids. FILE is a Document, or a CSV/TSV alone. Bad data
 * exits 1 with the file, line and column.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import type { DataSummary } from '../api';
import { charsetChoices, fileEncodingNamed, type Charset } from '../data/charsets';
import { chunkDecoder } from '../data/decode';
import { bomOf, detectEncoding } from '../data/detectEncoding';
import { DataError, dataError } from '../data/dataError';
import { prepareData, type DataProgress, type PreparedData } from '../data/dataset';
import { gloveCoverage, type GloveCoverage } from '../data/glove';
import { DataSchema, isImageData, sourcePathOf, type DataSpec, type Document } from '../graph/document';
import { prepareImages } from '../data/imageDataset';
import { describeFileRef, pretrainedRequests } from '../graph/files';
import { parseDocument } from '../graph/load';
import { withDataOverrides } from '../graph/overrides';
import { formatInt, formatShape, table } from './cliFormat';
import { describeDocumentFiles, FileGrants, filesNotAllowedMessage, grantedFilePort } from './consent';
import { createFilePort } from './fsPorts';
import { readDocumentFile } from './userFiles';

export interface DataCommandIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

// The same words the CLI's other commands use about a document's files.
const CLI_HOW =
  'Nothing was read. Run again with --allow-files to allow them (in a terminal you can also answer "y" when asked), or name your own files with --data CSV and --pretrained NODE=FILE.';

const OPTIONS = {
  json: { type: 'boolean' },
  data: { type: 'string' },
  text: { type: 'string', multiple: true },
  label: { type: 'string' },
  split: { type: 'string' },
  tokenizer: { type: 'string' },
  encoding: { type: 'string' },
  glove: { type: 'string' },
  'allow-files': { type: 'boolean' },
} as const;

class Usage extends Error {}

/** Runs the command; the exit code: 0 ok, 1 bad data or document, 2 bad usage. */
export async function dataCommand(args: string[], io: DataCommandIo): Promise<number> {
  let values: ReturnType<typeof parse>['values'];
  let file: string;
  try {
    const parsed = parse(args);
    values = parsed.values;
    if (parsed.positionals.length !== 1) throw new Usage('data takes one FILE (a document, or a CSV/TSV file)');
    file = parsed.positionals[0]!;
    if (values.tokenizer !== undefined && values.tokenizer !== 'char' && values.tokenizer !== 'word')
      throw new Usage(`--tokenizer is char or word, not "${values.tokenizer}"`);
    if (values.encoding !== undefined && !fileEncodingNamed(values.encoding))
      throw new Usage(`--encoding "${values.encoding}" is not an encoding Modelwright reads; it reads ${charsetChoices()}`);
  } catch (err) {
    if (err instanceof Usage || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`modelwright: ${(err as Error).message}\nRun \`modelwright --help\` for usage.`);
      return 2;
    }
    throw err;
  }
  const json = values.json === true;
  const fail = (err: unknown): number => {
    const message = err instanceof Error ? err.message : String(err);
    if (json) {
      const at = err instanceof DataError ? { file: err.file, line: err.line ?? null, column: err.column ?? null, field: err.field ?? null } : {};
      io.out(JSON.stringify({ ok: false, error: message, ...at }));
    }
    io.err(`error: ${message}`);
    return 1;
  };

  let target: Target;
  try {
    target = await targetOf(file, values);
    target.grants = await consent(target, values['allow-files'] === true, json, io);
  } catch (err) {
    return fail(err);
  }
  if (target.guessed && !json)
    io.err(
      `Columns guessed from the header: text ${target.guessed.text.map((t) => JSON.stringify(t)).join(' + ')}, label ${JSON.stringify(target.guessed.label)} (name them with --text and --label).`,
    );
  const port = grantedFilePort(createFilePort({ baseDir: target.baseDir }), target.baseDir, target.grants.list());
  const bar = progressBar(json ? null : process.stderr, target.label);
  if (isImageData(target.spec)) {
    try {
      const { summary } = await prepareImages(target.spec, port, { onProgress: bar.update, progressMs: 80 });
      bar.done();
      if (json) io.out(JSON.stringify({ ok: true, summary }));
      else io.out(formatImageData(summary));
      return 0;
    } catch (err) {
      bar.done();
      return fail(err);
    }
  }
  let prepared: PreparedData;
  let glove: GloveCoverage | undefined;
  try {
    prepared = await prepareData(target.spec, port, { onProgress: bar.update, progressMs: 80 });
    bar.done();
    if (target.glove) glove = gloveCoverage(await port.readFile(target.glove), prepared.vocab, prepared.vocabCounts, { file: target.glove });
  } catch (err) {
    bar.done();
    return fail(err);
  }
  if (json) io.out(JSON.stringify({ ok: true, summary: prepared.summary, ...(glove ? { glove } : {}) }));
  else io.out(formatData(prepared.summary, glove));
  return 0;
}

/** What `data` prints for pictures: counts per split and class, the size, colour and scaling, what was converted or left out. */
function formatImageData(summary: DataSummary): string {
  const img = summary.images!;
  const lines = [
    `${summary.source}: ${summary.rows} pictures, ${summary.classes.length} classes`,
    `  split        ${summary.split.train} train / ${summary.split.dev} dev / ${summary.split.test} test`,
    `  input        [${summary.inputShape.join(', ')}] ${summary.inputDtype} (${img.height}×${img.width}, ${img.channels === 3 ? 'RGB' : 'grayscale'}, ${img.fit === 'pad' ? 'aspect kept, padded' : 'stretched'})`,
    `  scaling      ${img.scale === 'standardize' ? `(pixel/255 − mean) / std, mean ${img.mean.map((m) => m.toFixed(3)).join(' ')}, std ${img.std.map((v) => v.toFixed(3)).join(' ')}` : 'pixel / 255'}`,
    ...(img.converted ? [`  converted    ${img.converted.count} pictures to ${img.converted.to}, e.g. ${img.converted.files.join(', ')}`] : []),
    ...(img.skipped ? [`  left out     ${img.skipped.count} files that are not PNG or JPEG, e.g. ${img.skipped.files.join(', ')}`] : []),
    '',
    'class          train    dev   test',
    ...summary.classes.map(
      (c, i) =>
        `${c.padEnd(12).slice(0, 12)} ${String(summary.splitClassCounts?.train[i] ?? 0).padStart(7)} ${String(summary.splitClassCounts?.dev[i] ?? 0).padStart(6)} ${String(summary.splitClassCounts?.test[i] ?? 0).padStart(6)}`,
    ),
  ];
  if (summary.license) lines.push('', `${summary.license.title}. ${summary.license.license}.`);
  return lines.join('\n');
}

function parse(args: string[]) {
  return parseArgs({ args, options: OPTIONS, allowPositionals: true });
}
type Values = ReturnType<typeof parse>['values'];

/** What to read: the data spec, where relative paths start, and the files named on the command line. */
interface Target {
  spec: DataSpec;
  /** A document's data and pretrained files are asked about; a CSV named alone is the user's own choice. */
  doc: Pick<Document, 'data' | 'graph'>;
  baseDir: string;
  named: string[];
  grants: FileGrants;
  glove: string | undefined;
  label: string;
  guessed?: { text: string[]; label: string };
}

async function targetOf(file: string, values: Values): Promise<Target> {
  const abs = resolve(file);
  const doc = await documentIn(abs);
  const named: string[] = [];
  const gloveArg = values.glove ? resolve(values.glove) : undefined;
  if (gloveArg) named.push(gloveArg);
  let spec: DataSpec;
  let base: Pick<Document, 'data' | 'graph'>;
  let baseDir: string;
  let guessed: Target['guessed'];
  if (doc) {
    const dataFile = values.data ? resolve(values.data) : undefined;
    if (dataFile) named.push(dataFile);
    const overridden = withDataOverrides(doc, { dataFile, text: values.text?.[0], label: values.label, split: values.split });
    if (!overridden.data) throw dataError('data.noDataSection', file);
    spec = overridden.data;
    if (values.text && values.text.length > 1) spec = { ...spec, text: values.text };
    base = overridden;
    baseDir = dirname(abs);
  } else {
    if (values.data) throw new Usage('--data goes with a document; to read a CSV, name it as FILE');
    named.push(abs);
    const chosen = values.encoding ? fileEncodingNamed(values.encoding) : undefined;
    const columns = values.text && values.label ? undefined : await guessColumns(abs, chosen === 'auto' ? undefined : chosen);
    const text = values.text ?? columns?.text ?? [];
    const label = values.label ?? columns?.label ?? '';
    if (!values.text || !values.label) guessed = { text, label };
    if (text.length === 0 || !label) throw new Usage(`name the text and label columns of ${file} with --text COL and --label COL`);
    spec = DataSchema.parse({
      source: { path: abs },
      text: text.length === 1 ? text[0] : text,
      label,
      ...(values.split ? { split: { column: values.split } } : {}),
    });
    base = { data: spec, graph: { nodes: [], edges: [] } };
    baseDir = dirname(abs);
  }
  if (values.tokenizer) spec = { ...spec, tokenizer: values.tokenizer as DataSpec['tokenizer'] };
  if (values.encoding) spec = { ...spec, fileEncoding: fileEncodingNamed(values.encoding)! };
  const docGlove = doc ? pretrainedRequests(doc.graph)[0]?.path : undefined;
  const glove = gloveArg ?? (docGlove ? resolve(baseDir, docGlove) : undefined);
  const source = 'builtin' in spec.source ? `the built-in ${String(spec.source.builtin)} dataset` : (sourcePathOf(spec.source)?.path ?? 'the data');
  return { spec, doc: base, baseDir, named, grants: new FileGrants(named), glove, label: source, ...(guessed ? { guessed } : {}) };
}

/** The Document in `path`, or undefined when it is not one (a CSV). A file that claims to be one but is broken is an error. */
async function documentIn(path: string): Promise<Document | undefined> {
  if (/\.(csv|tsv|txt)$/i.test(path)) return undefined;
  let text: string;
  try {
    text = await readDocumentFile(path);
  } catch {
    return undefined; // too large or unreadable as a document: the data reader says why
  }
  if (!/^\s*\{/.test(text) || !/"format"\s*:\s*"modelwright"/.test(text.slice(0, 4096))) return undefined;
  const parsed = parseDocument(text);
  if (!parsed.ok) throw new Error(`${path}: ${parsed.error}`);
  return parsed.doc;
}

const LABEL_NAMES = /^(label|labels|class|category|target|y|country|gender|sentiment|lang|language|nationality|tag)$/i;
const TEXT_NAMES = /^(text|texts|sentence|review|name|surname|title|subject|body|description|content|message|comment|tweet|headline|question)$/i;

/** Guesses the text and label columns from a file's header (its first 64 KB, in its encoding). */
async function guessColumns(path: string, named: Charset | undefined): Promise<{ text: string[]; label: string } | undefined> {
  let head: string;
  try {
    const bytes = new Uint8Array((await readFile(path)).subarray(0, 64 * 1024));
    const charset = named ?? detectEncoding(bytes, bytes.length < 64 * 1024)?.charset;
    if (!charset) return undefined;
    const skip = bytes[0] === 0xef || bytes[0] === 0xff || bytes[0] === 0xfe ? (bomOf(bytes)?.bytes ?? 0) : 0;
    head = chunkDecoder(charset).write(bytes.subarray(skip));
  } catch {
    return undefined; // the data reader will say what is wrong with the file
  }
  const first = head.split(/\r?\n/)[0] ?? '';
  const delimiter = /\.tsv$/i.test(path) ? '\t' : [',', '\t', ';', '|'].sort((a, b) => first.split(b).length - first.split(a).length)[0]!;
  const columns = first.split(delimiter).map((c) => c.trim().replace(/^"|"$/g, ''));
  if (columns.length < 2) return undefined;
  const label = columns.find((c) => LABEL_NAMES.test(c)) ?? columns[columns.length - 1]!;
  const texts = columns.filter((c) => c !== label && TEXT_NAMES.test(c));
  return { text: texts.length ? texts : [columns.find((c) => c !== label)!], label };
}

/** The grants: files named on the command line, and a document's own files if allowed (or answered y). */
async function consent(target: Target, allowFiles: boolean, json: boolean, io: DataCommandIo): Promise<FileGrants> {
  const grants = target.grants;
  const roles = target.glove && !target.named.includes(target.glove) ? (['data', 'pretrained'] as const) : (['data'] as const);
  const files = describeDocumentFiles(target.doc, target.baseDir, grants, roles).filter((f) => !target.named.includes(f.resolvedPath));
  if (files.length === 0) return grants;
  if (!json) {
    io.err('This document reads:');
    for (const f of files) io.err(`  ${describeFileRef(f, f.resolvedPath)}${f.allowed ? ' (named on the command line)' : ''}`);
  }
  const refused = files.filter((f) => !f.allowed);
  const grantAll = () => {
    for (const f of files) grants.grant(f.resolvedPath);
    return grants;
  };
  if (refused.length === 0 || allowFiles) return grantAll();
  if (!json && process.stdin.isTTY && process.stderr.isTTY) {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      const answer = await rl.question(`Read ${refused.length === 1 ? 'this file' : `these ${refused.length} files`}? [y/N] `);
      if (/^\s*y(es)?\s*$/i.test(answer)) return grantAll();
    } finally {
      rl.close();
    }
  }
  throw new Error(filesNotAllowedMessage(refused, CLI_HOW));
}

/** A progress bar on a terminal's stderr (nothing elsewhere): bytes read, rows, then "encoding". */
function progressBar(stream: NodeJS.WriteStream | null, label: string): { update: (p: DataProgress) => void; done: () => void } {
  const tty = stream?.isTTY === true;
  let shown = false;
  return {
    update(p) {
      if (!tty) return;
      const frac = p.totalBytes ? Math.min(1, p.bytes / p.totalBytes) : 0;
      const width = 24;
      const filled = Math.round(frac * width);
      const what = p.phase === 'encoding' ? 'splitting and encoding' : `${formatMb(p.bytes)}${p.totalBytes ? ` of ${formatMb(p.totalBytes)}` : ''}`;
      stream!.write(
        `\r\x1b[2KReading ${label} ${'█'.repeat(filled)}${'░'.repeat(width - filled)} ${String(Math.round(frac * 100)).padStart(3)}%  ${formatInt(p.rows)} rows, ${what}`,
      );
      shown = true;
    },
    done() {
      if (shown) stream!.write('\r\x1b[2K');
      shown = false;
    },
  };
}

function formatMb(bytes: number): string {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.round(bytes / 1e3)} kB`;
}

const pct = (v: number) => `${(v * 100).toFixed(v < 0.1 ? 1 : 0)}%`;

/** The summary for people. */
export function formatData(s: DataSummary, glove?: GloveCoverage): string {
  const lines: string[] = [];
  lines.push(`source       ${s.source}`);
  if (s.fileEncoding) {
    const e = s.fileEncoding;
    const how =
      e.how === 'chosen'
        ? 'as chosen'
        : e.how === 'detected'
          ? `detected, ${e.certainty} (confidence ${e.confidence.toFixed(2)})${e.alternatives.length ? `; else ${e.alternatives.join(', ')}` : ''}`
          : e.how === 'bom'
            ? 'by its byte-order mark'
            : e.how === 'ascii'
              ? 'plain ASCII'
              : 'valid UTF-8';
    lines.push(`encoding     ${e.label} (${how})`);
  }
  if (s.columns)
    lines.push(
      `columns      text ${s.columns.text.map((t) => JSON.stringify(t)).join(' + ')}, label ${JSON.stringify(s.columns.label)}${s.splitColumn ? `, split ${JSON.stringify(s.splitColumn)}` : ''} of ${s.columns.all.length}${s.columns.hasHeader ? '' : ' (no header row)'}`,
    );
  lines.push(`rows         ${formatInt(s.rows)} (train ${formatInt(s.split.train)}, dev ${formatInt(s.split.dev)}, test ${formatInt(s.split.test)})`);
  lines.push(`vocabulary   ${formatInt(s.vocabSize)} tokens, sequences up to ${s.maxLength}`);
  lines.push(`input        ${formatShape([null, ...s.inputShape])} ${s.inputDtype}`);
  if (s.lengths)
    lines.push(
      `lengths      mean ${s.lengths.mean.toFixed(1)}, 95% up to ${s.lengths.p95}, longest ${s.lengths.longest}; ${pct(s.lengths.truncatedShare)} of train examples cut at ${s.lengths.maxLength}`,
    );
  if (s.devUnkShare !== undefined && s.devUnkShare !== null) lines.push(`<unk> on dev ${pct(s.devUnkShare)} of tokens`);
  if (glove)
    lines.push(
      `GloVe        ${pct(glove.vocabularyShare)} of the vocabulary, ${pct(glove.tokenShare)} of tokens found (${formatInt(glove.wordsFound)} of ${formatInt(glove.words)} words, ${glove.dim} dims, ${glove.file})`,
    );
  lines.push(`classes      ${s.classes.length}`);
  lines.push('');
  const per = s.splitClassCounts;
  const max = Math.max(1, ...s.classCounts);
  lines.push(
    table(
      [
        ['class', 'examples', ...(per ? ['train', 'dev', 'test'] : []), ''],
        ...s.classes.map((c, i) => [
          c,
          formatInt(s.classCounts[i] ?? 0),
          ...(per ? [formatInt(per.train[i] ?? 0), formatInt(per.dev[i] ?? 0), formatInt(per.test[i] ?? 0)] : []),
          '▇'.repeat(Math.max(1, Math.round(((s.classCounts[i] ?? 0) / max) * 20))),
        ]),
      ],
      [false, true, true, true, true, false],
    ),
  );
  if (s.lengths && s.lengths.bins.length > 1) {
    lines.push('', `length of train examples (| = maxLength ${s.lengths.maxLength})`);
    const most = Math.max(1, ...s.lengths.bins.map((b) => b.count));
    for (const b of s.lengths.bins) {
      const mark = b.from <= s.lengths.maxLength && s.lengths.maxLength < b.to ? ' |' : '';
      lines.push(`  ${`${b.from}–${b.to - 1}`.padStart(9)}  ${'▇'.repeat(Math.round((b.count / most) * 30)).padEnd(30)} ${formatInt(b.count)}${mark}`);
    }
  }
  if (s.preview && s.preview.length > 0) {
    lines.push('', 'as the model gets it');
    for (const p of s.preview.slice(0, 3)) {
      const shown = p.tokens.slice(0, 24);
      lines.push(`  ${JSON.stringify(p.texts.join(' | '))} → ${p.label} (${p.split})`);
      lines.push(`    tokens ${shown.map((t, i) => (p.ids[i] === 1 && t !== '<unk>' ? `${t}?` : t)).join(' ')}${p.tokens.length > shown.length ? ' …' : ''}`);
      lines.push(`    ids    ${p.ids.slice(0, 24).join(' ')}${p.ids.length > 24 ? ' …' : ''}${p.cut ? `  (${p.cut} cut)` : ''}`);
      lines.push(`    tensor ${formatShape(p.shape)}, ${formatInt(p.nonZero)} non-zero`);
    }
  }
  if (s.sample.length > 0)
    lines.push('', table([['text', 'label'], ...s.sample.map(([text, label]) => [text.length > 60 ? `${text.slice(0, 59)}…` : text, label])]));
  if (s.license) lines.push('', `${s.license.title}: ${s.license.license} (${s.license.file})`);
  return lines.join('\n');
}
