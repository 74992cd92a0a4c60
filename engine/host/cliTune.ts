/**
 * `modelwright tune` and `modelwright lr-find`: a hyperparameter sweep of a document (its own
 * `sweep`, or the learning rate log-uniform over 1e-4…1e-1), its trials run side by side as
 * normal runs through the engine; and the learning-rate finder in a worker. Text for people, or
 * with --json one object a line (a trial each, then `{type: "best"}`; the finder's whole result).
 */
import { dirname, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import type { Document, SweepParam, SweepSpec } from '../graph/document';
import { describeFileRef } from '../graph/files';
import { parseDocument } from '../graph/load';
import { targetLabel, targetPath, validateSweep } from '../graph/sweep';
import type { LrFinderResult } from '../train/lrFinder';
import type { SweepSnapshot, TrialResult } from '../tune/types';
import { formatIssue } from './cliFormat';
import { describeDocumentFiles, FileGrants, filesNotAllowedMessage } from './consent';
import { createEngine } from './engine';
import { assetsDir } from './fsPorts';
import { startLrFind } from './lrFindRunner';
import { nodeSpawner } from './nodeSpawner';
import { defaultRunsDir, prepareRunsDir } from './paths';
import type { Spawner } from './runManager';
import { sweepFor } from './tuneRunner';
import { readDocumentFile } from './userFiles';

export const TUNE_USAGE = `  modelwright tune FILE [--trials N] [--epochs E] [--parallel P] [--seed S]
                        [--allow-files] [--runs-dir DIR] [--json]
      Searches the document's sweep (without one: the learning rate, log-uniform over
      1e-4…1e-1), trials side by side as normal runs, bad ones stopped early by halving:
      a row a trial, the best, what halving saved and a narrower sweep to zoom in; with
      --json one {type: "trial", params, …} object a trial and a last {type: "best", …}.
  modelwright lr-find FILE [--steps N] [--min LR] [--max LR] [--allow-files] [--json]
      The learning-rate finder: a short run from the model's initialisation raising the
      learning rate each batch (1e-7 → 10) until the loss explodes; plots loss against
      learning rate, marks the steepest descent and the minimum, suggests a rate. Writes
      nothing.`;

interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}
const io: Io = {
  out: (text) => void process.stdout.write(text + '\n'),
  err: (text) => void process.stderr.write(text + '\n'),
};

const CLI_HOW = 'Nothing was read. Run again with --allow-files to allow them (in a terminal you can also answer "y" when asked).';

/** JSON where NaN and Infinity become null, one object a line. */
function jsonLine(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v));
}

/** Says a usage mistake as the CLI does and gives its exit code. */
function usage(message: string): number {
  io.err(`modelwright: ${message}\nRun \`modelwright --help\` for usage.`);
  return 2;
}

function wholeNumber(name: string, text: string | undefined, min: number): number | undefined | string {
  if (text === undefined) return undefined;
  const n = Number(text);
  return Number.isInteger(n) && n >= min ? n : `--${name} wants a whole number of at least ${min}, not "${text}"`;
}

/** A short number for people: 0.0031 → "0.0031", 3.1e-7 → "3.1e-7". */
export function shortNumber(v: number | null | undefined, digits = 3): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  if (v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e5)) return v.toExponential(digits - 1).replace('e+', 'e');
  return String(Number(v.toPrecision(digits)));
}

class CliProblem extends Error {}

/** Reads and parses the document, and grants its files (--allow-files, or y in a terminal). */
async function loadAndGrant(file: string, allowFiles: boolean, json: boolean): Promise<{ doc: Document; baseDir: string; grants: FileGrants }> {
  let text: string;
  try {
    text = await readDocumentFile(resolve(file));
  } catch (err) {
    throw new CliProblem(err instanceof Error ? err.message : String(err));
  }
  const parsed = parseDocument(text);
  if (!parsed.ok) throw new CliProblem(`${file}: ${parsed.error}`);
  const baseDir = dirname(resolve(file));
  const grants = new FileGrants();
  const files = describeDocumentFiles(parsed.doc, baseDir, grants);
  if (files.length > 0) {
    let ok = allowFiles;
    if (!ok && !json && process.stdin.isTTY && process.stderr.isTTY) {
      io.err('This document reads:');
      for (const f of files) io.err(`  ${describeFileRef(f, f.resolvedPath)}`);
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        ok = /^\s*y(es)?\s*$/i.test(await rl.question(`Read ${files.length === 1 ? 'this file' : `these ${files.length} files`}? [y/N] `));
      } finally {
        rl.close();
      }
    }
    if (!ok) throw new CliProblem(filesNotAllowedMessage(files, CLI_HOW));
    for (const f of files) grants.grant(f.resolvedPath);
  }
  return { doc: parsed.doc, baseDir, grants };
}

function describeParam(p: SweepParam): string {
  const range = p.scale === 'choice' ? p.choices.map((c) => JSON.stringify(c)).join(' | ') : `${shortNumber(p.min, 4)} … ${shortNumber(p.max, 4)}`;
  return `${targetPath(p.target)}: ${p.scale} ${range}`;
}

/** The zoomed-in sweep in one line per param. */
export function describeZoom(zoom: SweepSpec): string[] {
  return zoom.params.map((p) => `  ${describeParam(p)}`);
}

function trialJson(t: TrialResult) {
  return {
    type: 'trial',
    trial: t.trial,
    runId: t.runId,
    params: t.config,
    state: t.state,
    bestDevLoss: t.bestDevLoss,
    bestDevAcc: t.bestDevAcc,
    epochs: t.epochs,
    seconds: t.seconds,
    stoppedEarly: t.stoppedEarly,
    stoppedAtRung: t.stoppedAtRung,
    outcome: t.outcome,
  };
}

function trialCells(t: TrialResult, paths: readonly string[]): string[] {
  const how = t.stoppedEarly
    ? `stopped at epoch ${t.stoppedAtRung} (halving)`
    : t.state === 'done'
      ? t.outcome === 'early-stopped'
        ? 'early-stopped'
        : ''
      : t.state === 'failed'
        ? `failed: ${t.outcome ?? ''}`
        : t.state;
  const value = (v: unknown) => (typeof v === 'number' ? shortNumber(v, 4) : String(v));
  return [
    String(t.trial),
    ...paths.map((p) => value(t.config[p])),
    shortNumber(t.bestDevLoss, 4),
    t.bestDevAcc === null ? '—' : `${(t.bestDevAcc * 100).toFixed(1)}%`,
    String(t.epochs),
    `${t.seconds.toFixed(1)} s`,
    how,
  ];
}

/** A row of fixed-width cells (the widths known before the first trial ends). */
function row(cells: readonly string[], widths: readonly number[]): string {
  return cells
    .map((c, i) => (i === cells.length - 1 ? c : i === 0 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
    .join('  ')
    .trimEnd();
}

export async function tuneCommand(args: string[], deps: { spawn?: Spawner } = {}): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      json: { type: 'boolean' },
      trials: { type: 'string' },
      epochs: { type: 'string' },
      parallel: { type: 'string' },
      seed: { type: 'string' },
      'allow-files': { type: 'boolean' },
      'runs-dir': { type: 'string' },
    },
    allowPositionals: true,
  });
  const file = positionals[0];
  if (!file || positionals.length > 1) return usage('tune takes one FILE');
  const trials = wholeNumber('trials', values.trials, 1);
  const epochs = wholeNumber('epochs', values.epochs, 1);
  const parallel = wholeNumber('parallel', values.parallel, 1);
  const seed =
    values.seed === undefined ? undefined : Number.isInteger(Number(values.seed)) ? Number(values.seed) : `--seed wants a whole number, not "${values.seed}"`;
  for (const v of [trials, epochs, parallel, seed]) if (typeof v === 'string') return usage(v);
  const json = values.json === true;
  const fail = (message: string): number => {
    if (json) io.out(jsonLine({ type: 'error', message }));
    io.err(`error: ${message}`);
    return 1;
  };

  let loaded;
  let runsDir: string;
  try {
    loaded = await loadAndGrant(file, values['allow-files'] === true, json);
    runsDir = prepareRunsDir(values['runs-dir'] ?? defaultRunsDir(), assetsDir());
  } catch (err) {
    if (err instanceof CliProblem) return fail(err.message);
    throw err;
  }
  const { doc, baseDir, grants } = loaded;
  const sweep = sweepFor({ doc, trials: trials as number | undefined, seed: seed as number | undefined });
  const issues = validateSweep(doc, sweep);
  if (issues.length > 0) {
    if (json) io.out(jsonLine({ type: 'error', message: 'The sweep cannot run.', issues }));
    io.err(`${file}: the sweep cannot run:`);
    for (const issue of issues) io.err(`  ${issue.message}`);
    return 1;
  }

  const engine = createEngine({ runsDir, consentHint: CLI_HOW, ...(deps.spawn ? { spawn: deps.spawn } : {}) });
  const paths = sweep.params.map((p) => targetPath(p.target));
  const labels = sweep.params.map((p) => targetLabel(p.target));
  const head = ['trial', ...labels, 'best dev loss', 'dev acc', 'epochs', 'time', ''];
  const widths = head.map((h, i) => (i === 0 ? 5 : Math.max(h.length, i <= labels.length ? 8 : 6)));
  const printed = new Set<number>();
  let headerShown = false;
  const onUpdate = (s: SweepSnapshot) => {
    if (!json && !headerShown) {
      headerShown = true;
      const halving =
        s.rungs.length > 0
          ? `halving at epoch${s.rungs.length === 1 ? '' : 's'} ${s.rungs.join(', ')} (the best 1/${s.sweep.halving.reduction} go on)`
          : 'no halving';
      io.out(
        `Sweeping "${doc.name}": ${s.trials.length} ${s.sweep.method} trial${s.trials.length === 1 ? '' : 's'} of up to ${s.epochs} epoch${s.epochs === 1 ? '' : 's'}, ${s.parallel} at a time; ${halving}`,
      );
      for (const p of s.sweep.params) io.out(`  ${describeParam(p)}`);
      io.out(`Runs in ${runsDir}\n`);
      io.out(row(head, widths));
    }
    for (const t of s.trials) {
      // A trial is printed once its run has ended (a pruned one's epochs are then final).
      if (printed.has(t.trial) || !t.finished) continue;
      printed.add(t.trial);
      io.out(json ? jsonLine(trialJson(t)) : row(trialCells(t, paths), widths));
    }
  };

  const started = engine.tune.startSweep(
    {
      doc,
      baseDir,
      grants,
      consentHint: CLI_HOW,
      trials: sweep.trials,
      seed: sweep.seed,
      epochs: epochs as number | undefined,
      parallel: parallel as number | undefined,
    },
    onUpdate,
  );
  if (!started.ok) {
    await engine.dispose();
    return fail(started.error.message);
  }
  let interrupted = 0;
  const onSignal = () => {
    interrupted++;
    if (interrupted === 1) {
      if (!json) io.err('\nStopping the sweep after this batch (Ctrl-C again to kill)…');
      void started.value.stop();
    } else process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const last = await started.value.done;
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  await engine.dispose();

  const best = last.trials.find((t) => t.trial === last.best) ?? null;
  const perMinute = last.seconds > 0 ? (last.trials.filter((t) => t.state !== 'pending').length * 60) / last.seconds : 0;
  if (json) {
    io.out(
      jsonLine({
        type: 'best',
        trial: best?.trial ?? null,
        runId: best?.runId ?? null,
        params: best?.config ?? null,
        bestDevLoss: best?.bestDevLoss ?? null,
        bestDevAcc: best?.bestDevAcc ?? null,
        epochs: best?.epochs ?? null,
        state: last.state,
        message: last.message,
        saving: last.saving,
        seconds: last.seconds,
        trialsPerMinute: perMinute,
        zoom: last.zoom,
      }),
    );
  } else {
    io.out('');
    if (last.state === 'failed') io.err(`error: ${last.message ?? 'the sweep failed'}`);
    if (best) {
      const values = paths
        .map((p, i) => `${labels[i]} ${typeof best.config[p] === 'number' ? shortNumber(best.config[p] as number, 4) : String(best.config[p])}`)
        .join(', ');
      io.out(
        `Best: trial ${best.trial} (${values}): dev loss ${shortNumber(best.bestDevLoss, 4)}, dev acc ${best.bestDevAcc === null ? '—' : `${(best.bestDevAcc * 100).toFixed(1)}%`}; its run ${best.runId}`,
      );
    } else io.out('No trial finished an epoch.');
    const { epochsRun, epochsBudgeted, fraction } = last.saving;
    io.out(
      `Trained ${epochsRun} of ${epochsBudgeted} epochs budgeted (${Math.round(fraction * 100)}% saved by halving) in ${last.seconds.toFixed(1)} s: ${perMinute.toFixed(1)} trials a minute.`,
    );
    if (last.zoom) io.out(`Zoom in (seed ${last.zoom.seed}):\n${describeZoom(last.zoom).join('\n')}`);
  }
  if (interrupted > 0) return 130;
  return best && last.state !== 'failed' ? 0 : 1;
}

/**
 * Loss against learning rate as text: the smoothed curve on a log axis, `S` at the steepest
 * descent, `M` at the minimum.
 */
export function lrPlot(result: LrFinderResult, width = 60, height = 12): string[] {
  const pts = result.points.filter((p) => Number.isFinite(p.smoothed));
  if (pts.length < 2) return [];
  const x0 = Math.log10(pts[0]!.lr);
  const x1 = Math.log10(pts.at(-1)!.lr);
  const lo = Math.min(...pts.map((p) => p.smoothed));
  // The explosion would flatten the rest: the axis stops a little above the first loss.
  const hi = Math.max(lo + 1e-9, Math.min(Math.max(...pts.map((p) => p.smoothed)), pts[0]!.smoothed * 1.25));
  const grid = Array.from({ length: height }, () => Array.from({ length: width }, () => ' '));
  const at = (lr: number, loss: number): [number, number] => [
    Math.round(((Math.log10(lr) - x0) / Math.max(1e-9, x1 - x0)) * (width - 1)),
    height - 1 - Math.round(((Math.min(hi, loss) - lo) / (hi - lo)) * (height - 1)),
  ];
  for (const p of pts) {
    const [c, r] = at(p.lr, p.smoothed);
    grid[r]![c] = '·';
  }
  for (const [mark, p] of [
    ['M', result.minimum],
    ['S', result.steepest],
  ] as const) {
    if (!p) continue;
    const [c, r] = at(p.lr, p.smoothed);
    grid[r]![c] = mark;
  }
  const label = (v: number) => shortNumber(v, 3).padStart(8);
  const lines = grid.map((cells, i) => `${i === 0 ? label(hi) : i === height - 1 ? label(lo) : ' '.repeat(8)} │${cells.join('')}`);
  const axis = `${' '.repeat(9)}└${'─'.repeat(width)}`;
  const ticks = `${' '.repeat(10)}${shortNumber(pts[0]!.lr).padEnd(width - 8)}${shortNumber(pts.at(-1)!.lr).padStart(8)}`;
  return [...lines, axis, `${ticks}   (learning rate, log scale)`];
}

export async function lrFindCommand(args: string[], deps: { spawn?: Spawner } = {}): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { json: { type: 'boolean' }, steps: { type: 'string' }, min: { type: 'string' }, max: { type: 'string' }, 'allow-files': { type: 'boolean' } },
    allowPositionals: true,
  });
  const file = positionals[0];
  if (!file || positionals.length > 1) return usage('lr-find takes one FILE');
  const steps = wholeNumber('steps', values.steps, 10);
  if (typeof steps === 'string') return usage(steps);
  const rate = (name: string, text: string | undefined) =>
    text === undefined ? undefined : Number(text) > 0 ? Number(text) : `--${name} wants a learning rate above 0, not "${text}"`;
  const minLr = rate('min', values.min);
  const maxLr = rate('max', values.max);
  for (const v of [minLr, maxLr]) if (typeof v === 'string') return usage(v);
  if (minLr !== undefined && maxLr !== undefined && !((minLr as number) < (maxLr as number))) return usage('--min must be below --max');
  const json = values.json === true;
  const fail = (message: string, issues?: unknown[]): number => {
    if (json) io.out(jsonLine({ ok: false, error: message, ...(issues ? { issues } : {}) }));
    io.err(`error: ${message}`);
    return 1;
  };
  let loaded;
  try {
    loaded = await loadAndGrant(file, values['allow-files'] === true, json);
  } catch (err) {
    if (err instanceof CliProblem) return fail(err.message);
    throw err;
  }
  const tty = !json && process.stderr.isTTY === true;
  const job = startLrFind(
    deps.spawn ?? nodeSpawner(),
    {
      findId: 'cli',
      doc: loaded.doc,
      baseDir: loaded.baseDir,
      grantedFiles: loaded.grants.list(),
      ...(steps !== undefined ? { steps } : {}),
      ...(minLr !== undefined ? { minLr: minLr as number } : {}),
      ...(maxLr !== undefined ? { maxLr: maxLr as number } : {}),
    },
    (s) => {
      if (tty && s.state === 'running')
        process.stderr.write(
          `\r\x1b[2K${s.points.length ? `batch ${s.points.length}/${s.steps}, lr ${shortNumber(s.points.at(-1)!.lr)}, loss ${shortNumber(s.points.at(-1)!.loss, 4)}` : (s.message ?? '')}`,
        );
    },
  );
  const onSignal = () => void job.stop();
  process.on('SIGINT', onSignal);
  const last = await job.done;
  process.off('SIGINT', onSignal);
  if (tty) process.stderr.write('\r\x1b[2K');
  if (!last.result) {
    if (last.issues) for (const issue of last.issues) io.err(formatIssue(issue));
    return fail(last.message ?? 'The learning-rate finder ended without a result.', last.issues);
  }
  const r = last.result;
  if (json) {
    io.out(jsonLine({ ok: true, ...r }));
    return 0;
  }
  io.out(
    `Learning-rate finder on "${loaded.doc.name}": ${r.points.length} batches from ${shortNumber(r.minLr)} to ${shortNumber(r.points.at(-1)?.lr)} (${r.stoppedBy === 'diverged' ? 'stopped when the loss exploded' : r.stoppedBy === 'stopped' ? 'stopped' : `reached ${shortNumber(r.maxLr)}`}), ${r.seconds.toFixed(1)} s\n`,
  );
  for (const line of lrPlot(r)) io.out(line);
  io.out('');
  if (r.steepest && r.falling)
    io.out(`Steepest descent (S) at lr ${shortNumber(r.steepest.lr)}; the loss falls from lr ${shortNumber(r.falling.from)} to ${shortNumber(r.falling.to)}.`);
  if (r.minimum) io.out(`Minimum (M) at lr ${shortNumber(r.minimum.lr)}, loss ${shortNumber(r.minimum.smoothed, 4)}: already too high to train with.`);
  const why = r.suggested !== null && r.steepest && r.suggested < r.steepest.lr ? ', a tenth of the minimum’s' : '';
  io.out(
    r.suggested !== null
      ? `Suggested learning rate: ${shortNumber(r.suggested)}${why} (training.optimizer.lr; now ${shortNumber(loaded.doc.training.optimizer.lr)}).`
      : 'The loss never fell: no learning rate to suggest. Check the data and the model.',
  );
  return 0;
}
