import { z } from 'zod';
import { defineBlock } from './defineBlock';
import { applyLayer, dimsOf, fail, named, needFloat, ok, showShape, sizeOf } from './common';
import { formOk, onnxOk } from './exportHelpers';

/** Batch normalisation over the last (channel) axis. */
export const batchNormBlock = defineBlock({
  type: 'BatchNorm',
  category: 'Normalization',
  doc: 'Normalises each channel to mean 0 and variance 1 over the batch while training (running averages at prediction time), then scales and shifts it by learned amounts. Speeds up and steadies training of deep stacks.',
  params: z.object({
    momentum: z
      .number()
      .min(0)
      .max(0.9999)
      .default(0.9)
      .describe(
        "How slowly the running mean and variance used for prediction move: 0.9 keeps 90% of the old value each step (PyTorch's default, momentum 0.1). Values near 1 need thousands of steps before predictions on dev and test data are right.",
      ),
    epsilon: z.number().min(1e-8).max(1).default(0.001).describe('Added to the variance before the square root, so it never divides by zero.'),
  }),
  inputs: [{ name: 'in' }],
  acceptsMask: true,
  inferShape(_params, [x]) {
    const wrong = needFloat('BatchNorm', x!);
    if (wrong) return wrong;
    if (x!.shape.length < 2)
      return fail('rank-mismatch', `BatchNorm needs at least a channel axis; it got ${showShape(x!.shape)}.`, undefined, 'in', {
        key: 'need-channel-axis',
        params: { block: 'BatchNorm', shape: showShape(x!.shape) },
      });
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
  tfjsWeights(_params, [x]) {
    const shape = [dimsOf(x!).at(-1) ?? 0];
    return ['gamma', 'beta', 'moving_mean', 'moving_variance'].map((name) => ({ name, shape }));
  },
  toPyTorch(params, ctx) {
    const channels = dimsOf(ctx.inputs[0]!.type).at(-1) ?? 0;
    // layers.BatchNorm normalises the last axis as tfjs does; its momentum is PyTorch's, 1 - the app's.
    return formOk({
      module: `BatchNorm(${channels}, eps=${params.epsilon}, momentum=${+(1 - params.momentum).toPrecision(12)})`,
      forward: `${ctx.self}(${ctx.inputs[0]!.name})`,
      weights: [
        { key: 'weight', from: 'gamma' },
        { key: 'bias', from: 'beta' },
        { key: 'running_mean', from: 'moving_mean' },
        { key: 'running_var', from: 'moving_variance' },
      ],
      uses: ['BatchNorm'],
    });
  },
  toOnnx(params, ctx) {
    const { g } = ctx;
    const x = ctx.inputs[0]!;
    const rank = x.type.shape.length;
    const w = (name: string) => {
      const v = ctx.weight(name);
      return g.floats(name, v.shape, v.values);
    };
    // ONNX normalises axis 1: move the channels there and back.
    const toFirst = [0, rank - 1, ...Array.from({ length: rank - 2 }, (_, i) => i + 1)];
    const toLast = [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2), 1];
    const input = rank > 2 ? g.op('Transpose', [x.name], { perm: { ints: toFirst } })[0]! : x.name;
    const y = g.op('BatchNormalization', [input, w('gamma'), w('beta'), w('moving_mean'), w('moving_variance')], { epsilon: { float: params.epsilon } })[0]!;
    return onnxOk(rank > 2 ? g.op('Transpose', [y], { perm: { ints: toLast } })[0]! : y);
  },
});
