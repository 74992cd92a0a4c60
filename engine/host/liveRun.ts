/**
 * What the host remembers of a run while it goes on: its start, its epochs, a bounded batch
 * curve and where it was last seen, so a page that connects mid-run sees it whole
 * (EngineApi.activeRuns) and a crash can be reported with the last epoch and batch.
 */
import type { ActiveRunState, RunSnapshot, RunSnapshotBatch, TrainEvent } from '../api';
import type { Words } from '../words';

type Of<T extends TrainEvent['type']> = Extract<TrainEvent, { type: T }>;

/** Batch points a snapshot keeps at most, by default; beyond, every k-th is kept. */
export const MAX_SNAPSHOT_BATCHES = 10_000;

export class LiveRun {
  start: Of<'start'> | null = null;
  readonly epochs: Of<'epoch'>[] = [];
  lastBatch: Of<'batch'> | null = null;
  message: string | null = null;
  /** The status message's words, when it has some. */
  words: Words | undefined;
  queued: RunSnapshot['queued'];
  /** The last loss seen (a batch's, or an epoch's train loss), for a stop the host must report. */
  lastLoss = Number.NaN;
  bestDevLoss: number | null = null;
  private batches: RunSnapshotBatch[] = [];
  /** Every `stride`-th batch event is kept; it doubles each time the curve fills up. */
  private stride = 1;
  private seen = 0;

  constructor(private readonly maxBatches: number = MAX_SNAPSHOT_BATCHES) {}

  add(event: TrainEvent): void {
    switch (event.type) {
      case 'start':
        this.start = event;
        this.message = null;
        this.words = undefined;
        break;
      case 'status':
        this.message = event.message;
        this.words = event.words;
        this.queued = event.queued;
        break;
      case 'batch':
        this.lastBatch = event;
        this.lastLoss = event.loss;
        this.addBatch({ epoch: event.epoch, batch: event.batch, step: event.step, loss: event.loss, acc: event.acc });
        break;
      case 'epoch':
        this.epochs.push(event);
        this.lastLoss = event.trainLoss;
        if (Number.isFinite(event.devLoss)) this.bestDevLoss = Math.min(this.bestDevLoss ?? Infinity, event.devLoss);
        break;
      case 'nan':
      case 'done':
      case 'error':
        break;
    }
  }

  /** The last epoch that finished (0: none yet). */
  get lastEpoch(): number {
    return this.epochs.at(-1)?.epoch ?? 0;
  }

  snapshot(runId: string, runDir: string, state: ActiveRunState): RunSnapshot {
    return {
      runId,
      runDir,
      state,
      start: this.start,
      epochs: [...this.epochs],
      batches: [...this.batches],
      lastBatch: this.lastBatch,
      message: this.message,
      ...(this.words ? { words: this.words } : {}),
      ...(this.queued ? { queued: this.queued } : {}),
    };
  }

  private addBatch(point: RunSnapshotBatch): void {
    if (this.seen++ % this.stride !== 0) return;
    this.batches.push(point);
    if (this.batches.length > this.maxBatches) {
      // Keep the points at even places (the first among them): every (2·stride)-th batch.
      this.batches = this.batches.filter((_, i) => i % 2 === 0);
      this.stride *= 2;
    }
  }
}
