/**
 * The EngineApi every host shares (web server, CLI, Electron main): examples from assets/,
 * data summaries computed in this process, training in child processes via the run manager.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BackendInfo, DataSummary, EngineApi, ExampleInfo, StartTrainingRequest, TrainEvent } from '../api';
import { ExampleFileSchema } from '../api';
import { prepareData } from '../data/dataset';
import { parseDocument } from '../graph/load';
import type { FilePort } from '../ports';
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
  /** Reads user files named by documents; default fs relative to the cwd. */
  files?: FilePort;
  stopGraceMs?: number;
}

/** The shared engine: the contract plus what hosts need beyond it. */
export interface HostEngine extends EngineApi {
  readonly runs: RunManager;
  /** startTraining with host-only options (the document's folder for relative data paths). */
  startRun(req: StartRunRequest): Promise<{ runId: string; runDir: string }>;
  /** Stops every run and waits for their processes to end. */
  dispose(): Promise<void>;
}

/** The cache key of a data binding: the same data section gives the same summary. */
function dataKey(doc: { data: unknown }): string {
  return JSON.stringify(doc.data);
}

export function createEngine(opts: EngineOptions): HostEngine {
  const assets = opts.assetsDir ?? defaultAssetsDir();
  const files = opts.files ?? createFilePort({ assetsDir: assets });
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
    async describeData(documentText: string): Promise<DataSummary> {
      const parsed = parseDocument(documentText);
      if (!parsed.ok) throw new Error(parsed.error);
      const key = dataKey(parsed.doc);
      let summary = summaries.get(key);
      if (!summary) {
        summary = prepareData(parsed.doc.data, files).then((p) => p.summary);
        summaries.set(key, summary);
        summary.catch(() => summaries.delete(key));
        // A bounded cache: documents rarely bind more than a few data sets in one session.
        if (summaries.size > 8) summaries.delete(summaries.keys().next().value!);
      }
      return summary;
    },
    async startTraining(req: StartTrainingRequest): Promise<{ runId: string }> {
      const { runId } = await engine.startRun(req.epochs !== undefined ? { documentText: req.documentText, epochs: req.epochs } : { documentText: req.documentText });
      return { runId };
    },
    async startRun(req: StartRunRequest) {
      const parsed = parseDocument(req.documentText);
      if (!parsed.ok) throw new Error(parsed.error);
      const { runId, runDir } = runs.start(req);
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
