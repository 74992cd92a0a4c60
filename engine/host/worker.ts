/**
 * The training child process (dist/worker.cjs). It waits for one `train` (or `probe`) message,
 * picks the backend, runs the document through engine/train, posts every event to its parent
 * and exits. It speaks over Node's IPC channel (child_process.fork) or Electron's
 * utilityProcess parentPort, whichever it was started with. An uncaught error becomes an
 * `error` event before the process exits.
 */
import { failureOf } from '../words';
import { initBackend } from '../backend';
import type { TrainEvent } from '../api';
import { basename } from 'node:path';
import { prepareData, type PreparedData } from '../data/dataset';
import { summarizeData } from '../data/describe';
import { gloveCoverage } from '../data/glove';
import { prepareTrainData } from '../train/data';
import { runDocument } from '../train/run';
import type { Checkpoint, RunInfo } from '../train/runStore';
import { grantedFilePort } from './consent';
import { createFilePort } from './fsPorts';
import { FsRunStore, readRunInfo } from './fsRunStore';
import { lrFindInWorker } from './lrFindWorker';
import { estimateEpoch } from '../train/epochEstimate';
import { RunModels } from './runModels';
import { ToWorkerSchema, type FromWorker, type ToWorker } from './workerProtocol';

interface ParentChannel {
  send(message: FromWorker): Promise<void>;
  onMessage(listener: (message: unknown) => void): void;
}

interface ElectronParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
}

function parentChannel(): ParentChannel {
  const port = (process as unknown as { parentPort?: ElectronParentPort }).parentPort;
  if (port) {
    return {
      send: async (m) => port.postMessage(m),
      onMessage: (listener) => port.on('message', (e) => listener(e.data)),
    };
  }
  if (process.send) {
    return {
      send: (m) =>
        new Promise((resolve) => {
          if (!process.connected) return resolve();
          process.send!(m, undefined, {}, () => resolve());
        }),
      onMessage: (listener) => process.on('message', listener),
    };
  }
  throw new Error('worker.cjs is a child process of Modelwright; start runs with `modelwright train` instead.');
}

const channel = parentChannel();
const controller = new AbortController();
let runId = 'unknown';
let pending: Promise<void> = Promise.resolve();

function post(message: FromWorker): void {
  pending = pending.then(() => channel.send(message));
}

async function exit(code: number): Promise<void> {
  await pending;
  // Electron's port has no delivery callback; give the last message a moment to leave.
  await new Promise((resolve) => setTimeout(resolve, 50));
  process.exit(code);
}

function crash(err: unknown): void {
  const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
  post({ kind: 'event', event: { type: 'error', runId, message: `The training process failed: ${message}` } });
  void exit(1);
}
process.on('uncaughtException', crash);
// The host went away: stop at the next batch, save what there is, and exit.
process.on('disconnect', () => controller.abort());
// Ctrl-C in a terminal reaches the whole process group: treat it as a stop, like the host does.
process.on('SIGINT', () => controller.abort());
process.on('SIGTERM', () => controller.abort());
process.on('unhandledRejection', crash);

async function train(msg: Extract<ToWorker, { kind: 'train' }>): Promise<void> {
  runId = msg.runId;
  // The folder is made when the run starts training (its first run.json); a run that fails before leaves none.
  const store = new FsRunStore(msg.runDir);
  let resume: { previous: RunInfo; checkpoint: Checkpoint } | undefined;
  if (msg.resume) {
    const found = await resumePoint(store, msg.runDir);
    if (typeof found === 'string') {
      post({ kind: 'event', event: { type: 'error', runId, message: found } });
      return exit(1);
    }
    resume = found;
  }
  const backend = await initBackend();
  const last = await runDocument({
    runId: msg.runId,
    doc: msg.document,
    baseDir: msg.baseDir,
    ...(resume ? { resume } : {}),
    ...(msg.epochs !== undefined ? { epochs: msg.epochs } : {}),
    ...(msg.batchEventIntervalMs !== undefined ? { batchEventIntervalMs: msg.batchEventIntervalMs } : {}),
    backend,
    // Only the files the host granted are readable, whatever the document says.
    files: grantedFilePort(createFilePort({ baseDir: msg.baseDir }), msg.baseDir, msg.grantedFiles),
    store,
    prepare: prepareTrainData,
    emit: (event: TrainEvent) => post({ kind: 'event', event }),
    signal: controller.signal,
  });
  await exit(last.type === 'done' ? 0 : 1);
}

/** The run folder's run.json and last complete checkpoint, or why the run cannot go on. */
async function resumePoint(store: FsRunStore, runDir: string): Promise<{ previous: RunInfo; checkpoint: Checkpoint } | string> {
  try {
    const previous = await readRunInfo(runDir);
    if (!previous) return `${runDir}/run.json is not a Modelwright run record, so the run cannot be resumed.`;
    const checkpoint = await store.loadCheckpoint();
    if (!checkpoint) return `${runDir} has no complete checkpoint yet (a run saves one after each epoch), so it cannot be resumed; train it again instead.`;
    return { previous, checkpoint };
  } catch (err) {
    return `The run in ${runDir} cannot be resumed: ${err instanceof Error ? err.message : String(err)}`;
  }
}

/** Summarises one data binding with the granted files only; the process stays for the next. */
async function describe(msg: Extract<ToWorker, { kind: 'describe' }>): Promise<void> {
  try {
    const files = grantedFilePort(createFilePort({ baseDir: msg.baseDir }), msg.baseDir, msg.grantedFiles);
    const described = await summarizeData(msg.data, files, { onProgress: (progress) => post({ kind: 'describe-progress', id: msg.id, progress }) });
    if (msg.key && described.vocabulary) keepVocabulary(msg.key, described.vocabulary);
    post({ kind: 'described', id: msg.id, result: { ok: true, summary: described.summary } });
  } catch (err) {
    post({ kind: 'described', id: msg.id, result: failureOf(err) });
  }
}

/** The vocabularies of the last few data described, by the host's key, so coverage needs no second read. */
const vocabularies = new Map<string, Pick<PreparedData, 'vocab' | 'vocabCounts'>>();
function keepVocabulary(key: string, prepared: Pick<PreparedData, 'vocab' | 'vocabCounts'>): void {
  vocabularies.delete(key);
  vocabularies.set(key, { vocab: prepared.vocab, vocabCounts: prepared.vocabCounts });
  if (vocabularies.size > 4) vocabularies.delete(vocabularies.keys().next().value!);
}

/** How much of a described data's vocabulary a vectors file covers, with the granted files only. */
async function coverage(msg: Extract<ToWorker, { kind: 'coverage' }>): Promise<void> {
  try {
    const files = grantedFilePort(createFilePort({ baseDir: msg.baseDir }), msg.baseDir, msg.grantedFiles);
    let kept = vocabularies.get(msg.key);
    if (!kept) {
      kept = await prepareData(msg.data, files);
      keepVocabulary(msg.key, kept);
    }
    const result = gloveCoverage(await files.readFile(msg.glove), kept.vocab, kept.vocabCounts, { file: basename(msg.glove) });
    post({ kind: 'covered', id: msg.id, result: { ok: true, coverage: result } });
  } catch (err) {
    post({ kind: 'covered', id: msg.id, result: failureOf(err) });
  }
}

/** Finished runs' models, for the helper worker's predict and evaluate requests. */
const runModels = new RunModels();

async function predict(msg: Extract<ToWorker, { kind: 'predict' }>): Promise<void> {
  const result = await runModels.predict(msg.runDir, msg.texts, msg.top).catch(failureOf);
  post({ kind: 'predicted', id: msg.id, result });
}

async function predictImages(msg: Extract<ToWorker, { kind: 'predict-images' }>): Promise<void> {
  const images = msg.images.map((i) => ({ name: i.name, bytes: new Uint8Array(Buffer.from(i.base64, 'base64')) }));
  const result = await runModels.predictImages(msg.runDir, images, msg.top).catch(failureOf);
  post({ kind: 'predicted', id: msg.id, result });
}

async function evaluate(msg: Extract<ToWorker, { kind: 'evaluate' }>): Promise<void> {
  const files = grantedFilePort(createFilePort({ baseDir: msg.baseDir }), msg.baseDir, msg.grantedFiles);
  const result = await runModels.evaluate(msg.runDir, files).catch((err: unknown) => ({ ...failureOf(err), problem: 'run' as const }));
  post({ kind: 'evaluated', id: msg.id, result });
}

async function estimate(msg: Extract<ToWorker, { kind: 'estimate' }>): Promise<void> {
  const backend = await initBackend();
  const outcome = await estimateEpoch({
    doc: msg.document,
    files: grantedFilePort(createFilePort({ baseDir: msg.baseDir }), msg.baseDir, msg.grantedFiles),
    prepare: prepareTrainData,
    ...(msg.steps !== undefined ? { steps: msg.steps } : {}),
  }).catch((err: unknown) => ({ ok: false as const, message: err instanceof Error ? err.message : String(err) }));
  const result = outcome.ok ? { ok: true as const, estimate: { ...outcome.estimate, backend: backend.name } } : outcome;
  post({ kind: 'estimated', id: msg.id, result });
}

let started = false;
channel.onMessage((raw) => {
  const parsed = ToWorkerSchema.safeParse(raw);
  if (!parsed.success) return;
  const msg = parsed.data;
  if (msg.kind === 'describe') {
    void describe(msg);
    return;
  }
  if (msg.kind === 'coverage') {
    void coverage(msg);
    return;
  }
  if (msg.kind === 'predict') {
    void predict(msg);
    return;
  }
  if (msg.kind === 'predict-images') {
    void predictImages(msg);
    return;
  }
  if (msg.kind === 'evaluate') {
    void evaluate(msg);
    return;
  }
  if (msg.kind === 'estimate') {
    void estimate(msg);
    return;
  }
  if (msg.kind === 'stop') {
    controller.abort();
    if (!started) void exit(0);
    return;
  }
  if (started) return;
  started = true;
  if (msg.kind === 'lr-find') {
    lrFindInWorker(msg, post, controller.signal).then(() => exit(0), crash);
    return;
  }
  if (msg.kind === 'probe') {
    void initBackend().then(
      (info) => {
        post({ kind: 'backend', info });
        return exit(0);
      },
      (err: unknown) => {
        post({ kind: 'fatal', message: err instanceof Error ? err.message : String(err) });
        return exit(1);
      },
    );
    return;
  }
  train(msg).catch(crash);
});
