/**
 * Finds a Python with torch (MODELWRIGHT_PYTHON, else python3, else /usr/bin/python3) and runs
 * the PyTorch half of the benchmark in it: one-shot scripts (runPythonJson) and the per-step
 * server (TorchServer), which stays up for the whole bench so rounds can alternate with tfjs.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { parkKernelThreads } from '../../kernels/wasm/threadedGemm';
import type { BenchModelSpec } from './models';
import { TORCH_SERVER_SCRIPT } from './torchScript';

/** The first Python that imports torch, with why each other one did not. */
export function findTorchPython(): { python: string | null; tried: string[] } {
  const candidates = [process.env['MODELWRIGHT_PYTHON'], 'python3', '/usr/bin/python3'].filter((p): p is string => typeof p === 'string' && p.length > 0);
  const tried: string[] = [];
  for (const py of candidates) {
    const r = spawnSync(py, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8', timeout: 60_000 });
    if (r.status === 0) return { python: py, tried };
    tried.push(`${py}: ${r.error ? r.error.message : (r.stderr.trim().split('\n').pop() ?? `exit ${r.status}`)}`);
  }
  return { python: null, tried };
}

/**
 * Runs `script` with `python -c script <cfg as JSON>` and returns the JSON its last stdout line
 * holds; throws with the last lines of stderr (prefixed by `what`) when it fails.
 */
export function runPythonJson<T>(python: string, script: string, cfg: unknown, what: string): T {
  const r = spawnSync(python, ['-c', script, JSON.stringify(cfg)], { encoding: 'utf8', timeout: 30 * 60_000, maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`${what} failed: ${r.error?.message ?? r.stderr.trim().split('\n').slice(-3).join(' ')}`);
  const lines = r.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1] ?? '{}') as T;
}

/** One round of PyTorch steps: each step's ms, the last loss, the thread count it ran at. */
export interface TorchRound {
  times: number[];
  loss: number;
  threads: number;
}

/** The PyTorch side of the per-step rows, in one long-lived Python process (torchScript.ts). */
export class TorchServer {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: AsyncIterator<string>;
  private stderr = '';

  private constructor(child: ChildProcessWithoutNullStreams) {
    this.child = child;
    child.stderr.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString('utf8')).slice(-4000);
    });
    this.lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  }

  /** Starts the server and waits for its first line (torch imported); throws with its stderr if it dies. */
  static async start(python: string): Promise<{ server: TorchServer; torch: string }> {
    const server = new TorchServer(spawn(python, ['-u', '-c', TORCH_SERVER_SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] }));
    const hello = await server.next<{ torch: string }>();
    return { server, torch: hello.torch };
  }

  private async next<T>(): Promise<T> {
    const r = await this.lines.next();
    if (r.done) throw new Error(`the PyTorch bench process ended: ${this.stderr.trim().split('\n').slice(-3).join(' ') || 'no message'}`);
    const value = JSON.parse(r.value) as T | { error: string };
    if (typeof value === 'object' && value !== null && 'error' in value) throw new Error(`PyTorch bench: ${value.error}`);
    return value as T;
  }

  private async ask<T>(req: Record<string, unknown>): Promise<T> {
    this.child.stdin.write(JSON.stringify(req) + '\n');
    return this.next<T>();
  }

  /** Builds `spec`'s network, Adam and a batch of `batch` in PyTorch. */
  setup(spec: BenchModelSpec, batch: number): Promise<{ params: number }> {
    const { kind, length, vocab } = spec.input;
    return this.ask({ cmd: 'setup', name: spec.name, kind, length, vocab, classes: spec.classes, batch, image: spec.input.image ?? null });
  }

  /** Runs `steps` training steps of a network set up before, at `threads` threads. */
  run(name: string, steps: number, threads: number): Promise<TorchRound> {
    // Our kernels' worker must not spin into PyTorch's time on the same cores.
    parkKernelThreads();
    return this.ask({ cmd: 'run', name, steps, threads });
  }

  close(): void {
    this.child.stdin.end();
  }
}
