/**
 * The contract's calls about stored runs, for one client: list, rename, delete, a run's
 * Document and curves (read here, small files), and prediction and test evaluation (in the
 * helper worker, never in the host). Runs are named by id only; RunsIndex finds their folders.
 */
import { errorFrom, errorSaying, type Failure, type Words } from '../words';
import type { EngineApi, EngineResult, SplitEvaluation, TextPrediction } from '../api';
import { parseDocument } from '../graph/load';
import { describeDocumentFiles, refusal, type FileGrants } from './consent';
import type { DataDescriber } from './dataDescriber';
import type { RunsIndex } from './runsIndex';

export type RunCalls = Pick<EngineApi, 'listRuns' | 'renameRun' | 'deleteRun' | 'runDocument' | 'runCurves' | 'predict' | 'predictImages' | 'evaluateRun'>;

export interface RunCallsDeps {
  index: RunsIndex;
  helper: DataDescriber;
  /** Whether the host trains (or has queued) the run now. */
  isActive(runId: string): boolean;
  /** The client's grants: a recomputed evaluation reads the run's data file only when granted. */
  grants: Pick<FileGrants, 'has' | 'list'>;
  /** Where relative data paths in a run's Document resolve when its run.json does not say (the client's default folder). */
  baseDir: string;
  /** How the user grants files on this host, for refusals. */
  consentHint: string;
}

const noSuchRun = (runId: string) => ({ ok: false as const, error: errorSaying('no-such-run', { key: 'run.noSuchRun', params: { runId } }) });
const runError = (message: string) => ({ ok: false as const, error: { code: 'run-error' as const, message } });
const runSays = (words: Words) => ({ ok: false as const, error: errorSaying('run-error', words) });
const runFailed = (failure: Failure) => ({ ok: false as const, error: errorFrom('run-error', failure) });

export function createRunCalls(deps: RunCallsDeps): RunCalls {
  const { index, helper } = deps;
  return {
    listRuns: () => index.list(),
    renameRun: (runId, name) => index.rename(runId, name),
    deleteRun: (runId) => index.delete(runId),
    runDocument: (runId) => index.document(runId),
    runCurves: (runId) => index.curves(runId),

    async predict(runId, texts, top = 3): Promise<EngineResult<TextPrediction[]>> {
      const dir = await index.folder(runId);
      if (!dir) return noSuchRun(runId);
      if (deps.isActive(runId)) return runSays({ key: 'run.stillTrainingPredict', params: { runId } });
      const r = await helper.predict(dir, texts, top);
      return r.ok ? { ok: true, value: r.predictions } : runFailed(r);
    },

    async predictImages(runId, images, top = 3): Promise<EngineResult<TextPrediction[]>> {
      const dir = await index.folder(runId);
      if (!dir) return noSuchRun(runId);
      if (deps.isActive(runId)) return runSays({ key: 'run.stillTrainingPredict', params: { runId } });
      const r = await helper.predictImages(dir, images, top);
      return r.ok ? { ok: true, value: r.predictions } : runFailed(r);
    },

    async evaluateRun(runId): Promise<EngineResult<SplitEvaluation>> {
      const dir = await index.folder(runId);
      if (!dir) return noSuchRun(runId);
      if (deps.isActive(runId)) return runSays({ key: 'run.stillTrainingEvaluate', params: { runId } });
      const stored = await index.storedEvaluation(runId);
      if (stored) return { ok: true, value: stored };
      // None was kept (the run ended before its test evaluation, or predates it): compute it from
      // the final weights, reading the run's data again, which this client must have granted.
      const document = await index.document(runId);
      if (!document.ok) return document;
      const parsed = parseDocument(document.value.documentText);
      if (!parsed.ok) return runError(`The run's Document does not load: ${parsed.error}`);
      // Relative data paths resolve where the run resolved them, when its run.json says.
      const baseDir = (await index.baseDir(runId)) ?? deps.baseDir;
      const refused = refusal(describeDocumentFiles(parsed.doc, baseDir, deps.grants, ['data']), deps.consentHint);
      if (refused) return { ok: false, error: refused };
      const r = await helper.evaluate(dir, baseDir, deps.grants.list());
      if (!r.ok) return r.problem === 'data' ? { ok: false, error: errorFrom('data-error', r) } : runFailed(r);
      await index.keepEvaluation(runId, r.evaluation).catch(() => undefined);
      return { ok: true, value: r.evaluation };
    },
  };
}
