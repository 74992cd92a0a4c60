/**
 * The one place that turns a Document's optimizer settings into a tfjs optimizer, the
 * learning-rate schedules applied to it between epochs, and what is done to the gradients
 * before the optimizer sees them (clipping, weight decay).
 */
import * as tf from '@tensorflow/tfjs-core';
import { SCHEDULE_DEFAULTS, type OptimizerSpec, type ScheduleSpec, type TrainingSpec } from '../graph/document';

/** A tfjs optimizer for `spec`. Every type the Document allows is handled; none is defaulted. */
export function createOptimizer(spec: OptimizerSpec): tf.Optimizer {
  switch (spec.type) {
    case 'sgd':
      return tf.train.sgd(spec.lr);
    case 'momentum':
      // tfjs's and PyTorch's momentum agree (buf = m·buf + g); Nesterov steps by g + m·buf.
      return tf.train.momentum(spec.lr, spec.momentum, spec.nesterov);
    case 'adam':
      return tf.train.adam(spec.lr, spec.beta1, spec.beta2, spec.epsilon);
    case 'rmsprop':
      // rho 0.9 as Keras (PyTorch's alpha is 0.99); momentum is rmsprop's own (0 = none).
      return tf.train.rmsprop(spec.lr, spec.rho, spec.momentum, spec.epsilon);
    case 'adagrad':
      return tf.train.adagrad(spec.lr);
  }
}

/**
 * The learning rate for `epoch` (0-based) of `epochs`. Warm-up (`warmupEpochs` N, any type)
 * climbs lr0/N, 2·lr0/N, …, lr0 over the first N epochs; the schedule then runs from its own
 * epoch 0 over the epochs left. A setting the document leaves out takes SCHEDULE_DEFAULTS.
 */
export function learningRateAt(baseLr: number, schedule: ScheduleSpec, epoch: number, epochs: number): number {
  const warmup = schedule.warmupEpochs ?? 0;
  if (epoch < warmup) return (baseLr * (epoch + 1)) / warmup;
  const e = epoch - warmup;
  const n = epochs - warmup;
  switch (schedule.type) {
    case 'constant':
      return baseLr;
    case 'exponential':
      return baseLr * Math.pow(schedule.gamma ?? SCHEDULE_DEFAULTS.exponential.gamma, e);
    case 'step': {
      const { gamma, stepSize } = SCHEDULE_DEFAULTS.step;
      return baseLr * Math.pow(schedule.gamma ?? gamma, Math.floor(e / (schedule.stepSize ?? stepSize)));
    }
    case 'cosine': {
      const minLr = schedule.minLr ?? SCHEDULE_DEFAULTS.cosine.minLr;
      const t = n <= 1 ? 0 : e / (n - 1);
      return minLr + 0.5 * (baseLr - minLr) * (1 + Math.cos(Math.PI * t));
    }
    case 'inverseTime':
      return baseLr / (1 + (schedule.decayRate ?? SCHEDULE_DEFAULTS.inverseTime.decayRate) * e);
  }
}

/** Sets the learning rate of a tfjs optimizer in place (tfjs reads it on every step). */
export function setLearningRate(optimizer: tf.Optimizer, lr: number): void {
  (optimizer as unknown as { learningRate: number }).learningRate = lr;
}

/** What happens to the gradients between backprop and the optimizer. */
export type GradientSettings = Pick<TrainingSpec, 'clipNorm' | 'weightDecay'>;

/**
 * The gradients the optimizer should apply: clipped to `clipNorm` by global norm (PyTorch's
 * clip_grad_norm_: scaled by clipNorm / (norm + 1e-6) when that is below 1), then with
 * weightDecay·w added (PyTorch's `weight_decay` of SGD and Adam, applied after clipping as
 * optimizer.step() does after clip_grad_norm_); and their global L2 norm before clipping, as a
 * scalar tensor the caller reads along with the loss (no sync here), when `measure` is true or
 * clipping needs it (else undefined). Without clipping or decay `grads` itself is returned; else new
 * tensors the caller disposes along with `grads`.
 */
export function processGradients(
  grads: tf.NamedTensorMap,
  variables: ReadonlyMap<string, tf.Variable>,
  settings: GradientSettings,
  measure = true,
): { grads: tf.NamedTensorMap; norm: tf.Scalar | undefined } {
  const clip = settings.clipNorm;
  const decay = settings.weightDecay;
  if (clip === undefined && !(decay > 0) && !measure) return { grads, norm: undefined };
  return tf.tidy(() => {
    const names = Object.keys(grads);
    let norm: tf.Scalar | undefined;
    if (measure || clip !== undefined) {
      const squares = names.map((name) => tf.sum(tf.square(grads[name]!)));
      norm = tf.sqrt(squares.length === 0 ? tf.scalar(0) : squares.length === 1 ? squares[0]! : tf.addN(squares)) as tf.Scalar;
    }
    if (clip === undefined && !(decay > 0)) return { grads, norm };
    const scale = clip === undefined ? null : tf.minimum(1, tf.div(clip, tf.add(norm!, 1e-6)));
    const out: tf.NamedTensorMap = {};
    for (const name of names) {
      let g = grads[name]!;
      if (scale) g = tf.mul(g, scale);
      const v = variables.get(name);
      if (decay > 0 && v) g = tf.add(g, tf.mul(v, decay));
      out[name] = g;
    }
    return { grads: out, norm };
  });
}
