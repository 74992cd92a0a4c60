/**
 * What the export tests share: an export source from a compiled model (random weights, made-up
 * data facts), writing an export's files, the Python with torch to run the PyTorch project in
 * (found as the benchmark finds it; tests skip with the reason when there is none), running an
 * ONNX model through onnxruntime-node, and the largest difference between two sets of numbers.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync, type Dirent } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import * as ort from 'onnxruntime-node';
import type { DataSummary } from '../../../engine/data/summary';
import type { Preprocessing } from '../../../engine/data/preprocessing';
import { mulberry32 } from '../../../engine/data/prng';
import type { Document } from '../../../engine/graph/document';
import type { DataFacts } from '../../../engine/graph/types';
import { findTorchPython } from '../../../engine/host/bench/runTorch';
import type { ExportFile } from '../../../engine/export';
import { exportSourceFrom, type ExportSource } from '../../../engine/export/source';
import { captureWeights } from '../../../engine/train/run';

let python: { python: string | null; why: string } | undefined;

/** The Python that imports torch, or null with why none does (once per test file). */
export function torchPython(): { python: string | null; why: string } {
  if (!python) {
    const found = findTorchPython();
    python = { python: found.python, why: found.python ? '' : `no Python with torch found (${found.tried.join('; ')})` };
  }
  return python;
}

let picturePython: { python: string | null; why: string } | undefined;

/** The Python with torch when it also has Pillow and numpy, which an image model's data.py needs, or null with why not. */
export function imagePython(): { python: string | null; why: string } {
  if (!picturePython) {
    const torch = torchPython();
    if (!torch.python) picturePython = torch;
    else {
      const r = spawnSync(torch.python, ['-c', 'import PIL, numpy'], { encoding: 'utf8' });
      picturePython = r.status === 0 ? torch : { python: null, why: `${torch.python} has torch but not Pillow and numpy (apt install python3-pil)` };
    }
  }
  return picturePython;
}

/** Runs `python args…` in `cwd`; throws with its stderr when it fails. */
export function runPython(args: string[], cwd: string, opts: { env?: Record<string, string>; timeoutMs?: number; input?: string } = {}): string {
  const py = torchPython().python;
  if (!py) throw new Error('no Python with torch');
  const r = spawnSync(py, args, {
    cwd,
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 120_000,
    maxBuffer: 1 << 26,
    env: { ...process.env, OMP_NUM_THREADS: '1', PYTHONDONTWRITEBYTECODE: '1', ...opts.env },
    ...(opts.input !== undefined ? { input: opts.input } : {}),
  });
  if (r.status !== 0) throw new Error(`${py} ${args.join(' ')} failed (${r.error?.message ?? `exit ${r.status}`}):\n${r.stderr.slice(-4000)}`);
  return r.stdout;
}

export function writeFiles(dir: string, files: readonly ExportFile[]): void {
  for (const f of files) {
    const path = join(dir, f.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, f.data);
  }
}

/** Sets every weight of `model` to seeded values: uniform in ±0.5, variances in [0.5, 1.5]. */
export function randomizeWeights(model: tfl.LayersModel, seed: number): void {
  const random = mulberry32(seed);
  for (const w of model.weights) {
    const size = w.shape.reduce((a, b) => a! * b!, 1)!;
    const variance = w.originalName.endsWith('moving_variance');
    const values = Float32Array.from({ length: size }, () => (variance ? 0.5 + random() : random() - 0.5));
    const t = tf.tensor(values, w.shape as number[]);
    w.write(t);
    t.dispose();
  }
}

/** The summary and preprocessing of made-up data with these facts (classes C0…, tokens t2…). */
export function fakeData(facts: DataFacts): { summary: DataSummary; preprocessing: Preprocessing } {
  const inputShape = [...(facts.inputShape ?? [])];
  const classes = Array.from({ length: facts.numClasses ?? 2 }, (_, i) => `C${i}`);
  const vocabSize = facts.vocabSize ?? inputShape.at(-1) ?? 2;
  const vocabulary = ['<pad>', '<unk>', ...Array.from({ length: Math.max(0, vocabSize - 2) }, (_, i) => `t${i + 2}`)];
  const onehot = facts.inputDtype !== 'int32';
  return {
    summary: {
      source: 'made up',
      rows: 0,
      classes,
      classCounts: classes.map(() => 1),
      vocabSize,
      maxLength: inputShape[0] ?? 1,
      inputShape,
      inputDtype: onehot ? 'float32' : 'int32',
      split: { train: 0, dev: 0, test: 0 },
      sample: [],
    },
    preprocessing: {
      classes,
      vocabulary,
      encodeSpec: { tokenizer: 'char', lowercase: true, maxLength: inputShape[0] ?? 1 },
      encoding: onehot ? 'onehot' : 'index',
    },
  };
}

/** The export source of a compiled model over made-up data with `facts`. */
export async function sourceOf(doc: Document, model: tfl.LayersModel, facts: DataFacts): Promise<ExportSource> {
  const { summary, preprocessing } = fakeData(facts);
  const r = exportSourceFrom({ doc, summary, preprocessing, artifacts: await captureWeights(model), origin: { kind: 'untrained' } }, 'test model');
  if (!r.ok) throw new Error(r.message);
  return r.source;
}

/** The ONNX model's output for one input. */
export async function runOnnx(bytes: Uint8Array, input: { data: Float32Array | Int32Array; shape: readonly number[] }): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const tensor = new ort.Tensor(input.data instanceof Int32Array ? 'int32' : 'float32', input.data, [...input.shape]);
    const out = await session.run({ [session.inputNames[0]!]: tensor });
    return out[session.outputNames[0]!]!.data as Float32Array;
  } finally {
    await session.release();
  }
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return Number.isNaN(max) ? Number.POSITIVE_INFINITY : max;
}

/** A TCP port free on 127.0.0.1 just now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Every file under torchrun's --log_dir, each after its path. */
export function workerLogs(dir: string): string {
  if (!existsSync(dir)) return '(no log folder)';
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as Dirent[])
    .filter((d) => d.isFile())
    .map((d) => {
      const path = join(d.parentPath, d.name);
      return `${path}:\n${readFileSync(path, 'utf8')}`;
    })
    .join('\n');
}

/**
 * train.py in `dir` under torchrun with `nproc` processes on this machine (gloo on CPUs), with
 * `args`; its stdout, or an error with the workers' stderr. The master is named (127.0.0.1 and a
 * free port), not --standalone, whose rendezvous hangs where the machine's own hostname does not
 * resolve; --redirects 2 --tee 1 because Debian's torch 1.13 on Python 3.11 crashes with the
 * default (see docs/export.md).
 */
export async function runTorchrun(dir: string, nproc: number, args: string[], timeoutMs = 150_000): Promise<string> {
  try {
    return await torchrunOnce(dir, nproc, args, timeoutMs);
  } catch (err) {
    // A torchrun whose workers had finished sometimes never ended inside a loaded test run (its
    // agent waiting on a worker that did not exit; never seen from a shell): once more, on a new
    // port, before calling it a failure. A real failure fails both times, and says so.
    if (!(err instanceof TorchrunTimeout)) throw err;
    console.warn(`torchrun did not end within ${timeoutMs / 1000} s; trying once more.\n${err.message.slice(-1500)}`);
    return torchrunOnce(dir, nproc, args, timeoutMs);
  }
}

class TorchrunTimeout extends Error {}

async function torchrunOnce(dir: string, nproc: number, args: string[], timeoutMs: number): Promise<string> {
  const logs = join(dir, `torchrun-logs-${Date.now()}`);
  const torchrun = [
    '-m',
    'torch.distributed.run',
    '--nnodes',
    '1',
    '--master_addr',
    '127.0.0.1',
    '--master_port',
    String(await freePort()),
    '--nproc_per_node',
    String(nproc),
    '--redirects',
    '2',
    '--tee',
    '1',
    '--log_dir',
    logs,
    'train.py',
    ...args,
  ];
  // Its output goes to a file, not a pipe: spawnSync waits for a pipe to close, and a worker that
  // outlives torchrun holding it would keep the test waiting (a hang seen inside vitest only).
  mkdirSync(logs, { recursive: true });
  const outPath = join(logs, 'torchrun.out');
  const out = openSync(outPath, 'w');
  let r: ReturnType<typeof spawnSync>;
  try {
    r = spawnSync(torchPython().python!, torchrun, {
      cwd: dir,
      timeout: timeoutMs,
      stdio: ['ignore', out, out],
      env: { ...process.env, OMP_NUM_THREADS: '1', PYTHONDONTWRITEBYTECODE: '1' },
    });
  } finally {
    closeSync(out);
  }
  const text = readFileSync(outPath, 'utf8');
  if (r.status !== 0) {
    // The workers' stderr went to the log folder (--redirects 2): show it with the failure.
    const message = `torchrun ${torchrun.join(' ')} failed (${r.error?.message ?? `exit ${r.status}`}):\n${text.slice(-3000)}\nworkers' stderr:\n${workerLogs(logs).slice(-4000)}`;
    throw (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT' ? new TorchrunTimeout(message) : new Error(message);
  }
  return text;
}
