/**
 * Finished runs' models in the helper worker (worker.ts): prediction and on-demand test
 * evaluation, never in a host process. A model is loaded from its run folder once and kept for
 * the next few requests (typing in the prediction box asks again with every pause), the least
 * recently used one freed when a fourth is loaded.
 */
import { failureOf, saying, wordsOf, type Failure } from '../words';
import type { TextPrediction } from '../api';
import { initBackend } from '../backend';
import { factsFromSummary } from '../graph/facts';
import { modelLoss } from '../graph/model';
import { inferGraph } from '../graph/validate';
import type { FilePort } from '../ports';
import { classWeightsFor } from '../train/classWeights';
import { prepareTrainData } from '../train/data';
import { evaluateClasses } from '../train/loop';
import { createLossHead } from '../train/lossHead';
import { loadPredictor, type LoadPredictorResult, type Predictor } from '../train/predict';
import type { TrainData } from '../train/trainData';
import { fsRunReader } from './runFolder';
import type { RunEvaluationResult } from './workerProtocol';

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Whether data prepared today encodes as the run's own preprocessing did (same classes, vocabulary, input). */
function sameEncoding(data: TrainData, run: Predictor): boolean {
  const now = data.preprocessing;
  if (!now) return false;
  const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((v, i) => v === b[i]);
  const before = run.preprocessing;
  const vocabulary = (p: typeof now) => ('vocabulary' in p && Array.isArray(p.vocabulary) ? (p.vocabulary as string[]) : []);
  return (
    same(now.classes, before.classes) && same(vocabulary(now), vocabulary(before)) && same(data.inputShape.map(String), run.summary.inputShape.map(String))
  );
}

export class RunModels {
  private readonly loaded = new Map<string, Promise<LoadPredictorResult>>();
  private backend: Promise<unknown> | undefined;

  constructor(private readonly keep = 3) {}

  /** The run's model, loaded once (most recently used last). */
  private async model(runDir: string): Promise<LoadPredictorResult> {
    this.backend ??= initBackend();
    await this.backend;
    let entry = this.loaded.get(runDir);
    if (entry) {
      this.loaded.delete(runDir);
    } else {
      entry = loadPredictor(fsRunReader(runDir)).catch((err: unknown): LoadPredictorResult => ({
        ok: false,
        message: `${runDir} could not be read: ${messageOf(err)}`,
      }));
    }
    this.loaded.set(runDir, entry);
    const result = await entry;
    // A failure is not kept: the folder may be complete next time (a run that just finished).
    if (!result.ok) this.loaded.delete(runDir);
    while (this.loaded.size > this.keep) {
      const [oldest, old] = this.loaded.entries().next().value!;
      this.loaded.delete(oldest);
      void old.then((r) => r.ok && r.predictor.dispose());
    }
    return result;
  }

  async predict(runDir: string, texts: readonly string[], top: number): Promise<{ ok: true; predictions: TextPrediction[] } | Failure> {
    const loaded = await this.model(runDir);
    if (!loaded.ok) return loaded;
    try {
      return { ok: true, predictions: loaded.predictor.predict(texts, top) };
    } catch (err) {
      return saying({ key: 'run.predictionFailed', params: { cause: wordsOf(err) } });
    }
  }

  async predictImages(
    runDir: string,
    images: readonly { name: string; bytes: Uint8Array }[],
    top: number,
  ): Promise<{ ok: true; predictions: TextPrediction[] } | Failure> {
    const loaded = await this.model(runDir);
    if (!loaded.ok) return loaded;
    try {
      return { ok: true, predictions: loaded.predictor.predictImages(images, top) };
    } catch (err) {
      return failureOf(err);
    }
  }

  /**
   * The run's final weights evaluated on its test split: its data read again through `files`
   * (only what the host granted), which must still encode as the run's did.
   */
  async evaluate(runDir: string, files: FilePort): Promise<RunEvaluationResult> {
    const loaded = await this.model(runDir);
    if (!loaded.ok) return { ok: false, problem: 'run', message: loaded.message };
    const run = loaded.predictor;
    let data: TrainData;
    try {
      data = await prepareTrainData(run.doc.data, files);
    } catch (err) {
      return { ...saying({ key: 'run.dataNotReadAgain', params: { cause: wordsOf(err) } }), problem: 'data' };
    }
    if (!sameEncoding(data, run)) {
      return { ...saying({ key: 'run.dataChanged' }), problem: 'data' };
    }
    if (data.size('test') === 0) return { ...saying({ key: 'run.testSplitEmpty' }), problem: 'data' };
    const analysis = inferGraph(run.doc.graph, factsFromSummary(run.summary));
    const head = createLossHead(run.model, modelLoss(run.doc.graph, analysis), undefined, classWeightsFor(run.doc.training.classWeights, run.summary));
    try {
      const evaluation = await evaluateClasses(run.model, data, 'test', head);
      return evaluation ? { ok: true, evaluation } : { ...saying({ key: 'run.testSplitEmpty' }), problem: 'data' };
    } catch (err) {
      return { ...saying({ key: 'run.evaluationFailed', params: { cause: wordsOf(err) } }), problem: 'run' };
    } finally {
      head.dispose();
    }
  }
}
