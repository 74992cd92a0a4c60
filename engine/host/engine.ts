/**
 * The engine every host shares (web server, CLI, Electron main): examples from assets/, data
 * summaries and training in child processes, and file access decided here, per client, from
 * what the user granted in that host. Each call parses the document it is given once and hands
 * the parsed Document on; user mistakes and refusals come back as typed values.
 */
import { errorFrom, errorSaying } from '../words';
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type {
  BackendInfo,
  DataSummary,
  DocumentFiles,
  EngineApi,
  EngineResult,
  ExampleInfo,
  FileAccess,
  RunSnapshot,
  StartTrainingRequest,
  EstimateEpochRequest,
  TrainEvent,
} from '../api';
import { ExampleFileSchema } from '../api';
import type { DataProgress } from '../data/dataset';
import { sourcePathOf, type DataSpec, type Document } from '../graph/document';
import { pretrainedRequests } from '../graph/files';
import { parseDocument } from '../graph/load';
import type { RunInfo } from '../train/runStore';
import { readRunInfo } from './fsRunStore';
import { ALLOW_IN_APP, describeDocumentFiles, FileGrants, refusal } from './consent';
import { DataDescriber, type CoverageResult } from './dataDescriber';
import { createExportCalls, type ExportDestinationRequest } from './exportCalls';
import { assetsDir as defaultAssetsDir } from './fsPorts';
import type { AutosaveStore } from './autosave';
import { nodeSpawner } from './nodeSpawner';
import { RunManager, type Spawner } from './runManager';
import { createRunCalls } from './runCalls';
import { RunsIndex } from './runsIndex';
import { createTuneCalls } from './tuneCalls';
import { TuneRunner } from './tuneRunner';

export interface EngineOptions {
  /** Where run folders go (see paths.ts: defaultRunsDir, resolveRunsDir). */
  runsDir: string;
  /** How workers start (training and data summaries); default child_process.fork of dist/worker.cjs. */
  spawn?: Spawner;
  /** The app's assets folder; default the one found above this file. */
  assetsDir?: string;
  /** How the user grants files on this host, for refusals (default: the app's words). */
  consentHint?: string;
  stopGraceMs?: number;
  /** Where this host keeps autosaves (engine/host/autosave.ts); absent, autosave answers with an error. */
  autosave?: AutosaveStore;
}

/** How one client (a window, a socket connection) gets its files granted. */
export interface SessionPolicy {
  /** The client's grants; default a fresh, empty set. */
  grants?: FileGrants;
  /**
   * Asks the user in the host's own UI (the desktop's native dialog) whether the document may
   * read `files`. Absent: the client is the user's agent (the web page showed its own dialog),
   * so its asking is the user's answer.
   */
  confirmFiles?(files: DocumentFile[]): Promise<boolean>;
  /**
   * The folder relative paths of a document from this client resolve against, from the
   * `documentPath` it sent; the desktop host accepts only paths it opened or saved itself.
   * Default: the document's folder if a path is given, else the host's cwd.
   */
  baseDir?(documentPath: string | undefined): string;
  /**
   * Where an export of a run goes, asked in the host's own dialog (the desktop's); null when the
   * user cancels. Absent: into the run's folder, `exports/<format>/` (the web host).
   */
  exportDestination?(req: ExportDestinationRequest): Promise<string | null>;
  /**
   * Whether an autosave may keep the `documentPath` the page sent (the desktop: only a path it
   * opened or saved itself); one it may not is dropped from the autosave. Absent: kept.
   */
  autosavePath?(documentPath: string): boolean;
  /**
   * A recoverable autosave keeps its document's path: the host wrote it only for a path it knew,
   * so it knows that path again (the desktop lets the restored document save back to its file).
   */
  recoveredPath?(documentPath: string): void;
}

type DocumentFile = DocumentFiles['files'][number];

/** The contract bound to one client's grants. */
export interface EngineSession extends EngineApi {
  readonly grants: FileGrants;
  /** The client is gone (window closed, socket dropped): its autosave becomes recoverable. */
  close(): void;
}

/** A run as hosts start it: a parsed Document, where its relative paths point, what may be read. */
export interface HostRunRequest {
  doc: Document;
  baseDir: string;
  grants: Pick<FileGrants, 'has' | 'list'>;
  /** Overrides `training.epochs`. */
  epochs?: number;
  batchEventIntervalMs?: number;
  /** How the user grants files on this host, for the refusal (default: the engine's). */
  consentHint?: string;
}

export interface HostEngine {
  readonly runs: RunManager;
  /** Sweeps (their trials are runs of `runs`) and learning-rate finders. */
  readonly tune: TuneRunner;
  /** The contract for one client, with its own grants (a window, a socket, a CLI run). */
  session(policy?: SessionPolicy): EngineSession;
  /** Starts a run of a parsed Document, refusing (as a value) files not granted. */
  startRun(req: HostRunRequest): Promise<EngineResult<{ runId: string; runDir: string }>>;
  /**
   * Summarises a data binding in a worker; refuses files not granted. With `glove` (a vectors
   * file, read only when granted) the summary says how much of the vocabulary it covers;
   * `onProgress` hears how far the file has been read (also when another caller asked first).
   */
  describeData(
    data: DataSpec,
    baseDir: string,
    grants: Pick<FileGrants, 'has' | 'list'>,
    opts?: { consentHint?: string; glove?: string; onProgress?: (progress: DataProgress) => void },
  ): Promise<EngineResult<DataSummary>>;
  /**
   * Resumes a stopped or crashed run from its last checkpoint, in its own folder; its files must
   * be granted (`grants`), as for starting it.
   */
  resumeRun(req: {
    runId: string;
    grants: Pick<FileGrants, 'has' | 'list'>;
    epochs?: number;
    consentHint?: string;
  }): Promise<EngineResult<{ runId: string; runDir: string }>>;
  /** Stops every run and the data worker, and waits for their processes to end. */
  dispose(): Promise<void>;
}

/**
 * The identity of the file a data binding reads (path, size, modification time), so a summary
 * of a file that changed on disk is not served from the cache.
 */
async function fileIdentity(data: DataSpec, baseDir: string): Promise<string> {
  const read = sourcePathOf(data.source);
  if (!read) return 'builtin';
  return fileStamp(resolve(baseDir, read.path));
}

/** A file's path, size, time and inode: another file, or the same one changed, is another key. */
async function fileStamp(abs: string): Promise<string> {
  try {
    const s = await stat(abs);
    return `${abs}:${s.size}:${s.mtimeMs}:${s.ino}`;
  } catch {
    return `${abs}:missing`;
  }
}

const defaultBaseDir = (documentPath: string | undefined): string => (documentPath ? dirname(resolve(documentPath)) : process.cwd());

export function createEngine(opts: EngineOptions): HostEngine {
  const assets = opts.assetsDir ?? defaultAssetsDir();
  const how = opts.consentHint ?? ALLOW_IN_APP;
  const spawn = opts.spawn ?? nodeSpawner();
  const runs = new RunManager({ spawn, runsDir: opts.runsDir, ...(opts.stopGraceMs !== undefined ? { stopGraceMs: opts.stopGraceMs } : {}) });
  const describer = new DataDescriber({ spawn });
  // A run that has said its last word is over, though its process may take a moment to exit.
  const ended = new Set<string>();
  runs.onEvent((e) => (e.type === 'done' || e.type === 'error') && ended.add(e.runId));
  const isActive = (runId: string): boolean => !ended.has(runId) && runs.list().some((r) => r.runId === runId);
  const runsIndex = new RunsIndex({ runsDir: opts.runsDir, isActive });
  const summaries = new Map<string, Promise<EngineResult<DataSummary>>>();
  const coverages = new Map<string, Promise<CoverageResult>>();
  /** Who wants to hear how far each summary in the making has got. */
  const progressListeners = new Map<string, Set<(progress: DataProgress) => void>>();
  const tune = new TuneRunner({ runs, startRun: (req) => engine.startRun(req) }, spawn);

  const engine: HostEngine = {
    runs,
    tune,
    async describeData(data, baseDir, grants, opts = {}) {
      const files = describeDocumentFiles({ data, graph: { nodes: [], edges: [] } }, baseDir, grants, ['data']);
      // Grants first, even for a cached summary: the answer must not depend on what was read before.
      const refused = refusal(files, opts.consentHint ?? how);
      if (refused) return { ok: false, error: refused };
      // Coverage only for vectors the user let this client read; else the summary goes without.
      const glove = opts.glove && grants.has(resolve(baseDir, opts.glove)) ? resolve(baseDir, opts.glove) : undefined;
      const key = JSON.stringify([baseDir, data, await fileIdentity(data, baseDir)]);
      let summary = summaries.get(key);
      if (!summary) {
        const listeners = new Set<(progress: DataProgress) => void>();
        progressListeners.set(key, listeners);
        summary = describer
          .describe(data, baseDir, grants.list(), { key, onProgress: (p) => listeners.forEach((listener) => listener(p)) })
          .then((r): EngineResult<DataSummary> => (r.ok ? { ok: true, value: r.summary } : { ok: false, error: errorFrom('data-error', r) }));
        summaries.set(key, summary);
        void summary.then((r) => {
          progressListeners.delete(key);
          if (!r.ok) summaries.delete(key);
        });
        // A bounded cache: documents rarely bind more than a few data sets in one session.
        if (summaries.size > 8) summaries.delete(summaries.keys().next().value!);
      }
      const onProgress = opts.onProgress;
      const listeners = progressListeners.get(key);
      if (onProgress && listeners) {
        listeners.add(onProgress);
        void summary.then(() => listeners.delete(onProgress));
      }
      const described = await summary;
      if (!glove || !described.ok) return described;
      // The vectors are the Embedding's: a file that does not read is its problem (it says so when
      // it compiles), not the data's, so the summary comes without coverage then, saying why.
      const coverageKey = JSON.stringify([key, glove, await fileStamp(glove)]);
      let covered = coverages.get(coverageKey);
      if (!covered) {
        covered = describer.coverage(key, data, baseDir, grants.list(), glove);
        coverages.set(coverageKey, covered);
        void covered.then((r) => !r.ok && coverages.delete(coverageKey));
        if (coverages.size > 8) coverages.delete(coverages.keys().next().value!);
      }
      const c = await covered;
      return { ok: true, value: c.ok ? { ...described.value, glove: c.coverage } : { ...described.value, gloveError: c.message } };
    },
    async startRun(req) {
      const refused = refusal(describeDocumentFiles(req.doc, req.baseDir, req.grants), req.consentHint ?? how);
      if (refused) return { ok: false, error: refused };
      const { runId, runDir } = runs.start({
        doc: req.doc,
        baseDir: req.baseDir,
        grantedFiles: req.grants.list(),
        ...(req.epochs !== undefined ? { epochs: req.epochs } : {}),
        ...(req.batchEventIntervalMs !== undefined ? { batchEventIntervalMs: req.batchEventIntervalMs } : {}),
      });
      return { ok: true, value: { runId, runDir } };
    },
    async resumeRun(req) {
      const runDir = join(runs.runsDir, req.runId);
      let info: RunInfo | null;
      try {
        info = await readRunInfo(runDir);
      } catch {
        info = null;
      }
      if (!info) return { ok: false, error: errorSaying('no-such-run', { key: 'run.noSuchRunIn', params: { runId: req.runId, dir: runs.runsDir } }) };
      if (isActive(req.runId)) return { ok: false, error: errorSaying('run-error', { key: 'run.trainingAlready', params: { runId: req.runId } }) };
      const reason = info.outcome?.reason;
      if (reason === 'completed' || reason === 'nan') {
        const why = { key: reason === 'nan' ? ('run.resumeWhy.nan' as const) : ('run.resumeWhy.completed' as const) };
        return { ok: false, error: errorSaying('run-error', { key: 'run.cannotResume', params: { runId: req.runId, why } }) };
      }
      const parsed = parseDocument(info.documentText);
      if (!parsed.ok) return { ok: false, error: errorSaying('invalid-document', parsed.words) };
      const baseDir = info.baseDir ?? process.cwd();
      const refused = refusal(describeDocumentFiles(parsed.doc, baseDir, req.grants), req.consentHint ?? how);
      if (refused) return { ok: false, error: refused };
      // A run that has said its last word may still be settling its folder: let it finish first.
      await runs.exited(req.runId);
      ended.delete(req.runId);
      const started = runs.start({
        doc: parsed.doc,
        baseDir,
        grantedFiles: req.grants.list(),
        resumeRunId: req.runId,
        ...(req.epochs !== undefined ? { epochs: req.epochs } : {}),
      });
      return { ok: true, value: started };
    },
    session(policy: SessionPolicy = {}): EngineSession {
      const grants = policy.grants ?? new FileGrants();
      const baseDirOf = (access: FileAccess | undefined) => (policy.baseDir ?? defaultBaseDir)(access?.documentPath);
      const parse = (text: string): EngineResult<Document> => {
        const parsed = parseDocument(text);
        return parsed.ok ? { ok: true, value: parsed.doc } : { ok: false, error: errorSaying('invalid-document', parsed.words) };
      };
      const filesOf = (doc: Document, baseDir: string): DocumentFiles => ({ baseDir, files: describeDocumentFiles(doc, baseDir, grants) });
      // One grant request at a time, so a confirmation is never shown twice for the same file.
      let granting: Promise<unknown> = Promise.resolve();
      /** This client's latest describeData in flight, and how far its file has been read (dataProgress). */
      const describing: { latest: { progress: DataProgress | null } | null } = { latest: null };
      const grant = async (doc: Document, baseDir: string, paths: readonly string[]): Promise<EngineResult<DocumentFiles>> => {
        const asked = new Set(paths.map((p) => resolve(baseDir, p)));
        // Only files the document names can be granted this way; anything else is ignored.
        const wanted = describeDocumentFiles(doc, baseDir, grants).filter((f) => !f.allowed && asked.has(f.resolvedPath));
        if (wanted.length > 0) {
          if (policy.confirmFiles && !(await policy.confirmFiles(wanted))) {
            return { ok: false, error: errorSaying('declined', { key: 'run.declined' }) };
          }
          for (const f of wanted) grants.grant(f.resolvedPath);
        }
        return { ok: true, value: filesOf(doc, baseDir) };
      };
      const owner = {};
      const autosave = opts.autosave;
      return {
        grants,
        close: () => autosave?.release(owner),
        autosaveDocument: async (req) => {
          if (!autosave) return { ok: false, error: errorSaying('autosave-error', { key: 'autosave.none' }) };
          if (req.documentPath !== undefined && policy.autosavePath && !policy.autosavePath(req.documentPath)) {
            const { documentPath: _unknown, ...rest } = req;
            return autosave.save(owner, rest);
          }
          return autosave.save(owner, req);
        },
        recoverableDocuments: async () => {
          const list = autosave ? await autosave.recoverable() : [];
          for (const r of list) if (r.documentPath !== undefined) policy.recoveredPath?.(r.documentPath);
          return list;
        },
        discardAutosave: async (slot) => autosave?.discard(owner, slot),
        backendInfo: (): Promise<BackendInfo> => runs.backendInfo(),
        async listExamples(): Promise<ExampleInfo[]> {
          const dir = join(assets, 'examples');
          const names = (await readdir(dir)).filter((f) => ExampleFileSchema.safeParse(f).success).sort();
          const out: ExampleInfo[] = [];
          for (const file of names) {
            const parsed = parseDocument(await readFile(join(dir, file), 'utf8'));
            out.push({ file, name: parsed.ok ? parsed.doc.name : file });
          }
          return out;
        },
        async loadExample(file: string): Promise<string> {
          return readFile(join(assets, 'examples', ExampleFileSchema.parse(file)), 'utf8');
        },
        async describeFiles(documentText, access) {
          const doc = parse(documentText);
          if (!doc.ok) return doc;
          return { ok: true, value: filesOf(doc.value, baseDirOf(access)) };
        },
        async allowFiles(documentText, paths, access) {
          const doc = parse(documentText);
          if (!doc.ok) return doc;
          const run = () => grant(doc.value, baseDirOf(access), paths);
          const answer = granting.then(run, run);
          granting = answer.catch(() => undefined);
          return answer;
        },
        async describeData(documentText, access) {
          const doc = parse(documentText);
          if (!doc.ok) return doc;
          if (!doc.value.data) return { ok: false, error: errorSaying('data-error', { key: 'run.noData' }) };
          const glove = pretrainedRequests(doc.value.graph)[0]?.path;
          const asked: { progress: DataProgress | null } = { progress: null };
          describing.latest = asked;
          try {
            return await engine.describeData(doc.value.data, baseDirOf(access), grants, {
              ...(glove ? { glove } : {}),
              onProgress: (progress) => (asked.progress = progress),
            });
          } finally {
            if (describing.latest === asked) describing.latest = null;
          }
        },
        async estimateEpoch(req: EstimateEpochRequest) {
          const doc = parse(req.documentText);
          if (!doc.ok) return doc;
          if (!doc.value.data) return { ok: false, error: errorSaying('data-error', { key: 'run.noData' }) };
          const baseDir = baseDirOf(req);
          const refused = refusal(describeDocumentFiles(doc.value, baseDir, grants), how);
          if (refused) return { ok: false, error: refused };
          const r = await describer.estimate(doc.value, baseDir, grants.list(), req.steps);
          if (r.ok) return { ok: true, value: r.estimate };
          return r.issues ? { ok: false, error: { ...errorFrom('invalid-graph', r), issues: r.issues } } : { ok: false, error: errorFrom('data-error', r) };
        },
        dataProgress: async () => describing.latest?.progress ?? null,
        async startTraining(req: StartTrainingRequest) {
          const doc = parse(req.documentText);
          if (!doc.ok) return doc;
          const started = await engine.startRun({
            doc: doc.value,
            baseDir: baseDirOf(req),
            grants,
            ...(req.epochs !== undefined ? { epochs: req.epochs } : {}),
          });
          return started.ok ? { ok: true, value: { runId: started.value.runId } } : started;
        },
        async resumeRun(runId: string) {
          const resumed = await engine.resumeRun({ runId, grants });
          return resumed.ok ? { ok: true, value: { runId: resumed.value.runId } } : resumed;
        },
        stopTraining: (runId: string): Promise<void> => runs.stop(runId),
        ...createExportCalls({
          runsDir: opts.runsDir,
          assetsDir: assets,
          ...(policy.exportDestination ? { destination: (req) => policy.exportDestination!(req) } : {}),
        }),
        activeRuns: async (): Promise<RunSnapshot[]> => runs.snapshots(),
        ...createRunCalls({ index: runsIndex, helper: describer, isActive, grants, baseDir: baseDirOf(undefined), consentHint: how }),
        onTrainEvent: (listener: (event: TrainEvent) => void): (() => void) => runs.onEvent(listener),
        ...createTuneCalls({ tune, grants, baseDirOf, parse, consentHint: how }),
      };
    },
    async dispose(): Promise<void> {
      describer.dispose();
      await tune.dispose();
      await runs.stopAll();
    },
  };
  return engine;
}
