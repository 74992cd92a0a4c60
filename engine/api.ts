/**
 * The one typed contract between the UI and whatever host is behind it (Electron IPC, the web
 * host's WebSocket, the CLI). Types only, plus the zod schemas hosts use to validate payloads.
 * The renderer sees it as `window.modelwright` (Electron preload) or through the web bridge.
 */
import { z } from 'zod';
import type { GraphIssue, Shape } from './blocks/defineBlock';

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
  classCounts: number[];
  vocabSize: number;
  maxLength: number;
  /** Shape of one encoded example, without batch. */
  inputShape: number[];
  inputDtype: 'float32' | 'int32';
  split: { train: number; dev: number; test: number };
  /** A few raw rows: [text, label]. */
  sample: [string, string][];
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
      seconds: number;
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
      seconds: number;
    }
  | { type: 'error'; runId: string; message: string; issues?: GraphIssue[] };

export type TrainEventType = TrainEvent['type'];

/** One node's result of validation, as the CLI's `validate --json` prints it. */
export interface NodeReport {
  id: string;
  type: string;
  outputShape: Shape | null;
  params: Record<string, unknown>;
  paramCount: number;
  macs: number;
}

export interface ValidateResult {
  ok: boolean;
  nodes: NodeReport[];
  errors: GraphIssue[];
  totals: { params: number; macs: number };
}

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
  /** Summarises the data the document's `data` section binds to. */
  describeData(documentText: string): Promise<DataSummary>;
  /** Starts a run in a child process; events arrive through `onTrainEvent`. */
  startTraining(req: StartTrainingRequest): Promise<{ runId: string }>;
  stopTraining(runId: string): Promise<void>;
  /** Subscribes to every run's events; returns the unsubscribe function. */
  onTrainEvent(listener: (event: TrainEvent) => void): () => void;
}

export const StartTrainingRequestSchema = z.object({
  documentText: z.string().max(50_000_000),
  /** Overrides `training.epochs`. */
  epochs: z.number().int().min(1).max(100_000).optional(),
});
export type StartTrainingRequest = z.infer<typeof StartTrainingRequestSchema>;

export const RunIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,80}$/);
export const ExampleFileSchema = z.string().regex(/^[a-z0-9-]{1,80}\.json$/);

/** The names of the calls, for hosts that route by name (IPC channels, WebSocket methods). */
export const ENGINE_METHODS = [
  'backendInfo',
  'listExamples',
  'loadExample',
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
  describeData: z.tuple([z.string().max(50_000_000)]),
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
}

export const SaveDocumentRequestSchema = z.object({
  path: z.string().min(1).max(4096).optional(),
  suggestedName: z.string().min(1).max(255),
  text: z.string().max(200_000_000),
});
