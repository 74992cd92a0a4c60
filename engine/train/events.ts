/**
 * The stream of one training run, as the loop emits it and every host forwards it, and the
 * evaluation a finished run reports.
 */
import type { Words } from '../words';
import type { BackendInfo } from '../backend';
import type { DataSummary } from '../data/summary';
import type { GraphIssue } from '../graph/types';

/** Precision, recall, F1 and support (examples of the class) of one class, or an average of them. */
export interface ClassMetrics {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** A trained model evaluated on one split, as `done.test` reports the test split. */
export interface SplitEvaluation {
  /** Mean loss, class weights included. */
  loss: number;
  accuracy: number;
  /** By class name. */
  perClass: Record<string, ClassMetrics>;
  /** The classes' plain mean (of the classes in the split or predicted); `support` is the total. */
  macro: ClassMetrics;
  /** The mean weighted by each class's support. */
  weighted: ClassMetrics;
  /** `matrix[t][p]`: examples of true class `labels[t]` predicted as `labels[p]`. */
  confusion: { labels: string[]; matrix: number[][] };
}

/**
 * What the host saw of a training process that ended without saying how its run ended (no
 * `done` or `error` of its own): killed, out of memory, or exited. The run manager writes it.
 */
export interface CrashReport {
  /** The process's exit code; null when a signal ended it. */
  exitCode: number | null;
  /** The signal that ended it (e.g. "SIGKILL"), or null. */
  signal: string | null;
  /** The last epoch that finished (its `epoch` event, seen or in the run's log); 0 when none did. */
  lastEpoch: number;
  /** Where the run was when it died: its last `batch` event, seen or logged; null before the first. */
  lastBatch: { epoch: number; batch: number; step: number } | null;
  /** The steps of one epoch, from the run's `start` event (0 when it never started training). */
  stepsPerEpoch: number;
  /** The epoch of the last complete checkpoint in the run's folder, or null when none was saved. */
  checkpointEpoch: number | null;
  /** Whether it looks like the process ran out of memory (a SIGKILL, or Node's heap message). */
  outOfMemory: boolean;
  /** The last lines the process wrote (stdout and stderr), when the host kept them. */
  outputTail: string;
}

/** The stream of one training run. Every event carries its run id. */
export type TrainEvent =
  | {
      type: 'start';
      runId: string;
      runDir: string;
      backend: BackendInfo;
      epochs: number;
      stepsPerEpoch: number;
      batchSize: number;
      params: number;
      data: DataSummary;
      /** The checkpoint's epoch a resumed run goes on after (its steps and epochs count on from there). */
      resumedFrom?: number;
      /** The loss's weight of each class, in `data.classes` order; absent when classes weigh alike. */
      classWeights?: number[];
    }
  | {
      type: 'status';
      runId: string;
      message: string;
      /** The message by key and values (engine/words.ts), for the renderer to say in the user's language. */
      words?: Words;
      /** Present while the run waits in the host's queue for a free training slot. */
      queued?: { ahead: number; maxConcurrent: number };
    }
  | {
      type: 'batch';
      runId: string;
      epoch: number;
      batch: number;
      /** Global step, counting from 1. */
      step: number;
      loss: number;
      acc: number;
      msPerStep: number;
    }
  | {
      type: 'epoch';
      runId: string;
      epoch: number;
      trainLoss: number;
      trainAcc: number;
      devLoss: number;
      devAcc: number;
      /** This epoch's duration, dev evaluation included. */
      seconds: number;
      /** The learning rate this epoch trained with (schedule and warm-up applied). */
      lr: number;
      /**
       * The global L2 norm of the gradient (before clipping), the mean over this epoch's batches:
       * every batch with `training.clipNorm`, else every 8th (GRAD_NORM_EVERY) from the first.
       */
      gradNorm: number;
      /** Train examples per second of this epoch's optimizer steps (evaluation not counted). */
      examplesPerSec: number;
      /** Seconds since training started. */
      elapsedSeconds: number;
      /** Seconds left at this pace if every remaining epoch runs (early stopping may end sooner). */
      etaSeconds: number;
    }
  | { type: 'nan'; runId: string; epoch: number; batch: number; message: string; words?: Words }
  | {
      type: 'done';
      runId: string;
      runDir: string;
      reason: 'completed' | 'stopped' | 'early-stopped' | 'nan';
      epochs: number;
      finalLoss: number;
      bestDevLoss: number | null;
      testLoss: number | null;
      testAcc: number | null;
      /** The test split's full evaluation, when one ran (not after NaN, nor on an empty test split). */
      test?: SplitEvaluation;
      /** The epoch whose weights early stopping restored (restoreBest), when it restored any. */
      bestEpoch?: number;
      seconds: number;
    }
  | {
      type: 'error';
      runId: string;
      message: string;
      /** The message by key and values (engine/words.ts), for the renderer to say in the user's language. */
      words?: Words;
      issues?: GraphIssue[];
      /** Present when the training process died without a word (the host saw it end). */
      crash?: CrashReport;
    };

export type TrainEventType = TrainEvent['type'];
