/**
 * The training loop: seeded shuffling per epoch, mini-batches filled into reused arrays, one
 * optimizer step per batch, throttled `batch` events, `epoch` events with train and dev
 * metrics, NaN detection, early stopping with restore-best, and a test evaluation at the end.
 * Stoppable between batches through an AbortSignal. It owns no files: the caller saves weights.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { TrainEvent } from '../api';
import type { TrainingSpec } from '../graph/document';
import { createLossHead, type LossHead, type LossKind } from './lossHead';
import { createOptimizer, learningRateAt, setLearningRate } from './optimizers';
import { epochOrder } from './random';
import type { BatchArrays, SplitName, TrainData } from './trainData';

export type DoneEvent = Extract<TrainEvent, { type: 'done' }>;
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
   * Awaited after each epoch's `epoch` event, with the optimizer whose state a checkpoint
   * needs (run.ts saves model and optimizer weights here, so a run can be resumed).
   */
  onEpochEnd?: (epoch: number, optimizer: tf.Optimizer) => Promise<void>;
}

/** Loss and accuracy of `model` over a whole split, in eval mode. NaN when the split is empty. */
export async function evaluateSplit(
  model: tfl.LayersModel,
  data: TrainData,
  split: SplitName,
  loss: LossKind | LossHead = 'categoricalCrossentropy',
  batchSize = 256,
): Promise<{ loss: number; acc: number }> {
  const n = data.size(split);
  if (n === 0) return { loss: Number.NaN, acc: Number.NaN };
  const head = typeof loss === 'string' ? createLossHead(model, loss) : loss;
  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < n; start += batchSize) {
    const count = Math.min(batchSize, n - start);
    const indices = new Int32Array(count);
    for (let i = 0; i < count; i++) indices[i] = start + i;
    const arrays = data.fill(split, indices);
    const [l, c] = tf.tidy(() => {
      const { x, y } = toTensors(data, arrays, count);
      const r = head.lossAndCorrect(x, y, false);
      return [tf.mul(r.loss, count), r.correct];
    });
    lossSum += (await l.data())[0]!;
    correct += (await c.data())[0]!;
    l.dispose();
    c.dispose();
  }
  return { loss: lossSum / n, acc: correct / n };
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
  const optimizer = createOptimizer(training.optimizer);
  const varList = model.trainableWeights.map((w) => w.read() as tf.Variable);
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
  const head = createLossHead(model, lossKind, probe);
  probe?.dispose();

  const early = training.earlyStopping;
  const best = new WeightSnapshot();
  let bestMonitored = Number.POSITIVE_INFINITY;
  let bestDevLoss: number | null = null;
  let sinceBest = 0;

  let reason: DoneEvent['reason'] = 'completed';
  let step = 0;
  let epochsDone = 0;
  let finalLoss = Number.NaN;
  let lastYield = performance.now();

  try {
    outer: for (let epoch = 1; epoch <= epochs; epoch++) {
      const epochStart = performance.now();
      setLearningRate(optimizer, learningRateAt(training.optimizer.lr, training.schedule, epoch - 1, epochs));
      const order = epochOrder(nTrain, training.seed, epoch);
      let lossSum = 0;
      let correctSum = 0;
      let seen = 0;
      let lastEmit = Number.NEGATIVE_INFINITY;
      let stepsSinceEmit = 0;
      let msSinceEmit = 0;

      for (let b = 0; b < stepsPerEpoch; b++) {
        if (signal?.aborted) {
          reason = 'stopped';
          if (seen > 0) finalLoss = lossSum / seen;
          break outer;
        }
        const stepStart = performance.now();
        const from = b * batchSize;
        const n = Math.min(batchSize, nTrain - from);
        const arrays = data.fill('train', order.subarray(from, from + n), bufferFor(n));
        const { x, y } = toTensors(data, arrays, n);
        let correctT: tf.Tensor | undefined;
        const lossT = optimizer.minimize(
          () => {
            const r = head.lossAndCorrect(x, y, true);
            correctT = tf.keep(r.correct);
            return r.loss;
          },
          true,
          varList,
        );
        x.dispose();
        y.dispose();
        const lossValue = lossT ? (await lossT.data())[0]! : Number.NaN;
        const correct = correctT ? (await correctT.data())[0]! : 0;
        lossT?.dispose();
        correctT?.dispose();
        step++;
        opts.onStep?.(step);

        if (!Number.isFinite(lossValue)) {
          const lr = training.optimizer.lr;
          opts.emit({
            type: 'nan',
            runId,
            epoch,
            batch: b + 1,
            message:
              `The loss became ${lossValue} at epoch ${epoch}, batch ${b + 1} (step ${step}), so training stopped. ` +
              `Lower the learning rate (now ${lr}; try ${lr / 10}), or check the data for extreme values.`,
          });
          reason = 'nan';
          finalLoss = lossValue;
          break outer;
        }
        lossSum += lossValue * n;
        correctSum += correct;
        seen += n;

        const now = performance.now();
        stepsSinceEmit++;
        msSinceEmit += now - stepStart;
        const last = b === stepsPerEpoch - 1;
        if (last || now - lastEmit >= interval) {
          opts.emit({
            type: 'batch',
            runId,
            epoch,
            batch: b + 1,
            step,
            loss: lossValue,
            acc: correct / n,
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

      const trainLoss = seen > 0 ? lossSum / seen : Number.NaN;
      const dev = await evaluateSplit(model, data, 'dev', head);
      finalLoss = trainLoss;
      epochsDone = epoch;
      opts.emit({
        type: 'epoch',
        runId,
        epoch,
        trainLoss,
        trainAcc: seen > 0 ? correctSum / seen : Number.NaN,
        devLoss: dev.loss,
        devAcc: dev.acc,
        seconds: (performance.now() - epochStart) / 1000,
      });
      await opts.onEpochEnd?.(epoch, optimizer);

      const monitored = Number.isFinite(dev.loss) ? dev.loss : trainLoss;
      if (Number.isFinite(dev.loss)) bestDevLoss = bestDevLoss === null ? dev.loss : Math.min(bestDevLoss, dev.loss);
      if (monitored < bestMonitored) {
        bestMonitored = monitored;
        sinceBest = 0;
        if (early?.restoreBest) best.take(model);
      } else if (early) {
        sinceBest++;
        if (sinceBest >= Math.max(1, early.patience)) {
          reason = 'early-stopped';
          break;
        }
      }
    }

    if (reason !== 'nan' && early?.restoreBest) best.restore(model);
    const test = reason === 'nan' ? null : await evaluateSplit(model, data, 'test', head);
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
      testAcc: finite(test?.acc),
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    best.dispose();
    optimizer.dispose();
  }
}
