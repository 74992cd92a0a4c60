/**
 * The port through which a training run reaches its folder on disk. The loop never touches
 * files itself; engine/host implements this with fs (FsRunStore), tests with memory.
 */
import type { BackendInfo } from '../backend';
import type { DataSummary } from '../data/summary';
import type { GraphIssue } from '../graph/types';
import type { CrashReport, TrainEvent } from './events';

type DoneEvent = Extract<TrainEvent, { type: 'done' }>;
type EpochEvent = Extract<TrainEvent, { type: 'epoch' }>;

/**
 * How a run ended, as run.json's `outcome` records it; `reason` says which. Every run that
 * started gets one: the worker writes it for `done` and `error`, the host (the run manager) when
 * the process died without either. A run.json without one is a run still going, or one whose
 * host died with it: unknown.
 */
export type RunOutcome =
  /**
   * The run's own `done` event: completed, stopped, early-stopped or nan. (Versions before this
   * union wrote the done event here too, so their run.json files read the same.)
   */
  | DoneEvent
  /** The run failed with a message (a training error, its record could not be written). */
  | { reason: 'error'; message: string; issues?: GraphIssue[] }
  /** The training process died without a word; what the host saw of it. */
  | { reason: 'crashed'; message: string; crash: CrashReport };
export type RunOutcomeReason = RunOutcome['reason'];

const OUTCOME_REASONS: readonly RunOutcomeReason[] = ['completed', 'stopped', 'early-stopped', 'nan', 'error', 'crashed'];

/**
 * Written to run.json when a run starts (which creates its folder), and again with `outcome`
 * when it ends.
 */
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
  /**
   * Written by versions before checkpoint sets: the last epoch whose `checkpoint` and `optimizer`
   * weights were saved. The checkpoint's own manifest says it now (RunStore.loadCheckpoint).
   */
  lastEpoch?: number;
  /** The folder the Document's relative paths were read from (resuming reads its data again). */
  baseDir?: string;
  /** When the run was resumed from a checkpoint, and from which epoch (oldest first). */
  resumed?: { at: string; fromEpoch: number }[];
  /** How the run ended; absent while it runs, and for a run whose end nobody saw (unknown). */
  outcome?: RunOutcome;
  /** When `outcome` was written (ISO time). */
  endedAt?: string;
}

/**
 * run.json's parsed JSON as a RunInfo, or null when it is not one. An outcome this version does
 * not know is dropped (the run reads as unknown); every other field is kept as it was.
 */
export function restoreRunInfo(raw: unknown): RunInfo | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const info = raw as Partial<RunInfo> & Record<string, unknown>;
  if (info.format !== 'modelwright-run' || typeof info.runId !== 'string') return null;
  const outcome = info.outcome as { reason?: unknown } | undefined;
  if (outcome === undefined) return info as RunInfo;
  const known = typeof outcome === 'object' && outcome !== null && OUTCOME_REASONS.includes(outcome.reason as RunOutcomeReason);
  if (known) return info as RunInfo;
  const { outcome: _unknown, ...rest } = info;
  return rest as RunInfo;
}

/** Trained weights in the tfjs artifact format (model.json + one weights file). */
export interface SavedWeights {
  /** Keras-style model topology when the model can serialise it, else null. */
  modelTopology: object | null;
  weightSpecs: { name: string; shape: number[]; dtype: string }[];
  weightData: ArrayBuffer;
}

/**
 * One epoch's state, saved and loaded as one set: what resuming that epoch needs. Whatever a
 * crash interrupts, a store loads either the whole previous set or the whole new one.
 */
export interface Checkpoint {
  /** The epoch just finished (from 1). */
  epoch: number;
  /** The model's weights at the end of `epoch`. */
  weights: SavedWeights;
  /** The optimizer's state (Adam moments, iteration count) at the end of `epoch`. */
  optimizer: SavedWeights;
  /** The `epoch` event of that epoch: its train and dev metrics, learning rate and pace. */
  metrics: EpochEvent;
  /**
   * The loop's own state after `epoch` (the global step, early stopping's bookkeeping), so a
   * resumed run goes on exactly as one that never stopped. Absent in checkpoints written before
   * resuming existed; those resume with fresh early-stopping state.
   */
  loop?: LoopState;
  /** The best epoch's weights so far, when early stopping will restore them (restoreBest). */
  best?: SavedWeights;
}

/** What the training loop carries from one epoch to the next, besides weights and optimizer. */
export interface LoopState {
  /** Optimizer steps taken so far. */
  step: number;
  /** The lowest monitored loss so far (dev, else train); null before the first epoch. */
  bestMonitored: number | null;
  bestDevLoss: number | null;
  /** The epoch of the weights early stopping would restore (0: none). */
  bestEpoch: number;
  /** Epochs since the monitored loss last improved. */
  sinceBest: number;
  /** Seconds spent training so far. */
  elapsedSeconds: number;
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
  /**
   * Writes run.json. The first call creates the run's folder: a run is on disk from the moment
   * it starts training, so one that never gets that far (bad data, an invalid graph, stopped
   * while queued) leaves no folder.
   */
  writeRunInfo(info: RunInfo): Promise<void>;
  /**
   * Records an event. Events before the first writeRunInfo are held and written with it. A store
   * on disk makes the record durable at each `epoch` event and at the run's end (FsRunStore:
   * appended as they come, fsynced then). A rejection means the run's record is broken, and the
   * run stops.
   */
  appendEvent(event: TrainEvent): Promise<void>;
  /** Saves weights under a name: "final" when the run ends (after restore-best). */
  saveWeights(name: string, weights: SavedWeights): Promise<void>;
  /** Saves a JSON file `<name>.json` in the run folder (e.g. "preprocessing"). */
  saveJson(name: string, value: unknown): Promise<void>;
  /**
   * Keeps every batch's loss (FsRunStore: one JSON line an epoch in batches.jsonl), so the
   * stored curve loses nothing however much the UI thins what it draws. A store that keeps no
   * metrics (the bench's) may leave it out.
   */
  appendBatchLosses?(record: BatchLosses): Promise<void>;
  /**
   * Saves the checkpoint of an epoch as one set, replacing the previous one only once it is
   * whole. A store that keeps no checkpoints (the bench's) may leave it out; the run then does
   * not capture them.
   */
  saveCheckpoint?(checkpoint: Checkpoint): Promise<void>;
  /**
   * The last complete checkpoint, or null when none was saved: always one epoch's weights,
   * optimizer state and metrics together. Rejects when the set it names is damaged.
   */
  loadCheckpoint?(): Promise<Checkpoint | null>;
}
