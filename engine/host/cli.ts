/**
 * The `modelwright` command line: validate and train documents headless. Training runs in a
 * child process through the same engine the desktop app and the web host use.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import type { DataSummary, DocumentFile, TrainEvent, ValidateResult } from '../api';
import { prepareData } from '../data/dataset';
import { factsFromSummary } from '../graph/facts';
import { parseDocument } from '../graph/load';
import { validateDocument } from '../graph/validate';
import {
  EPOCH_HEADER,
  epochCells,
  epochRow,
  formatCompact,
  formatDataSummary,
  formatInt,
  formatIssue,
  formatNumber,
  formatValidation,
  progressLine,
} from './cliFormat';
import { describeFileRef, filesNotAllowedMessage } from '../train/files';
import { consentingFilePort, describeDocumentFiles } from './consent';
import { createEngine } from './engine';
import { assetsDir, createFilePort, describeFsError } from './fsPorts';
import { defaultRunsDir, prepareRunsDir } from './paths';

const USAGE = `modelwright — design, train and check neural networks from the command line

Usage:
  modelwright validate FILE [--data CSV] [--allow-files] [--json]
      Checks a document: prints each node's output shape and parameter count (exit 0),
      or every error with its node id (exit 1).
  modelwright train FILE [--epochs N] [--data CSV] [--pretrained NODE=FILE] [--allow-files]
                         [--runs-dir DIR] [--json]
      Trains a document in a child process: a progress bar and a per-epoch table,
      or with --json one event object a line. Exit 0 when training ends normally.
  modelwright data FILE [--data CSV] [--allow-files] [--json]
      Summarises the data a document binds to: rows, classes, vocabulary, splits.
  modelwright --help | --version

Options:
  --data CSV       use this CSV/TSV instead of the document's data source
  --text COL       the column holding the text (a name, or a 1-based number)
  --label COL      the column holding the class label
  --pretrained NODE=FILE
                   read the Embedding NODE's pretrained vectors (GloVe text) from FILE
                   instead of the path in the document (NODE= may be left out when one
                   Embedding has pretrained vectors)
  --allow-files    read the files the document itself names (its data file, pretrained
                   vectors); without it they are listed and, in a terminal, you are asked.
                   Files named on the command line (--data, --pretrained) need no consent
  --epochs N       train N epochs instead of the document's training.epochs
  --runs-dir DIR   where the run's folder goes (default: ${defaultRunsDir()})
  --json           machine-readable output on stdout

Exit codes: 0 ok, 1 invalid document / data / training error, 2 bad usage,
3 the loss became NaN, 130 stopped with Ctrl-C.`;

const VERSION = '0.1.0';

class UsageError extends Error {}

interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}
const io: Io = {
  out: (text) => void process.stdout.write(text + '\n'),
  err: (text) => void process.stderr.write(text + '\n'),
};

/** JSON where NaN and Infinity become null, one object a line. */
function jsonLine(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v));
}

async function readDocumentText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new DocumentError(`Cannot read ${resolve(file)}: ${describeFsError(err)}`);
  }
}

class DocumentError extends Error {}

/** Command-line overrides of the document's `data` section and pretrained files. */
export interface DataOverrides {
  /** A CSV/TSV file to use instead of the document's data source. */
  data?: string | undefined;
  /** The text and label columns (names, or 1-based numbers). */
  text?: string | undefined;
  label?: string | undefined;
  /** "NODE=FILE" (or "FILE" for the one Embedding with pretrained vectors): pretrained vectors to use. */
  pretrained?: string[] | undefined;
}

/** Applies `--pretrained` values to the raw document; returns the absolute files it named. */
function overridePretrained(raw: Record<string, unknown>, values: readonly string[]): string[] {
  const graph = raw.graph as { nodes?: { id?: unknown; type?: unknown; params?: Record<string, unknown> }[] } | undefined;
  const embeddings = (graph?.nodes ?? []).filter((n) => n.type === 'Embedding');
  const named: string[] = [];
  for (const value of values) {
    const eq = value.indexOf('=');
    let node = eq > 0 ? embeddings.find((n) => n.id === value.slice(0, eq)) : undefined;
    const file = node ? value.slice(eq + 1) : value;
    if (!node) {
      const withVectors = embeddings.filter((n) => typeof n.params?.pretrained === 'string');
      if (withVectors.length !== 1) {
        const ids = embeddings.map((n) => String(n.id)).join(', ') || 'none';
        throw new UsageError(`--pretrained ${value}: say which Embedding as NODE=FILE (the document's Embedding nodes: ${ids})`);
      }
      node = withVectors[0]!;
    }
    const abs = resolve(file);
    node.params = { ...(node.params ?? {}), pretrained: abs };
    named.push(abs);
  }
  return named;
}

/** The document text with its data section overridden (unknown fields kept). */
export function withDataOverride(text: string, o: DataOverrides): string {
  if (!o.data && !o.text && !o.label && !o.pretrained?.length) return text;
  const raw = JSON.parse(text) as Record<string, unknown>;
  if (o.pretrained?.length) overridePretrained(raw, o.pretrained);
  const data = raw.data && typeof raw.data === 'object' ? { ...(raw.data as Record<string, unknown>) } : {};
  if (o.data) data.source = { path: resolve(o.data) };
  if (o.text) data.text = o.text;
  if (o.label) data.label = o.label;
  raw.data = data;
  return JSON.stringify(raw, null, 2);
}

const DATA_OPTIONS = { data: { type: 'string' }, text: { type: 'string' }, label: { type: 'string' }, 'allow-files': { type: 'boolean' } } as const;

async function loadDocument(file: string, overrides: DataOverrides) {
  let text = await readDocumentText(file);
  const first = parseDocument(text);
  if (!first.ok) throw new DocumentError(`${file}: ${first.error}`);
  text = withDataOverride(text, overrides);
  const parsed = parseDocument(text);
  if (!parsed.ok) throw new DocumentError(`${file}: ${parsed.error}`);
  // Files named on the command line are the user's own choice: accepted without asking.
  const named = [...(overrides.data ? [resolve(overrides.data)] : []), ...(overrides.pretrained ?? []).map((v) => resolve(v.slice(v.indexOf('=') + 1)))];
  return { text, doc: parsed.doc, baseDir: dirname(resolve(file)), named };
}

/** What the CLI says about accepting a document's files. */
const CLI_HOW =
  'Nothing was read. Run again with --allow-files to allow them (in a terminal you can also answer "y" when asked), or name your own files with --data CSV and --pretrained NODE=FILE.';

class FilesNotAllowed extends Error {}

/**
 * The files `loaded` reads for these roles, after consent: each one named on the command line
 * or allowed by --allow-files, or, in a terminal (not --json), by answering y. Lists them on
 * stderr for people; throws FilesNotAllowed with the files and how to allow them otherwise.
 */
async function consentToFiles(
  loaded: { doc: Parameters<typeof describeDocumentFiles>[0]; baseDir: string; named: string[] },
  roles: readonly DocumentFile['role'][],
  opts: { allowFiles: boolean; json: boolean },
): Promise<string[]> {
  const files = describeDocumentFiles(loaded.doc, loaded.baseDir, loaded.named, roles);
  if (files.length === 0) return [];
  const all = files.map((f) => f.resolvedPath);
  if (!opts.json) {
    io.err('This document reads:');
    for (const f of files) io.err(`  ${describeFileRef(f, f.resolvedPath)}${f.allowed ? ' (named on the command line)' : ''}`);
  }
  const refused = files.filter((f) => !f.allowed);
  if (refused.length === 0 || opts.allowFiles) return all;
  if (!opts.json && process.stdin.isTTY && process.stderr.isTTY) {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      const answer = await rl.question(`Read ${refused.length === 1 ? 'this file' : `these ${refused.length} files`}? [y/N] `);
      if (/^\s*y(es)?\s*$/i.test(answer)) return all;
    } finally {
      rl.close();
    }
  }
  throw new FilesNotAllowed(filesNotAllowedMessage(refused, CLI_HOW));
}

async function validateCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { json: { type: 'boolean' }, ...DATA_OPTIONS }, allowPositionals: true });
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new UsageError('validate takes one FILE');
  const json = values.json === true;
  const fail = (code: string, message: string): number => {
    if (json) io.out(jsonLine({ ok: false, nodes: [], errors: [{ code, nodeId: null, port: null, message, hint: null }] }));
    else io.err(`${file}: ${message}`);
    return 1;
  };
  let loaded;
  try {
    loaded = await loadDocument(file, values);
  } catch (err) {
    if (err instanceof DocumentError) return fail('invalid-document', err.message);
    throw err;
  }
  let allowed: string[];
  try {
    allowed = await consentToFiles(loaded, ['data'], { allowFiles: values['allow-files'] === true, json });
  } catch (err) {
    if (err instanceof FilesNotAllowed) return fail('files-not-allowed', err.message);
    throw err;
  }
  let facts;
  try {
    const files = consentingFilePort(createFilePort({ baseDir: loaded.baseDir }), loaded.baseDir, allowed, CLI_HOW);
    facts = factsFromSummary((await prepareData(loaded.doc.data, files)).summary);
  } catch (err) {
    return fail('data-error', `The data could not be loaded: ${err instanceof Error ? err.message : String(err)}`);
  }
  const result: ValidateResult = validateDocument(loaded.doc, facts);
  if (json) {
    io.out(
      jsonLine({
        ok: result.ok,
        nodes: result.nodes.map((n) => ({ id: n.id, type: n.type, outputShape: n.outputShape, params: n.params, paramCount: n.paramCount, macs: n.macs })),
        errors: result.errors.map((e) => ({ code: e.code, nodeId: e.nodeId ?? null, port: e.port ?? null, message: e.message, hint: e.hint ?? null })),
        totals: result.totals,
      }),
    );
  } else {
    (result.ok ? io.out : io.err)(formatValidation(loaded.doc.name, result));
  }
  return result.ok ? 0 : 1;
}

async function trainCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { json: { type: 'boolean' }, ...DATA_OPTIONS, pretrained: { type: 'string', multiple: true }, epochs: { type: 'string' }, 'runs-dir': { type: 'string' } },
    allowPositionals: true,
  });
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new UsageError('train takes one FILE');
  let epochs: number | undefined;
  if (values.epochs !== undefined) {
    epochs = Number(values.epochs);
    if (!Number.isInteger(epochs) || epochs < 1) throw new UsageError(`--epochs wants a whole number of at least 1, not "${values.epochs}"`);
  }
  const json = values.json === true;
  const failEarly = (message: string): number => {
    if (json) io.out(jsonLine({ type: 'error', runId: null, message }));
    io.err(`error: ${message}`);
    return 1;
  };

  let loaded;
  let runsDir: string;
  let allowFiles: string[];
  try {
    loaded = await loadDocument(file, values);
    allowFiles = await consentToFiles(loaded, ['data', 'pretrained'], { allowFiles: values['allow-files'] === true, json });
    // A missing file is said here, in the CLI's words, rather than after the worker started.
    for (const f of describeDocumentFiles(loaded.doc, loaded.baseDir, allowFiles)) {
      if (!existsSync(f.resolvedPath)) {
        const flag = f.role === 'data' ? '--data CSV' : `--pretrained ${f.nodeId}=FILE`;
        throw new DocumentError(`Cannot read ${describeFileRef(f, f.resolvedPath)}: no such file. Pass the file with ${flag}, or fix the path in the document.`);
      }
    }
    runsDir = prepareRunsDir(values['runs-dir'] ?? defaultRunsDir(), assetsDir());
  } catch (err) {
    if (err instanceof UsageError) throw err;
    return failEarly(err instanceof Error ? err.message : String(err));
  }

  const engine = createEngine({ runsDir, consentHint: CLI_HOW });
  const tty = !json && process.stderr.isTTY === true;
  let totalEpochs = epochs ?? loaded.doc.training.epochs;
  let stepsPerEpoch = 0;
  let barShown = false;
  const clearBar = () => {
    if (barShown) process.stderr.write('\r\x1b[2K');
    barShown = false;
  };

  const finished = new Promise<TrainEvent>((resolveDone) => {
    engine.onTrainEvent((event) => {
      if (json) {
        io.out(jsonLine(event));
      } else {
        switch (event.type) {
          case 'start':
            totalEpochs = event.epochs;
            stepsPerEpoch = event.stepsPerEpoch;
            io.out(
              `Training "${loaded.doc.name}" on ${event.data.source}: ${formatInt(event.data.split.train)} train / ${formatInt(event.data.split.dev)} dev / ${formatInt(event.data.split.test)} test examples, ` +
                `${event.data.classes.length} classes\n${formatCompact(event.params)} parameters, ${event.epochs} epoch${event.epochs === 1 ? '' : 's'} × ${event.stepsPerEpoch} steps of ${event.batchSize}, backend ${event.backend.name}\n`,
            );
            io.out(epochRow(EPOCH_HEADER));
            break;
          case 'status':
            if (!tty) break;
            clearBar();
            process.stderr.write(event.message + '\n');
            break;
          case 'batch':
            if (tty) {
              process.stderr.write('\r\x1b[2K' + progressLine(event, totalEpochs, stepsPerEpoch));
              barShown = true;
            }
            break;
          case 'epoch':
            clearBar();
            io.out(epochRow(epochCells(event, totalEpochs)));
            break;
          case 'nan':
            clearBar();
            io.err(`\n${event.message}`);
            break;
          case 'done':
            clearBar();
            io.out(
              `\n${event.reason === 'completed' ? 'Done' : `Ended (${event.reason})`} after ${event.epochs} epoch${event.epochs === 1 ? '' : 's'} in ${event.seconds.toFixed(1)} s: ` +
                `final train loss ${formatNumber(event.finalLoss)}, test loss ${formatNumber(event.testLoss)}, test acc ${formatNumber(event.testAcc, 3)}\nRun saved in ${event.runDir}`,
            );
            break;
          case 'error':
            clearBar();
            io.err(`error: ${event.message}`);
            for (const issue of event.issues ?? []) io.err(formatIssue(issue));
            break;
        }
      }
      if (event.type === 'done' || event.type === 'error') resolveDone(event);
    });
  });

  let interrupted = 0;
  let runId: string | undefined;
  const onSignal = () => {
    interrupted++;
    if (interrupted === 1 && runId) {
      if (!json) io.err('\nStopping after this batch (Ctrl-C again to kill)…');
      void engine.stopTraining(runId);
    } else {
      process.exit(130);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    ({ runId } = await engine.startRun({ documentText: loaded.text, baseDir: loaded.baseDir, allowFiles, ...(epochs !== undefined ? { epochs } : {}) }));
  } catch (err) {
    return failEarly(err instanceof Error ? err.message : String(err));
  }
  const last = await finished;
  await engine.dispose();
  if (last.type === 'error') return 1;
  if (last.type !== 'done') return 1;
  if (last.reason === 'nan') return 3;
  if (last.reason === 'stopped') return interrupted > 0 ? 130 : 0;
  return 0;
}

async function dataCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { json: { type: 'boolean' }, ...DATA_OPTIONS }, allowPositionals: true });
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new UsageError('data takes one FILE');
  const json = values.json === true;
  const fail = (message: string): number => {
    if (json) io.out(jsonLine({ ok: false, error: message }));
    io.err(`error: ${message}`);
    return 1;
  };
  let summary: DataSummary;
  try {
    const loaded = await loadDocument(file, values);
    const allowed = await consentToFiles(loaded, ['data'], { allowFiles: values['allow-files'] === true, json });
    summary = (await prepareData(loaded.doc.data, consentingFilePort(createFilePort({ baseDir: loaded.baseDir }), loaded.baseDir, allowed, CLI_HOW))).summary;
  } catch (err) {
    return fail(err instanceof Error ? err.message : String(err));
  }
  if (json) {
    io.out(jsonLine({ ok: true, summary }));
    return 0;
  }
  io.out(formatDataSummary(summary));
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      io.out(USAGE);
      return command === undefined ? 2 : 0;
    }
    if (command === '--version' || command === '-v') {
      io.out(VERSION);
      return 0;
    }
    if (rest.includes('--help') || rest.includes('-h')) {
      io.out(USAGE);
      return 0;
    }
    if (command === 'validate') return await validateCommand(rest);
    if (command === 'train') return await trainCommand(rest);
    if (command === 'data') return await dataCommand(rest);
    throw new UsageError(`unknown command "${command}"`);
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`modelwright: ${(err as Error).message}\nRun \`modelwright --help\` for usage.`);
      return 2;
    }
    throw err;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`modelwright: unexpected failure: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
