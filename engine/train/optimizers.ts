/**
 * The one place that turns a Document's optimizer settings into a tfjs optimizer, and the
 * learning-rate schedules applied to it between epochs.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { OptimizerSpec, TrainingSpec } from '../graph/document';

/** A tfjs optimizer for `spec`. Every type the Document allows is handled; none is defaulted. */
export function createOptimizer(spec: OptimizerSpec): tf.Optimizer {
  switch (spec.type) {
    case 'sgd':
      return tf.train.sgd(spec.lr);
    case 'momentum':
      return tf.train.momentum(spec.lr, spec.momentum);
    case 'adam':
      return tf.train.adam(spec.lr, spec.beta1, spec.beta2, spec.epsilon);
    case 'rmsprop':
      // decay 0.9 as in Keras/PyTorch (alpha 0.99 there); `momentum` here is rmsprop's own, off by default.
      return tf.train.rmsprop(spec.lr, 0.9, 0, spec.epsilon);
    case 'adagrad':
      return tf.train.adagrad(spec.lr);
  }
}

type Schedule = TrainingSpec['schedule'];

function num(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

/**
 * The learning rate for `epoch` (0-based) of `epochs`. The schedule object is loose: its
 * optional fields are `gamma` (exponential and step decay factor, default 0.95 / 0.5),
 * `stepSize` (epochs per step, default 10) and `minLr` (cosine floor, default 0).
 */
export function learningRateAt(baseLr: number, schedule: Schedule, epoch: number, epochs: number): number {
  const s = schedule as Schedule & Record<string, unknown>;
  switch (schedule.type) {
    case 'constant':
      return baseLr;
    case 'exponential':
      return baseLr * Math.pow(num(s.gamma, 0.95), epoch);
    case 'step':
      return baseLr * Math.pow(num(s.gamma, 0.5), Math.floor(epoch / Math.max(1, num(s.stepSize, 10))));
    case 'cosine': {
      const minLr = num(s.minLr, 0);
      const t = epochs <= 1 ? 0 : epoch / (epochs - 1);
      return minLr + 0.5 * (baseLr - minLr) * (1 + Math.cos(Math.PI * t));
    }
  }
}

/** Sets the learning rate of a tfjs optimizer in place (tfjs reads it on every step). */
export function setLearningRate(optimizer: tf.Optimizer, lr: number): void {
  (optimizer as unknown as { learningRate: number }).learningRate = lr;
}
