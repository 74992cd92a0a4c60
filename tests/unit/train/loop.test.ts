import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TrainEvent } from '../../../engine/api';
import { evaluateClasses, evaluateSplit, GRAD_NORM_EVERY, trainLoop } from '../../../engine/train/loop';
import { learningRateAt } from '../../../engine/train/optimizers';
import { epochOrder } from '../../../engine/train/random';
import type { BatchLosses } from '../../../engine/train/runStore';
import { english } from '../../../engine/words';
import { blobs, tinyModel, trainingSpec, useCpu } from './synthetic';

beforeAll(useCpu);

function collect() {
  const events: TrainEvent[] = [];
  return { events, emit: (e: TrainEvent) => events.push(e) };
}
const base = { runId: 'r1', runDir: '/tmp/r1' };

describe('trainLoop', () => {
  it('lowers the loss on a small synthetic task and reports every epoch', async () => {
    const data = blobs();
    const model = tinyModel();
    const before = await evaluateSplit(model, data, 'train');
    const { events, emit } = collect();
    const done = await trainLoop({ ...base, model, data, training: trainingSpec(), epochs: 5, emit });
    const after = await evaluateSplit(model, data, 'train');
    expect(done.reason).toBe('completed');
    expect(done.epochs).toBe(5);
    expect(after.loss).toBeLessThan(before.loss * 0.5);
    expect(done.testAcc).toBeGreaterThan(0.8);
    expect(Number.isFinite(done.finalLoss)).toBe(true);
    const epochs = events.filter((e) => e.type === 'epoch');
    expect(epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5]);
    for (const e of epochs) {
      expect(Number.isFinite(e.trainLoss) && Number.isFinite(e.devLoss)).toBe(true);
      expect(e.devAcc).toBeGreaterThanOrEqual(0);
    }
    // The last batch of each epoch is always reported.
    const batches = events.filter((e) => e.type === 'batch');
    for (let ep = 1; ep <= 5; ep++) expect(batches.some((b) => b.epoch === ep && b.batch === 19)).toBe(true);
    model.dispose();
  });

  it('throttles batch events but always sends the last batch of each epoch', async () => {
    const data = blobs({ train: 160, dev: 16, test: 16 });
    const model = tinyModel();
    const { events, emit } = collect();
    await trainLoop({ ...base, model, data, training: trainingSpec(), epochs: 3, emit, batchEventIntervalMs: 1e9 });
    const batches = events.filter((e) => e.type === 'batch');
    // The first batch of the run (nothing sent yet this epoch) and the last of every epoch.
    expect(batches.map((b) => [b.epoch, b.batch])).toEqual([
      [1, 1],
      [1, 10],
      [2, 1],
      [2, 10],
      [3, 1],
      [3, 10],
    ]);
    expect(batches.map((b) => b.step)).toEqual([1, 10, 11, 20, 21, 30]);
    model.dispose();
  });

  it('leaks no tensors: numTensors after step 200 equals numTensors after step 10 (with batch norm and dropout)', async () => {
    const data = blobs({ train: 320, dev: 16, test: 16 });
    const model = tinyModel(1, { batchNorm: true });
    const movingMean = () =>
      model.layers
        .find((l) => l.getClassName() === 'BatchNormalization')!
        .getWeights()[2]!
        .dataSync()[0];
    const meanBefore = movingMean();
    let at10 = -1;
    let at200 = -1;
    await trainLoop({
      ...base,
      model,
      data,
      // Every gradient path on: clipping, weight decay, class weights.
      training: trainingSpec({ clipNorm: 1, weightDecay: 1e-4, classWeights: 'inverse' }),
      epochs: 10,
      emit: () => {},
      onStep: (step) => {
        if (step === 10) at10 = tf.memory().numTensors;
        if (step === 200) at200 = tf.memory().numTensors;
      },
    });
    expect(at10).toBeGreaterThan(0);
    expect(at200).toBe(at10);
    // Training mode reached the batch-norm layer: its moving statistics moved.
    expect(movingMean()).not.toBe(meanBefore);
    model.dispose();
  });

  it('stops between batches when the signal aborts', async () => {
    const data = blobs({ train: 3200, dev: 16, test: 16 });
    const model = tinyModel();
    const controller = new AbortController();
    const { events, emit } = collect();
    const done = await trainLoop({
      ...base,
      model,
      data,
      training: trainingSpec(),
      epochs: 50,
      signal: controller.signal,
      emit,
      onStep: (step) => step === 30 && controller.abort(),
    });
    expect(done.reason).toBe('stopped');
    expect(done.epochs).toBe(0);
    expect(events.some((e) => e.type === 'epoch')).toBe(false);
    model.dispose();
  });

  it('stops with a nan event and a hint when the learning rate is huge', async () => {
    const data = blobs();
    const model = tinyModel();
    const { events, emit } = collect();
    const done = await trainLoop({
      ...base,
      model,
      data,
      training: trainingSpec({ optimizer: { type: 'sgd', lr: 10 } }),
      epochs: 3,
      emit,
    });
    // With sgd at lr 10 the weights overflow float32 within a few steps.
    expect(done.reason).toBe('nan');
    const nan = events.find((e) => e.type === 'nan');
    expect(nan?.message).toMatch(/learning rate/i);
    // Its words say the same, for the renderer to say in the user's language.
    if (nan?.type !== 'nan' || !nan.words) throw new Error('the nan event has no words');
    expect(english(nan.words)).toBe(nan.message);
    expect(nan.words.params).toMatchObject({ epoch: nan.epoch, batch: nan.batch, lr: 10, lower: 1 });
    expect(done.testLoss).toBeNull();
    model.dispose();
  });

  it('early-stops when the dev loss stops improving and restores the best weights', async () => {
    const data = blobs({ train: 60, dev: 60, test: 30 });
    const model = tinyModel();
    const { events, emit } = collect();
    const done = await trainLoop({
      ...base,
      model,
      data,
      training: trainingSpec({ optimizer: { type: 'adam', lr: 0.2 }, earlyStopping: { patience: 1, restoreBest: true } }),
      epochs: 200,
      emit,
    });
    expect(done.reason).toBe('early-stopped');
    expect(done.epochs).toBeLessThan(200);
    const dev = await evaluateSplit(model, data, 'dev');
    expect(dev.loss).toBeCloseTo(done.bestDevLoss!, 4);
    const devLosses = events.flatMap((e) => (e.type === 'epoch' ? [e.devLoss] : []));
    expect(Math.min(...devLosses)).toBeCloseTo(done.bestDevLoss!, 6);
    model.dispose();
  });
});

describe('trainLoop events and evaluation', () => {
  it('epoch events carry the learning rate, the mean gradient norm, the pace, elapsed time and ETA', async () => {
    const data = blobs({ train: 96, dev: 24, test: 24 });
    const model = tinyModel();
    const { events, emit } = collect();
    const training = trainingSpec({ schedule: { type: 'inverseTime', decayRate: 0.5, warmupEpochs: 2 } });
    await trainLoop({ ...base, model, data, training, epochs: 4, emit });
    const epochs = events.flatMap((e) => (e.type === 'epoch' ? [e] : []));
    expect(epochs.map((e) => e.lr)).toEqual([0, 1, 2, 3].map((i) => learningRateAt(0.01, training.schedule, i, 4)));
    expect(epochs.map((e) => e.lr)).toEqual([0.005, 0.01, 0.01, 0.01 / 1.5]);
    for (const e of epochs) {
      expect(e.gradNorm).toBeGreaterThan(0);
      expect(Number.isFinite(e.gradNorm)).toBe(true);
      expect(e.examplesPerSec).toBeGreaterThan(0);
      expect(e.elapsedSeconds).toBeGreaterThanOrEqual(e.seconds);
    }
    for (let i = 1; i < epochs.length; i++) expect(epochs[i]!.elapsedSeconds).toBeGreaterThan(epochs[i - 1]!.elapsedSeconds);
    expect(epochs[0]!.etaSeconds).toBeCloseTo(epochs[0]!.elapsedSeconds * 3, 6);
    expect(epochs.at(-1)!.etaSeconds).toBe(0);
    model.dispose();
  });

  it('the gradient norm is the mean of the batches’ global norms: every batch when clipping, else every 8th', async () => {
    const data = blobs({ train: 160, dev: 0, test: 0 });
    const model = tinyModel(1, { dropout: 0 });
    const varList = model.trainableWeights.map((w) => w.read() as tf.Variable);
    // The initial model's gradient norm on each batch of epoch 1.
    const order = epochOrder(160, 3, 1);
    const norms = Array.from({ length: 10 }, (_, b) => {
      const arrays = data.fill('train', order.subarray(b * 16, b * 16 + 16));
      const x = tf.tensor(arrays.x, [16, 4]);
      const y = tf.tensor(arrays.y, [16, 3]);
      const { grads, value } = tf.variableGrads(() => tf.mean(tf.neg(tf.sum(tf.mul(y, tf.log(model.apply(x) as tf.Tensor)), -1))) as tf.Scalar, varList);
      const n = Math.sqrt(Object.values(grads).reduce((a, g) => a + tf.sum(tf.square(g)).dataSync()[0]!, 0));
      tf.dispose([x, y, value, grads]);
      return n;
    });
    const gradNorm = async (clipNorm?: number) => {
      const { events, emit } = collect();
      // sgd at a learning rate too small to move the weights: every batch sees the initial model.
      const training = trainingSpec({ optimizer: { type: 'sgd', lr: 1e-30 }, ...(clipNorm ? { clipNorm } : {}) });
      await trainLoop({ ...base, model, data, training, epochs: 1, emit });
      const epoch = events.find((e) => e.type === 'epoch')!;
      return epoch.type === 'epoch' ? epoch.gradNorm : Number.NaN;
    };
    expect(GRAD_NORM_EVERY).toBe(8);
    expect(await gradNorm()).toBeCloseTo((norms[0]! + norms[8]!) / 2, 4);
    expect(await gradNorm(1e9)).toBeCloseTo(norms.reduce((a, b) => a + b, 0) / 10, 4);
    model.dispose();
  });

  it('done carries the test evaluation: per class, averages and the confusion matrix, agreeing with testLoss/testAcc', async () => {
    const data = blobs({ train: 150, dev: 30, test: 60 });
    const model = tinyModel();
    const done = await trainLoop({ ...base, model, data, training: trainingSpec(), epochs: 3, emit: () => {} });
    const test = done.test!;
    expect(test.accuracy).toBeCloseTo(done.testAcc!, 12);
    expect(test.loss).toBeCloseTo(done.testLoss!, 12);
    expect(Object.keys(test.perClass)).toEqual(['a', 'b', 'c']);
    expect(test.confusion.labels).toEqual(['a', 'b', 'c']);
    expect(test.confusion.matrix.flat().reduce((a, b) => a + b, 0)).toBe(60);
    expect(test.confusion.matrix.map((row) => row.reduce((a, b) => a + b, 0))).toEqual([20, 20, 20]);
    expect(test.perClass.a!.support).toBe(20);
    expect(test.weighted.recall).toBeCloseTo(test.accuracy, 12);
    // The same as evaluating the trained model again, and as its predictions counted by hand.
    const again = await evaluateClasses(model, data, 'test');
    expect(again).toEqual(test);
    const arrays = data.fill(
      'test',
      Int32Array.from({ length: 60 }, (_, i) => i),
    );
    const pred = tf.argMax(model.predict(tf.tensor(arrays.x, [60, 4])) as tf.Tensor, -1).dataSync();
    const diagonal = [0, 1, 2].map((c) => Array.from(pred).filter((p, i) => p === c && i % 3 === c).length);
    expect(test.confusion.matrix.map((row, c) => row[c])).toEqual(diagonal);
    expect(done.bestEpoch).toBeUndefined();
    model.dispose();
  });

  it('has no test evaluation for an empty test split', async () => {
    const model = tinyModel();
    const done = await trainLoop({ ...base, model, data: blobs({ train: 32, dev: 8, test: 0 }), training: trainingSpec(), epochs: 1, emit: () => {} });
    expect(done.test).toBeUndefined();
    expect(done.testAcc).toBeNull();
    model.dispose();
  });

  it('reports the epoch early stopping restored', async () => {
    const data = blobs({ train: 60, dev: 60, test: 30 });
    const model = tinyModel();
    const { events, emit } = collect();
    const done = await trainLoop({
      ...base,
      model,
      data,
      training: trainingSpec({ optimizer: { type: 'adam', lr: 0.2 }, earlyStopping: { patience: 1, restoreBest: true } }),
      epochs: 200,
      emit,
    });
    expect(done.reason).toBe('early-stopped');
    const devLosses = events.flatMap((e) => (e.type === 'epoch' ? [e.devLoss] : []));
    expect(done.bestEpoch).toBe(devLosses.indexOf(Math.min(...devLosses)) + 1);
    expect(done.bestEpoch).toBeLessThan(done.epochs);
    model.dispose();
  });

  it('hands every batch loss over, one record an epoch, the partial epoch of a stop included', async () => {
    const data = blobs({ train: 160, dev: 16, test: 16 });
    const model = tinyModel();
    const records: BatchLosses[] = [];
    const controller = new AbortController();
    const { events, emit } = collect();
    await trainLoop({
      ...base,
      model,
      data,
      training: trainingSpec(),
      epochs: 5,
      emit,
      batchEventIntervalMs: 0,
      signal: controller.signal,
      onStep: (step) => step === 25 && controller.abort(),
      onBatchLosses: async (r) => {
        records.push(r);
      },
    });
    expect(records.map((r) => [r.epoch, r.firstStep, r.losses.length])).toEqual([
      [1, 1, 10],
      [2, 11, 10],
      [3, 21, 5],
    ]);
    // Every batch event (sent for each batch here) has its loss stored.
    const batchLosses = events.flatMap((e) => (e.type === 'batch' ? [e.loss] : []));
    expect(records.flatMap((r) => r.losses)).toEqual(batchLosses);
    model.dispose();
  });
});

describe('class weights in the training loop', () => {
  it('weigh the train and dev losses: sum(w_y·loss) / sum(w_y)', async () => {
    const data = blobs({ train: 48, dev: 24, test: 24 });
    const model = tinyModel();
    const weights = { a: 3, b: 1, c: 0.5 };
    const before = await evaluateSplit(model, data, 'dev');
    const { events, emit } = collect();
    // sgd at a learning rate too small to move the weights: the losses are the initial model's.
    await trainLoop({ ...base, model, data, training: trainingSpec({ optimizer: { type: 'sgd', lr: 1e-30 }, classWeights: weights }), epochs: 1, emit });
    const epoch = events.find((e) => e.type === 'epoch')!;
    // By hand, from the model's probabilities on dev.
    const arrays = data.fill(
      'dev',
      Int32Array.from({ length: 24 }, (_, i) => i),
    );
    const p = (model.predict(tf.tensor(arrays.x, [24, 4])) as tf.Tensor).dataSync();
    const w = [3, 1, 0.5];
    let num = 0;
    let den = 0;
    for (let i = 0; i < 24; i++) {
      const c = i % 3;
      num += w[c]! * -Math.log(p[i * 3 + c]!);
      den += w[c]!;
    }
    expect(epoch.type === 'epoch' && epoch.devLoss).toBeCloseTo(num / den, 4);
    expect(epoch.type === 'epoch' && epoch.devLoss).not.toBeCloseTo(before.loss, 3);
    model.dispose();
  });

  it('inverse frequency raises the recall of a rare class', async () => {
    // Class c is 1 example in 16 and overlaps the others.
    const classOf = (i: number) => (i % 16 === 0 ? 2 : i % 2);
    const data = blobs({ train: 480, dev: 0, test: 480 }, 7, { classOf, spread: 1.6 });
    const recallOfC = async (classWeights: unknown) => {
      const model = tinyModel();
      const done = await trainLoop({ ...base, model, data, training: trainingSpec({ classWeights }), epochs: 4, emit: () => {} });
      model.dispose();
      return done.test!.perClass.c!.recall;
    };
    const plain = await recallOfC('none');
    const weighted = await recallOfC('inverse');
    expect(weighted).toBeGreaterThan(plain + 0.1);
    expect(await recallOfC('inverseLog')).toBeGreaterThanOrEqual(plain);
  });

  it('refuses a class name the data does not have', async () => {
    const model = tinyModel();
    await expect(trainLoop({ ...base, model, data: blobs(), training: trainingSpec({ classWeights: { z: 2 } }), epochs: 1, emit: () => {} })).rejects.toThrow(
      /training\.classWeights names "z", which is not a class of this data; the classes are "a", "b", "c"/,
    );
    model.dispose();
  });
});

describe('trainLoop memory over a whole run', () => {
  it('leaves no tensors behind besides the model it trained', async () => {
    const data = blobs({ train: 64, dev: 16, test: 16 });
    const model = tinyModel(2, { batchNorm: true });
    const before = tf.memory().numTensors;
    await trainLoop({
      ...base,
      model,
      data,
      training: trainingSpec({ earlyStopping: { patience: 5, restoreBest: true }, clipNorm: 1, weightDecay: 1e-3, classWeights: { a: 2 } }),
      epochs: 3,
      emit: () => {},
    });
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
