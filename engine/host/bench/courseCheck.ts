/**
 * The course check of issue 10: `modelwright train assets/examples/surname-cnn.json --data CSV
 * --text surname --label nationality --split split --epochs 5 --json` on a file of the course's
 * surname file's shape (courseSurnames.ts), with the course's inverse-log class weights, against
 * the same network trained in PyTorch on that split for the same epochs with the same weights.
 * The CLI runs as users run it (a child process, its worker, the run folder); PyTorch trains on
 * the arrays the engine encoded, from the engine's initial weights and in its batch order, so
 * the two differ only in their arithmetic. The goal: test accuracies within two points.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TrainEvent } from '../../api';
import { compileGraph } from '../../compile/compile';
import { factsFromSummary } from '../../graph/facts';
import { parseDocument } from '../../graph/load';
import { withDataOverrides } from '../../graph/overrides';
import { inferGraph } from '../../graph/validate';
import { classWeightsFor } from '../../train/classWeights';
import { prepareTrainData } from '../../train/data';
import { epochOrder } from '../../train/random';
import { assetsDir, createFilePort } from '../fsPorts';
import { courseSurnamesCsv } from './courseSurnames';
import { COURSE_SCRIPT } from './courseScript';
import { runPythonJson } from './runTorch';
import { exportEncoded } from './wholeRun';

/** The most the two test accuracies may differ (issue 10): two points. */
export const COURSE_GOAL = 0.02;

export interface CourseCheckResult {
  command: string;
  rows: number;
  classes: number;
  split: { train: number; dev: number; test: number };
  epochs: number;
  classWeights: 'inverseLog';
  tfjs: { testAcc: number | null; testLoss: number | null; reason: string; epochs: number; bestEpoch: number | null; seconds: number } | { error: string };
  torch: { torch: string; threads: number; testAcc: number | null; testLoss: number | null; epochs: number; bestEpoch: number | null; seconds: number } | null;
  torchNote: string;
  /** `modelwright predict` on the run for names not in the file: each name's top class, or why not. */
  predictions: { text: string; label: string; p: number }[] | { error: string } | null;
  /** |tfjs − PyTorch| test accuracy; null when either is missing. */
  difference: number | null;
  withinGoal: boolean | null;
}

/** Names the course-shaped file does not hold, for `modelwright predict`. */
const UNSEEN = ['Nakamura', 'Szczepańska', 'Okafor', 'Nguyen', 'Oyelaran'];

/** Runs the CLI as a user would and returns its `--json` lines. */
function runCli<T = TrainEvent>(cliPath: string, args: readonly string[]): Promise<{ code: number | null; events: T[]; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (err = (err + c.toString('utf8')).slice(-4000)));
    child.on('error', reject);
    child.on('close', (code) => {
      const events = out.split('\n').flatMap((l) => {
        try {
          return l.trim() ? [JSON.parse(l) as T] : [];
        } catch {
          return [];
        }
      });
      resolve({ code, events, stderr: err });
    });
  });
}

export async function benchCourseCheck(opts: {
  cliPath: string;
  python: string | null;
  epochs: number;
  threads: number;
  torchNote: string;
  log: (s: string) => void;
}): Promise<CourseCheckResult> {
  const assets = assetsDir();
  const dir = mkdtempSync(join(tmpdir(), 'mw-course-'));
  try {
    const csv = join(dir, 'surnames_with_splits.csv');
    writeFileSync(csv, courseSurnamesCsv(readFileSync(join(assets, 'datasets', 'surnames.csv'), 'utf8')));
    // The example as it ships, with the course's class weights (its early stopping stays on).
    const example = JSON.parse(readFileSync(join(assets, 'examples', 'surname-cnn.json'), 'utf8')) as { training: Record<string, unknown> };
    example.training['classWeights'] = 'inverseLog';
    const docFile = join(dir, 'surname-cnn.json');
    writeFileSync(docFile, JSON.stringify(example, null, 2));
    const args = [
      'train',
      docFile,
      '--data',
      csv,
      '--text',
      'surname',
      '--label',
      'nationality',
      '--split',
      'split',
      '--epochs',
      String(opts.epochs),
      '--json',
      '--runs-dir',
      join(dir, 'runs'),
    ];
    const command = `modelwright ${args.map((a) => a.replace(dir, '$TMP')).join(' ')}`;

    // What the run trains on, encoded by the engine for PyTorch: the same data, weights and order.
    const parsed = parseDocument(JSON.stringify(example));
    if (!parsed.ok) throw new Error(`the course document does not load: ${parsed.error}`);
    const doc = withDataOverrides(parsed.doc, { dataFile: csv, text: 'surname', label: 'nationality', split: 'split' });
    const spec = doc.data;
    if (!spec) throw new Error('the course document has no data section');
    const data = await prepareTrainData(spec, createFilePort({ baseDir: dir }));
    const enc = join(dir, 'encoded');
    mkdirSync(enc);
    const meta = exportEncoded(data, enc);
    const classWeights = classWeightsFor(doc.training.classWeights, data.summary);
    const facts = factsFromSummary(data.summary);
    const compiled = compileGraph(doc.graph, inferGraph(doc.graph, facts), facts, { seed: doc.training.seed });
    if (!compiled.ok) throw new Error(`the course model does not compile: ${compiled.issues[0]?.message}`);
    const initShapes = compiled.model.weights.map((w) => w.shape);
    const init = compiled.model.weights.map((w) => w.read().dataSync() as Float32Array);
    compiled.model.dispose();
    writeFileSync(join(enc, 'init.bin'), Buffer.concat(init.map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength))));
    const orders = new Int32Array(opts.epochs * meta.splits.train);
    for (let e = 1; e <= opts.epochs; e++) orders.set(epochOrder(meta.splits.train, doc.training.seed, e), (e - 1) * meta.splits.train);
    writeFileSync(join(enc, 'orders.bin'), Buffer.from(orders.buffer));

    let torch: CourseCheckResult['torch'] = null;
    let torchNote = opts.torchNote;
    if (opts.python !== null) {
      opts.log(`course check, PyTorch: the surname CNN, ${opts.epochs} epochs on the course-shaped split, inverse-log class weights …`);
      try {
        const early = doc.training.earlyStopping;
        const r = runPythonJson<{
          torch: string;
          threads: number;
          seconds: number;
          epochs: unknown[];
          bestEpoch: number | null;
          testLoss: number | null;
          testAcc: number | null;
        }>(
          opts.python,
          COURSE_SCRIPT,
          {
            dir: enc,
            epochs: opts.epochs,
            batch: doc.training.batchSize,
            threads: opts.threads,
            lr: doc.training.optimizer.lr,
            beta1: doc.training.optimizer.beta1,
            beta2: doc.training.optimizer.beta2,
            epsilon: doc.training.optimizer.epsilon,
            classWeights,
            initShapes,
            patience: early ? early.patience : null,
            restoreBest: early?.restoreBest === true,
          },
          'PyTorch course check',
        );
        torch = {
          torch: r.torch,
          threads: r.threads,
          testAcc: r.testAcc,
          testLoss: r.testLoss,
          epochs: r.epochs.length,
          bestEpoch: r.bestEpoch,
          seconds: r.seconds,
        };
        torchNote = `PyTorch ${r.torch} (${opts.python}, ${r.threads} thread${r.threads === 1 ? '' : 's'})`;
      } catch (err) {
        torchNote = err instanceof Error ? err.message : String(err);
      }
    }

    opts.log(`course check, tfjs: ${command} …`);
    const t0 = performance.now();
    const cli = await runCli(opts.cliPath, args);
    const seconds = (performance.now() - t0) / 1000;
    const done = cli.events.find((e): e is Extract<TrainEvent, { type: 'done' }> => e.type === 'done');
    const tfjs: CourseCheckResult['tfjs'] = done
      ? { testAcc: done.testAcc, testLoss: done.testLoss, reason: done.reason, epochs: done.epochs, bestEpoch: done.bestEpoch ?? null, seconds }
      : {
          error:
            cli.events.find((e) => e.type === 'error')?.message ?? `the CLI exited with code ${cli.code}: ${cli.stderr.trim().split('\n').slice(-3).join(' ')}`,
        };
    let predictions: CourseCheckResult['predictions'] = null;
    if (done) {
      const names = new Set(
        readFileSync(csv, 'utf8')
          .split('\n')
          .map((l) => l.slice(l.lastIndexOf(',') + 1).toLowerCase()),
      );
      const unseen = UNSEEN.filter((n) => !names.has(n.toLowerCase()));
      const p = await runCli<{ text: string; top: { label: string; p: number }[] }>(opts.cliPath, ['predict', done.runDir, ...unseen, '--json', '--top', '1']);
      predictions =
        p.code === 0
          ? p.events.map((e) => ({ text: e.text, label: e.top[0]?.label ?? '?', p: e.top[0]?.p ?? Number.NaN }))
          : { error: p.stderr.trim().split('\n').at(-1) ?? `exit ${p.code}` };
    }
    const a = 'testAcc' in tfjs ? tfjs.testAcc : null;
    const b = torch?.testAcc ?? null;
    const difference = a !== null && b !== null ? Math.abs(a - b) : null;
    return {
      command,
      rows: data.summary.rows,
      classes: data.summary.classes.length,
      split: meta.splits,
      epochs: opts.epochs,
      classWeights: 'inverseLog',
      tfjs,
      torch,
      torchNote,
      predictions,
      difference,
      withinGoal: difference === null ? null : difference <= COURSE_GOAL,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The text report: both test accuracies, their difference against the goal, and what ran. */
export function formatCourseCheck(c: CourseCheckResult): string[] {
  const acc = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`);
  const tfjs =
    'error' in c.tfjs
      ? `tfjs failed (${c.tfjs.error})`
      : `modelwright ${acc(c.tfjs.testAcc)} (${c.tfjs.reason} after ${c.tfjs.epochs} epochs${c.tfjs.bestEpoch ? `, best epoch ${c.tfjs.bestEpoch} restored` : ''}, ${c.tfjs.seconds.toFixed(0)} s)`;
  const torch =
    c.torch === null
      ? 'PyTorch —'
      : `PyTorch ${acc(c.torch.testAcc)} (${c.torch.epochs} epochs${c.torch.bestEpoch ? `, best epoch ${c.torch.bestEpoch} restored` : ''}, ${c.torch.seconds.toFixed(0)} s)`;
  const verdict =
    c.difference === null ? '' : `, difference ${(c.difference * 100).toFixed(1)} points (goal ≤ ${COURSE_GOAL * 100}: ${c.withinGoal ? 'met' : 'MISSED'})`;
  return [
    `Course check: surname CNN, ${c.epochs} epochs, ${c.rows.toLocaleString('en-US')} names, ${c.classes} nationalities, split column (${c.split.train} train / ${c.split.dev} dev / ${c.split.test} test), inverse-log class weights — test accuracy ${tfjs}, ${torch}${verdict}`,
    `  ${c.command}`,
    `  PyTorch from the engine's initial weights and batch order, on its encoded arrays; ${c.torchNote}`,
    ...(c.predictions === null
      ? []
      : 'error' in c.predictions
        ? [`  modelwright predict failed: ${c.predictions.error}`]
        : [
            `  modelwright predict on the run, names it never saw: ${c.predictions.map((p) => `${p.text} → ${p.label} ${(p.p * 100).toFixed(0)}%`).join(', ')}`,
          ]),
  ];
}
