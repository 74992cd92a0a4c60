/**
 * The EngineApi every host shares (web server, CLI, Electron main): examples from assets/,
 * data summaries computed in this process, training in child processes via the run manager.
 */
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { BackendInfo, DataSummary, DocumentFiles, EngineApi, ExampleInfo, FileAccess, StartTrainingRequest, TrainEvent } from '../api';
import { ExampleFileSchema } from '../api';
import { prepareData } from '../data/dataset';
import { parseDocument } from '../graph/load';
import type { FilePort } from '../ports';
import { ALLOW_IN_APP } from '../train/files';
import { assertAllowed, consentingFilePort, describeDocumentFiles } from './consent';
import { assetsDir as defaultAssetsDir, createFilePort } from './fsPorts';
import { nodeSpawner } from './nodeSpawner';
import { RunManager, type Spawner, type StartRunRequest } from './runManager';

export interface EngineOptions {
  /** Where run folders go (see paths.ts: defaultRunsDir, resolveRunsDir). */
  runsDir: string;
  /** How training workers start; default child_process.fork of dist/worker.cjs. */
  spawn?: Spawner;
  /** The app's assets folder; default the one found above this file. */
  assetsDir?: string;
  /**
   * Reads user files named by documents; default fs, relative paths against the document's
   * folder (or the cwd). Reads are limited to the files the request allowed either way.
   */
  files?: FilePort;
  /** How the user accepts files on this host, for refusals (default: the app's words). */
  consentHint?: string;
  stopGraceMs?: number;
}

/** The shared engine: the contract plus what hosts need beyond it. */
export interface HostEngine extends EngineApi {
  readonly runs: RunManager;
  /**
   * startTraining with host-only options (the document's folder for relative data paths).
   * Rejects with FilesNotAllowedError when a file the document reads is not in `allowFiles`.
   */
  startRun(req: StartRunRequest): Promise<{ runId: string; runDir: string }>;
  /** Stops every run and waits for their processes to end. */
  dispose(): Promise<void>;
}

/** The cache key of a data binding: the same data section, read from the same folder, gives the same summary. */
function dataKey(doc: { data: unknown }, baseDir: string): string {
  return JSON.stringify([baseDir, doc.data]);
}

/** The folder relative paths in a document resolve against. */
function baseDirOf(access: FileAccess | undefined): string {
  return access?.documentPath ? dirname(resolve(access.documentPath)) : process.cwd();
}

export function createEngine(opts: EngineOptions): HostEngine {
  const assets = opts.assetsDir ?? defaultAssetsDir();
  const how = opts.consentHint ?? ALLOW_IN_APP;
  const filesFor = (baseDir: string, allowFiles: readonly string[]): FilePort =>
    consentingFilePort(opts.files ?? createFilePort({ assetsDir: assets, baseDir }), baseDir, allowFiles, how);
  const runs = new RunManager({
    spawn: opts.spawn ?? nodeSpawner(),
    runsDir: opts.runsDir,
    ...(opts.stopGraceMs !== undefined ? { stopGraceMs: opts.stopGraceMs } : {}),
  });
  const summaries = new Map<string, Promise<DataSummary>>();

  const engine: HostEngine = {
    runs,
    backendInfo(): Promise<BackendInfo> {
      return runs.backendInfo();
    },
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
      const name = ExampleFileSchema.parse(file);
      return readFile(join(assets, 'examples', name), 'utf8');
    },
    async describeFiles(documentText: string, access?: FileAccess): Promise<DocumentFiles> {
      const parsed = parseDocument(documentText);
      if (!parsed.ok) throw new Error(parsed.error);
      const baseDir = baseDirOf(access);
      return { baseDir, files: describeDocumentFiles(parsed.doc, baseDir, access?.allowFiles) };
    },
    async describeData(documentText: string, access?: FileAccess): Promise<DataSummary> {
      const parsed = parseDocument(documentText);
      if (!parsed.ok) throw new Error(parsed.error);
      const baseDir = baseDirOf(access);
      const allowFiles = access?.allowFiles ?? [];
      // Consent first, even for a cached summary: the answer must not depend on what was read before.
      assertAllowed(describeDocumentFiles(parsed.doc, baseDir, allowFiles, ['data']), how);
      const key = dataKey(parsed.doc, baseDir);
      let summary = summaries.get(key);
      if (!summary) {
        summary = prepareData(parsed.doc.data, filesFor(baseDir, allowFiles)).then((p) => p.summary);
        summaries.set(key, summary);
        summary.catch(() => summaries.delete(key));
        // A bounded cache: documents rarely bind more than a few data sets in one session.
        if (summaries.size > 8) summaries.delete(summaries.keys().next().value!);
      }
      return summary;
    },
    async startTraining(req: StartTrainingRequest): Promise<{ runId: string }> {
      const { runId } = await engine.startRun({
        documentText: req.documentText,
        ...(req.epochs !== undefined ? { epochs: req.epochs } : {}),
        ...(req.documentPath !== undefined ? { baseDir: baseDirOf(req) } : {}),
        allowFiles: req.allowFiles ?? [],
      });
      return { runId };
    },
    async startRun(req: StartRunRequest) {
      const parsed = parseDocument(req.documentText);
      if (!parsed.ok) throw new Error(parsed.error);
      const baseDir = req.baseDir ?? process.cwd();
      const hint = req.consentHint ?? how;
      assertAllowed(describeDocumentFiles(parsed.doc, baseDir, req.allowFiles), hint);
      const { runId, runDir } = runs.start({ ...req, baseDir, consentHint: hint });
      return { runId, runDir };
    },
    stopTraining(runId: string): Promise<void> {
      return runs.stop(runId);
    },
    onTrainEvent(listener: (event: TrainEvent) => void): () => void {
      return runs.onEvent(listener);
    },
    dispose(): Promise<void> {
      return runs.stopAll();
    },
  };
  return engine;
}
