/**
 * The one typed contract between the UI and whatever host is behind it (Electron IPC, the web
 * host's WebSocket, the CLI). Types only, plus the zod schemas hosts use to validate payloads.
 * The renderer sees it as `window.modelwright` (Electron preload) or through the web bridge.
 *
 * It is the roof: hosts and the renderer import it; nothing under engine/graph, data, train,
 * compile, blocks or kernels does (a lint rule keeps it so). The words it shares with the
 * engine (TrainEvent, DataSummary, BackendInfo, the graph's types) are defined where they are
 * made and re-exported here.
 */
import { z } from 'zod';
import type { NodeId } from './graph/document';
import type { BackendInfo } from './backend';
import type { DataSummary } from './data/summary';
import type { DataProgress } from './data/dataset';
import type { GraphIssue } from './graph/types';
import type { Words } from './words';
import type { SweepIssue } from './graph/sweep';
import type { TuneEvent, TuneJobs } from './tune/types';
import type { SplitEvaluation, TrainEvent } from './train/events';

export type { GraphIssue, NodeReport, Shape, ValidateResult } from './graph/types';
export type { BackendInfo } from './backend';
export type { DataSummary } from './data/summary';
export type { DataProgress } from './data/dataset';
export type { GloveCoverage } from './data/glove';
export type { SweepConfig, SweepIssue, SweepValue } from './graph/sweep';
export type { LrFinderResult, LrPoint } from './train/lrFinder';
export type { EpochEstimate } from './train/epochEstimate';
import type { EpochEstimate } from './train/epochEstimate';
export type { LrFindSnapshot, SweepSaving, SweepSnapshot, SweepState, TrialResult, TrialState, TuneEvent, TuneJobs } from './tune/types';
export type { ClassMetrics, CrashReport, SplitEvaluation, TrainEvent, TrainEventType } from './train/events';

/**
 * A file a document will read when its data is described or it is trained: its data source
 * (unless built in) and each block's file params (an Embedding's `pretrained` vectors). Hosts
 * read none of these until the user has chosen or accepted them in the host (a grant).
 */
export interface DocumentFile {
  /** As written in the document. */
  path: string;
  /** The absolute path the host would read: what the user must see and accept. */
  resolvedPath: string;
  role: 'data' | 'pretrained';
  /** The node that wants the file (role "pretrained"). */
  nodeId?: NodeId;
  /** Whether the host has granted reading it (the user picked it in the host, or accepted it). */
  allowed: boolean;
}

export interface DocumentFiles {
  /** The folder relative paths resolve against (the document's folder, else the host's cwd). */
  baseDir: string;
  files: DocumentFile[];
}

/**
 * Where the document lives, for relative paths in it. Which files may be read is not the
 * request's to say: the host keeps the grants (files the user picked in its dialogs or accepted
 * through `allowFiles`) and its file port reads nothing else.
 */
export const FileAccessSchema = z.object({
  /**
   * The document's own file (desktop), when it has one: relative paths in it resolve against its
   * folder. The desktop host accepts only a path it opened or saved itself.
   */
  documentPath: z.string().min(1).max(4096).optional(),
});
export type FileAccess = z.infer<typeof FileAccessSchema>;

/**
 * Why a call did not do what was asked: a user's mistake or a refusal, as a value the UI can
 * act on by its `code` (exceptions are for bugs). `message` is a sentence for people.
 */
export type EngineError =
  /** The document text is not a Modelwright document, or comes from a newer version. */
  (
    | { code: 'invalid-document'; message: string }
    /** The document names files the user has not granted; nothing was read. */
    | { code: 'files-not-allowed'; message: string; files: DocumentFile[] }
    /** The data could not be read or makes no sense (a missing column, a bad encoding, too big). */
    | { code: 'data-error'; message: string }
    /** The graph does not validate against the data. */
    | { code: 'invalid-graph'; message: string; issues: GraphIssue[] }
    /** The user declined the host's own confirmation. */
    | { code: 'declined'; message: string }
    /** A run could not be exported: its folder does not load, a block has no form in the format, or the files could not be written. Nothing was written. */
    | { code: 'export-error'; message: string }
    /** No run by that id in the host's runs folder. */
    | { code: 'no-such-run'; message: string }
    /**
     * The run cannot do what was asked: it is still training (deleting, predicting wait for its
     * end), it has no final weights (it crashed or diverged), or its folder does not load.
     */
    | { code: 'run-error'; message: string }
    /** The document's sweep cannot run: a target names a node or param that is not there, a range its scale cannot sample… */
    | { code: 'invalid-sweep'; message: string; issues: SweepIssue[] }
    /** The host could not write or read the autosave folder (a full disk, no permission). The page keeps the document. */
    | { code: 'autosave-error'; message: string }
  ) & {
    /** The message by key and values (engine/words.ts), for the renderer to say in the user's language; the message is its English. */
    words?: Words;
  };
export type EngineErrorCode = EngineError['code'];

/** A call's answer: its value, or the typed reason it has none. */
export type EngineResult<T> = { ok: true; value: T } | { ok: false; error: EngineError };

export interface ExampleInfo {
  /** File name under assets/examples, e.g. "surname-cnn.json". */
  file: string;
  name: string;
}

/** How a run ended, as the runs list says it. */
export type RunEnding =
  /** Training now (in this host). */
  | 'running'
  | 'completed'
  | 'stopped'
  | 'early-stopped'
  | 'nan'
  /** It ended with an error (bad data, an invalid graph, a training failure). */
  | 'error'
  /** Its process died without a word (killed, out of memory). */
  | 'crashed'
  /** It has no outcome and is not running: its host died with it. */
  | 'unknown';

/** One run in the host's runs folder, as the runs panel and `modelwright runs` list it. */
export interface RunSummary {
  runId: string;
  /** The name the user gave it (renameRun), or null. */
  name: string | null;
  /** When it started (ISO time). */
  createdAt: string;
  /** The name of the Document it trained; null when its run.json has none. */
  documentName: string | null;
  ended: RunEnding;
  /** The best dev accuracy of its epochs; null before the first epoch or without a dev split. */
  bestDevAcc: number | null;
  /** Epochs it finished. */
  epochs: number;
  /** Epochs it was asked to train. */
  plannedEpochs: number | null;
  /** Its test accuracy, when its test split was evaluated. */
  testAcc: number | null;
  /** Whether it saved final weights: it can predict and be evaluated. */
  hasModel: boolean;
  /** A model of pictures: the size and channels it reads (prediction takes pictures, `predictImages`). Absent: a model of texts. */
  image?: { height: number; width: number; channels: number };
}

/** One epoch of a stored run's curves (a NaN or missing value is null). */
export interface RunEpochPoint {
  epoch: number;
  /** The global step at the end of the epoch, so epoch points sit on the batch axis. */
  step: number;
  trainLoss: number | null;
  trainAcc: number | null;
  devLoss: number | null;
  devAcc: number | null;
  /** The learning rate the epoch trained with; null in runs from before it was recorded. */
  lr: number | null;
  seconds: number | null;
}

/** A stored run's curves, lossless: every epoch event and every batch's loss. */
export interface RunCurves {
  runId: string;
  stepsPerEpoch: number;
  epochs: RunEpochPoint[];
  /** Every batch's loss, one record an epoch: `losses[i]` is step `firstStep + i`. */
  batches: { epoch: number; firstStep: number; losses: (number | null)[] }[];
  /** The epoch whose weights early stopping restored, when it restored any. */
  bestEpoch: number | null;
}

/** A stored run's Document, exactly as it trained. */
export interface RunDocument {
  runId: string;
  documentText: string;
  /** The run's name (renameRun), or the Document's name. */
  name: string;
}

/** One text's prediction: the top classes and every class's probability. */
export interface TextPrediction {
  text: string;
  top: { label: string; p: number }[];
  probs: Record<string, number>;
}

/** A picture to classify: its name (shown with the answer) and its PNG or JPEG bytes, base64. */
export interface PredictImage {
  name: string;
  base64: string;
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
   * the host has granted each. Reads none of them. Show the others to the user before
   * describeData / startTraining, and ask for them with `allowFiles`.
   */
  describeFiles(documentText: string, access?: FileAccess): Promise<EngineResult<DocumentFiles>>;
  /**
   * Asks the host to grant reading `paths` (as the document names them, or resolved), which must
   * be files the document names. The web host grants them to this connection (the page is the
   * user's agent); the desktop host first shows its own confirmation. Answers the files again.
   */
  allowFiles(documentText: string, paths: string[], access?: FileAccess): Promise<EngineResult<DocumentFiles>>;
  /**
   * Summarises the data the document's `data` section binds to, read in a child process.
   * `files-not-allowed` when its data file is not granted; `data-error` when it cannot be read.
   */
  describeData(documentText: string, access?: FileAccess): Promise<EngineResult<DataSummary>>;
  /** How far this client's describeData in flight has read its file; null when none is. For a progress bar, asked every few hundred ms. */
  dataProgress(): Promise<DataProgress | null>;
  /**
   * How long one epoch of the document will take on this machine and backend: a few real
   * training steps of its model on its data, timed in a child process (nothing is written).
   * Errors as for `describeData`, and `invalid-graph` when the graph does not validate.
   */
  estimateEpoch(req: EstimateEpochRequest): Promise<EngineResult<EpochEstimate>>;
  /**
   * Starts a run in a child process; events arrive through `onTrainEvent`.
   * `files-not-allowed` when a file the document reads is not granted.
   */
  startTraining(req: StartTrainingRequest): Promise<EngineResult<{ runId: string }>>;
  /**
   * Resumes a stopped or crashed run (the same run id and folder) from its last complete
   * checkpoint: weights, optimizer state, schedule position and early-stopping state, its curves
   * going on where they stopped. Its files must be granted as for starting it.
   */
  resumeRun(runId: string): Promise<EngineResult<{ runId: string }>>;
  stopTraining(runId: string): Promise<void>;
  /**
   * Exports a finished run's trained model as a PyTorch project, an ONNX model or tfjs files.
   * The host decides where it goes: the desktop asks with its own dialog (null when the user
   * cancels), the web host writes into the run's folder (`exports/<format>/`). Answers where.
   */
  exportRun(req: ExportRunRequest): Promise<EngineResult<ExportedRun | null>>;
  /**
   * Every run the host is training or has queued, whoever started it, with what it has done so
   * far: its true totals and its whole curve. A page asks when its connection opens (the first
   * time and after every reconnect), then follows `onTrainEvent`.
   */
  activeRuns(): Promise<RunSnapshot[]>;
  /** Every run in the host's runs folder, newest first. */
  listRuns(): Promise<RunSummary[]>;
  /** Names a run (an empty name clears it), in a file of its own in the run's folder. */
  renameRun(runId: string, name: string): Promise<EngineResult<RunSummary>>;
  /** Deletes a run's folder, inside the runs folder only. `run-error` while it trains. */
  deleteRun(runId: string): Promise<EngineResult<{ runId: string }>>;
  /** The exact Document a run trained. */
  runDocument(runId: string): Promise<EngineResult<RunDocument>>;
  /** A run's curves: its epoch events and every batch's loss. */
  runCurves(runId: string): Promise<EngineResult<RunCurves>>;
  /**
   * Classifies `texts` with a finished run's model, in a worker process, encoded with the run's
   * own vocabulary: each text's `top` classes (default 3) and every class's probability.
   */
  predict(runId: string, texts: string[], top?: number): Promise<EngineResult<TextPrediction[]>>;
  /**
   * A finished run's test evaluation: the one stored when it ended, else computed in a worker
   * from its final weights and its data (`files-not-allowed` when that file is not granted).
   */
  evaluateRun(runId: string): Promise<EngineResult<SplitEvaluation>>;
  /**
   * Classifies pictures with a finished image model's run, in a worker process, decoded, resized
   * and scaled as its training data was: each picture's `top` classes (its `text` is the
   * picture's name). A picture that is not a PNG or JPEG, or is damaged, is a `run-error` naming it.
   */
  predictImages(runId: string, images: PredictImage[], top?: number): Promise<EngineResult<TextPrediction[]>>;
  /** Subscribes to every run's events; returns the unsubscribe function. */
  onTrainEvent(listener: (event: TrainEvent) => void): () => void;
  /**
   * Starts a hyperparameter sweep of the document: its `sweep` (or, without one, the learning
   * rate log-uniform over 1e-4…1e-1). Each trial is a normal run (its events come through
   * `onTrainEvent`); the sweep's snapshots come through `onTuneEvent`. `invalid-sweep` names
   * each problem of the sweep; `files-not-allowed` as for training.
   */
  startSweep(req: StartSweepRequest): Promise<EngineResult<{ sweepId: string }>>;
  /** Stops a sweep's trials (they save and end `stopped`); trials not started never start. */
  stopSweep(sweepId: string): Promise<void>;
  /**
   * Runs the learning-rate finder in a worker: a short run from the model's initialisation that
   * raises the rate batch by batch; its points and result come through `onTuneEvent`. The
   * Document and every run's weights are left as they are.
   */
  startLrFind(req: StartLrFindRequest): Promise<EngineResult<{ findId: string }>>;
  stopLrFind(findId: string): Promise<void>;
  /** The sweeps and finders the host runs now or ran lately, for a page that (re)connects. */
  tuneJobs(): Promise<TuneJobs>;
  /** Subscribes to every sweep's and finder's snapshots; returns the unsubscribe function. */
  onTuneEvent(listener: (event: TuneEvent) => void): () => void;
  /**
   * Writes the open document's unsaved text to the host's own data folder (never the user's
   * file), in this editor's `slot`, for crash recovery (engine/host/autosave.ts).
   */
  autosaveDocument(req: AutosaveRequest): Promise<EngineResult<{ savedAt: string }>>;
  /** Autosaves no open editor holds: left by a window or page that closed without saving, crashed or was killed. */
  recoverableDocuments(): Promise<RecoverableDocument[]>;
  /** Removes an autosave slot (restored, discarded, or its document saved). */
  discardAutosave(slot: string): Promise<void>;
}

/** Where an active run is: waiting for a training slot, training, or asked to stop. */
export type ActiveRunState = 'queued' | 'running' | 'stopping';

/** One point of a run's batch curve. */
export interface RunSnapshotBatch {
  epoch: number;
  batch: number;
  /** Global step, counting from 1. */
  step: number;
  loss: number;
  acc: number;
}

/** A run in progress as the host has seen it so far (EngineApi.activeRuns). */
export interface RunSnapshot {
  runId: string;
  runDir: string;
  state: ActiveRunState;
  /** Its `start` event (epochs, steps per epoch, data): null until it starts training. */
  start: Extract<TrainEvent, { type: 'start' }> | null;
  /** Every `epoch` event so far, in order. */
  epochs: Extract<TrainEvent, { type: 'epoch' }>[];
  /**
   * Its batch curve from the first batch event: all of them, or for a long run every k-th
   * (the first kept), at most some ten thousand points. The run folder keeps every loss.
   */
  batches: RunSnapshotBatch[];
  /** The last `batch` event, for the progress line. */
  lastBatch: Extract<TrainEvent, { type: 'batch' }> | null;
  /** Its last status message (e.g. "Queued: 2 runs ahead…"); null once it starts training. */
  message: string | null;
  /** The status message by key and values (engine/words.ts), for the renderer to say in the user's language. */
  words?: Words;
  /** Present while it waits in the queue. */
  queued?: { ahead: number; maxConcurrent: number };
}

export const StartTrainingRequestSchema = z.object({
  documentText: z.string().max(50_000_000),
  /** Overrides `training.epochs`. */
  epochs: z.number().int().min(1).max(100_000).optional(),
  /** See FileAccessSchema: the document's own file, for relative paths in it. */
  documentPath: FileAccessSchema.shape.documentPath,
});
export type StartTrainingRequest = z.infer<typeof StartTrainingRequestSchema>;

export const RunIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,80}$/);

/** The formats a run exports to (engine/export's EXPORT_FORMATS). */
export const ExportFormatSchema = z.enum(['pytorch', 'onnx', 'tfjs']);
export const ExportRunRequestSchema = z.object({ runId: RunIdSchema, format: ExportFormatSchema });
export type ExportRunRequest = z.infer<typeof ExportRunRequestSchema>;
/** Where an export went: the project or tfjs folder, or the .onnx file (its .vocab.json beside it). */
export interface ExportedRun {
  format: ExportRunRequest['format'];
  path: string;
}

export const StartSweepRequestSchema = z.object({
  documentText: z.string().max(50_000_000),
  documentPath: FileAccessSchema.shape.documentPath,
  /** Override the sweep's trial budget, its seed, the epochs of an unstopped trial, trials at once. */
  trials: z.number().int().min(1).max(1000).optional(),
  seed: z.number().int().optional(),
  epochs: z.number().int().min(1).max(100_000).optional(),
  parallel: z.number().int().min(1).max(64).optional(),
});
export type StartSweepRequest = z.infer<typeof StartSweepRequestSchema>;

export const EstimateEpochRequestSchema = FileAccessSchema.extend({
  documentText: z.string().max(50_000_000),
  /** Training steps to time after the warm-up (default 6). */
  steps: z.number().int().min(1).max(100).optional(),
});
export type EstimateEpochRequest = z.infer<typeof EstimateEpochRequestSchema>;

export const StartLrFindRequestSchema = z.object({
  documentText: z.string().max(50_000_000),
  documentPath: FileAccessSchema.shape.documentPath,
  /** Batches from minLr to maxLr (default 200), and the range (default 1e-7 → 10). */
  steps: z.number().int().min(10).max(10_000).optional(),
  minLr: z.number().positive().max(1).optional(),
  maxLr: z.number().positive().max(1000).optional(),
});
export type StartLrFindRequest = z.infer<typeof StartLrFindRequestSchema>;
/** The most characters of one autosaved document (the same bound as a document sent to train). */
export const AUTOSAVE_MAX_CHARS = 50_000_000;
/** One editor's autosave slot: random, chosen by the page when it starts. */
export const AutosaveSlotSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);
export const AutosaveRequestSchema = z.object({
  slot: AutosaveSlotSchema,
  text: z.string().max(AUTOSAVE_MAX_CHARS),
  /** The file name the title bar shows, e.g. "surname-cnn.modelwright". */
  name: z.string().min(1).max(255),
  /** Where the document lives, if anywhere (shown when offering it back). */
  documentPath: z.string().min(1).max(4096).optional(),
});
export type AutosaveRequest = z.infer<typeof AutosaveRequestSchema>;
/** An autosave that can be restored. */
export interface RecoverableDocument {
  slot: string;
  name: string;
  documentPath?: string;
  /** When the host wrote it (ISO time). */
  savedAt: string;
  text: string;
}
export const ExampleFileSchema = z.string().regex(/^[a-z0-9-]{1,80}\.json$/);
/** A run's name: one line, at most 120 characters ("" clears it). */
export const RunNameSchema = z
  .string()
  .max(120)
  .regex(/^[^\n\r\t]*$/, 'a run name is one line');
/** The most texts one `predict` call classifies, and the longest text. */
export const PREDICT_MAX_TEXTS = 256;
export const PREDICT_MAX_TEXT = 10_000;
/** The most pictures one `predictImages` call classifies, and the most base64 characters of one (about 12 MB of file). */
export const PREDICT_MAX_IMAGES = 16;
export const PREDICT_MAX_IMAGE_BASE64 = 16_000_000;
export const PredictImageSchema = z.object({ name: z.string().min(1).max(500), base64: z.string().min(1).max(PREDICT_MAX_IMAGE_BASE64) });

/** The names of the calls, for hosts that route by name (IPC channels, WebSocket methods). */
export const ENGINE_METHODS = [
  'backendInfo',
  'listExamples',
  'loadExample',
  'describeFiles',
  'allowFiles',
  'describeData',
  'estimateEpoch',
  'dataProgress',
  'startTraining',
  'resumeRun',
  'stopTraining',
  'exportRun',
  'activeRuns',
  'listRuns',
  'renameRun',
  'deleteRun',
  'runDocument',
  'runCurves',
  'predict',
  'evaluateRun',
  'startSweep',
  'stopSweep',
  'startLrFind',
  'stopLrFind',
  'tuneJobs',
  'autosaveDocument',
  'recoverableDocuments',
  'discardAutosave',
  'predictImages',
] as const;
export type EngineMethod = (typeof ENGINE_METHODS)[number];

/** Validates each call's arguments; hosts run this on every payload before acting on it. */
export const ENGINE_ARGS: { [M in EngineMethod]: z.ZodType<Parameters<EngineApi[M]>> } = {
  backendInfo: z.tuple([]),
  listExamples: z.tuple([]),
  loadExample: z.tuple([ExampleFileSchema]),
  describeFiles: z.tuple([z.string().max(50_000_000), FileAccessSchema.optional()]),
  allowFiles: z.tuple([z.string().max(50_000_000), z.array(z.string().min(1).max(4096)).max(64), FileAccessSchema.optional()]),
  describeData: z.tuple([z.string().max(50_000_000), FileAccessSchema.optional()]),
  estimateEpoch: z.tuple([EstimateEpochRequestSchema]),
  dataProgress: z.tuple([]),
  startTraining: z.tuple([StartTrainingRequestSchema]),
  resumeRun: z.tuple([RunIdSchema]),
  stopTraining: z.tuple([RunIdSchema]),
  exportRun: z.tuple([ExportRunRequestSchema]),
  activeRuns: z.tuple([]),
  listRuns: z.tuple([]),
  renameRun: z.tuple([RunIdSchema, RunNameSchema]),
  deleteRun: z.tuple([RunIdSchema]),
  runDocument: z.tuple([RunIdSchema]),
  runCurves: z.tuple([RunIdSchema]),
  predict: z.tuple([RunIdSchema, z.array(z.string().max(PREDICT_MAX_TEXT)).min(1).max(PREDICT_MAX_TEXTS), z.number().int().min(1).max(1000).optional()]),
  evaluateRun: z.tuple([RunIdSchema]),
  startSweep: z.tuple([StartSweepRequestSchema]),
  stopSweep: z.tuple([RunIdSchema]),
  startLrFind: z.tuple([StartLrFindRequestSchema]),
  stopLrFind: z.tuple([RunIdSchema]),
  tuneJobs: z.tuple([]),
  autosaveDocument: z.tuple([AutosaveRequestSchema]),
  recoverableDocuments: z.tuple([]),
  discardAutosave: z.tuple([AutosaveSlotSchema]),
  predictImages: z.tuple([RunIdSchema, z.array(PredictImageSchema).min(1).max(PREDICT_MAX_IMAGES), z.number().int().min(1).max(1000).optional()]),
};

/**
 * The web host's wire protocol: JSON text frames over `ws://127.0.0.1:<port>/api`.
 * The socket is accepted only with the session token as `?token=` on the socket URL (the page
 * takes it from its own address; no cookie carries it). Each socket is one session: the files
 * granted through `allowFiles` on it are readable by its calls alone.
 */
export type WireClientMessage = { kind: 'call'; id: number; method: EngineMethod; args: unknown[] };
export type WireServerMessage =
  | { kind: 'result'; id: number; ok: true; value: unknown }
  | { kind: 'result'; id: number; ok: false; error: string }
  | { kind: 'event'; event: TrainEvent }
  /** A sweep's or a learning-rate finder's new snapshot (EngineApi.onTuneEvent). */
  | { kind: 'tune'; event: TuneEvent };

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
  /** Reads again a document main opened or saved itself (Revert); throws naming the path when it cannot. */
  readDocument(path: string): Promise<OpenedFile>;
  /** The documents opened or saved lately, newest first (kept by main in its data folder). */
  recentDocuments(): Promise<RecentDocument[]>;
  /** Opens a recent document (main reads it; only a path in its own list). */
  openRecent(path: string): Promise<OpenedFile>;
  clearRecent(): Promise<void>;
  /**
   * A document file dropped on the window: the preload finds its path (webUtils), main reads it
   * and will save back to it. Null when the file has no path (dragged from a browser).
   */
  openDropped(file: File): Promise<OpenedFile | null>;
  /** The native menus, built by main from the renderer's command table (renderer/commands.ts). */
  setMenu(model: MenuModel): void;
  /** A native menu item was chosen: its command id. */
  onCommand(listener: (id: string) => void): () => void;
  /** The title bar, the unsaved mark (macOS's dot, the "•" elsewhere) and the represented file. */
  setDocumentState(state: DocumentState): void;
  /** The user asked to close the window (or quit): the page asks about unsaved work, then calls `closeWindow`. */
  onCloseRequest(listener: () => void): () => void;
  /** Closes the window now; `stopRuns` stops the runs in progress first. */
  closeWindow(req: CloseWindowRequest): void;
  /** A document handed to the app by the OS (double-click, Open with, a second instance) or a recent-files click in the native menu. */
  onOpenDocument(listener: (opened: OpenedFile) => void): () => void;
  /** Opens one of the app's own links in the user's browser (main allows only its list). */
  openExternal(url: string): void;
}

export interface RecentDocument {
  path: string;
  name: string;
}

export const NativeRoleSchema = z.enum(['cut', 'copy', 'paste']);
export type NativeRole = z.infer<typeof NativeRoleSchema>;
const Label = z.string().min(1).max(200);
export const MenuItemModelSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('command'),
    id: z.string().regex(/^[a-z]+\.[A-Za-z]+$/),
    label: Label,
    enabled: z.boolean(),
    accelerator: z.string().max(60).optional(),
    role: NativeRoleSchema.optional(),
  }),
  z.object({ kind: z.literal('separator') }),
  z.object({
    kind: z.literal('recent'),
    label: Label,
    clearLabel: Label,
    emptyLabel: Label,
    items: z.array(z.object({ path: z.string().min(1).max(4096), name: z.string().min(1).max(255) })).max(20),
  }),
]);
export type MenuItemModel = z.infer<typeof MenuItemModelSchema>;
export const MenuModelSchema = z.object({
  menus: z.array(z.object({ id: z.enum(['file', 'edit', 'view', 'run', 'help']), label: Label, items: z.array(MenuItemModelSchema).max(60) })).max(8),
  /** Labels of the OS's own items (Quit, Minimize…) in the user's language. */
  labels: z.object({
    about: Label,
    quit: Label,
    close: Label,
    window: Label,
    minimize: Label,
    zoom: Label,
    fullScreen: Label,
    zoomIn: Label,
    zoomOut: Label,
    resetZoom: Label,
    hide: Label,
    hideOthers: Label,
    showAll: Label,
    devTools: Label,
    /** Main's own dialogs: a window that does not answer a close request, a document from the OS that does not open. */
    notAnswering: Label,
    closeAnyway: Label,
    wait: Label,
    openFailed: Label,
    /** Main's question before a document reads files: "{count}" and "{node}" are filled in by main. */
    allowFilesTitle: Label,
    allowFilesOne: Label,
    allowFilesMany: Label,
    allowFilesData: Label,
    allowFilesPretrained: Label,
    allow: Label,
    cancel: Label,
  }),
});
export type MenuModel = z.infer<typeof MenuModelSchema>;
export const DocumentStateSchema = z.object({
  title: z.string().max(400),
  dirty: z.boolean(),
  path: z.string().min(1).max(4096).optional(),
});
export type DocumentState = z.infer<typeof DocumentStateSchema>;
export const CloseWindowRequestSchema = z.object({ stopRuns: z.boolean() });
export type CloseWindowRequest = z.infer<typeof CloseWindowRequestSchema>;

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
