/**
 * The whole-run comparison of issue 4: a template (the surname CNN) trained for N epochs through
 * the engine's real run path (runDocument, checkpoints written to disk each epoch, as the app's
 * worker does), and the same network trained the same way in PyTorch on the very arrays the
 * engine encoded, exported as raw little-endian binaries. Wall-clock seconds for both, in
 * interleaved rounds (issue 16: 3 epochs × 3 rounds by default; `--whole-run-epochs 20` for the
 * full run).
 */
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { endianness, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BackendInfo, TrainEvent } from '../../api';
import type { Document } from '../../graph/document';
import { parseDocument } from '../../graph/load';
import { prepareTrainData } from '../../train/data';
import { runDocument } from '../../train/run';
import type { SplitName, TrainData } from '../../train/trainData';
import { assetsDir, createFilePort } from '../fsPorts';
import { FsRunStore } from '../fsRunStore';
import { runPythonJson } from './runTorch';
import { compareRounds, showSide, showVerdict, type Comparison } from './stats';
import { showRatio, type TorchReference } from './torchReference';
import { WHOLE_RUN_SCRIPT } from './wholeRunScript';

const SPLITS: readonly SplitName[] = ['train', 'dev', 'test'];

/** meta.json beside the binaries: what READ_ENCODED_PY needs to reshape them. */
export interface EncodedMeta {
  /** One example's shape, without the batch axis. */
  inputShape: number[];
  inputDtype: 'float32' | 'int32';
  numClasses: number;
  /** Rows per split; `<split>_x.bin` holds rows × inputShape values, `<split>_y.bin` rows int32 labels. */
  splits: Record<SplitName, number>;
}

/**
 * Writes every split of `data` into `dir` as `<split>_x.bin` (inputs, float32 or int32) and
 * `<split>_y.bin` (int32 class index, the argmax of the one-hot row), little-endian, plus meta.json.
 * Rows are filled `chunk` at a time, so a large split never needs one array of its own size.
 */
export function exportEncoded(data: TrainData, dir: string, chunk = 1024): EncodedMeta {
  // Typed arrays are written as the machine lays them out, and the reader asks for little-endian.
  if (endianness() !== 'LE') throw new Error('exportEncoded writes native typed arrays, and this machine is not little-endian');
  const meta: EncodedMeta = {
    inputShape: [...data.inputShape],
    inputDtype: data.inputDtype,
    numClasses: data.numClasses,
    splits: { train: data.size('train'), dev: data.size('dev'), test: data.size('test') },
  };
  const bytes = (a: Float32Array | Int32Array): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const c = data.numClasses;
  for (const split of SPLITS) {
    const xFd = openSync(join(dir, `${split}_x.bin`), 'w');
    const yFd = openSync(join(dir, `${split}_y.bin`), 'w');
    try {
      const n = meta.splits[split];
      for (let from = 0; from < n; from += chunk) {
        const count = Math.min(chunk, n - from);
        const { x, y } = data.fill(
          split,
          Int32Array.from({ length: count }, (_, i) => from + i),
        );
        const labels = new Int32Array(count);
        for (let r = 0; r < count; r++) {
          let best = 0;
          for (let k = 1; k < c; k++) if (y[r * c + k]! > y[r * c + best]!) best = k;
          labels[r] = best;
        }
        writeSync(xFd, bytes(x));
        writeSync(yFd, bytes(labels));
      }
    } finally {
      closeSync(xFd);
      closeSync(yFd);
    }
  }
  writeFileSync(join(dir, 'meta.json'), JSON.stringify(meta) + '\n');
  return meta;
}

/** The template's text with early stopping taken out, so the run lasts exactly the epochs asked for. */
export function withoutEarlyStopping(documentText: string): string {
  const raw = JSON.parse(documentText) as { training?: Record<string, unknown> };
  if (raw.training) delete raw.training['earlyStopping'];
  return JSON.stringify(raw, null, 2);
}

export interface TorchWholeRun {
  torch: string;
  /** The thread count of the whole run: the one whose first epoch was fastest in `probes`. */
  threads: number;
  seconds: number;
  /** Seconds of one epoch (from fresh weights) at each thread count tried; empty when only one was. */
  probes: { threads: number; seconds: number }[];
  params: number;
  epochs: { epoch: number; trainLoss: number; trainAcc: number; devLoss: number | null; devAcc: number | null; seconds: number }[];
  testLoss: number | null;
  testAcc: number | null;
}

/**
 * Trains the surname CNN in PyTorch on the arrays exportEncoded wrote to `dir`, at whichever of
 * `threads` ran one epoch fastest. Throws when Python fails.
 */
export function runTorchWholeRun(
  python: string,
  dir: string,
  opts: { epochs: number; batch: number; threads: readonly number[]; seed: number; optimizer: Document['training']['optimizer'] },
): TorchWholeRun {
  const cfg = {
    dir,
    epochs: opts.epochs,
    batch: opts.batch,
    threads: opts.threads,
    seed: opts.seed,
    lr: opts.optimizer.lr,
    beta1: opts.optimizer.beta1,
    beta2: opts.optimizer.beta2,
    epsilon: opts.optimizer.epsilon,
  };
  return runPythonJson<TorchWholeRun>(python, WHOLE_RUN_SCRIPT, cfg, 'PyTorch whole run');
}

export interface WholeRunResult {
  file: string;
  epochs: number;
  rounds: number;
  batchSize: number;
  inputShape: number[];
  classes: number;
  trainNames: number;
  devNames: number;
  testNames: number;
  /** Loading and encoding the template's data (inside a user's run, before its first epoch). */
  prepSeconds: number;
  /** The last round's tfjs run. */
  tfjs:
    | {
        /** From the run's `start` event to its end: every epoch, dev evaluations, checkpoints, the test evaluation. */
        seconds: number;
        /** What a user waits: data loading, compile and the above. */
        totalSeconds: number;
        /** The epochs' own seconds added up (training steps and dev evaluation; no checkpoints, no test). */
        epochSeconds: number;
        params: number;
        finalLoss: number;
        devAcc: number | null;
        testAcc: number | null;
        reason: string;
      }
    | { error: string };
  /** Each round's tfjs seconds (start to end, as `tfjs.seconds`). */
  tfjsRounds: number[];
  /** The last round's PyTorch run; null when PyTorch did not run. */
  torch: (TorchWholeRun & { python: string; devAcc: number | null }) | null;
  /** Each round's PyTorch seconds. */
  torchRounds: number[];
  torchNote: string;
  /** tfjs rounds against PyTorch rounds: medians, spreads, ratio of medians, verdict. */
  comparison: Comparison | null;
  /** The ratio of medians (comparison.ratio), kept for readers of the JSON. */
  ratio: number | null;
}

/**
 * Runs `file` (in assets/examples) for `epochs` epochs without early stopping, `rounds` times on
 * each side, interleaved (PyTorch first in even rounds, tfjs first in odd ones): in PyTorch when
 * `python` is given (the first round picks the faster of `torchThreads` with one epoch each,
 * later rounds keep it), and through runDocument.
 */
export async function benchWholeRun(opts: {
  backend: BackendInfo;
  file: string;
  epochs: number;
  rounds: number;
  goal: number;
  python: string | null;
  torchThreads: readonly number[];
  torchNote: string;
  log: (s: string) => void;
}): Promise<WholeRunResult> {
  const examples = join(assetsDir(), 'examples');
  const text = withoutEarlyStopping(readFileSync(join(examples, opts.file), 'utf8'));
  const parsed = parseDocument(text);
  if (!parsed.ok) throw new Error(`${opts.file} does not load: ${parsed.error}`);
  const doc = parsed.doc;
  const files = createFilePort({ baseDir: examples });
  const dir = mkdtempSync(join(tmpdir(), 'mw-whole-run-'));
  try {
    const p0 = performance.now();
    const data = await prepareTrainData(doc.data, files);
    const prepSeconds = (performance.now() - p0) / 1000;
    const meta = exportEncoded(data, dir);

    let torch: WholeRunResult['torch'] = null;
    let torchNote = opts.torchNote;
    let torchThreads = opts.torchThreads;
    let torchFailed = opts.python === null;
    const torchRounds: number[] = [];
    const runTorch = (round: number): void => {
      if (torchFailed || opts.python === null) return;
      opts.log(
        `whole run ${round + 1}/${opts.rounds}, PyTorch (${torchThreads.length > 1 ? `one epoch at ${torchThreads.join(' and ')} threads, then ` : ''}${opts.epochs} epochs${torchThreads.length > 1 ? ' at the faster' : ` at ${torchThreads[0]} thread${torchThreads[0] === 1 ? '' : 's'}`}): ${opts.file} …`,
      );
      try {
        const r = runTorchWholeRun(opts.python, dir, {
          epochs: opts.epochs,
          batch: doc.training.batchSize,
          threads: torchThreads,
          seed: doc.training.seed,
          optimizer: doc.training.optimizer,
        });
        torch = { ...r, python: opts.python, devAcc: r.epochs.at(-1)?.devAcc ?? null };
        torchRounds.push(r.seconds);
        if (r.probes.length) {
          torchNote = `PyTorch ${r.torch} (${opts.python}; ${r.threads} threads, the faster in a first epoch at ${r.probes.map((p) => `${p.threads}t ${p.seconds.toFixed(1)} s`).join(', ')})`;
        } else if (torchRounds.length === 1) torchNote = `PyTorch ${r.torch} (${opts.python}; ${r.threads} thread${r.threads === 1 ? '' : 's'})`;
        torchThreads = [r.threads];
      } catch (err) {
        torchNote = err instanceof Error ? err.message : String(err);
        torchFailed = true;
      }
    };

    let tfjs: WholeRunResult['tfjs'] = { error: 'not run' };
    const tfjsRounds: number[] = [];
    const runTfjs = async (round: number): Promise<void> => {
      if ('error' in tfjs && tfjsRounds.length > 0) return;
      opts.log(`whole run ${round + 1}/${opts.rounds}, tfjs ${opts.backend.name}: ${opts.file}, ${opts.epochs} epochs …`);
      let startAt = Number.NaN;
      let params = 0;
      let lastEpoch: Extract<TrainEvent, { type: 'epoch' }> | undefined;
      let epochSeconds = 0;
      const t0 = performance.now();
      const last = await runDocument({
        runId: `bench-whole-run-${round + 1}`,
        doc,
        epochs: opts.epochs,
        backend: opts.backend,
        files,
        store: new FsRunStore(join(dir, `run-${round + 1}`)),
        // The data prepared and exported above: the engine trains on exactly what PyTorch read.
        prepare: () => Promise.resolve(data),
        emit: (e) => {
          if (e.type === 'start') {
            startAt = performance.now();
            params = e.params;
          } else if (e.type === 'epoch') {
            lastEpoch = e;
            epochSeconds += e.seconds;
          }
        },
      });
      const end = performance.now();
      if (last.type === 'error') {
        tfjs = { error: last.message };
        tfjsRounds.push(Number.NaN);
        return;
      }
      tfjs = {
        seconds: (end - startAt) / 1000,
        totalSeconds: prepSeconds + (end - t0) / 1000,
        epochSeconds,
        params,
        finalLoss: last.finalLoss,
        devAcc: lastEpoch?.devAcc ?? null,
        testAcc: last.testAcc,
        reason: `${last.reason} after ${last.epochs} epoch${last.epochs === 1 ? '' : 's'}`,
      };
      tfjsRounds.push(tfjs.seconds);
    };

    for (let round = 0; round < opts.rounds; round++) {
      if (round % 2 === 0) runTorch(round);
      await runTfjs(round);
      if (round % 2 === 1) runTorch(round);
    }
    const finite = tfjsRounds.every((t) => Number.isFinite(t));
    const comparison = finite && torchRounds.length === tfjsRounds.length && tfjsRounds.length > 0 ? compareRounds(tfjsRounds, torchRounds, opts.goal) : null;
    return {
      file: opts.file,
      epochs: opts.epochs,
      rounds: opts.rounds,
      batchSize: doc.training.batchSize,
      inputShape: meta.inputShape,
      classes: meta.numClasses,
      trainNames: meta.splits.train,
      devNames: meta.splits.dev,
      testNames: meta.splits.test,
      prepSeconds,
      tfjs,
      tfjsRounds,
      torch,
      torchRounds,
      torchNote,
      comparison,
      ratio: comparison?.ratio ?? null,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The text report: one headline line, then what each side's seconds include. */
export function formatWholeRun(w: WholeRunResult, reference: TorchReference | null = null): string[] {
  const acc = (a: number | null | undefined): string => (a === null || a === undefined ? '—' : a.toFixed(3));
  const c = w.comparison;
  const tfjs =
    'error' in w.tfjs ? `tfjs failed (${w.tfjs.error})` : `tfjs ${c ? showSide(c.ours) : w.tfjs.seconds.toFixed(1)} s (dev acc ${acc(w.tfjs.devAcc)})`;
  const torch =
    w.torch === null ? 'PyTorch —' : `PyTorch ${c ? showSide(c.theirs) : w.torch.seconds.toFixed(1)} s (dev acc ${acc(w.torch.devAcc)}, ${w.torch.threads}t)`;
  const verdict = c && reference?.comparable !== false ? `, ${showVerdict(c)}` : '';
  const lines = [
    `Whole run: ${w.file}, ${w.epochs} epoch${w.epochs === 1 ? '' : 's'} × ${w.rounds} interleaved round${w.rounds === 1 ? '' : 's'}, ${w.trainNames.toLocaleString('en-US')} training names: ${tfjs}, ${torch}, ratio of medians ${showRatio(w.ratio, reference)}${verdict}`,
    `  same encoded data both sides (input ${w.inputShape.join('×')}, ${w.classes} classes, ${w.devNames} dev / ${w.testNames} test names), batch ${w.batchSize}, Adam, dev evaluation every epoch, early stopping off; seconds per round: tfjs ${w.tfjsRounds.map((t) => t.toFixed(1)).join(', ')}; PyTorch ${w.torchRounds.map((t) => t.toFixed(1)).join(', ') || '—'}`,
  ];
  if (!('error' in w.tfjs)) {
    lines.push(
      `  tfjs (last round): ${w.tfjs.params.toLocaleString('en-US')} params, final train loss ${w.tfjs.finalLoss.toFixed(3)}, test acc ${acc(w.tfjs.testAcc)}; epochs alone ${w.tfjs.epochSeconds.toFixed(1)} s (the rest: checkpoints, test); ${w.tfjs.totalSeconds.toFixed(1)} s with data loading (${w.prepSeconds.toFixed(2)} s) and compile; ${w.tfjs.reason}`,
    );
  }
  if (w.torch !== null) {
    const epochs = w.torch.epochs.reduce((sum, e) => sum + e.seconds, 0);
    lines.push(
      `  PyTorch (last round): ${w.torch.params.toLocaleString('en-US')} params, final train loss ${(w.torch.epochs.at(-1)?.trainLoss ?? Number.NaN).toFixed(3)}, test acc ${acc(w.torch.testAcc)}; epochs alone ${epochs.toFixed(1)} s (the rest: test)`,
    );
  }
  lines.push(`  ${w.torchNote}`);
  return lines;
}
