/**
 * The sweep bench of issue 17: a 12-trial sweep of the surname MLP template with halving,
 * through the engine the app and the CLI use (each trial a worker process of the run manager,
 * as many side by side as it allows), in a throwaway runs folder. Reports trials per minute, the
 * epochs halving saved, and the time 12 full runs would take, estimated from the same trials:
 * a least-squares fit of each trial's seconds against its epochs gives the cost of starting a
 * trial and of one epoch, so the estimate needs no 12 extra full runs.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from '../../graph/load';
import type { SweepSnapshot } from '../../tune/types';
import { FileGrants } from '../consent';
import { createEngine } from '../engine';
import { assetsDir } from '../fsPorts';
import { nodeSpawner } from '../nodeSpawner';

export interface SweepBenchOptions {
  /** A template in assets/examples (default the surname MLP). */
  file?: string;
  trials?: number;
  /** Epochs of an unstopped trial; default the template's. */
  epochs?: number;
  /** The training worker bundle; default dist/worker.cjs. */
  workerPath?: string;
  log?: (line: string) => void;
}

export interface SweepBenchResult {
  file: string;
  trials: number;
  epochs: number;
  parallel: number;
  rungs: number[];
  /** Wall-clock seconds of the whole sweep. */
  seconds: number;
  trialsPerMinute: number;
  epochsRun: number;
  epochsBudgeted: number;
  /** 1 − epochsRun / epochsBudgeted. */
  saving: number;
  /** Trials halving stopped at a rung. */
  stoppedEarly: number;
  /** The fit: seconds to start a trial (process, backend, data, model) and seconds per epoch. */
  secondsPerTrialStart: number;
  secondsPerEpoch: number;
  /** What `trials` full runs would take at `parallel` at a time, from the fit. */
  estimatedFullSeconds: number;
  best: { trial: number; params: Record<string, unknown>; bestDevLoss: number | null; bestDevAcc: number | null } | null;
}

/** Least squares of y = a + b·x. */
function fitLine(xs: readonly number[], ys: readonly number[]): { a: number; b: number } {
  const n = xs.length;
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  const b = den > 0 ? num / den : 0;
  return { a: my - b * mx, b };
}

export async function benchSweep(opts: SweepBenchOptions = {}): Promise<SweepBenchResult> {
  const file = opts.file ?? 'surname-mlp.json';
  const trials = opts.trials ?? 12;
  const log = opts.log ?? (() => undefined);
  const parsed = parseDocument(readFileSync(join(assetsDir(), 'examples', file), 'utf8'));
  if (!parsed.ok) throw new Error(`${file}: ${parsed.error}`);
  const runsDir = mkdtempSync(join(tmpdir(), 'mw-bench-sweep-'));
  const engine = createEngine({ runsDir, ...(opts.workerPath ? { spawn: nodeSpawner(opts.workerPath) } : {}) });
  try {
    let ended = 0;
    const started = engine.tune.startSweep(
      {
        doc: parsed.doc,
        baseDir: assetsDir(),
        grants: new FileGrants(),
        consentHint: '',
        trials,
        ...(opts.epochs !== undefined ? { epochs: opts.epochs } : {}),
      },
      (s) => {
        const done = s.trials.filter((t) => t.finished).length;
        if (done > ended) log(`sweep: ${(ended = done)}/${s.trials.length} trials (${s.saving.epochsRun} epochs)`);
      },
    );
    if (!started.ok) throw new Error(started.error.message);
    const last: SweepSnapshot = await started.value.done;
    if (last.state !== 'done') throw new Error(`the sweep ended ${last.state}: ${last.message ?? ''}`);
    const ran = last.trials.filter((t) => t.finished && t.epochs > 0);
    const { a, b } = fitLine(
      ran.map((t) => t.epochs),
      ran.map((t) => t.seconds),
    );
    const best = last.trials.find((t) => t.trial === last.best) ?? null;
    return {
      file,
      trials: last.trials.length,
      epochs: last.epochs,
      parallel: last.parallel,
      rungs: last.rungs,
      seconds: last.seconds,
      trialsPerMinute: (last.trials.length * 60) / last.seconds,
      epochsRun: last.saving.epochsRun,
      epochsBudgeted: last.saving.epochsBudgeted,
      saving: last.saving.fraction,
      stoppedEarly: last.trials.filter((t) => t.stoppedEarly).length,
      secondsPerTrialStart: a,
      secondsPerEpoch: b,
      estimatedFullSeconds: Math.ceil(last.trials.length / last.parallel) * (a + b * last.epochs),
      best: best ? { trial: best.trial, params: best.config, bestDevLoss: best.bestDevLoss, bestDevAcc: best.bestDevAcc } : null,
    };
  } finally {
    await engine.dispose();
    rmSync(runsDir, { recursive: true, force: true });
  }
}

export function formatSweepBench(r: SweepBenchResult): string[] {
  const best = r.best
    ? `best trial ${r.best.trial}: dev loss ${r.best.bestDevLoss?.toFixed(3) ?? '—'} (${Object.entries(r.best.params)
        .map(([k, v]) => `${k.replace(/^training\.optimizer\.|^graph\.nodes\./, '').replace('.params.', '.')} ${String(v)}`)
        .join(', ')})`
    : 'no best trial';
  return [
    `Sweep of ${r.file}: ${r.trials} trials of up to ${r.epochs} epochs, ${r.parallel} at a time, halving at epochs ${r.rungs.join(', ') || '—'}`,
    `  ${r.seconds.toFixed(1)} s, ${r.trialsPerMinute.toFixed(2)} trials a minute; ${r.stoppedEarly} stopped early; ${r.epochsRun} of ${r.epochsBudgeted} epochs trained (${(r.saving * 100).toFixed(0)}% saved)`,
    `  ${r.trials} full runs of ${r.epochs} epochs would take about ${r.estimatedFullSeconds.toFixed(0)} s (${r.secondsPerTrialStart.toFixed(1)} s to start a trial + ${r.secondsPerEpoch.toFixed(2)} s an epoch, fitted): the sweep took ${((r.seconds / r.estimatedFullSeconds) * 100).toFixed(0)}% of that`,
    `  ${best}`,
  ];
}
