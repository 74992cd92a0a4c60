/**
 * Finds a Python with torch (MODELWRIGHT_PYTHON, else python3, else /usr/bin/python3) and runs
 * the PyTorch half of the benchmark in it.
 */
import { spawnSync } from 'node:child_process';
import type { BenchModelSpec } from './models';
import { TORCH_SCRIPT } from './torchScript';

export interface TorchResult {
  torch: string;
  threads: number;
  python: string;
  results: { name: string; msPerStep: number; meanMs: number; params: number }[];
}

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

export function runTorch(
  python: string,
  models: readonly BenchModelSpec[],
  opts: { steps: (m: BenchModelSpec) => number; warmup: number; batch: number; threads: number },
): TorchResult {
  const cfg = {
    threads: opts.threads,
    batch: opts.batch,
    warmup: opts.warmup,
    models: models.map((m) => ({ name: m.name, kind: m.input.kind, length: m.input.length, vocab: m.input.vocab, classes: m.classes, steps: opts.steps(m) })),
  };
  return { ...runPythonJson<Omit<TorchResult, 'python'>>(python, TORCH_SCRIPT, cfg, 'PyTorch benchmark'), python };
}
