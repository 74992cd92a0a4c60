/**
 * `npm run bench`: trains each network of issue 4 (and issue 13's 2D rows) on the backend
 * initBackend picks, and the same network in PyTorch in the same run where a Python with torch
 * is found, in interleaved rounds (PyTorch, tfjs, tfjs, PyTorch, …) so both sides see the same
 * load; prints each side's median ms/step and spread, the ratio of medians, and whether the goal
 * is met, missed or the spread too wide to conclude (`--json` for machines). It names the BLAS
 * and convolution library of the PyTorch it found, and calls a reference-BLAS one no peer.
 *
 *   node dist/bench.cjs [--json] [--steps N] [--rounds N] [--models a,b|none]
 *                       [--backend wasm|cpu|tensorflow] [--threads N] [--no-torch] [--no-extras]
 *                       [--memory-epochs N] [--memory-template FILE] [--no-whole-run]
 *                       [--whole-run-epochs N] [--whole-run-rounds N] [--no-course]
 *                       [--course-epochs N] [--no-sweep] [--no-host-memory] [--host-memory-mb N]
 *                       [--no-editor] [--editor-blocks N] [--profile] [--profile-steps N]
 *
 * `--profile` prints, instead of the comparison, a per-kernel profile of a tfjs training step of
 * each selected model (bench/profile.ts): ms and calls per kernel, the engine's bookkeeping.
 *
 * Besides the four networks: every template in assets/examples, validation + shape inference
 * of a 1,000-node graph, CSV import of 120,000 generated rows, and the peak memory of a
 * 20-epoch run (bench/extras.ts); and the whole run, the surname CNN template trained 20 epochs
 * through the engine's run path and in PyTorch on the same encoded data (bench/wholeRun.ts); and
 * issue 10's course check, `modelwright train` on a file of the course's surname file's shape
 * with its split column and inverse-log class weights, 5 epochs, against PyTorch on the same
 * split: both test accuracies (bench/courseCheck.ts). Last, issue 14's editor at 300 blocks in
 * Chromium: drag frame rate and keystroke-to-frame times (bench/editor.ts runs
 * tests/perf/editorPerf.mjs; `--no-editor` skips it, `npm run bench:editor` runs it alone).
 */
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../backend';
import { createLossHead } from '../train/lossHead';
import { BENCH_MODELS, buildTfjsModel, makeBatch, type BenchModelSpec } from './bench/models';
import { benchCsvImport, benchPeakMemory, benchTemplates, benchValidation } from './bench/extras';
import { findTorchPython, TorchServer } from './bench/runTorch';
import { probeTorchReference, showRatio, type TorchReference } from './bench/torchReference';
import { compareRounds, median, medianInterval, showSide, showVerdict, type Comparison } from './bench/stats';
import { formatProfile, profileSteps } from './bench/profile';
import { benchWholeRun, formatWholeRun, type WholeRunResult } from './bench/wholeRun';
import { benchCourseCheck, formatCourseCheck, type CourseCheckResult } from './bench/courseCheck';
import { dataImportReport } from './bench/dataImport';
import { benchHostMemory, formatHostMemory, type HostMemoryResult } from './bench/hostMemory';
import { benchSweep, formatSweepBench, type SweepBenchResult } from './bench/tuneSweep';
import { benchEditor, formatEditorBench } from './bench/editor';

interface Args {
  json: boolean;
  steps: number | undefined;
  rounds: number;
  models: string[] | undefined;
  backend: 'wasm' | 'cpu' | 'tensorflow' | undefined;
  threads: number;
  torch: boolean;
  extras: boolean;
  memoryEpochs: number;
  memoryTemplate: string;
  wholeRun: boolean;
  wholeRunEpochs: number;
  wholeRunRounds: number;
  course: boolean;
  courseEpochs: number;
  sweep: boolean;
  hostMemoryMb: number;
  profile: boolean;
  profileSteps: number;
  /** Blocks in the editor bench's graph; 0 skips it (--no-editor). */
  editorBlocks: number;
}

const USAGE =
  'usage: bench [--json] [--steps N (per round)] [--rounds N] [--models ' +
  BENCH_MODELS.map((m) => m.name).join(',') +
  '] [--backend wasm|cpu|tensorflow] [--threads N] [--no-torch] [--no-extras] [--memory-epochs N] [--memory-template FILE] [--no-whole-run] [--whole-run-epochs N] [--whole-run-rounds N] [--no-course] [--course-epochs N] [--no-sweep] [--no-host-memory] [--host-memory-mb N] [--no-editor] [--editor-blocks N] [--profile] [--profile-steps N]';

function parseArgs(argv: string[]): Args {
  const a: Args = {
    json: false,
    steps: undefined,
    // Fifteen rounds: the verdict's interval for the median round (96.5%) then leaves out the three
    // most extreme rounds at each end (bench/stats.ts). With nine it left out one, and on this
    // shared machine two or three rounds of a ~20 ms model land in another process's burst.
    rounds: 15,
    models: undefined,
    backend: undefined,
    threads: 2,
    torch: true,
    extras: true,
    memoryEpochs: 20,
    memoryTemplate: 'surname-mlp.json',
    wholeRun: true,
    // Issue 16: 3 epochs × 3 interleaved rounds say more than one 20-epoch run on a shared machine.
    wholeRunEpochs: 3,
    wholeRunRounds: 3,
    course: true,
    courseEpochs: 5,
    sweep: true,
    hostMemoryMb: 300,
    profile: false,
    profileSteps: 20,
    editorBlocks: 300,
  };
  const count = (k: string, v: string, min: number): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new Error(`${k} needs a whole number ≥ ${min}, not ${v}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i]!;
    const v = (): string => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${k} needs a value`);
      return next;
    };
    if (k === '--json') a.json = true;
    else if (k === '--steps') a.steps = count(k, v(), 1);
    else if (k === '--rounds') a.rounds = count(k, v(), 1);
    else if (k === '--models') a.models = v().split(',');
    else if (k === '--backend') a.backend = v() as Args['backend'];
    else if (k === '--threads') a.threads = count(k, v(), 1);
    else if (k === '--no-torch') a.torch = false;
    else if (k === '--no-extras') a.extras = false;
    else if (k === '--memory-epochs') a.memoryEpochs = count(k, v(), 0);
    else if (k === '--memory-template') a.memoryTemplate = v();
    else if (k === '--no-whole-run') a.wholeRun = false;
    else if (k === '--whole-run-epochs') a.wholeRunEpochs = count(k, v(), 0);
    else if (k === '--whole-run-rounds') a.wholeRunRounds = count(k, v(), 1);
    else if (k === '--no-course') a.course = false;
    else if (k === '--course-epochs') a.courseEpochs = count(k, v(), 0);
    else if (k === '--no-sweep') a.sweep = false;
    else if (k === '--no-host-memory') a.hostMemoryMb = 0;
    else if (k === '--host-memory-mb') a.hostMemoryMb = count(k, v(), 0);
    else if (k === '--no-editor') a.editorBlocks = 0;
    else if (k === '--editor-blocks') a.editorBlocks = count(k, v(), 4);
    else if (k === '--profile') a.profile = true;
    else if (k === '--profile-steps') a.profileSteps = count(k, v(), 1);
    else if (k === '--help' || k === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown argument ${k}\n${USAGE}`);
  }
  const unknown = (a.models ?? []).filter((m) => m !== 'none' && !BENCH_MODELS.some((b) => b.name === m));
  if (unknown.length) throw new Error(`--models: no model named ${unknown.join(', ')} (there are ${BENCH_MODELS.map((m) => m.name).join(', ')})`);
  return a;
}

const BATCH = 64;
const WARMUP = 3;
/** Steps at each thread count with which PyTorch's faster one is chosen for a model. */
const THREAD_PROBE_STEPS = 8;
/** The template issue 4 times end to end against PyTorch. */
const WHOLE_RUN_TEMPLATE = 'surname-cnn.json';
/** Issue 16: the whole run of the surname-cnn template at most this many times PyTorch's. */
const WHOLE_RUN_GOAL = 1.25;

/** Steps per round per side: 15 rounds of 6 give each side 90 timed steps (a few seconds a model). */
function defaultSteps(backend: string): number {
  return backend === 'cpu' ? 2 : 6;
}

interface Row {
  name: string;
  title: string;
  params: number;
  /** tfjs's median ms per step over the rounds' medians. */
  msPerStep: number;
  examplesPerSec: number;
  torchMsPerStep: number | null;
  torchThreads: number | null;
  /** Ratio of medians (tfjs / PyTorch), with each side's rounds, spread and the verdict. */
  comparison: Comparison | null;
  /** tfjs's per-round medians (also in comparison, which is null without PyTorch). */
  tfjsRounds: number[];
  goal: number;
  finalLoss: number;
}

/** One tfjs training setup that rounds can step: the model, its loss head, Adam and one batch. */
function tfjsStepper(spec: BenchModelSpec): { step: () => Promise<number>; params: number; dispose: () => void } {
  const model = buildTfjsModel(spec);
  const head = createLossHead(model, 'categoricalCrossentropy');
  const optimizer = tf.train.adam(1e-3);
  const { x, y } = makeBatch(spec, BATCH, 7);
  const varList = model.trainableWeights.map((w) => w.read() as tf.Variable);
  return {
    params: model.countParams(),
    step: async () => {
      const l = optimizer.minimize(() => head.lossAndCorrect(x, y, true).loss, true, varList);
      const loss = l ? (await l.data())[0]! : Number.NaN;
      l?.dispose();
      return loss;
    },
    dispose: () => {
      x.dispose();
      y.dispose();
      optimizer.dispose();
      model.dispose();
    },
  };
}

/** Each step's ms of `steps` steps (forward, loss, backward, Adam), and the last loss. */
async function timeSteps(step: () => Promise<number>, steps: number): Promise<{ times: number[]; loss: number }> {
  const times: number[] = [];
  let loss = Number.NaN;
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    loss = await step();
    times.push(performance.now() - t0);
  }
  return { times, loss };
}

/**
 * One model, both sides, in `rounds` interleaved rounds of `steps` steps each: PyTorch first in
 * even rounds, tfjs first in odd ones, so a load that rises or falls over the run favours neither.
 * Each round gives one median per side (other processes on a small shared machine spike single
 * steps, not the typical one).
 */
async function benchModel(
  spec: BenchModelSpec,
  opts: { steps: number; rounds: number; threads: number; torch: TorchServer | null; log: (s: string) => void },
): Promise<Row> {
  const tfjs = tfjsStepper(spec);
  try {
    for (let i = 0; i < WARMUP; i++) await tfjs.step();
    let torchThreads: number | null = null;
    if (opts.torch) {
      await opts.torch.setup(spec, BATCH);
      await opts.torch.run(spec.name, WARMUP, 1);
      // PyTorch at 1 and at `threads` threads, the faster counting: its 2-thread OpenMP path
      // collapses when anything else runs on a 2-core machine, and that must not flatter us.
      let best = Number.POSITIVE_INFINITY;
      for (const th of [...new Set([1, opts.threads])]) {
        const r = await opts.torch.run(spec.name, THREAD_PROBE_STEPS, th);
        const m = median(r.times);
        if (m < best) {
          best = m;
          torchThreads = r.threads;
        }
      }
    }
    const ours: number[] = [];
    const theirs: number[] = [];
    let loss = Number.NaN;
    opts.log(
      `${spec.name}: ${opts.rounds} rounds of ${opts.steps} steps${opts.torch ? `, PyTorch at ${torchThreads} thread${torchThreads === 1 ? '' : 's'}` : ''} …`,
    );
    for (let r = 0; r < opts.rounds; r++) {
      const torchRound = async (): Promise<void> => {
        if (opts.torch) theirs.push(median((await opts.torch.run(spec.name, opts.steps, torchThreads!)).times));
      };
      if (r % 2 === 0) await torchRound();
      const t = await timeSteps(tfjs.step, opts.steps);
      ours.push(median(t.times));
      loss = t.loss;
      if (r % 2 === 1) await torchRound();
    }
    const comparison = theirs.length === ours.length ? compareRounds(ours, theirs, spec.goal) : null;
    const ms = median(ours);
    return {
      name: spec.name,
      title: spec.title,
      params: tfjs.params,
      msPerStep: ms,
      examplesPerSec: (BATCH * 1000) / ms,
      torchMsPerStep: comparison?.theirs.median ?? null,
      torchThreads,
      comparison,
      tfjsRounds: ours,
      goal: spec.goal,
      finalLoss: loss,
    };
  } finally {
    tfjs.dispose();
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const log = (s: string): void => {
    if (!args.json) console.log(s);
    else console.error(s);
  };
  const info = await initBackend({ ...(args.backend ? { prefer: args.backend } : {}), threads: args.threads });
  log(`backend: ${info.name} (${info.package}) — ${info.reason}`);
  const specs = BENCH_MODELS.filter((m) => !args.models || args.models.includes(m.name));
  const steps = args.steps ?? defaultSteps(info.name);

  if (args.profile) {
    const profiles = [];
    for (const spec of specs) {
      log(`profiling ${spec.name}: ${args.profileSteps} steps …`);
      const tfjs = tfjsStepper(spec);
      try {
        for (let i = 0; i < WARMUP; i++) await tfjs.step();
        const p = await profileSteps(info.name, args.profileSteps, async () => void (await tfjs.step()));
        profiles.push({ name: spec.name, ...p });
        if (!args.json) console.log('\n' + formatProfile(`${spec.name} on tfjs ${info.name}`, p).join('\n'));
      } finally {
        tfjs.dispose();
      }
    }
    if (args.json) console.log(JSON.stringify({ backend: info, batch: BATCH, profiles }, null, 2));
    return;
  }

  const found = args.torch ? findTorchPython() : { python: null, tried: [] as string[] };
  const noTorch = !args.torch ? 'PyTorch not run (--no-torch)' : `no Python with torch found (${found.tried.join('; ')})`;
  let reference: TorchReference | null = null;
  let torchNote = found.python === null ? noTorch : '';
  if (found.python !== null) {
    try {
      reference = probeTorchReference(found.python);
      torchNote = reference.summary;
      log(reference.summary);
      if (reference.fix) log(`  not a fair reference: ratios against it are not comparable; to fix it, ${reference.fix}`);
    } catch (err) {
      torchNote = err instanceof Error ? err.message : String(err);
    }
  }

  const rows: Row[] = [];
  let server: TorchServer | null = null;
  if (found.python !== null && specs.length > 0) {
    try {
      server = (await TorchServer.start(found.python)).server;
    } catch (err) {
      torchNote = err instanceof Error ? err.message : String(err);
    }
  }
  try {
    for (const spec of specs) {
      try {
        rows.push(await benchModel(spec, { steps, rounds: args.rounds, threads: args.threads, torch: server, log }));
      } catch (err) {
        // PyTorch failing on one model leaves the others (and tfjs's own row) standing.
        if (server === null) throw err;
        torchNote = `${spec.name}: ${err instanceof Error ? err.message : String(err)}; later rows without PyTorch`;
        server.close();
        server = null;
        rows.push(await benchModel(spec, { steps, rounds: args.rounds, threads: args.threads, torch: null, log }));
      }
    }
  } finally {
    server?.close();
  }

  let extras: Awaited<ReturnType<typeof runExtras>> | null = null;
  if (args.extras) extras = await runExtras(args, info, log);

  let wholeRun: WholeRunResult | null = null;
  if (args.wholeRun && args.wholeRunEpochs > 0) {
    wholeRun = await benchWholeRun({
      backend: info,
      file: WHOLE_RUN_TEMPLATE,
      epochs: args.wholeRunEpochs,
      rounds: args.wholeRunRounds,
      goal: WHOLE_RUN_GOAL,
      python: found.python,
      torchThreads: [...new Set([1, args.threads])],
      torchNote: noTorch,
      log,
    });
  }

  let course: CourseCheckResult | null = null;
  if (args.course && args.courseEpochs > 0) {
    course = await benchCourseCheck({
      // The CLI bundle beside this one (npm run bench builds both into dist/).
      cliPath: join(__dirname, 'cli.cjs'),
      python: found.python,
      epochs: args.courseEpochs,
      threads: args.threads,
      torchNote: noTorch,
      log,
    });
  }

  let sweep: SweepBenchResult | null = null;
  if (args.sweep) sweep = await benchSweep({ log });
  let hostMemory: HostMemoryResult | null = null;
  if (args.hostMemoryMb > 0) hostMemory = await benchHostMemory(args.hostMemoryMb, log);
  // Last, so the training above does not load the machine while frames are timed.
  const editor = args.editorBlocks > 0 ? await benchEditor({ blocks: args.editorBlocks, log }) : null;

  if (args.json) {
    console.log(
      JSON.stringify(
        {
          backend: info,
          batch: BATCH,
          rounds: args.rounds,
          stepsPerRound: steps,
          reference,
          torchNote,
          rows,
          ...(extras ?? {}),
          wholeRun,
          course,
          sweep,
          hostMemory,
          editor,
        },
        null,
        2,
      ),
    );
    return;
  }
  console.log(
    `\n${torchNote}\nbatch ${BATCH}, Adam; ms per training step (forward + backward + update): the median of ${args.rounds} interleaved round${args.rounds === 1 ? '' : 's'} of ${steps} steps (each round's median), ± half the rounds' range; ratio of medians; the goal is read off a ${Math.floor(medianInterval(args.rounds).coverage * 100)}% interval for the median round's ratio\n`,
  );
  if (reference?.fix) console.log(`Not a fair reference (the reference BLAS): no ratio below is a comparison. To fix it, ${reference.fix}.\n`);
  const header = ['model', 'params', `tfjs ${info.name} ms/step (${info.threads ?? '-'}t)`, 'examples/s', 'PyTorch ms/step', 'ratio', 'goal'];
  const body = rows.map((r) => {
    const c = r.comparison;
    return [
      r.name,
      r.params.toLocaleString('en-US'),
      c ? showSide(c.ours) : r.msPerStep.toFixed(1),
      r.examplesPerSec.toFixed(0),
      c ? `${showSide(c.theirs)} (${r.torchThreads}t)` : '—',
      showRatio(c?.ratio ?? null, reference),
      c && reference?.comparable !== false ? showVerdict(c) : `≤${r.goal}×`,
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  if (rows.length) {
    console.log(line(header));
    console.log(widths.map((w) => '-'.repeat(w)).join('  '));
    for (const b of body) console.log(line(b).trimEnd());
    for (const r of rows) console.log(`  ${r.name}: ${r.title}`);
  }
  if (extras) printExtras(extras);
  if (wholeRun) console.log('\n' + formatWholeRun(wholeRun, reference).join('\n'));
  if (course) console.log('\n' + formatCourseCheck(course).join('\n'));
  // Issue 12: a 120,000-row CSV streamed, tokenized and counted, against Python's csv + Counter.
  if (args.extras) console.log('\n' + (await dataImportReport({ log })).join('\n'));
  if (sweep) console.log('\n' + formatSweepBench(sweep).join('\n'));
  if (hostMemory) console.log('\n' + formatHostMemory(hostMemory));
  if (editor) console.log('\n' + formatEditorBench(editor).join('\n'));
}

async function runExtras(args: Args, info: Awaited<ReturnType<typeof initBackend>>, log: (s: string) => void) {
  log('templates …');
  const templates = await benchTemplates(args.steps ?? (info.name === 'cpu' ? 2 : 10));
  log('validation of a 1,000-node graph …');
  const validation = benchValidation();
  log('CSV import of 120,000 rows …');
  const csv = benchCsvImport();
  log(`peak memory of a ${args.memoryEpochs}-epoch run of ${args.memoryTemplate} …`);
  const memory = args.memoryEpochs > 0 ? await benchPeakMemory(info, args.memoryTemplate, args.memoryEpochs) : null;
  return { templates, validation, csv, memory };
}

function printExtras(e: Awaited<ReturnType<typeof runExtras>>): void {
  console.log('\nTemplates (assets/examples), their own data and batch size, median ms per Adam step:');
  for (const t of e.templates) {
    const ms = t.msPerStep === null ? '—' : `${t.msPerStep.toFixed(1)} ms/step, ${t.examplesPerSec!.toFixed(0)} examples/s`;
    console.log(`  ${t.file.padEnd(24)} ${ms.padEnd(34)} batch ${t.batchSize}, ${t.params ?? '—'} params; ${t.note}`);
  }
  console.log(`\nValidation + shape inference, ${e.validation.nodes}-node graph: ${e.validation.ms.toFixed(1)} ms (${e.validation.ok ? 'valid' : 'INVALID'})`);
  console.log(`CSV import, ${e.csv.rows.toLocaleString('en-US')} rows (${e.csv.megabytes.toFixed(1)} MB): ${e.csv.ms.toFixed(0)} ms (${e.csv.note})`);
  if (e.memory) {
    const m = e.memory;
    console.log(
      `Peak memory, ${m.epochs}-epoch run of ${m.file}: ${m.peakRssMb.toFixed(0)} MB resident (${m.startRssMb.toFixed(0)} MB before), ${m.seconds.toFixed(1)} s, ${m.tensorsAfter} tensors left over; ${m.note}`,
    );
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
