import { z } from 'zod';
import { defineBlock } from './defineBlock';
import { applyLayer, dimsOf, fail, named, needFloat, ok, showShape, sizeOf } from './common';

/** Batch normalisation over the last (channel) axis. */
export const batchNormBlock = defineBlock({
  type: 'BatchNorm',
  category: 'Normalization',
  doc: 'Normalises each channel to mean 0 and variance 1 over the batch while training (running averages at prediction time), then scales and shifts it by learned amounts. Speeds up and steadies training of deep stacks.',
  params: z.object({
    momentum: z.number().min(0).max(0.9999).default(0.9).describe('How slowly the running mean and variance used for prediction move: 0.9 keeps 90% of the old value each step (PyTorch\'s default, momentum 0.1). Values near 1 need thousands of steps before predictions on dev and test data are right.'),
    epsilon: z.number().min(1e-8).max(1).default(0.001).describe('Added to the variance before the square root, so it never divides by zero.'),
  }),
  inputs: [{ name: 'in' }],
  acceptsMask: true,
  inferShape(_params, [x]) {
    const wrong = needFloat('BatchNorm', x!);
    if (wrong) return wrong;
    if (x!.shape.length < 2) return fail('rank-mismatch', `BatchNorm needs at least a channel axis; it got ${showShape(x!.shape)}.`);
    return ok(x!.shape, 'float32', x!.masked === true);
  },
  cost(_params, [x]) {
    const dims = dimsOf(x!);
    const channels = dims[dims.length - 1] ?? 0;
    // gamma and beta are trained; the moving mean and variance are weights too, just not trained.
    return { params: 4 * channels, macs: 2 * sizeOf(x!) };
  },
  toTfjs(params, tf, [x], ctx) {
    return applyLayer(tf.layers.batchNormalization({ axis: -1, momentum: params.momentum, epsilon: params.epsilon, ...named(ctx.name) }), x!);
  },
});
