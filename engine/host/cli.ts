/**
 * The `modelwright` command line: validate and train documents headless. Training runs in a
 * child process through the same engine the desktop app and the web host use.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import type { DocumentFile, EngineResult, TrainEvent, ValidateResult } from '../api';
import { summarizeData } from '../data/describe';
import { factsFromSummary } from '../graph/facts';
import { parseDocument } from '../graph/load';
import { validateDocument } from '../graph/validate';
import {
  EPOCH_HEADER,
  epochCells,
  epochRow,
  formatCompact,
  formatEvaluation,
  formatInt,
  formatIssue,
  formatNumber,
  formatValidation,
  progressLine,
} from './cliFormat';
import type { Document } from '../graph/document';
import { describeFileRef } from '../graph/files';
import { pretrainedTarget, withDataOverrides, withNodeFile } from '../graph/overrides';
import { dataCommand } from './cliData';
import type { RunInfo } from '../train/runStore';
import { readRunInfo } from './fsRunStore';
import { describeDocumentFiles, FileGrants, filesNotAllowedMessage, grantedFilePort } from './consent';
import { runsCommand } from './cliRuns';
import { lrFindCommand, TUNE_USAGE, tuneCommand } from './cliTune';
import { EXPORT_USAGE, exportCommand } from './cliExport';
import { createEngine, type HostEngine } from './engine';
import type { Spawner } from './runManager';
import { assetsDir, createFilePort } from './fsPorts';
import { readDocumentFile } from './userFiles';
import { defaultRunsDir, prepareRunsDir } from './paths';

const USAGE = `modelwright — design, train and check neural networks from the command line

Usage:
  modelwright validate FILE [--data CSV] [--allow-files] [--json]
      Checks a document: prints each node's output shape and parameter count (exit 0),
      or every error with its node id (exit 1).
  modelwright train FILE [--epochs N] [--data CSV] [--text COL] [--label COL] [--split COL]
                         [--pretrained NODE=FILE] [--allow-files]
                         [--runs-dir DIR] [--json]
      Trains a document in a child process: a progress bar and a per-epoch table,
      or with --json one event object a line. Exit 0 when training ends normally.
  modelwright data FILE_OR_CSV [--text COL]... [--label COL] [--split COL]
                   [--tokenizer char|word] [--encoding NAME] [--glove FILE]
                   [--data CSV] [--allow-files] [--json]
      What the model gets from a document's data, or a CSV alone: encoding, columns, rows
      and classes per split, vocabulary, lengths, <unk> on dev, GloVe coverage, a few
      examples as tokens and ids. Bad data exits 1 with the file, line and column.
  modelwright resume RUN_DIR [--epochs N] [--allow-files] [--json]
      Goes on with a stopped or crashed run from its last checkpoint (weights, optimizer
      state, schedule, early stopping), in the same folder; its curves continue.
  modelwright predict RUN_DIR TEXT... [--top K] [--json]
      Classifies each TEXT with a finished run's trained model, encoded with the run's own
      vocabulary and tokenizer: the top K classes (default 3) with their probabilities, or
      with --json one {text, top: [{label, p}], probs} object a line.
  modelwright runs [--runs-dir DIR] [--json]
      Lists every run in the runs folder, newest first: its name, when it started, how it
      ended, epochs, best dev and test accuracy, and the model it trained; with --json one
      object a line.
${TUNE_USAGE}
${EXPORT_USAGE}
  modelwright --help | --version

Options:
  --data CSV       use this CSV/TSV instead of the document's data source
  --text COL       the column holding the text (a name, or a 1-based number)
  --label COL      the column holding the class label
  --split COL      the column naming each row's split (train, val/dev, test); without it
                   the document's seeded stratified ratios split the rows
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
3 the loss became NaN, 4 the training process crashed (killed, out of memory),
130 stopped with Ctrl-C.`;

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
    // A regular file within the document limit, checked before a byte is read.
    return await readDocumentFile(resolve(file));
  } catch (err) {
    throw new DocumentError(err instanceof Error ? err.message : String(err));
  }
}

class DocumentError extends Error {}

/** Command-line overrides of the document's `data` section and pretrained files. */
interface CliOverrides {
  data?: string | undefined;
  text?: string | undefined;
  label?: string | undefined;
  split?: string | undefined;
  /** "NODE=FILE" (or "FILE" for the one Embedding with pretrained vectors): pretrained vectors to use. */
  pretrained?: string[] | undefined;
}

const DATA_OPTIONS = {
  data: { type: 'string' },
  text: { type: 'string' },
  label: { type: 'string' },
  split: { type: 'string' },
  'allow-files': { type: 'boolean' },
} as const;

/** A document read, parsed once and overridden, with the files named on the command line. */
interface LoadedDocument {
  doc: Document;
  baseDir: string;
  /** Files named on the command line (--data, --pretrained): the user's own choice, granted. */
  named: string[];
}

async function loadDocument(file: string, overrides: CliOverrides): Promise<LoadedDocument> {
  const parsed = parseDocument(await readDocumentText(file));
  if (!parsed.ok) throw new DocumentError(`${file}: ${parsed.error}`);
  const named: string[] = [];
  const dataFile = overrides.data ? resolve(overrides.data) : undefined;
  if (dataFile) named.push(dataFile);
  let doc = withDataOverrides(parsed.doc, { dataFile, text: overrides.text, label: overrides.label, split: overrides.split });
  for (const value of overrides.pretrained ?? []) {
    const target = pretrainedTarget(doc, value);
    if (!target.ok) throw new UsageError(`--pretrained ${value}: ${target.message}`);
    const abs = resolve(target.file);
    doc = withNodeFile(doc, target.nodeId, target.param, abs);
    named.push(abs);
  }
  return { doc, baseDir: dirname(resolve(file)), named };
}

/** What the CLI says about accepting a document's files. */
const CLI_HOW =
  'Nothing was read. Run again with --allow-files to allow them (in a terminal you can also answer "y" when asked), or name your own files with --data CSV and --pretrained NODE=FILE.';

class FilesNotAllowed extends Error {}

/**
 * The grants for `loaded`'s files of these roles: each one named on the command line or allowed
 * by --allow-files, or, in a terminal (not --json), by answering y. Lists them on stderr for
 * people; throws FilesNotAllowed with the files and how to allow them otherwise.
 */
async function consentToFiles(
  loaded: LoadedDocument,
  roles: readonly DocumentFile['role'][],
  opts: { allowFiles: boolean; json: boolean },
): Promise<FileGrants> {
  const grants = new FileGrants(loaded.named);
  const files = describeDocumentFiles(loaded.doc, loaded.baseDir, grants, roles);
  if (files.length === 0) return grants;
  if (!opts.json) {
    io.err('This document reads:');
    for (const f of files) io.err(`  ${describeFileRef(f, f.resolvedPath)}${f.allowed ? ' (named on the command line)' : ''}`);
  }
  const refused = files.filter((f) => !f.allowed);
  const grantAll = (): FileGrants => {
    for (const f of files) grants.grant(f.resolvedPath);
    return grants;
  };
  if (refused.length === 0 || opts.allowFiles) return grantAll();
  if (!opts.json && process.stdin.isTTY && process.stderr.isTTY) {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      const answer = await rl.question(`Read ${refused.length === 1 ? 'this file' : `these ${refused.length} files`}? [y/N] `);
      if (/^\s*y(es)?\s*$/i.test(answer)) return grantAll();
    } finally {
      rl.close();
    }
  }
  throw new FilesNotAllowed(filesNotAllowedMessage(refused, CLI_HOW));
}

/** The file port for this process's own reads (validate, data): only what was granted. */
function grantedPort(loaded: LoadedDocument, grants: FileGrants) {
  return grantedFilePort(createFilePort({ baseDir: loaded.baseDir }), loaded.baseDir, grants.list());
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
  let grants: FileGrants;
  try {
    grants = await consentToFiles(loaded, ['data'], { allowFiles: values['allow-files'] === true, json });
  } catch (err) {
    if (err instanceof FilesNotAllowed) return fail('files-not-allowed', err.message);
    throw err;
  }
  let facts;
  try {
    // Without a data section the graph is checked on its own: "auto" params say they need data.
    facts = loaded.doc.data ? factsFromSummary((await summarizeData(loaded.doc.data, grantedPort(loaded, grants))).summary) : {};
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

async function trainCommand(args: string[], deps: CliDeps): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      json: { type: 'boolean' },
      ...DATA_OPTIONS,
      pretrained: { type: 'string', multiple: true },
      epochs: { type: 'string' },
      'runs-dir': { type: 'string' },
    },
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

  let loaded: LoadedDocument;
  let runsDir: string;
  let grants: FileGrants;
  try {
    loaded = await loadDocument(file, values);
    grants = await consentToFiles(loaded, ['data', 'pretrained'], { allowFiles: values['allow-files'] === true, json });
    // A missing file is said here, in the CLI's words, rather than after the worker started.
    for (const f of describeDocumentFiles(loaded.doc, loaded.baseDir, grants)) {
      if (!existsSync(f.resolvedPath)) {
        const flag = f.role === 'data' ? '--data CSV' : `--pretrained ${f.nodeId}=FILE`;
        throw new DocumentError(
          `Cannot read ${describeFileRef(f, f.resolvedPath)}: no such file. Pass the file with ${flag}, or fix the path in the document.`,
        );
      }
    }
    runsDir = prepareRunsDir(values['runs-dir'] ?? defaultRunsDir(), assetsDir());
  } catch (err) {
    if (err instanceof UsageError) throw err;
    return failEarly(err instanceof Error ? err.message : String(err));
  }

  const engine = createEngine({ runsDir, consentHint: CLI_HOW, ...(deps.spawn ? { spawn: deps.spawn } : {}) });
  return followRun(
    engine,
    () => engine.startRun({ doc: loaded.doc, baseDir: loaded.baseDir, grants, consentHint: CLI_HOW, ...(epochs !== undefined ? { epochs } : {}) }),
    {
      json,
      name: loaded.doc.name,
      epochs: epochs ?? loaded.doc.training.epochs,
    },
  );
}

/**
 * Starts a run with `start`, prints its events (a progress bar and a per-epoch table, or one
 * JSON event a line) until it ends, stops it on Ctrl-C, and answers the exit code.
 */
async function followRun(
  engine: HostEngine,
  start: () => Promise<EngineResult<{ runId: string; runDir: string }>>,
  opts: { json: boolean; name: string; epochs: number },
): Promise<number> {
  const { json } = opts;
  const failEarly = (message: string): number => {
    if (json) io.out(jsonLine({ type: 'error', runId: null, message }));
    io.err(`error: ${message}`);
    return 1;
  };
  const tty = !json && process.stderr.isTTY === true;
  let totalEpochs = opts.epochs;
  let stepsPerEpoch = 0;
  let barShown = false;
  const clearBar = () => {
    if (barShown) process.stderr.write('\r\x1b[2K');
    barShown = false;
  };

  const finished = new Promise<TrainEvent>((resolveDone) => {
    engine.runs.onEvent((event) => {
      if (json) {
        io.out(jsonLine(event));
      } else {
        switch (event.type) {
          case 'start':
            totalEpochs = event.epochs;
            stepsPerEpoch = event.stepsPerEpoch;
            io.out(
              `${event.resumedFrom ? `Resuming "${opts.name}" after epoch ${event.resumedFrom}` : `Training "${opts.name}"`} on ${event.data.source}: ${formatInt(event.data.split.train)} train / ${formatInt(event.data.split.dev)} dev / ${formatInt(event.data.split.test)} test examples, ` +
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
            if (event.test) io.out(`\n${formatEvaluation(event.test)}`);
            break;
          case 'error':
            clearBar();
            io.err(`${event.crash ? 'crashed' : 'error'}: ${event.message}`);
            for (const issue of event.issues ?? []) io.err(formatIssue(issue));
            break;
        }
      }
      if (event.type === 'done' || event.type === 'error') resolveDone(event);
    });
  });

  const started = await start();
  if (!started.ok) {
    await engine.dispose();
    return failEarly(started.error.message);
  }
  const runId = started.value.runId;
  let interrupted = 0;
  const onSignal = () => {
    interrupted++;
    if (interrupted === 1) {
      if (!json) io.err('\nStopping after this batch (Ctrl-C again to kill)…');
      void engine.runs.stop(runId);
    } else {
      process.exit(130);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const last = await finished;
  await engine.dispose();
  if (last.type === 'error') {
    if (!last.crash) return 1;
    // A run that got as far as training has a folder, whose run.json now says it crashed.
    if (!json && (last.crash.lastBatch || last.crash.checkpointEpoch !== null)) io.err(`The run's folder keeps what it saved: ${started.value.runDir}`);
    return 4;
  }
  if (last.type !== 'done') return 1;
  if (last.reason === 'nan') return 3;
  if (last.reason === 'stopped') return interrupted > 0 ? 130 : 0;
  return 0;
}

/** `modelwright resume RUN_DIR`: a stopped or crashed run goes on from its last checkpoint. */
async function resumeCommand(args: string[], deps: CliDeps): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { json: { type: 'boolean' }, 'allow-files': { type: 'boolean' }, epochs: { type: 'string' } },
    allowPositionals: true,
  });
  const runDir = positionals[0];
  if (!runDir || positionals.length > 1) throw new UsageError('resume takes one RUN_DIR');
  let epochs: number | undefined;
  if (values.epochs !== undefined) {
    epochs = Number(values.epochs);
    if (!Number.isInteger(epochs) || epochs < 1) throw new UsageError(`--epochs wants a whole number of at least 1, not "${values.epochs}"`);
  }
  const json = values.json === true;
  const dir = resolve(runDir);
  const fail = (message: string): number => {
    if (json) io.out(jsonLine({ type: 'error', runId: null, message }));
    io.err(`error: ${message}`);
    return 1;
  };
  let info: RunInfo | null = null;
  try {
    info = await readRunInfo(dir);
  } catch {
    // Said below.
  }
  if (!info) return fail(`${dir} is not a Modelwright run folder (it has no readable run.json).`);
  const parsed = parseDocument(info.documentText);
  if (!parsed.ok) return fail(`${dir}/run.json holds a document that does not load: ${parsed.error}`);
  let grants: FileGrants;
  try {
    grants = await consentToFiles({ doc: parsed.doc, baseDir: info.baseDir ?? process.cwd(), named: [] }, ['data', 'pretrained'], {
      allowFiles: values['allow-files'] === true,
      json,
    });
  } catch (err) {
    return fail(err instanceof Error ? err.message : String(err));
  }
  const engine = createEngine({ runsDir: dirname(dir), consentHint: CLI_HOW, ...(deps.spawn ? { spawn: deps.spawn } : {}) });
  return followRun(engine, () => engine.resumeRun({ runId: basename(dir), grants, consentHint: CLI_HOW, ...(epochs !== undefined ? { epochs } : {}) }), {
    json,
    name: parsed.doc.name,
    epochs: epochs ?? info.epochs,
  });
}

/** What the CLI runs with, where a caller (a test) wants other than the defaults. */
export interface CliDeps {
  /** How training workers start; default child_process.fork of dist/worker.cjs. */
  spawn?: Spawner;
}

async function predictCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { json: { type: 'boolean' }, top: { type: 'string' } }, allowPositionals: true });
  const [runDir, ...texts] = positionals;
  if (!runDir || texts.length === 0) throw new UsageError('predict takes a RUN_DIR and one or more TEXTs');
  const top = values.top === undefined ? 3 : Number(values.top);
  if (!Number.isInteger(top) || top < 1) throw new UsageError(`--top wants a whole number of at least 1, not "${values.top}"`);
  const json = values.json === true;
  // tfjs is loaded only by the commands that run a model.
  const [{ initBackend }, { loadPredictor }, { fsRunReader }] = await Promise.all([import('../backend'), import('../train/predict'), import('./runFolder')]);
  await initBackend();
  const loaded = await loadPredictor(fsRunReader(runDir));
  if (!loaded.ok) {
    if (json) io.out(jsonLine({ ok: false, error: loaded.message }));
    io.err(`error: ${loaded.message}`);
    return 1;
  }
  try {
    for (const p of loaded.predictor.predict(texts, top)) {
      if (json) io.out(jsonLine(p));
      else
        io.out(
          `${p.text}\n${p.top.map((t) => `  ${t.label.padEnd(24)} ${(t.p * 100).toFixed(1).padStart(5)}%  ${'█'.repeat(Math.round(t.p * 30))}`).join('\n')}`,
        );
    }
  } finally {
    loaded.predictor.dispose();
  }
  return 0;
}

export async function main(argv: string[], deps: CliDeps = {}): Promise<number> {
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
    if (command === 'train') return await trainCommand(rest, deps);
    if (command === 'resume') return await resumeCommand(rest, deps);
    if (command === 'data') return await dataCommand(rest, io);
    if (command === 'predict') return await predictCommand(rest);
    if (command === 'export') return await exportCommand(rest);
    if (command === 'runs') return await runsCommand(rest, io);
    if (command === 'tune') return await tuneCommand(rest, deps);
    if (command === 'lr-find') return await lrFindCommand(rest, deps);
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
