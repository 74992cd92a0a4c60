/**
 * The one typed contract between the UI and whatever host is behind it (Electron IPC, the web
 * host's WebSocket, the CLI). Types only, plus the zod schemas hosts use to validate payloads.
 * The renderer sees it as `window.modelwright` (Electron preload) or through the web bridge.
 */
import { z } from 'zod';
import type { GraphIssue } from './graph/types';

export type { GraphIssue, NodeReport, Shape, ValidateResult } from './graph/types';

/** Which tfjs backend the engine picked, and why. */
export interface BackendInfo {
  /** 'tensorflow' = tfjs-node or tfjs-node-gpu (libtensorflow), 'wasm', 'cpu'. */
  name: 'tensorflow' | 'wasm' | 'cpu';
  /** The npm package that provided it, e.g. "@tensorflow/tfjs-node-gpu". */
  package: string;
  /** A sentence for the status bar: what was tried, what loaded, why this one. */
  reason: string;
  /** Threads the kernels use (wasm/cpu), or undefined where the backend manages its own. */
  threads?: number;
  /** Kernels training needs that were missing and that Modelwright registered itself. */
  customKernels: string[];
}

/** Facts about the data bound to a document, for the UI and the `data` CLI command. */
export interface DataSummary {
  source: string;
  rows: number;
  classes: string[];
  /** Rows of each class, in `classes` order, over the whole file. */
  classCounts: number[];
  /** Rows of each class in the train split: what class weights are computed from. */
  trainClassCounts?: number[];
  vocabSize: number;
  maxLength: number;
  /** Shape of one encoded example, without batch. */
  inputShape: number[];
  inputDtype: 'float32' | 'int32';
  split: { train: number; dev: number; test: number };
  /** The column the split was read from, when the data names one (`data.split.column`); else the ratios made it. */
  splitColumn?: string;
  /** A few raw rows: [text, label]. */
  sample: [string, string][];
}

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
      /** The loss's weight of each class, in `data.classes` order; absent when classes weigh alike. */
      classWeights?: number[];
    }
  | { type: 'status'; runId: string; message: string }
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
  | { type: 'nan'; runId: string; epoch: number; batch: number; message: string }
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
  | { type: 'error'; runId: string; message: string; issues?: GraphIssue[] };

export type TrainEventType = TrainEvent['type'];

/**
 * A file a document will read when its data is described or it is trained: its data source
 * (unless built in) and each Embedding's `pretrained` vectors. Hosts read none of these until
 * the user has seen and accepted them (`allowFiles`); the built-in dataset needs no consent.
 */
export interface DocumentFile {
  /** As written in the document. */
  path: string;
  /** The absolute path the host would read: what the user must see and accept. */
  resolvedPath: string;
  role: 'data' | 'pretrained';
  /** The Embedding node that wants the vectors (role "pretrained"). */
  nodeId?: string;
  /**
   * Whether the host needs consent for it: false when the request's `allowFiles` already
   * holds it. (Every document-named file needs consent; this says whether it was given.)
   */
  allowed: boolean;
}

export interface DocumentFiles {
  /** The folder relative paths resolve against (the document's folder, else the host's cwd). */
  baseDir: string;
  files: DocumentFile[];
}

/**
 * Which document-named files the user accepted, and where the document lives. Paths in
 * `allowFiles` may be as written in the document or absolute; both are resolved against the
 * document's folder. A file the user picked in the UI's own file dialog counts as accepted:
 * the UI passes it here.
 */
export const FileAccessSchema = z.object({
  /** The document's own file, when it has one (desktop): relative paths in it resolve against its folder. */
  documentPath: z.string().min(1).max(4096).optional(),
  allowFiles: z.array(z.string().min(1).max(4096)).max(64).optional(),
});
export type FileAccess = z.infer<typeof FileAccessSchema>;

/**
 * The start of the message of a call rejected (or a run ended with `error`) because the
 * document names files the user has not accepted; the UI may look for it to show its consent
 * dialog again.
 */
export const FILES_NOT_ALLOWED = 'This document reads files you have not allowed yet';

export interface ExampleInfo {
  /** File name under assets/examples, e.g. "surname-cnn.json". */
  file: string;
  name: string;
}

/**
 * Calls the UI makes of its host. Every host implements all of them with the same meaning.
 * `document` payloads are the Document JSON as text, so hosts never re-serialise it.
 */
export interface EngineApi {
  backendInfo(): Promise<BackendInfo>;
  listExamples(): Promise<ExampleInfo[]>;
  /** The text of an example from assets/examples. */
  loadExample(file: string): Promise<string>;
  /**
   * The files the document will read (data source, pretrained vectors), resolved, and whether
   * `access.allowFiles` already accepts each. Reads none of them. Show these to the user before
   * describeData / startTraining, and pass the accepted ones as `allowFiles`.
   */
  describeFiles(documentText: string, access?: FileAccess): Promise<DocumentFiles>;
  /**
   * Summarises the data the document's `data` section binds to. Rejects (message starting with
   * FILES_NOT_ALLOWED) when its data file is not in `access.allowFiles`.
   */
  describeData(documentText: string, access?: FileAccess): Promise<DataSummary>;
  /**
   * Starts a run in a child process; events arrive through `onTrainEvent`. Rejects (message
   * starting with FILES_NOT_ALLOWED) when a file the document reads is not in `req.allowFiles`.
   */
  startTraining(req: StartTrainingRequest): Promise<{ runId: string }>;
  stopTraining(runId: string): Promise<void>;
  /** Subscribes to every run's events; returns the unsubscribe function. */
  onTrainEvent(listener: (event: TrainEvent) => void): () => void;
}

export const StartTrainingRequestSchema = z.object({
  documentText: z.string().max(50_000_000),
  /** Overrides `training.epochs`. */
  epochs: z.number().int().min(1).max(100_000).optional(),
  /** See FileAccessSchema: the document's own file, for relative paths in it. */
  documentPath: FileAccessSchema.shape.documentPath,
  /** See FileAccessSchema: the document-named files the user accepted. */
  allowFiles: FileAccessSchema.shape.allowFiles,
});
export type StartTrainingRequest = z.infer<typeof StartTrainingRequestSchema>;

export const RunIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,80}$/);
export const ExampleFileSchema = z.string().regex(/^[a-z0-9-]{1,80}\.json$/);

/** The names of the calls, for hosts that route by name (IPC channels, WebSocket methods). */
export const ENGINE_METHODS = [
  'backendInfo',
  'listExamples',
  'loadExample',
  'describeFiles',
  'describeData',
  'startTraining',
  'stopTraining',
] as const;
export type EngineMethod = (typeof ENGINE_METHODS)[number];

/** Validates each call's arguments; hosts run this on every payload before acting on it. */
export const ENGINE_ARGS: { [M in EngineMethod]: z.ZodType<Parameters<EngineApi[M]>> } = {
  backendInfo: z.tuple([]),
  listExamples: z.tuple([]),
  loadExample: z.tuple([ExampleFileSchema]),
  describeFiles: z.tuple([z.string().max(50_000_000), FileAccessSchema.optional()]),
  describeData: z.tuple([z.string().max(50_000_000), FileAccessSchema.optional()]),
  startTraining: z.tuple([StartTrainingRequestSchema]),
  stopTraining: z.tuple([RunIdSchema]),
};

/**
 * The web host's wire protocol: JSON text frames over `ws://127.0.0.1:<port>/api`.
 * The socket is accepted only with the session token (the `mw_token` cookie set when the page
 * was loaded with `?token=`, or `?token=` on the socket URL itself).
 */
export type WireClientMessage = { kind: 'call'; id: number; method: EngineMethod; args: unknown[] };
export type WireServerMessage =
  | { kind: 'result'; id: number; ok: true; value: unknown }
  | { kind: 'result'; id: number; ok: false; error: string }
  | { kind: 'event'; event: TrainEvent };

export const WireClientMessageSchema = z.object({
  kind: z.literal('call'),
  id: z.number().int(),
  method: z.enum(ENGINE_METHODS),
  args: z.array(z.unknown()).max(4),
});

/** A document file the user opened, as the host hands it to the UI. */
export interface OpenedFile {
  /** Full path where the host knows it (desktop), else undefined (browser). */
  path?: string;
  /** File name for the title bar, e.g. "surname-cnn.modelwright". */
  name: string;
  text: string;
}

/**
 * What the Electron preload exposes as `window.modelwright`: the engine contract plus the
 * native file dialogs. Saves are atomic (temp file + rename) and never overwrite a good file
 * with a bad one.
 */
export interface DesktopApi extends EngineApi {
  /** Shows the native Open dialog; null when cancelled. */
  openDocument(): Promise<OpenedFile | null>;
  /** Saves to `path`, or asks for one (Save As) when `path` is missing; null when cancelled. */
  saveDocument(req: { path?: string; suggestedName: string; text: string }): Promise<{ path: string; name: string } | null>;
  /**
   * Shows the native Open dialog for a file a document reads (a CSV/TSV/TXT data file, a GloVe
   * text file); null when cancelled. A file the user picks here counts as accepted.
   */
  pickFile(req: PickFileRequest): Promise<PickedFile | null>;
}

export const PickFileRequestSchema = z.object({ purpose: z.enum(['data', 'pretrained']) });
/** What a picked file is for: it chooses the dialog's title and file types. */
export type PickFileRequest = z.infer<typeof PickFileRequestSchema>;
export interface PickedFile {
  /** The full path, as the document will name it. */
  path: string;
  name: string;
}

export const SaveDocumentRequestSchema = z.object({
  path: z.string().min(1).max(4096).optional(),
  suggestedName: z.string().min(1).max(255),
  text: z.string().max(200_000_000),
});
