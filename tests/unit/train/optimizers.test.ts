import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { OptimizerSchema, SCHEDULE_DEFAULTS, TrainingSchema } from '../../../engine/graph/document';
import { evaluateSplit, trainLoop } from '../../../engine/train/loop';
import { createOptimizer, learningRateAt, processGradients } from '../../../engine/train/optimizers';
import { blobs, tinyModel, trainingSpec, useCpu } from './synthetic';

beforeAll(useCpu);

describe('optimizers', () => {
  const lrs = { sgd: 0.1, momentum: 0.05, adam: 0.01, rmsprop: 0.01, adagrad: 0.1 } as const;
  for (const type of OptimizerSchema.shape.type.unwrap().options) {
    it(`${type} lowers the loss`, async () => {
      const data = blobs({ train: 120, dev: 0, test: 0 });
      const model = tinyModel();
      const before = await evaluateSplit(model, data, 'train');
      await trainLoop({
        runId: 'o',
        runDir: '/tmp/o',
        model,
        data,
        training: trainingSpec({ optimizer: { type, lr: lrs[type] } }),
        epochs: 3,
        emit: () => {},
      });
      const after = await evaluateSplit(model, data, 'train');
      expect(after.loss).toBeLessThan(before.loss);
      model.dispose();
    });
  }

  it('schedules the learning rate per epoch', () => {
    const s = (o: object) => TrainingSchema.parse({ schedule: o }).schedule;
    expect(learningRateAt(0.1, s({ type: 'inverseTime', decayRate: 0.5 }), 0, 10)).toBeCloseTo(0.1, 12);
    expect(learningRateAt(0.1, s({ type: 'inverseTime', decayRate: 0.5 }), 4, 10)).toBeCloseTo(0.1 / 3, 12);
    expect(learningRateAt(0.1, s({ type: 'inverseTime' }), 10, 20)).toBeCloseTo(0.1 / (1 + SCHEDULE_DEFAULTS.inverseTime.decayRate * 10), 12);
    // Defaults when a document leaves the settings out.
    expect(learningRateAt(0.1, s({ type: 'exponential' }), 2, 10)).toBeCloseTo(0.1 * 0.95 ** 2, 12);
    expect(learningRateAt(0.1, s({ type: 'step' }), 10, 30)).toBeCloseTo(0.05, 12);
    expect(learningRateAt(0.1, s({ type: 'cosine', minLr: 0.01 }), 9, 10)).toBeCloseTo(0.01, 12);
  });

  it('warms up linearly, lr0/N … lr0 over N epochs, then runs the schedule from its start', () => {
    const s = (o: object) => TrainingSchema.parse({ schedule: o }).schedule;
    const rates = (o: object, epochs: number) => Array.from({ length: epochs }, (_, e) => learningRateAt(0.1, s(o), e, epochs));
    const constant = rates({ type: 'constant', warmupEpochs: 4 }, 6);
    [0.025, 0.05, 0.075, 0.1, 0.1, 0.1].forEach((v, i) => expect(constant[i]).toBeCloseTo(v, 12));
    const step = rates({ type: 'step', gamma: 0.5, stepSize: 1, warmupEpochs: 2 }, 5);
    [0.05, 0.1, 0.1, 0.05, 0.025].forEach((v, i) => expect(step[i]).toBeCloseTo(v, 12));
    // Cosine after warm-up spans the epochs left: its last epoch still reaches minLr.
    const cosine = rates({ type: 'cosine', warmupEpochs: 2 }, 7);
    expect(cosine[2]).toBeCloseTo(0.1, 12);
    expect(cosine[6]).toBeCloseTo(0, 12);
    expect(rates({ type: 'inverseTime', decayRate: 1, warmupEpochs: 1 }, 3)).toEqual([0.1, 0.1, 0.05]);
  });

  it('schedules the learning rate per epoch (the four original schedules)', () => {
    const s = (o: object) => TrainingSchema.parse({ schedule: o }).schedule;
    expect(learningRateAt(0.1, s({ type: 'constant' }), 5, 10)).toBe(0.1);
    expect(learningRateAt(0.1, s({ type: 'exponential', gamma: 0.5 }), 2, 10)).toBeCloseTo(0.025);
    expect(learningRateAt(0.1, s({ type: 'step', gamma: 0.1, stepSize: 3 }), 3, 10)).toBeCloseTo(0.01);
    expect(learningRateAt(0.1, s({ type: 'cosine' }), 0, 11)).toBeCloseTo(0.1);
    expect(learningRateAt(0.1, s({ type: 'cosine' }), 10, 11)).toBeCloseTo(0);
  });
});

/** Steps `optimizer` `steps` times on loss = 2·w from w = 1, returning w after each step. */
function stepsOf(optimizer: tf.Optimizer, steps: number): number[] {
  const w = tf.variable(tf.scalar(1));
  const out: number[] = [];
  for (let i = 0; i < steps; i++) {
    optimizer.minimize(() => tf.mul(w, 2) as tf.Scalar, false, [w]);
    out.push(w.dataSync()[0]!);
  }
  w.dispose();
  optimizer.dispose();
  return out;
}
const opt = (o: object) => OptimizerSchema.parse(o);

describe('createOptimizer settings', () => {
  it('momentum with nesterov steps by g + m·buf, as PyTorch SGD(nesterov=True)', () => {
    // g = 2, lr 0.1, m 0.9. Plain: buf 2 → w 0.8; buf 3.8 → w 0.42.
    // Nesterov: w −= 0.1·(2 + 0.9·2) → 0.62; w −= 0.1·(2 + 0.9·3.8) → 0.078.
    const plain = stepsOf(createOptimizer(opt({ type: 'momentum', lr: 0.1, momentum: 0.9 })), 2);
    const nesterov = stepsOf(createOptimizer(opt({ type: 'momentum', lr: 0.1, momentum: 0.9, nesterov: true })), 2);
    expect(plain[0]).toBeCloseTo(0.8, 6);
    expect(plain[1]).toBeCloseTo(0.42, 6);
    expect(nesterov[0]).toBeCloseTo(0.62, 6);
    expect(nesterov[1]).toBeCloseTo(0.078, 6);
  });

  it('rmsprop uses its rho and its momentum', () => {
    // ms = rho·ms + (1 − rho)·g²; mom = m·mom + lr·g/√(ms + ε); w −= mom.
    const byHand = (rho: number, m: number, lr: number, steps: number) => {
      let w = 1;
      let ms = 0;
      let mom = 0;
      const out: number[] = [];
      for (let i = 0; i < steps; i++) {
        ms = rho * ms + (1 - rho) * 4;
        mom = m * mom + (lr * 2) / Math.sqrt(ms + 1e-8);
        w -= mom;
        out.push(w);
      }
      return out;
    };
    const cases = [
      { rho: 0.9, momentum: 0 },
      { rho: 0.9, momentum: 0.5 },
      { rho: 0.5, momentum: 0.5 },
    ];
    const results = cases.map((c) => stepsOf(createOptimizer(opt({ type: 'rmsprop', lr: 0.01, epsilon: 1e-8, ...c })), 3));
    cases.forEach((c, i) => byHand(c.rho, c.momentum, 0.01, 3).forEach((v, k) => expect(results[i]![k]).toBeCloseTo(v, 5)));
    expect(results[1]![2]).not.toBeCloseTo(results[0]![2]!, 3);
    expect(results[2]![2]).not.toBeCloseTo(results[1]![2]!, 3);
    expect(opt({ type: 'rmsprop' }).rho).toBe(0.9);
    expect(OptimizerSchema.safeParse({ rho: 1 }).success).toBe(false);
  });
});

describe('processGradients', () => {
  const a = tf.variable(tf.tensor1d([1, -2]), true, 'pg_a');
  const b = tf.variable(tf.tensor1d([0.5]), true, 'pg_b');
  const variables = new Map([
    ['pg_a', a],
    ['pg_b', b],
  ]);
  const grads = () => ({ pg_a: tf.tensor1d([3, 0]), pg_b: tf.tensor1d([4]) });

  it('reports the global norm and hands the gradients on untouched without clipping or decay', () => {
    const g = grads();
    const r = processGradients(g, variables, { weightDecay: 0 });
    expect(r.grads).toBe(g);
    expect(r.norm!.dataSync()[0]).toBeCloseTo(5, 6);
    tf.dispose([g, r.norm]);
  });

  it('skips the norm when not asked to measure, unless clipping needs it', () => {
    const g = grads();
    const before = tf.memory().numTensors;
    const r = processGradients(g, variables, { weightDecay: 0 }, false);
    expect(r).toEqual({ grads: g, norm: undefined });
    expect(tf.memory().numTensors).toBe(before);
    const clipped = processGradients(g, variables, { weightDecay: 0, clipNorm: 1 }, false);
    expect(clipped.norm!.dataSync()[0]).toBeCloseTo(5, 6);
    tf.dispose([g, clipped.grads, clipped.norm]);
  });

  it('clips by global norm as clip_grad_norm_ does, only when the norm is above clipNorm', () => {
    const g = grads();
    const r = processGradients(g, variables, { weightDecay: 0, clipNorm: 1 });
    const s = 1 / (5 + 1e-6);
    expect(Array.from(r.grads.pg_a!.dataSync())).toEqual([expect.closeTo(3 * s, 6), 0]);
    expect(r.grads.pg_b!.dataSync()[0]).toBeCloseTo(4 * s, 6);
    expect(r.norm!.dataSync()[0]).toBeCloseTo(5, 6); // the norm before clipping
    const loose = processGradients(g, variables, { weightDecay: 0, clipNorm: 10 });
    expect(Array.from(loose.grads.pg_a!.dataSync())).toEqual([3, 0]);
    tf.dispose([g, r.grads, r.norm, loose.grads, loose.norm]);
  });

  it('adds weightDecay·w after clipping, as PyTorch optimizers do after clip_grad_norm_', () => {
    const g = grads();
    const r = processGradients(g, variables, { weightDecay: 0.1, clipNorm: 1 });
    const s = 1 / (5 + 1e-6);
    const ga = r.grads.pg_a!.dataSync();
    expect(ga[0]).toBeCloseTo(3 * s + 0.1, 6);
    expect(ga[1]).toBeCloseTo(0 - 0.2, 6);
    expect(r.grads.pg_b!.dataSync()[0]).toBeCloseTo(4 * s + 0.05, 6);
    tf.dispose([g, r.grads, r.norm]);
  });

  it('leaves only what it returns', () => {
    const g = grads();
    const before = tf.memory().numTensors;
    const r = processGradients(g, variables, { weightDecay: 0.1, clipNorm: 1 });
    expect(tf.memory().numTensors).toBe(before + 3);
    tf.dispose([g, r.grads, r.norm]);
  });
});

/** The trained weights of a model as one flat array. */
const flat = (model: tfl.LayersModel) => Float32Array.from(model.trainableWeights.flatMap((w) => Array.from(w.read().dataSync())));
const norm = (v: Float32Array) => Math.sqrt(v.reduce((a, x) => a + x * x, 0));

describe('training settings reach the training loop', () => {
  async function train(overrides: Record<string, unknown>, epochs = 3) {
    const data = blobs({ train: 120, dev: 24, test: 24 });
    const model = tinyModel();
    const start = flat(model);
    const events: import('../../../engine/api').TrainEvent[] = [];
    const done = await trainLoop({ runId: 's', runDir: '/tmp/s', model, data, training: trainingSpec(overrides), epochs, emit: (e) => events.push(e) });
    const end = flat(model);
    model.dispose();
    return { start, end, done, events };
  }

  it('weightDecay shrinks the weights', async () => {
    const plain = await train({ optimizer: { type: 'sgd', lr: 0.1 } }, 5);
    const decayed = await train({ optimizer: { type: 'sgd', lr: 0.1 }, weightDecay: 0.2 }, 5);
    expect(norm(decayed.end)).toBeLessThan(norm(plain.end) * 0.9);
  });

  it('clipNorm bounds every step: sgd moves the weights at most lr·clipNorm a step', async () => {
    const steps = 3 * Math.ceil(120 / 16);
    const clipped = await train({ optimizer: { type: 'sgd', lr: 0.1 }, clipNorm: 0.01 });
    const moved = norm(clipped.end.map((v, i) => v - clipped.start[i]!));
    expect(moved).toBeLessThanOrEqual(steps * 0.1 * 0.01 + 1e-6);
    const free = await train({ optimizer: { type: 'sgd', lr: 0.1 } });
    expect(norm(free.end.map((v, i) => v - free.start[i]!))).toBeGreaterThan(moved * 5);
    // The reported gradient norm is the one before clipping.
    const epoch = clipped.events.find((e) => e.type === 'epoch');
    expect(epoch?.type === 'epoch' && epoch.gradNorm).toBeGreaterThan(0.01);
  });

  it('nesterov, rmsprop rho and rmsprop momentum each change the trained weights', async () => {
    const pairs: [object, object][] = [
      [
        { type: 'momentum', lr: 0.05 },
        { type: 'momentum', lr: 0.05, nesterov: true },
      ],
      [
        { type: 'rmsprop', lr: 0.01, momentum: 0 },
        { type: 'rmsprop', lr: 0.01, momentum: 0.5 },
      ],
      [
        { type: 'rmsprop', lr: 0.01, rho: 0.9 },
        { type: 'rmsprop', lr: 0.01, rho: 0.5 },
      ],
    ];
    for (const [x, y] of pairs) {
      const a = await train({ optimizer: x }, 1);
      const b = await train({ optimizer: y }, 1);
      expect(norm(a.end.map((v, i) => v - b.end[i]!))).toBeGreaterThan(1e-3);
    }
  });
});
