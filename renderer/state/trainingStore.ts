/**
 * The training run shown in the dashboard, fed by the engine's TrainEvent stream. Events are
 * folded in batches once per animation frame, so a fast run never floods React with renders.
 */
import type { Words } from '../../engine/words';
import { create } from 'zustand';
import type { CrashReport, RunSnapshot, TrainEvent } from '../../engine/api';
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
  /** The learning rate the epoch trained with (schedule and warm-up applied). */
  lr?: number;
}

/**
 * `queued`: waiting for a free training slot in the host. `crashed`: the training process died
 * without a word (killed, out of memory). `lost`: the run ended while this page was not
 * connected, so how it ended was not seen here (its folder says).
 */
export type RunStatus = 'idle' | 'starting' | 'queued' | 'running' | 'stopping' | 'done' | 'error' | 'crashed' | 'lost';

export interface RunState {
  status: RunStatus;
  runId: string | null;
  start: Of<'start'> | null;
  batches: BatchPoint[];
  epochs: EpochPoint[];
  lastBatch: Of<'batch'> | null;
  message: string | null;
  /** The status message's words (engine/words.ts), for the user's language; null when it has none. */
  statusWords: Words | null;
  done: Of<'done'> | null;
  nan: Of<'nan'> | null;
  /** Why the run failed: the engine's English message, its words for the user's language, the graph's issues. */
  error: { message: string; issues: GraphIssue[]; words?: Words } | null;
  /** What the host saw of a crashed run's process (status `crashed`). */
  crash: CrashReport | null;
  /** Where the run waits in the host's queue (status `queued`). */
  queued: { ahead: number; maxConcurrent: number } | null;
}

export const IDLE_RUN: RunState = {
  status: 'idle',
  runId: null,
  start: null,
  batches: [],
  epochs: [],
  lastBatch: null,
  message: null,
  statusWords: null,
  done: null,
  nan: null,
  error: null,
  crash: null,
  queued: null,
};

/** An epoch event as a chart point, placed on the batch axis at the epoch's last step. */
function epochPoint(event: Of<'epoch'>, start: Of<'start'> | null, lastBatch: Of<'batch'> | null): EpochPoint {
  const step = start ? event.epoch * start.stepsPerEpoch : (lastBatch?.step ?? 0);
  return {
    epoch: event.epoch,
    step,
    trainLoss: event.trainLoss,
    trainAcc: event.trainAcc,
    devLoss: event.devLoss,
    devAcc: event.devAcc,
    seconds: event.seconds,
    lr: event.lr,
  };
}

/**
 * Folds one event into the run. Pure, so it is tested without a browser. A batch or epoch the
 * run already holds (a snapshot and the live stream overlap) is not added twice.
 */
export function applyEvent(run: RunState, event: TrainEvent): RunState {
  switch (event.type) {
    case 'start':
      return { ...run, status: run.status === 'stopping' ? 'stopping' : 'running', start: event, message: null, statusWords: null, queued: null };
    case 'status':
      if (event.queued)
        return {
          ...run,
          status: run.status === 'stopping' ? 'stopping' : 'queued',
          message: event.message,
          statusWords: event.words ?? null,
          queued: event.queued,
        };
      return { ...run, status: run.status === 'queued' ? 'running' : run.status, message: event.message, statusWords: event.words ?? null, queued: null };
    case 'batch':
      if (run.lastBatch && event.step <= run.lastBatch.step) return run;
      return {
        ...run,
        status: run.status === 'starting' || run.status === 'queued' ? 'running' : run.status,
        lastBatch: event,
        batches: [...run.batches, { step: event.step, epoch: event.epoch, loss: event.loss, acc: event.acc }],
      };
    case 'epoch': {
      if (run.epochs.some((e) => e.epoch >= event.epoch)) return run;
      return { ...run, epochs: [...run.epochs, epochPoint(event, run.start, run.lastBatch)] };
    }
    case 'nan':
      return { ...run, nan: event };
    case 'done':
      return { ...run, status: 'done', done: event, message: null, statusWords: null, queued: null };
    case 'error':
      return {
        ...run,
        status: event.crash ? 'crashed' : 'error',
        error: { message: event.message, issues: event.issues ?? [], ...(event.words ? { words: event.words } : {}) },
        crash: event.crash ?? null,
        message: null,
        statusWords: null,
        queued: null,
      };
  }
}

/** A run as the host's snapshot has it: its totals, every epoch and its curve from the first batch. */
export function fromSnapshot(snapshot: RunSnapshot): RunState {
  const batches: BatchPoint[] = snapshot.batches.map((b) => ({ step: b.step, epoch: b.epoch, loss: b.loss, acc: b.acc }));
  const last = snapshot.lastBatch;
  // A long run's snapshot keeps every k-th batch; the latest one still ends the curve.
  if (last && (batches.at(-1)?.step ?? 0) < last.step) batches.push({ step: last.step, epoch: last.epoch, loss: last.loss, acc: last.acc });
  return {
    ...IDLE_RUN,
    status: snapshot.state,
    runId: snapshot.runId,
    start: snapshot.start,
    batches,
    epochs: snapshot.epochs.map((e) => epochPoint(e, snapshot.start, last)),
    lastBatch: last,
    message: snapshot.message,
    statusWords: snapshot.message !== null ? (snapshot.words ?? null) : null,
    queued: snapshot.queued ?? null,
  };
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
  /**
   * The host's runs in progress, asked for when the connection opens (first and every
   * reconnect): the run shown is replaced by the host's whole record of it; a page showing
   * nothing shows the newest one; a run shown as going on that the host no longer has ended
   * while the page was away (`lost`).
   */
  adopt(snapshots: readonly RunSnapshot[]): void;
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
    adopt: (snapshots) => {
      // Fold what came before the answer first: the snapshot already holds all of it.
      if (pending) clearTimeout(pending);
      flush();
      const run = get().run;
      const same = run.runId !== null ? snapshots.find((s) => s.runId === run.runId) : undefined;
      if (same) {
        const adopted = fromSnapshot(same);
        set({ run: run.status === 'stopping' ? { ...adopted, status: 'stopping' } : adopted });
      } else if (run.runId !== null && isActive(run.status)) {
        set({ run: { ...run, status: 'lost', message: null, statusWords: null, queued: null } });
      } else if (run.status === 'idle') {
        const pick = [...snapshots].reverse().find((s) => s.state !== 'queued') ?? snapshots[0];
        if (pick) set({ run: fromSnapshot(pick) });
      }
    },
    reset: () => set({ run: IDLE_RUN }),
  };
});

/** Whether a run is under way (the Train button is off, Stop is on). */
export function isActive(status: RunStatus): boolean {
  return status === 'starting' || status === 'queued' || status === 'running' || status === 'stopping';
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
