/**
 * Messages between the run manager (host) and a training worker (child process). Plain JSON,
 * so they pass over Node's IPC and Electron's utilityProcess port alike.
 */
import type { Failure, Words } from '../words';
import type { EpochEstimateOutcome } from '../train/epochEstimate';
import { z } from 'zod';
import type { BackendInfo, DataSummary, SplitEvaluation, TextPrediction, TrainEvent } from '../api';
import type { DataProgress } from '../data/dataset';
import type { GloveCoverage } from '../data/glove';
import { DataSchema, DocumentSchema } from '../graph/document';
import type { LrFindOutcome, LrPoint } from '../train/lrFinder';

export const ToWorkerSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('train'),
    runId: z.string(),
    runDir: z.string(),
    /**
     * The Document the host parsed (and migrated) once. It crosses a process boundary, so this
     * schema checks it again here, the one place the worker does; nothing re-parses its text.
     */
    document: DocumentSchema,
    epochs: z.number().int().min(1).optional(),
    /** Relative data paths in the document are read from here (the document's folder). */
    baseDir: z.string(),
    /**
     * The absolute paths of the files the host granted (the user chose or accepted them). The
     * worker's file port reads these and no others; the built-in data needs none.
     */
    grantedFiles: z.array(z.string()),
    /** Least ms between two `batch` events. */
    batchEventIntervalMs: z.number().min(0).optional(),
    /** Go on from the last complete checkpoint in `runDir` (the same run, resumed). */
    resume: z.boolean().optional(),
  }),
  /** Finish the current batch, save, send `done` with reason "stopped", exit. */
  z.object({ kind: z.literal('stop') }),
  /** Initialise the backend, answer with `backend`, exit. */
  z.object({ kind: z.literal('probe') }),
  /**
   * Read and summarise a data binding, answer with `described` (same id), and wait for the
   * next: the host keeps one such worker while data is being looked at, so a big or hostile
   * file is read here, never in the host process.
   */
  z.object({
    kind: z.literal('describe'),
    id: z.number().int(),
    data: DataSchema,
    baseDir: z.string(),
    grantedFiles: z.array(z.string()),
    /** The host's name for this data as read now; the worker keeps its vocabulary under it for `coverage`. */
    key: z.string().optional(),
  }),
  /**
   * How much of the vocabulary of the data described under `key` (re-read when the worker no
   * longer has it) a word-vectors file covers; answer with `covered` (same id).
   */
  z.object({
    kind: z.literal('coverage'),
    id: z.number().int(),
    key: z.string(),
    data: DataSchema,
    baseDir: z.string(),
    grantedFiles: z.array(z.string()),
    glove: z.string(),
  }),
  /**
   * Classify texts with a finished run's model (loaded from `runDir` once, then kept for the
   * next few requests), answer with `predicted` (same id), and wait for the next.
   */
  z.object({
    kind: z.literal('predict'),
    id: z.number().int(),
    runDir: z.string(),
    texts: z.array(z.string()),
    top: z.number().int().min(1),
  }),
  /** Classify pictures (base64 PNG or JPEG) with a finished image model's run; answer with `predicted`. */
  z.object({
    kind: z.literal('predict-images'),
    id: z.number().int(),
    runDir: z.string(),
    images: z.array(z.object({ name: z.string(), base64: z.string() })),
    top: z.number().int().min(1),
  }),
  /**
   * Evaluate a finished run's final weights on its test split, its data re-read with the granted
   * files only; answer with `evaluated` (same id), and wait for the next.
   */
  z.object({
    kind: z.literal('evaluate'),
    id: z.number().int(),
    runDir: z.string(),
    baseDir: z.string(),
    grantedFiles: z.array(z.string()),
  }),
  /**
   * Run the learning-rate finder on the document's model from its initialisation (nothing is
   * written), post `lr-progress` as batches go and `lr-found` at the end, and exit.
   */
  /**
   * Time a few training steps of the document's model on its data (nothing is written) and
   * answer with `estimated` (same id): the editor's time-per-epoch estimate.
   */
  z.object({
    kind: z.literal('estimate'),
    id: z.number().int(),
    document: DocumentSchema,
    baseDir: z.string(),
    grantedFiles: z.array(z.string()),
    steps: z.number().int().min(1).max(100).optional(),
  }),
  z.object({
    kind: z.literal('lr-find'),
    document: DocumentSchema,
    baseDir: z.string(),
    grantedFiles: z.array(z.string()),
    minLr: z.number().positive().optional(),
    maxLr: z.number().positive().optional(),
    steps: z.number().int().min(2).max(100_000).optional(),
  }),
]);
export type ToWorker = z.infer<typeof ToWorkerSchema>;

export type FromWorker =
  | { kind: 'event'; event: TrainEvent }
  | { kind: 'backend'; info: BackendInfo }
  | { kind: 'fatal'; message: string }
  /** How far the `describe` with this id has read its file (at most every 100 ms). */
  | { kind: 'describe-progress'; id: number; progress: DataProgress }
  | { kind: 'described'; id: number; result: { ok: true; summary: DataSummary } | Failure }
  | { kind: 'covered'; id: number; result: { ok: true; coverage: GloveCoverage } | Failure }
  | { kind: 'predicted'; id: number; result: { ok: true; predictions: TextPrediction[] } | Failure }
  | { kind: 'evaluated'; id: number; result: RunEvaluationResult }
  | { kind: 'estimated'; id: number; result: EpochEstimateOutcome }
  /** The learning-rate finder's batches since the last progress message, or a word on where it is. */
  | { kind: 'lr-progress'; points: Omit<LrPoint, 'smoothed'>[]; message?: string; words?: Words }
  | { kind: 'lr-found'; outcome: LrFindOutcome };

/** A run's test evaluation computed in a worker, or why not: its folder (`run`) or its data (`data`). */
export type RunEvaluationResult = { ok: true; evaluation: SplitEvaluation } | (Failure & { problem: 'run' | 'data' });
