/**
 * The learning-rate finder (Smith, "Cyclical learning rates", 2017; fastai's lr_find): a short
 * run from the model's initialisation that raises the learning rate exponentially, one step per
 * batch, from `minLr` to `maxLr`, and stops when the loss explodes. Its curve of loss against
 * learning rate (one point per batch) is read on a log axis: where it falls steepest is a good
 * learning rate, and where it bottoms out is too high already. The model is compiled afresh
 * from the Document (its seeded initialisation) and thrown away after: nothing is written, the
 * Document and any run's weights are untouched.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { compileGraph } from '../compile/compile';
import type { DataSpec, Document, TrainingSpec } from '../graph/document';
import { factsFromSummary } from '../graph/facts';
import { modelLoss } from '../graph/model';
import type { GraphIssue } from '../graph/types';
import { inferGraph } from '../graph/validate';
import type { FilePort } from '../ports';
import { classWeightsFor } from './classWeights';
import { createLossHead, type LossKind } from './lossHead';
import { createOptimizer, processGradients, setLearningRate } from './optimizers';
import { epochOrder } from './random';
import { loadPretrainedVectors } from './run';
import type { BatchArrays, TrainData } from './trainData';
import { otherWords, saidAs, wordsOf, type Words } from '../words';

export interface LrFinderOptions {
  /** The first batch's learning rate (default 1e-7). */
  minLr?: number;
  /** The learning rate the last batch would reach (default 10). */
  maxLr?: number;
  /** Batches from minLr to maxLr (default 200), cycling through the train split as needed. */
  steps?: number;
  /** It stops once the smoothed loss is this many times its lowest so far (default 4). */
  divergeFactor?: number;
}

/** One batch of the finder: the rate it stepped with, its loss, and the loss smoothed. */
export interface LrPoint {
  /** 1-based batch number. */
  step: number;
  lr: number;
  /** The batch's loss (not finite where it exploded). */
  loss: number;
  /** The loss smoothed over neighbouring batches (what steepest and minimum are read from). */
  smoothed: number;
}

export interface LrFinderResult {
  /** One point per batch run. */
  points: LrPoint[];
  /** Where the smoothed loss falls fastest against log10(lr), before its minimum. */
  steepest: LrPoint | null;
  /** The lowest smoothed loss. */
  minimum: LrPoint | null;
  /**
   * The learning rate to train with: the steepest descent's, but no more than a tenth of the
   * minimum's (Smith's rule of thumb: an order of magnitude below where the loss bottoms out) and
   * never below where the fall begins; rounded to two significant digits where that stays on
   * the fall. Null when the loss never fell.
   */
  suggested: number | null;
  /** The learning rates over which the smoothed loss falls, around the steepest point. */
  falling: { from: number; to: number } | null;
  /** Why it ended: the loss exploded, it reached maxLr, or it was asked to stop. */
  stoppedBy: 'diverged' | 'finished' | 'stopped';
  minLr: number;
  maxLr: number;
  seconds: number;
}

export interface FindOptions extends LrFinderOptions {
  model: tfl.LayersModel;
  data: TrainData;
  /** Optimizer (its type and settings; the rate is the finder's), batch size, seed, clipping, decay. */
  training: TrainingSpec;
  loss?: LossKind;
  classWeights?: readonly number[] | null;
  signal?: AbortSignal;
  /** Receives each point as its batch ends. */
  onPoint?: (point: Omit<LrPoint, 'smoothed'>) => void;
}

/** The exponential rate of batch `i` (0-based) of `steps`. */
export function lrAt(i: number, steps: number, minLr: number, maxLr: number): number {
  return steps <= 1 ? minLr : minLr * Math.pow(maxLr / minLr, i / (steps - 1));
}

/** A centred moving average over `window` points (shorter at the ends), skipping non-finite values. */
export function smooth(values: readonly number[], window: number): number[] {
  const half = Math.max(0, Math.floor(window / 2));
  return values.map((_, i) => {
    let sum = 0;
    let n = 0;
    for (let j = Math.max(0, i - half); j <= Math.min(values.length - 1, i + half); j++) {
      const v = values[j]!;
      if (Number.isFinite(v)) {
        sum += v;
        n++;
      }
    }
    return n > 0 ? sum / n : Number.NaN;
  });
}

/** `v` to as few significant digits as keep it within [lo, hi] (0.0024374 → 0.0024): a rate people can read. */
export function roundWithin(v: number, lo: number, hi: number): number {
  for (let digits = 2; digits <= 15; digits++) {
    const r = Number(v.toPrecision(digits));
    if (r >= lo && r <= hi) return r;
  }
  return v;
}

/**
 * Reads a finder's raw curve: the smoothed loss, its minimum, the steepest descent before it
 * (by a centred difference over `window` points against log10 lr, away from the noisy ends)
 * and the run of falling points around it. Pure, so it is tested on made-up curves.
 */
export function analyseCurve(
  raw: readonly { step: number; lr: number; loss: number }[],
  steps: number,
): Pick<LrFinderResult, 'points' | 'steepest' | 'minimum' | 'suggested' | 'falling'> {
  const window = Math.max(5, Math.round(steps / 25) | 1);
  const smoothed = smooth(
    raw.map((p) => p.loss),
    window,
  );
  const points: LrPoint[] = raw.map((p, i) => ({ ...p, smoothed: smoothed[i]! }));
  let min = -1;
  for (let i = 0; i < points.length; i++) if (Number.isFinite(points[i]!.smoothed) && (min < 0 || points[i]!.smoothed < points[min]!.smoothed)) min = i;
  if (min < 0) return { points, steepest: null, minimum: null, suggested: null, falling: null };
  const h = Math.max(1, Math.floor(window / 2));
  const slope = (i: number): number => {
    const a = points[Math.max(0, i - h)]!;
    const b = points[Math.min(points.length - 1, i + h)]!;
    const dx = Math.log10(b.lr) - Math.log10(a.lr);
    return dx > 0 ? (b.smoothed - a.smoothed) / dx : Number.NaN;
  };
  let steep = -1;
  let steepSlope = 0;
  for (let i = h; i <= min; i++) {
    const s = slope(i);
    if (Number.isFinite(s) && s < steepSlope) {
      steepSlope = s;
      steep = i;
    }
  }
  const minimum = points[min]!;
  if (steep < 0) return { points, steepest: null, minimum, suggested: null, falling: null };
  let from = steep;
  while (from > 0 && slope(from - 1) < 0) from--;
  let to = steep;
  while (to < min && slope(to + 1) < 0) to++;
  const steepest = points[steep]!;
  const falling = { from: points[from]!.lr, to: points[to]!.lr };
  const suggested = roundWithin(Math.max(falling.from, Math.min(steepest.lr, minimum.lr / 10)), falling.from, falling.to);
  return { points, steepest, minimum, suggested, falling };
}

function allocate(data: TrainData, n: number): BatchArrays {
  const perExample = data.inputShape.reduce((a, b) => a * b, 1);
  return { x: data.inputDtype === 'int32' ? new Int32Array(n * perExample) : new Float32Array(n * perExample), y: new Float32Array(n * data.numClasses) };
}

/** Runs the finder on a compiled model (its weights change; the caller throws it away after). */
export async function findLearningRate(opts: FindOptions): Promise<LrFinderResult> {
  const minLr = opts.minLr ?? 1e-7;
  const maxLr = opts.maxLr ?? 10;
  const steps = Math.max(2, Math.floor(opts.steps ?? 200));
  const diverge = opts.divergeFactor ?? 4;
  const { model, data, training } = opts;
  const started = performance.now();
  const nTrain = data.size('train');
  if (nTrain === 0) throw new Error('The train split is empty: add rows to the data or raise the train ratio.');
  const batchSize = Math.max(1, Math.min(training.batchSize, nTrain));
  const stepsPerEpoch = Math.ceil(nTrain / batchSize);
  const classWeights = opts.classWeights !== undefined ? opts.classWeights : classWeightsFor(training.classWeights, data.summary);
  const optimizer = createOptimizer(training.optimizer);
  const varList = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const variables = new Map(varList.map((v) => [v.name, v]));
  const buffers = new Map<number, BatchArrays>();
  const probeIdx = Int32Array.from({ length: batchSize }, (_, i) => i);
  const probeArrays = data.fill('train', probeIdx);
  const probe = tf.tensor(probeArrays.x, [batchSize, ...data.inputShape], data.inputDtype);
  const head = createLossHead(model, opts.loss ?? 'categoricalCrossentropy', probe, classWeights);
  probe.dispose();

  const raw: { step: number; lr: number; loss: number }[] = [];
  let stoppedBy: LrFinderResult['stoppedBy'] = 'finished';
  // An exponential average with little lag, only to notice the explosion as it happens.
  let avg = 0;
  let best = Number.POSITIVE_INFINITY;
  let order = epochOrder(nTrain, training.seed, 1);
  let lastYield = performance.now();
  try {
    for (let i = 0; i < steps; i++) {
      if (opts.signal?.aborted) {
        stoppedBy = 'stopped';
        break;
      }
      const b = i % stepsPerEpoch;
      if (b === 0 && i > 0) order = epochOrder(nTrain, training.seed, 1 + i / stepsPerEpoch);
      const from = b * batchSize;
      const n = Math.min(batchSize, nTrain - from);
      let buffer = buffers.get(n);
      if (!buffer) buffers.set(n, (buffer = allocate(data, n)));
      const arrays = data.fill('train', order.subarray(from, from + n), buffer);
      const lr = lrAt(i, steps, minLr, maxLr);
      setLearningRate(optimizer, lr);
      const x = tf.tensor(arrays.x, [n, ...data.inputShape], data.inputDtype);
      const y = tf.tensor(arrays.y, [n, data.numClasses], 'float32');
      const { value, grads } = optimizer.computeGradients(() => head.lossAndCorrect(x, y, true).loss, varList);
      const processed = processGradients(grads, variables, training, false);
      optimizer.applyGradients(processed.grads);
      tf.dispose(grads);
      if (processed.grads !== grads) tf.dispose(processed.grads);
      tf.dispose([x, y, processed.norm]);
      const loss = (await value.data())[0]!;
      value.dispose();
      raw.push({ step: i + 1, lr, loss });
      opts.onPoint?.({ step: i + 1, lr, loss });
      if (!Number.isFinite(loss)) {
        stoppedBy = 'diverged';
        break;
      }
      avg = 0.9 * avg + 0.1 * loss;
      const smoothed = avg / (1 - Math.pow(0.9, i + 1));
      best = Math.min(best, smoothed);
      if (i >= 10 && smoothed > diverge * best) {
        stoppedBy = 'diverged';
        break;
      }
      if (performance.now() - lastYield > 100) {
        // Lets a stop request through.
        await new Promise((resolve) => setTimeout(resolve, 0));
        lastYield = performance.now();
      }
    }
  } finally {
    head.dispose();
    optimizer.dispose();
  }
  return { ...analyseCurve(raw, steps), stoppedBy, minLr, maxLr, seconds: (performance.now() - started) / 1000 };
}

export type LrFindOutcome = { ok: true; result: LrFinderResult } | { ok: false; message: string; words?: Words; issues?: GraphIssue[] };

export interface LrFindDocumentOptions extends LrFinderOptions {
  doc: Document;
  files: FilePort;
  /** Loads and encodes the document's data (engine/data's prepareData, adapted). */
  prepare: (spec: DataSpec, files: FilePort) => Promise<TrainData>;
  signal?: AbortSignal;
  onPoint?: FindOptions['onPoint'];
  /** Progress words (loading the data, compiling; `progress.raisingLr` when the batches begin). */
  status?: (words: Words) => void;
}

const failed = (words: Words, issues?: GraphIssue[]): LrFindOutcome => ({ ok: false, ...saidAs(words), ...(issues ? { issues } : {}) });

/**
 * The finder for a Document: loads its data, checks and compiles its graph with the document's
 * seed (the initialisation a run of it starts from), runs the finder and disposes the model.
 * User mistakes (no data, an invalid graph) are values.
 */
export async function findLearningRateForDocument(opts: LrFindDocumentOptions): Promise<LrFindOutcome> {
  const { doc } = opts;
  const spec = doc.data;
  if (!spec) return failed({ key: 'lrFind.noData' });
  opts.status?.({ key: 'progress.loadingData' });
  let data: TrainData;
  try {
    data = await opts.prepare(spec, opts.files);
  } catch (err) {
    return failed({ key: 'run.dataNotLoaded', params: { cause: wordsOf(err) } });
  }
  if (data.size('train') === 0) return failed({ key: 'run.trainSplitEmpty' });
  const facts = factsFromSummary(data.summary);
  const analysis = inferGraph(doc.graph, facts);
  if (analysis.issues.length > 0) return failed({ key: 'run.graphInvalid', params: { count: analysis.issues.length } }, analysis.issues);
  let model: tfl.LayersModel;
  try {
    const pretrained = await loadPretrainedVectors(doc, data, opts.files, opts.status);
    opts.status?.({ key: 'progress.compiling' });
    const compiled = compileGraph(doc.graph, analysis, facts, { seed: doc.training.seed, pretrained });
    if (!compiled.ok)
      return failed(
        { key: 'run.modelNotBuilt', params: { cause: otherWords(compiled.issues.map((i) => `${i.nodeId}: ${i.message}`).join(' ')) } },
        compiled.issues,
      );
    model = compiled.model;
  } catch (err) {
    return failed(wordsOf(err));
  }
  try {
    opts.status?.({ key: 'progress.raisingLr' });
    const result = await findLearningRate({
      model,
      data,
      training: doc.training,
      loss: modelLoss(doc.graph, analysis),
      ...(opts.minLr !== undefined ? { minLr: opts.minLr } : {}),
      ...(opts.maxLr !== undefined ? { maxLr: opts.maxLr } : {}),
      ...(opts.steps !== undefined ? { steps: opts.steps } : {}),
      ...(opts.divergeFactor !== undefined ? { divergeFactor: opts.divergeFactor } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.onPoint ? { onPoint: opts.onPoint } : {}),
    });
    return { ok: true, result };
  } catch (err) {
    return failed({ key: 'lrFind.failed', params: { cause: wordsOf(err) } });
  } finally {
    model.dispose();
  }
}
