/**
 * One training run of a Document, start to finish: parse, load the data, validate, compile,
 * train, save. Everything outside arrives through ports (files, run store, event sink), so the
 * child-process worker, tests and later `tune` drive the same code. User mistakes (a bad
 * document, missing data, an invalid graph) end the run with an `error` event, never a throw.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { BackendInfo, TrainEvent } from '../api';
import { compileModel, GraphInvalidError } from '../compile/compile';
import type { DataSpec } from '../graph/document';
import { factsFromSummary } from '../graph/facts';
import { parseDocument } from '../graph/load';
import { validateDocument } from '../graph/validate';
import type { FilePort } from '../ports';
import type { LossKind } from './lossHead';
import { trainLoop, type DoneEvent } from './loop';
import type { RunInfo, RunStore, SavedWeights } from './runStore';
import type { TrainData } from './trainData';

type ErrorEvent = Extract<TrainEvent, { type: 'error' }>;

export interface RunDocumentOptions {
  runId: string;
  documentText: string;
  /** Overrides the document's `training.epochs`. */
  epochs?: number;
  backend: BackendInfo;
  files: FilePort;
  store: RunStore;
  /** Loads and encodes the document's data (engine/data's prepareData, adapted). */
  prepare: (spec: DataSpec, files: FilePort) => Promise<TrainData>;
  /** Receives every event; they are also appended to the run store. */
  emit: (event: TrainEvent) => void;
  signal?: AbortSignal;
  batchEventIntervalMs?: number;
}

/** The trained weights of `model` in the tfjs artifact format. */
export async function captureWeights(model: tfl.LayersModel): Promise<SavedWeights> {
  const named = model.weights.map((w) => ({ name: w.originalName, tensor: w.read() }));
  const { data, specs } = await tf.io.encodeWeights(named);
  let modelTopology: object | null = null;
  try {
    modelTopology = model.toJSON(null, false) as object;
  } catch {
    // A layer without a serialiser: the Document rebuilds the model, so weights alone suffice.
  }
  return {
    modelTopology,
    weightSpecs: specs.map((s) => ({ name: s.name, shape: s.shape, dtype: s.dtype })),
    weightData: data as ArrayBuffer,
  };
}

/** An optimizer's state (Adam moments, iteration count) in the same artifact format. */
export async function captureOptimizer(optimizer: tf.Optimizer): Promise<SavedWeights> {
  const named = await optimizer.getWeights();
  try {
    const { data, specs } = await tf.io.encodeWeights(named);
    return { modelTopology: null, weightSpecs: specs.map((s) => ({ name: s.name, shape: s.shape, dtype: s.dtype })), weightData: data as ArrayBuffer };
  } finally {
    // getWeights returns the live state variables plus a fresh iteration-count scalar: free that one only.
    for (const w of named) if (w.name === 'iter') w.tensor.dispose();
  }
}

/** The loss the document's Output block asks for. */
function lossOf(doc: { graph: { nodes: { type: string; params: Record<string, unknown> }[] } }): LossKind {
  const out = doc.graph.nodes.find((n) => n.type === 'Output');
  return out?.params.loss === 'binaryCrossentropy' ? 'binaryCrossentropy' : 'categoricalCrossentropy';
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Runs one document to the end and returns its last event (`done` or `error`). */
export async function runDocument(opts: RunDocumentOptions): Promise<DoneEvent | ErrorEvent> {
  const { runId, store } = opts;
  const send = (event: TrainEvent): void => {
    opts.emit(event);
    void store.appendEvent(event).catch(() => undefined);
  };
  const fail = (message: string, issues?: ErrorEvent['issues']): ErrorEvent => {
    const event: ErrorEvent = issues ? { type: 'error', runId, message, issues } : { type: 'error', runId, message };
    send(event);
    return event;
  };
  const status = (message: string) => send({ type: 'status', runId, message });

  const parsed = parseDocument(opts.documentText);
  if (!parsed.ok) return fail(parsed.error);
  const doc = parsed.doc;
  const epochs = opts.epochs ?? doc.training.epochs;
  status(`Backend: ${opts.backend.name} (${opts.backend.package}). ${opts.backend.reason}`);

  const source = 'builtin' in doc.data.source ? `the built-in ${doc.data.source.builtin} dataset` : doc.data.source.path;
  status(`Loading ${source}…`);
  let data: TrainData;
  try {
    data = await opts.prepare(doc.data, opts.files);
  } catch (err) {
    return fail(`The data could not be loaded: ${messageOf(err)}`);
  }
  if (data.size('train') === 0) return fail('The train split is empty: add rows to the data or raise the train ratio.');
  if (opts.signal?.aborted) {
    const done: DoneEvent = { type: 'done', runId, runDir: store.runDir, reason: 'stopped', epochs: 0, finalLoss: Number.NaN, bestDevLoss: null, testLoss: null, testAcc: null, seconds: 0 };
    send(done);
    return done;
  }

  const facts = factsFromSummary(data.summary);
  const validation = validateDocument(doc, facts);
  if (!validation.ok) {
    return fail(`The graph is not valid (${validation.errors.length} problem${validation.errors.length === 1 ? '' : 's'}).`, validation.errors);
  }
  status('Compiling the model…');
  let model: tfl.LayersModel;
  try {
    model = compileModel(doc, facts, { seed: doc.training.seed });
  } catch (err) {
    if (err instanceof GraphInvalidError) return fail(err.message, err.issues);
    return fail(`The model could not be built: ${messageOf(err)}`);
  }

  try {
    const params = model.countParams();
    const info: RunInfo = {
      format: 'modelwright-run',
      version: 1,
      runId,
      createdAt: new Date().toISOString(),
      documentText: opts.documentText,
      epochs,
      seed: doc.training.seed,
      backend: opts.backend,
      data: data.summary,
      params,
    };
    await store.writeRunInfo(info);
    if (data.preprocessing) await store.saveJson('preprocessing', data.preprocessing);
    send({
      type: 'start',
      runId,
      runDir: store.runDir,
      backend: opts.backend,
      epochs,
      stepsPerEpoch: Math.ceil(data.size('train') / doc.training.batchSize),
      batchSize: doc.training.batchSize,
      params,
      data: data.summary,
    });
    const done = await trainLoop({
      runId,
      runDir: store.runDir,
      model,
      data,
      training: doc.training,
      epochs,
      loss: lossOf(doc),
      emit: send,
      onEpochEnd: async (epoch, optimizer) => {
        // The latest epoch's model and optimizer state, overwritten each epoch: what resuming needs.
        await store.saveWeights('checkpoint', await captureWeights(model));
        await store.saveWeights('optimizer', await captureOptimizer(optimizer));
        info.lastEpoch = epoch;
        await store.writeRunInfo(info);
      },
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.batchEventIntervalMs !== undefined ? { batchEventIntervalMs: opts.batchEventIntervalMs } : {}),
    });
    if (done.reason !== 'nan') await store.saveWeights('final', await captureWeights(model));
    await store.writeRunInfo({ ...info, outcome: done });
    send(done);
    return done;
  } catch (err) {
    return fail(`Training failed: ${messageOf(err)}`);
  } finally {
    model.dispose();
  }
}
