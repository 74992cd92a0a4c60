/**
 * One training run of a Document, start to finish: load the data, analyse the graph against it,
 * compile, train, save. The Document arrives parsed (its host parsed it once); everything
 * outside arrives through ports (files, run store, event sink), so the child-process worker,
 * tests and later `tune` drive the same code. User mistakes (missing data, an invalid graph)
 * end the run with an `error` event, never a throw. Which files may be read is the file port's
 * business: it refuses what the user did not grant.
 *
 * The run store sees the run from its start (run.json written, which makes the folder) to its
 * outcome in run.json, whatever the ending; before that point nothing is on disk. Each epoch's
 * checkpoint is saved as one set; an event the store cannot write stops the run.
 */
import { english, otherWords, saidAs, wordsOf, WordsError, type Words } from '../words';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { BackendInfo } from '../backend';
import { classWeightsFor } from './classWeights';
import type { TrainEvent } from './events';
import { compileGraph } from '../compile/compile';
import { DataError } from '../data/dataError';
import { loadGlove, loadGloveChunks } from '../data/glove';
import { sourcePathOf, type DataSpec, type Document } from '../graph/document';
import { pretrainedRequests } from '../graph/files';
import { factsFromSummary } from '../graph/facts';
import { serializeDocument } from '../graph/load';
import { modelLoss } from '../graph/model';
import { inferGraph } from '../graph/validate';
import type { FilePort } from '../ports';
import { trainLoop, type DoneEvent, type EpochEndState, type LoopResume } from './loop';
import type { PretrainedWeights } from '../compile/compile';
import type { Checkpoint, RunInfo, RunStore } from './runStore';
import type { TrainData } from './trainData';
import { captureOptimizer, captureWeights, decodeSaved, encodeNamed, loadSavedWeights, type NamedTensor } from './weights';

type ErrorEvent = Extract<TrainEvent, { type: 'error' }>;
type EpochEvent = Extract<TrainEvent, { type: 'epoch' }>;

export interface RunDocumentOptions {
  runId: string;
  /** The Document, parsed and checked by the host (engine/graph's parseDocument). */
  doc: Document;
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
  /** The folder the Document's relative paths are read from, kept in run.json for resuming. */
  baseDir?: string;
  /**
   * Go on from a checkpoint of this same run (its folder, its run id): the run.json it had and
   * its last complete checkpoint. Training continues after the checkpoint's epoch with its
   * weights, optimizer state, schedule position and early-stopping state, and appends to the
   * run's curves; a seeded run resumed ends with the weights of one that never stopped.
   */
  resume?: { previous: RunInfo; checkpoint: Checkpoint };
}

export { captureOptimizer, captureWeights } from './weights';

/**
 * The pretrained vectors of every Embedding with a `pretrained` file, read through `files` and
 * matched against the train vocabulary. Throws an Error whose message names the node and file.
 */
export async function loadPretrainedVectors(
  doc: Pick<Document, 'graph' | 'training'>,
  data: Pick<TrainData, 'vocabulary'>,
  files: FilePort,
  status: (words: Words) => void = () => undefined,
): Promise<Record<string, PretrainedWeights>> {
  const out: Record<string, PretrainedWeights> = {};
  for (const req of pretrainedRequests(doc.graph)) {
    const vocab = data.vocabulary;
    if (!vocab) throw new WordsError({ key: 'run.pretrainedNeedsVocab', params: { node: req.nodeId } });
    status({ key: 'progress.readingVectors', params: { node: req.nodeId, path: req.path } });
    let source: { bytes: Uint8Array } | { chunks: AsyncIterable<Uint8Array> };
    try {
      // Streamed where the port can: only the vocabulary's vectors are kept, not the file.
      source = files.openFile ? { chunks: (await files.openFile(req.path)).chunks } : { bytes: await files.readFile(req.path) };
    } catch (err) {
      throw new WordsError({ key: 'run.pretrainedUnreadable', params: { node: req.nodeId, cause: wordsOf(err), dim: req.dim } }, { cause: err });
    }
    try {
      const options = { file: req.path, seed: doc.training.seed };
      const glove = 'bytes' in source ? loadGlove(source.bytes, vocab, req.dim, options) : await loadGloveChunks(source.chunks, vocab, req.dim, options);
      out[req.nodeId] = { weights: glove.weights, dims: glove.dims };
      const words = vocab.size - 2;
      status({ key: req.trainable ? 'progress.vectorsFound' : 'progress.vectorsFoundFrozen', params: { node: req.nodeId, found: glove.found, words } });
    } catch (err) {
      if (err instanceof DataError) throw new WordsError({ key: 'run.embeddingSays', params: { node: req.nodeId, cause: err.words } }, { cause: err });
      throw err;
    }
  }
  return out;
}

/** Runs one document to the end and returns its last event (`done` or `error`). */
export async function runDocument(opts: RunDocumentOptions): Promise<DoneEvent | ErrorEvent> {
  const { runId, store } = opts;
  // Stops the loop when the host asks, or when the run's record can no longer be written.
  const halt = new AbortController();
  if (opts.signal?.aborted) halt.abort();
  opts.signal?.addEventListener('abort', () => halt.abort(), { once: true });
  let recordError: Error | undefined;
  const recordFailed = (err: unknown): void => {
    recordError ??= err instanceof Error ? err : new Error(String(err));
    halt.abort();
  };
  let lastEpoch: EpochEvent | undefined;
  const send = (event: TrainEvent): void => {
    if (event.type === 'epoch') lastEpoch = event;
    opts.emit(event);
    store.appendEvent(event).catch(recordFailed);
  };
  /** run.json as written when the run started; undefined before (the run has no folder yet). */
  let info: RunInfo | undefined;
  const fail = async (said: string | Words, issues?: ErrorEvent['issues']): Promise<ErrorEvent> => {
    const message = typeof said === 'string' ? said : english(said);
    const event: ErrorEvent = { type: 'error', runId, message, ...(typeof said === 'string' ? {} : { words: said }), ...(issues ? { issues } : {}) };
    send(event);
    // A run that never started has no folder to mark; the host says the error to whoever asked.
    if (info)
      await store
        .writeRunInfo({ ...info, outcome: { reason: 'error', message, ...(issues ? { issues } : {}) }, endedAt: new Date().toISOString() })
        .catch(() => undefined);
    return event;
  };
  const recordMessage = (err: Error): Words => ({ key: 'run.recordNotWritten', params: { cause: wordsOf(err) } });
  const status = (words: Words) => send({ type: 'status', runId, ...saidAs(words) });

  const doc = opts.doc;
  const resume = opts.resume;
  const epochs = opts.epochs ?? resume?.previous.epochs ?? doc.training.epochs;
  status({
    key: 'progress.backendWhy',
    params: { name: opts.backend.name, package: opts.backend.package, reason: opts.backend.reasonWords ?? otherWords(opts.backend.reason) },
  });

  const spec = doc.data;
  if (!spec) return fail({ key: 'run.noDataToTrain' });
  const source: Words | string =
    'builtin' in spec.source ? { key: 'progress.builtin', params: { name: String(spec.source.builtin) } } : (sourcePathOf(spec.source)?.path ?? '');
  status({ key: 'progress.loading', params: { source } });
  let data: TrainData;
  try {
    data = await opts.prepare(spec, opts.files);
  } catch (err) {
    return fail({ key: 'run.dataNotLoaded', params: { cause: wordsOf(err) } });
  }
  if (data.size('train') === 0) return fail({ key: 'run.trainSplitEmpty' });
  if (halt.signal.aborted) {
    const done: DoneEvent = {
      type: 'done',
      runId,
      runDir: store.runDir,
      reason: 'stopped',
      epochs: 0,
      finalLoss: Number.NaN,
      bestDevLoss: null,
      testLoss: null,
      testAcc: null,
      seconds: 0,
    };
    send(done);
    return done;
  }

  const facts = factsFromSummary(data.summary);
  const analysis = inferGraph(doc.graph, facts);
  if (analysis.issues.length > 0) {
    return fail({ key: 'run.graphInvalid', params: { count: analysis.issues.length } }, analysis.issues);
  }
  let pretrained: Record<string, PretrainedWeights>;
  try {
    pretrained = await loadPretrainedVectors(doc, data, opts.files, status);
  } catch (err) {
    return fail(wordsOf(err));
  }
  status({ key: 'progress.compiling' });
  let model: tfl.LayersModel;
  try {
    const compiled = compileGraph(doc.graph, analysis, facts, { seed: doc.training.seed, pretrained });
    if (!compiled.ok) return fail(`The model could not be built: ${compiled.issues.map((i) => `${i.nodeId}: ${i.message}`).join(' ')}`, compiled.issues);
    model = compiled.model;
  } catch (err) {
    return fail({ key: 'run.modelNotBuilt', params: { cause: wordsOf(err) } });
  }
  if (resume) {
    const problem = loadSavedWeights(model, resume.checkpoint.weights);
    if (problem) {
      model.dispose();
      return fail(`The checkpoint of epoch ${resume.checkpoint.epoch} does not fit this run's model: ${problem}`);
    }
  }

  let resumeFrom: LoopResume | undefined;
  try {
    const params = model.countParams();
    const classWeights = classWeightsFor(doc.training.classWeights, data.summary);
    const fresh: RunInfo = {
      format: 'modelwright-run',
      version: 1,
      runId,
      createdAt: new Date().toISOString(),
      documentText: serializeDocument(doc),
      epochs,
      seed: doc.training.seed,
      backend: opts.backend,
      data: data.summary,
      params,
      ...(classWeights ? { classWeights } : {}),
      ...(opts.baseDir !== undefined ? { baseDir: opts.baseDir } : {}),
    };
    // A resumed run keeps its folder's record and says when and from where it went on.
    const started: RunInfo = resume ? resumedInfo(resume.previous, fresh, resume.checkpoint.epoch) : fresh;
    try {
      // This creates the run's folder: from here on it always ends with an outcome.
      await store.writeRunInfo(started);
    } catch (err) {
      return await fail({ key: 'run.folderNotWritten', params: { dir: store.runDir, cause: wordsOf(err) } });
    }
    info = started;
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
      ...(classWeights ? { classWeights } : {}),
      ...(resume ? { resumedFrom: resume.checkpoint.epoch } : {}),
    });
    const saveCheckpoint = store.saveCheckpoint?.bind(store);
    resumeFrom = resume ? loopResume(resume.checkpoint) : undefined;
    const done = await trainLoop({
      runId,
      runDir: store.runDir,
      model,
      data,
      training: doc.training,
      epochs,
      loss: modelLoss(doc.graph, analysis),
      classWeights,
      emit: send,
      ...(saveCheckpoint
        ? {
            onEpochEnd: async (epoch: number, optimizer: tf.Optimizer, state: EpochEndState) => {
              if (recordError) return;
              // Model, optimizer state, metrics and the loop's state of this epoch as one set: what resuming needs.
              await saveCheckpoint({
                epoch,
                weights: await captureWeights(model),
                optimizer: await captureOptimizer(optimizer),
                metrics: lastEpoch!,
                loop: state.loop,
                ...(state.best ? { best: await encodeNamed(state.best) } : {}),
              });
            },
          }
        : {}),
      onBatchLosses: (record) => store.appendBatchLosses?.(record) ?? Promise.resolve(),
      signal: halt.signal,
      ...(resumeFrom ? { resume: resumeFrom } : {}),
      ...(opts.batchEventIntervalMs !== undefined ? { batchEventIntervalMs: opts.batchEventIntervalMs } : {}),
    });
    if (recordError) return await fail(recordMessage(recordError));
    if (done.reason !== 'nan') await store.saveWeights('final', await captureWeights(model));
    await store.writeRunInfo({ ...started, outcome: done, endedAt: new Date().toISOString() });
    send(done);
    return done;
  } catch (err) {
    return await fail(recordError ? recordMessage(recordError) : { key: 'run.trainingFailed', params: { cause: wordsOf(err) } });
  } finally {
    model.dispose();
    if (resumeFrom) tf.dispose([...resumeFrom.optimizer.map((n) => n.tensor), ...Object.values(resumeFrom.best ?? {})]);
  }
}

/** What the loop needs of a checkpoint to go on after its epoch (tensors the caller disposes). */
function loopResume(checkpoint: Checkpoint): LoopResume {
  const byName = (named: NamedTensor[]): tf.NamedTensorMap => Object.fromEntries(named.map((n) => [n.name, n.tensor]));
  return {
    epoch: checkpoint.epoch,
    optimizer: decodeSaved(checkpoint.optimizer),
    ...(checkpoint.loop ? { loop: checkpoint.loop } : {}),
    ...(checkpoint.best ? { best: byName(decodeSaved(checkpoint.best)) } : {}),
  };
}

/** run.json of a resumed run: its first record, this start's backend and epochs, and when it went on. */
function resumedInfo(previous: RunInfo, fresh: RunInfo, fromEpoch: number): RunInfo {
  const { outcome: _outcome, endedAt: _endedAt, ...kept } = previous;
  return { ...kept, backend: fresh.backend, epochs: fresh.epochs, resumed: [...(previous.resumed ?? []), { at: fresh.createdAt, fromEpoch }] };
}
