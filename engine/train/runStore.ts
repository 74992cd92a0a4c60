/**
 * The port through which a training run reaches its folder on disk. The loop never touches
 * files itself; engine/host implements this with fs (FsRunStore), tests with memory.
 */
import type { BackendInfo } from '../backend';
import type { DataSummary } from '../data/summary';
import type { TrainEvent } from './events';

/** Written to run.json when a run starts, and again (with `outcome`) when it ends. */
export interface RunInfo {
  format: 'modelwright-run';
  version: 1;
  runId: string;
  createdAt: string;
  /** The Document the run trained, serialised (after host overrides such as --data). */
  documentText: string;
  epochs: number;
  seed: number;
  backend: BackendInfo;
  data: DataSummary;
  params: number;
  /** The loss's weight of each class (`data.classes` order), when classes do not weigh alike. */
  classWeights?: number[];
  /** The last epoch whose `checkpoint` and `optimizer` weights are saved. */
  lastEpoch?: number;
  /** The `done` event, once the run has ended. */
  outcome?: Extract<TrainEvent, { type: 'done' }>;
}

/** Trained weights in the tfjs artifact format (model.json + one weights file). */
export interface SavedWeights {
  /** Keras-style model topology when the model can serialise it, else null. */
  modelTopology: object | null;
  weightSpecs: { name: string; shape: number[]; dtype: string }[];
  weightData: ArrayBuffer;
}

/** The loss of every optimizer step of one epoch (or of the part of it that ran), in order. */
export interface BatchLosses {
  epoch: number;
  /** The global step (from 1) of `losses[0]`. */
  firstStep: number;
  losses: number[];
}

export interface RunStore {
  /** The folder that holds this run's files. */
  readonly runDir: string;
  writeRunInfo(info: RunInfo): Promise<void>;
  appendEvent(event: TrainEvent): Promise<void>;
  /**
   * Saves weights under a name: "final" when the run ends (after restore-best), "checkpoint"
   * and "optimizer" after every epoch (overwritten), for resuming.
   */
  saveWeights(name: string, weights: SavedWeights): Promise<void>;
  /** Saves a JSON file `<name>.json` in the run folder (e.g. "preprocessing"). */
  saveJson(name: string, value: unknown): Promise<void>;
  /**
   * Keeps every batch's loss (FsRunStore: one JSON line an epoch in batches.jsonl), so the
   * stored curve loses nothing however much the UI thins what it draws. A store that keeps no
   * metrics (the bench's) may leave it out.
   */
  appendBatchLosses?(record: BatchLosses): Promise<void>;
}
