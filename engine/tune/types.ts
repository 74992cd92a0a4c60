/**
 * The words of a sweep as every host and the UI see it: each trial's configuration and results,
 * the sweep's state, its best trial, what halving saved and the zoomed-in sweep it proposes.
 * Plain JSON, so a snapshot crosses the web socket and Electron's IPC as it is.
 */
import type { SweepSpec } from '../graph/document';
import type { SweepConfig } from '../graph/sweep';
import type { GraphIssue } from '../graph/types';
import type { LrFinderResult } from '../train/lrFinder';
import type { Words } from '../words';

/**
 * `pending`: not started yet. `running`: training (or queued in the host). `done`: trained to
 * the end (or its own early stopping). `pruned`: halving stopped it at a rung. `stopped`: the
 * sweep was stopped. `failed`: its run ended with an error or crashed.
 */
export type TrialState = 'pending' | 'running' | 'done' | 'pruned' | 'stopped' | 'failed';

export interface TrialResult {
  /** 1-based, in the order the configurations were drawn. */
  trial: number;
  config: SweepConfig;
  /** The trial's run, once started: a normal run in the host's runs folder. */
  runId: string | null;
  state: TrialState;
  /** Epochs it finished. */
  epochs: number;
  /** Its lowest dev loss (train loss where there is no dev split), null before an epoch. */
  bestDevLoss: number | null;
  /** Its highest dev accuracy, null before an epoch or without a dev split. */
  bestDevAcc: number | null;
  /** The dev loss of each epoch, in order (the monitored loss where there is no dev split). */
  devLosses: number[];
  /** Wall-clock seconds from its start to its end (or now). */
  seconds: number;
  /** Whether halving stopped it, and at which rung (epochs). */
  stoppedEarly: boolean;
  stoppedAtRung: number | null;
  /** How its run ended: a done reason, or the error's message. */
  outcome: string | null;
  /** Whether its run has ended (a pruned trial is `pruned` from its rung, and ends a moment later). */
  finished: boolean;
}

export type SweepState = 'running' | 'done' | 'stopped' | 'failed';

/** Epochs trained against epochs a sweep without halving would have trained. */
export interface SweepSaving {
  epochsRun: number;
  epochsBudgeted: number;
  /** 1 − run / budgeted: 0.6 means 60% of the epochs were saved. */
  fraction: number;
}

export interface SweepSnapshot {
  sweepId: string;
  /** The name of the Document swept. */
  documentName: string;
  state: SweepState;
  /** Why it failed, or a word about where it is. */
  message: string | null;
  /** The message by key and values (engine/words.ts), for the renderer to say in the user's language. */
  words?: Words;
  /** The sweep as it runs (the trial budget and seed applied). */
  sweep: SweepSpec;
  /** Epochs of a trial that is not stopped early. */
  epochs: number;
  /** The epochs at which halving compares trials. */
  rungs: number[];
  /** Trials that train at once. */
  parallel: number;
  trials: TrialResult[];
  /** The trial with the lowest best dev loss so far, or null. */
  best: number | null;
  saving: SweepSaving;
  /** The narrower sweep around the best trials, once two have a dev loss. */
  zoom: SweepSpec | null;
  startedAt: string;
  /** Seconds from its start to its end (or now). */
  seconds: number;
}

/**
 * A learning-rate finder as the UI follows it: its points so far, then its result. The model
 * trains in a worker from its initialisation and is thrown away; the Document is not changed.
 */
export interface LrFindSnapshot {
  findId: string;
  documentName: string;
  state: 'running' | 'done' | 'stopped' | 'failed';
  /** Where it is (loading the data, compiling), or why it failed. */
  message: string | null;
  /** The message by key and values (engine/words.ts), for the renderer to say in the user's language. */
  words?: Words;
  /** The batches so far: one point each. */
  points: { step: number; lr: number; loss: number }[];
  /** The analysed curve, once it has ended (also when stopped early). */
  result: LrFinderResult | null;
  /** The graph's problems, when it failed on them. */
  issues?: GraphIssue[];
  /** Batches it plans, and its range of learning rates. */
  steps: number;
  minLr: number;
  maxLr: number;
}

/** What a host says about its sweeps and finders: one whole snapshot each time one changes. */
export type TuneEvent = { type: 'sweep'; sweep: SweepSnapshot } | { type: 'lr-find'; find: LrFindSnapshot };

/** The sweeps and finders a host runs or ran lately (a page asks when it connects). */
export interface TuneJobs {
  sweeps: SweepSnapshot[];
  finds: LrFindSnapshot[];
}
