/**
 * The training run shown in the dashboard, fed by the engine's TrainEvent stream. Events are
 * folded in batches once per animation frame, so a fast run never floods React with renders.
 */
import { create } from 'zustand';
import type { TrainEvent } from '../../engine/api';
import type { GraphIssue } from '../../engine/graph/types';

type Of<T extends TrainEvent['type']> = Extract<TrainEvent, { type: T }>;

export interface BatchPoint {
  step: number;
  epoch: number;
  loss: number;
  acc: number;
}

export interface EpochPoint {
  epoch: number;
  /** The global step at the end of the epoch, so epoch points sit on the batch axis. */
  step: number;
  trainLoss: number;
  trainAcc: number;
  devLoss: number;
  devAcc: number;
  seconds: number;
}

export type RunStatus = 'idle' | 'starting' | 'running' | 'stopping' | 'done' | 'error';

export interface RunState {
  status: RunStatus;
  runId: string | null;
  start: Of<'start'> | null;
  batches: BatchPoint[];
  epochs: EpochPoint[];
  lastBatch: Of<'batch'> | null;
  message: string | null;
  done: Of<'done'> | null;
  nan: Of<'nan'> | null;
  error: { message: string; issues: GraphIssue[] } | null;
}

export const IDLE_RUN: RunState = {
  status: 'idle',
  runId: null,
  start: null,
  batches: [],
  epochs: [],
  lastBatch: null,
  message: null,
  done: null,
  nan: null,
  error: null,
};

/** Folds one event into the run. Pure, so it is tested without a browser. */
export function applyEvent(run: RunState, event: TrainEvent): RunState {
  switch (event.type) {
    case 'start':
      return { ...run, status: run.status === 'stopping' ? 'stopping' : 'running', start: event, message: null };
    case 'status':
      return { ...run, message: event.message };
    case 'batch':
      return {
        ...run,
        status: run.status === 'starting' ? 'running' : run.status,
        lastBatch: event,
        batches: [...run.batches, { step: event.step, epoch: event.epoch, loss: event.loss, acc: event.acc }],
      };
    case 'epoch': {
      const stepsPerEpoch = run.start?.stepsPerEpoch ?? run.lastBatch?.step ?? 0;
      const step = run.start ? event.epoch * stepsPerEpoch : (run.lastBatch?.step ?? 0);
      return {
        ...run,
        epochs: [
          ...run.epochs,
          { epoch: event.epoch, step, trainLoss: event.trainLoss, trainAcc: event.trainAcc, devLoss: event.devLoss, devAcc: event.devAcc, seconds: event.seconds },
        ],
      };
    }
    case 'nan':
      return { ...run, nan: event };
    case 'done':
      return { ...run, status: 'done', done: event, message: null };
    case 'error':
      return { ...run, status: 'error', error: { message: event.message, issues: event.issues ?? [] }, message: null };
  }
}

export interface TrainingState {
  run: RunState;
  /**
   * The document the run was started from. An engine error names nodes of this document; once
   * the user edits it, those highlights no longer apply.
   */
  source: unknown;
  /** A run is being asked for; its id is not known yet. */
  begin(source?: unknown): void;
  /** The engine answered with the run's id; events that came first are replayed. */
  started(runId: string): void;
  /** Starting failed before any run existed (the host refused, the link broke, the graph has `issues`). */
  failed(message: string, issues?: GraphIssue[]): void;
  stopping(): void;
  receive(event: TrainEvent): void;
  reset(): void;
}

/** Events of runs whose id we do not know yet (the reply to startTraining may come after them). */
const early = new Map<string, TrainEvent[]>();
let queue: TrainEvent[] = [];
let pending: ReturnType<typeof setTimeout> | null = null;

/**
 * Events are folded at most this often: the charts stay live (several updates a second) while
 * the page leaves the CPU to the training process, which on a small machine shares it.
 */
const FLUSH_MS = 150;

export const useTrainingStore = create<TrainingState>()((set, get) => {
  const flush = () => {
    pending = null;
    const events = queue;
    queue = [];
    let run = get().run;
    for (const event of events) {
      // A page opened (or reloaded) while a run goes on picks that run up, so it can watch and stop it.
      if (run.status === 'idle' && event.type !== 'done' && event.type !== 'error') run = { ...IDLE_RUN, status: 'running', runId: event.runId };
      if (run.runId === event.runId) run = applyEvent(run, event);
      else if (run.runId === null && isActive(run.status)) early.set(event.runId, [...(early.get(event.runId) ?? []), event]);
    }
    if (run !== get().run) set({ run });
  };
  return {
    run: IDLE_RUN,
    source: null,
    begin: (source = null) => {
      early.clear();
      set({ run: { ...IDLE_RUN, status: 'starting' }, source });
    },
    started: (runId) => {
      let run: RunState = { ...get().run, runId };
      for (const event of early.get(runId) ?? []) run = applyEvent(run, event);
      early.clear();
      set({ run });
    },
    failed: (message, issues = []) => set({ run: { ...get().run, status: 'error', error: { message, issues } } }),
    stopping: () => set({ run: { ...get().run, status: 'stopping' } }),
    receive: (event) => {
      queue.push(event);
      // The end of a run shows at once; everything else waits for the next fold.
      if (event.type === 'done' || event.type === 'error') {
        if (pending) clearTimeout(pending);
        flush();
      } else pending ??= setTimeout(flush, FLUSH_MS);
    },
    reset: () => set({ run: IDLE_RUN }),
  };
});

/** Whether a run is under way (the Train button is off, Stop is on). */
export function isActive(status: RunStatus): boolean {
  return status === 'starting' || status === 'running' || status === 'stopping';
}

/**
 * At most `max` points for a chart: consecutive points are averaged in buckets, so a long run
 * still draws fast and its curve keeps its shape.
 */
export function thinBatches(points: readonly BatchPoint[], max: number): BatchPoint[] {
  if (points.length <= max) return points as BatchPoint[];
  const size = Math.ceil(points.length / max);
  const out: BatchPoint[] = [];
  for (let i = 0; i < points.length; i += size) {
    const bucket = points.slice(i, i + size);
    const last = bucket[bucket.length - 1]!;
    out.push({
      step: last.step,
      epoch: last.epoch,
      loss: bucket.reduce((s, p) => s + p.loss, 0) / bucket.length,
      acc: bucket.reduce((s, p) => s + p.acc, 0) / bucket.length,
    });
  }
  return out;
}
