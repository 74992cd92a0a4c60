/**
 * What the status bar says is running: the training run (its name, epoch and step), else a
 * sweep (trials done of planned), else a learning-rate finder (its step). Pure, so it is tested
 * without a browser; the status bar words it in the user's language.
 */
import type { LrFindSnapshot, SweepSnapshot } from '../../engine/api';
import type { RunState } from './trainingStore';

export type RunningJob =
  | {
      kind: 'run';
      name: string;
      status: 'starting' | 'queued' | 'running' | 'stopping';
      epoch: number;
      epochs: number;
      step: number;
      steps: number;
      ahead: number;
    }
  | { kind: 'sweep'; name: string; done: number; trials: number; running: number }
  | { kind: 'lr-find'; name: string; step: number; steps: number };

export function runningJob(run: RunState, runName: string, sweep: SweepSnapshot | null, find: LrFindSnapshot | null): RunningJob | null {
  if (run.status === 'starting' || run.status === 'queued' || run.status === 'running' || run.status === 'stopping') {
    const epochs = run.start?.epochs ?? 0;
    const stepsPerEpoch = run.start?.stepsPerEpoch ?? 0;
    const last = run.lastBatch;
    return {
      kind: 'run',
      name: runName,
      status: run.status,
      epoch: last?.epoch ?? run.epochs.length + (run.status === 'running' ? 1 : 0),
      epochs,
      step: last?.batch ?? 0,
      steps: stepsPerEpoch,
      ahead: run.queued?.ahead ?? 0,
    };
  }
  if (sweep && sweep.state === 'running') {
    const finished = sweep.trials.filter((t) => t.state !== 'running' && t.state !== 'pending').length;
    const running = sweep.trials.filter((t) => t.state === 'running').length;
    return { kind: 'sweep', name: sweep.documentName, done: finished, trials: Math.max(sweep.sweep.trials, sweep.trials.length), running };
  }
  if (find && find.state === 'running') {
    return { kind: 'lr-find', name: find.documentName, step: find.points.at(-1)?.step ?? 0, steps: find.steps };
  }
  return null;
}
