import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TrainEvent } from '../../../engine/api';
import { evaluateSplit, trainLoop } from '../../../engine/train/loop';
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
    const movingMean = () => model.layers.find((l) => l.getClassName() === 'BatchNormalization')!.getWeights()[2]!.dataSync()[0];
    const meanBefore = movingMean();
    let at10 = -1;
    let at200 = -1;
    await trainLoop({
      ...base,
      model,
      data,
      training: trainingSpec(),
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

describe('trainLoop memory over a whole run', () => {
  it('leaves no tensors behind besides the model it trained', async () => {
    const data = blobs({ train: 64, dev: 16, test: 16 });
    const model = tinyModel(2, { batchNorm: true });
    const before = tf.memory().numTensors;
    await trainLoop({ ...base, model, data, training: trainingSpec({ earlyStopping: { patience: 5, restoreBest: true } }), epochs: 3, emit: () => {} });
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
