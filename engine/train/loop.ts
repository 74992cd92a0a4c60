/**
 * The training loop: seeded shuffling per epoch, mini-batches filled into reused arrays, one
 * optimizer step per batch (gradients clipped and decayed first), throttled `batch` events,
 * `epoch` events with train and dev metrics, learning rate, gradient norm and pace, NaN
 * detection, early stopping with restore-best, and a test evaluation at the end (per class, with
 * the confusion matrix). Stoppable between batches through an AbortSignal. It owns no files: the
 * caller saves weights and the batch losses it is handed.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { SplitEvaluation, TrainEvent } from './events';
import type { TrainingSpec } from '../graph/document';
import { saidAs } from '../words';
import { classWeightsFor } from './classWeights';
import { createLossHead, type LossHead, type LossKind } from './lossHead';
import { confusionMatrix, evaluationFrom } from './metrics';
import { createOptimizer, learningRateAt, processGradients, setLearningRate } from './optimizers';
import { epochOrder } from './random';
import { dropoutStepper } from '../kernels/seededDropout';
import { parkKernelThreads } from '../kernels/wasm/threadedGemm';
import type { BatchLosses, LoopState } from './runStore';
import type { NamedTensor } from './weights';
import type { BatchArrays, SplitName, TrainData } from './trainData';

export type DoneEvent = Extract<TrainEvent, { type: 'done' }>;

/** What a checkpoint holds besides the model's weights (see TrainLoopOptions.onEpochEnd). */
export interface EpochEndState {
  loop: LoopState;
  /** The best epoch's weights by name, when early stopping will restore them; else null. */
  best: NamedTensor[] | null;
}

/** Where a resumed loop starts: after `epoch`, with that epoch's optimizer and loop state. */
export interface LoopResume {
  epoch: number;
  /** The optimizer's saved state (tf.Optimizer.getWeights' names and values). */
  optimizer: NamedTensor[];
  /** Absent for checkpoints older than resuming: early stopping then starts afresh. */
  loop?: LoopState;
  /** The best epoch's weights by name (restoreBest), when the checkpoint holds them. */
  best?: tf.NamedTensorMap;
}
type Emitted = Exclude<TrainEvent, { type: 'start' | 'done' | 'status' | 'error' }>;

export interface TrainLoopOptions {
  runId: string;
  runDir: string;
  model: tfl.LayersModel;
  data: TrainData;
  /** The Document's training section (optimizer, batch size, schedule, early stopping, seed). */
  training: TrainingSpec;
  /** Epochs to run (the caller applies any override of `training.epochs`). */
  epochs: number;
  loss?: LossKind;
  signal?: AbortSignal;
  /** Receives `batch`, `epoch` and `nan` events as they happen. */
  emit: (event: Emitted) => void;
  /** Least time between two `batch` events; the last batch of an epoch is always sent. Default 50 ms. */
  batchEventIntervalMs?: number;
  /** Called after every optimizer step, with the global step (tests watch memory here). */
  onStep?: (step: number) => void;
  /**
   * Awaited after each epoch's `epoch` event (and early stopping's bookkeeping), with what a
   * checkpoint needs: the optimizer, the loop's state and the best epoch's weights when early
   * stopping will restore them (run.ts saves them as one set, so a run can be resumed).
   */
  onEpochEnd?: (epoch: number, optimizer: tf.Optimizer, state: EpochEndState) => Promise<void>;
  /** Go on from a checkpoint: the model already holds its weights (the caller loaded them). */
  resume?: LoopResume;
  /**
   * Awaited with every batch's loss, once per epoch before its `epoch` event (and for the part
   * of an epoch a stop or a NaN cut short): what the run store keeps (RunStore.appendBatchLosses).
   */
  onBatchLosses?: (record: BatchLosses) => Promise<void>;
  /**
   * The loss's weight of each class (null: alike). Absent: computed from
   * `training.classWeights` and the train split's class counts in `data.summary`.
   */
  classWeights?: readonly number[] | null;
}

/** Loss and accuracy of `model` over a whole split, in eval mode. NaN when the split is empty. */
export async function evaluateSplit(
  model: tfl.LayersModel,
  data: TrainData,
  split: SplitName,
  loss: LossKind | LossHead = 'categoricalCrossentropy',
  batchSize = 256,
): Promise<{ loss: number; acc: number }> {
  const r = await evaluate(model, data, split, loss, batchSize, false);
  return { loss: r.loss, acc: r.acc };
}

/**
 * The full evaluation of `model` on a split: loss, accuracy, per-class precision, recall and F1,
 * their averages and the confusion matrix. Null when the split is empty.
 */
export async function evaluateClasses(
  model: tfl.LayersModel,
  data: TrainData,
  split: SplitName,
  loss: LossKind | LossHead = 'categoricalCrossentropy',
  batchSize = 256,
): Promise<SplitEvaluation | null> {
  const r = await evaluate(model, data, split, loss, batchSize, true);
  if (!r.confusion) return null;
  const labels = data.summary.classes.length === data.numClasses ? data.summary.classes : Array.from({ length: data.numClasses }, (_, i) => String(i));
  return evaluationFrom(r.confusion, labels, r.loss);
}

async function evaluate(
  model: tfl.LayersModel,
  data: TrainData,
  split: SplitName,
  loss: LossKind | LossHead,
  batchSize: number,
  withConfusion: boolean,
): Promise<{ loss: number; acc: number; confusion?: number[][] }> {
  const n = data.size(split);
  if (n === 0) return { loss: Number.NaN, acc: Number.NaN };
  const own = typeof loss === 'string';
  const head = own ? createLossHead(model, loss) : loss;
  const k = data.numClasses;
  const actual = withConfusion ? new Int32Array(n) : undefined;
  const predicted = withConfusion ? new Int32Array(n) : undefined;
  let lossSum = 0;
  let weightSum = 0;
  let correct = 0;
  try {
    for (let start = 0; start < n; start += batchSize) {
      const count = Math.min(batchSize, n - start);
      const indices = new Int32Array(count);
      for (let i = 0; i < count; i++) indices[i] = start + i;
      const arrays = data.fill(split, indices);
      const [stats, pred] = tf.tidy(() => {
        const { x, y } = toTensors(data, arrays, count);
        const r = head.lossAndCorrect(x, y, false);
        const out = r.output;
        return [tf.stack([r.loss, r.correct]), withConfusion ? tf.argMax(out, out.rank - 1) : null] as const;
      });
      const [batchLoss, batchCorrect] = await stats.data();
      stats.dispose();
      if (pred) {
        predicted!.set((await pred.data()) as Int32Array, start);
        pred.dispose();
        for (let i = 0; i < count; i++) {
          let best = 0;
          for (let c = 1; c < k; c++) if (arrays.y[i * k + c]! > arrays.y[i * k + best]!) best = c;
          actual![start + i] = best;
        }
      }
      const weight = head.batchWeight(arrays.y, count);
      lossSum += batchLoss! * weight;
      weightSum += weight;
      correct += batchCorrect!;
    }
  } finally {
    if (own) head.dispose();
  }
  const result = { loss: lossSum / weightSum, acc: correct / n };
  return withConfusion ? { ...result, confusion: confusionMatrix(actual!, predicted!, k) } : result;
}

function toTensors(data: TrainData, arrays: BatchArrays, n: number): { x: tf.Tensor; y: tf.Tensor } {
  return {
    x: tf.tensor(arrays.x, [n, ...data.inputShape], data.inputDtype),
    y: tf.tensor(arrays.y, [n, data.numClasses], 'float32'),
  };
}

function allocate(data: TrainData, n: number): BatchArrays {
  const perExample = data.inputShape.reduce((a, b) => a * b, 1);
  return {
    x: data.inputDtype === 'int32' ? new Int32Array(n * perExample) : new Float32Array(n * perExample),
    y: new Float32Array(n * data.numClasses),
  };
}

/**
 * Without clipping, the gradient norm is measured on one batch in this many (and the first of
 * each epoch): measuring it costs ~2% of a surname-CNN step on wasm, one eighth of that is noise.
 */
export const GRAD_NORM_EVERY = 8;

/** Lets IPC messages (a stop request) through; called at most every 100 ms, not every step. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Copies of the trainable and non-trainable weights (batch-norm statistics included). */
class WeightSnapshot {
  private tensors: tf.Tensor[] = [];
  take(model: tfl.LayersModel): void {
    this.dispose();
    this.tensors = model.weights.map((w) => tf.clone(w.read()));
  }
  /** Takes saved weights (by the model's weight names) instead of the model's own. */
  takeSaved(model: tfl.LayersModel, saved: tf.NamedTensorMap): void {
    this.dispose();
    this.tensors = model.weights.map((w) => {
      const t = saved[w.originalName];
      if (!t) throw new Error(`the checkpoint's best weights lack "${w.originalName}"`);
      return tf.clone(t);
    });
  }
  /** The snapshot by the model's weight names, or null when there is none. */
  named(model: tfl.LayersModel): NamedTensor[] | null {
    if (this.tensors.length === 0) return null;
    return model.weights.map((w, i) => ({ name: w.originalName, tensor: this.tensors[i]! }));
  }
  restore(model: tfl.LayersModel): boolean {
    if (this.tensors.length === 0) return false;
    model.weights.forEach((w, i) => w.write(this.tensors[i]!));
    return true;
  }
  dispose(): void {
    tf.dispose(this.tensors);
    this.tensors = [];
  }
}

/** Collects one epoch's batch losses for the run store. */
class BatchLossLog {
  private losses: number[] = [];
  private firstStep = 0;
  constructor(private readonly sink: TrainLoopOptions['onBatchLosses']) {}
  add(step: number, loss: number): void {
    if (this.losses.length === 0) this.firstStep = step;
    this.losses.push(loss);
  }
  async flush(epoch: number): Promise<void> {
    if (this.losses.length === 0) return;
    const record: BatchLosses = { epoch, firstStep: this.firstStep, losses: this.losses };
    this.losses = [];
    await this.sink?.(record);
  }
}

/**
 * Trains `model` and returns the `done` event (not yet emitted: the caller saves the weights
 * first, so that a `done` always means the run's files are complete).
 */
export async function trainLoop(opts: TrainLoopOptions): Promise<DoneEvent> {
  const { model, data, training, epochs, runId, signal } = opts;
  const lossKind = opts.loss ?? 'categoricalCrossentropy';
  const interval = opts.batchEventIntervalMs ?? 50;
  const batchSize = Math.max(1, training.batchSize);
  const nTrain = data.size('train');
  const stepsPerEpoch = Math.ceil(nTrain / batchSize);
  const started = performance.now();
  const classWeights = opts.classWeights !== undefined ? opts.classWeights : classWeightsFor(training.classWeights, data.summary);
  const optimizer = createOptimizer(training.optimizer);
  const varList = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const variables = new Map(varList.map((v) => [v.name, v]));
  const buffers = new Map<number, BatchArrays>();
  const bufferFor = (n: number): BatchArrays => {
    let b = buffers.get(n);
    if (!b) buffers.set(n, (b = allocate(data, n)));
    return b;
  };

  const probe = (() => {
    if (nTrain === 0) return undefined;
    const count = Math.min(batchSize, nTrain);
    const idx = Int32Array.from({ length: count }, (_, i) => i);
    const { x, y } = toTensors(data, data.fill('train', idx), count);
    y.dispose();
    return x;
  })();
  const head = createLossHead(model, lossKind, probe, classWeights);
  const penalized = model.layers.some((layer) => layer.losses.length > 0);
  probe?.dispose();

  const early = training.earlyStopping;
  const best = new WeightSnapshot();
  const batchLosses = new BatchLossLog(opts.onBatchLosses);
  const resume = opts.resume;
  let bestMonitored = resume?.loop?.bestMonitored ?? Number.POSITIVE_INFINITY;
  let bestDevLoss: number | null = resume?.loop?.bestDevLoss ?? null;
  let bestEpochSeen = resume?.loop?.bestEpoch ?? 0;
  let sinceBest = resume?.loop?.sinceBest ?? 0;
  // Time trained before a resume counts in the elapsed time and the pace of the ETA.
  const elapsedBefore = resume?.loop?.elapsedSeconds ?? 0;

  let reason: DoneEvent['reason'] = 'completed';
  let step = resume?.loop?.step ?? (resume ? resume.epoch * stepsPerEpoch : 0);
  // Dropout's mask is the step's own (seededDropout.ts), so a resumed run draws the same masks.
  const setDropoutStep = dropoutStepper(model);
  let epochsDone = resume?.epoch ?? 0;
  let finalLoss = Number.NaN;
  let lastYield = performance.now();

  try {
    if (resume) {
      await optimizer.setWeights(resume.optimizer);
      if (resume.best && early?.restoreBest) best.takeSaved(model, resume.best);
    }
    outer: for (let epoch = epochsDone + 1; epoch <= epochs; epoch++) {
      const epochStart = performance.now();
      const lr = learningRateAt(training.optimizer.lr, training.schedule, epoch - 1, epochs);
      setLearningRate(optimizer, lr);
      const order = epochOrder(nTrain, training.seed, epoch);
      let lossSum = 0;
      let lossWeight = 0;
      let correctSum = 0;
      let normSum = 0;
      let normCount = 0;
      let seen = 0;
      let stepMs = 0;
      let lastEmit = Number.NEGATIVE_INFINITY;
      let stepsSinceEmit = 0;
      let msSinceEmit = 0;

      for (let b = 0; b < stepsPerEpoch; b++) {
        if (signal?.aborted) {
          reason = 'stopped';
          if (seen > 0) finalLoss = lossSum / lossWeight;
          await batchLosses.flush(epoch);
          break outer;
        }
        const stepStart = performance.now();
        const from = b * batchSize;
        const n = Math.min(batchSize, nTrain - from);
        const arrays = data.fill('train', order.subarray(from, from + n), bufferFor(n));
        const { x, y } = toTensors(data, arrays, n);
        setDropoutStep(step);
        let correctT: tf.Tensor | undefined;
        const { value, grads } = optimizer.computeGradients(() => {
          const r = head.lossAndCorrect(x, y, true);
          correctT = tf.keep(r.correct);
          // The blocks' own penalties (a Dense block's l2), as Keras adds them to the loss.
          return penalized ? tf.addN([r.loss, ...model.calculateLosses()]) : r.loss;
        }, varList);
        const processed = processGradients(grads, variables, training, b % GRAD_NORM_EVERY === 0);
        optimizer.applyGradients(processed.grads);
        tf.dispose(grads);
        if (processed.grads !== grads) tf.dispose(processed.grads);
        x.dispose();
        y.dispose();
        // One read for the loss, the correct count and the gradient norm.
        const norm = processed.norm;
        const stats = tf.tidy(() => tf.stack(norm ? [value, correctT ?? tf.scalar(0), norm] : [value, correctT ?? tf.scalar(0)]));
        tf.dispose([value, correctT, norm]);
        const [lossValue, correct, gradNorm] = (await stats.data()) as Float32Array;
        stats.dispose();
        step++;
        opts.onStep?.(step);

        if (!Number.isFinite(lossValue!)) {
          const lr0 = training.optimizer.lr;
          opts.emit({
            type: 'nan',
            runId,
            epoch,
            batch: b + 1,
            ...saidAs({ key: 'run.nan', params: { loss: String(lossValue), epoch, batch: b + 1, step, lr: lr0, lower: lr0 / 10 } }),
          });
          reason = 'nan';
          finalLoss = lossValue!;
          await batchLosses.flush(epoch);
          break outer;
        }
        batchLosses.add(step, lossValue!);
        const weight = head.batchWeight(arrays.y, n);
        lossSum += lossValue! * weight;
        lossWeight += weight;
        correctSum += correct!;
        if (norm) {
          normSum += gradNorm!;
          normCount++;
        }
        seen += n;

        const now = performance.now();
        stepsSinceEmit++;
        msSinceEmit += now - stepStart;
        stepMs += now - stepStart;
        const last = b === stepsPerEpoch - 1;
        if (last || now - lastEmit >= interval) {
          opts.emit({
            type: 'batch',
            runId,
            epoch,
            batch: b + 1,
            step,
            loss: lossValue!,
            acc: correct! / n,
            msPerStep: msSinceEmit / stepsSinceEmit,
          });
          lastEmit = now;
          stepsSinceEmit = 0;
          msSinceEmit = 0;
        }
        if (now - lastYield > 100) {
          await yieldToEventLoop();
          lastYield = performance.now();
        }
      }

      await batchLosses.flush(epoch);
      const trainLoss = seen > 0 ? lossSum / lossWeight : Number.NaN;
      const dev = await evaluateSplit(model, data, 'dev', head);
      finalLoss = trainLoss;
      epochsDone = epoch;
      const now = performance.now();
      const elapsedSeconds = elapsedBefore + (now - started) / 1000;
      opts.emit({
        type: 'epoch',
        runId,
        epoch,
        trainLoss,
        trainAcc: seen > 0 ? correctSum / seen : Number.NaN,
        devLoss: dev.loss,
        devAcc: dev.acc,
        seconds: (now - epochStart) / 1000,
        lr,
        gradNorm: normCount > 0 ? normSum / normCount : Number.NaN,
        examplesPerSec: stepMs > 0 ? (seen * 1000) / stepMs : Number.NaN,
        elapsedSeconds,
        etaSeconds: (elapsedSeconds / epoch) * (epochs - epoch),
      });

      const monitored = Number.isFinite(dev.loss) ? dev.loss : trainLoss;
      if (Number.isFinite(dev.loss)) bestDevLoss = bestDevLoss === null ? dev.loss : Math.min(bestDevLoss, dev.loss);
      let patienceOut = false;
      if (monitored < bestMonitored) {
        bestMonitored = monitored;
        sinceBest = 0;
        if (early?.restoreBest) {
          best.take(model);
          bestEpochSeen = epoch;
        }
      } else if (early) {
        sinceBest++;
        patienceOut = sinceBest >= Math.max(1, early.patience);
      }
      const loop: LoopState = {
        step,
        bestMonitored: Number.isFinite(bestMonitored) ? bestMonitored : null,
        bestDevLoss,
        bestEpoch: bestEpochSeen,
        sinceBest,
        elapsedSeconds,
      };
      await opts.onEpochEnd?.(epoch, optimizer, { loop, best: best.named(model) });
      if (patienceOut) {
        reason = 'early-stopped';
        break;
      }
    }

    const restored = reason !== 'nan' && early?.restoreBest === true && best.restore(model);
    const test = reason === 'nan' ? null : await evaluateClasses(model, data, 'test', head);
    const finite = (v: number | undefined): number | null => (v !== undefined && Number.isFinite(v) ? v : null);
    return {
      type: 'done',
      runId,
      runDir: opts.runDir,
      reason,
      epochs: epochsDone,
      finalLoss,
      bestDevLoss,
      testLoss: finite(test?.loss),
      testAcc: finite(test?.accuracy),
      ...(test ? { test } : {}),
      ...(restored ? { bestEpoch: bestEpochSeen } : {}),
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    best.dispose();
    head.dispose();
    optimizer.dispose();
    // The kernels' worker would spin a little longer for a next product that will not come.
    parkKernelThreads();
  }
}
