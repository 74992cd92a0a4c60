import { z } from 'zod';
import { defineBlock } from './defineBlock';
import { applyLayer, named, needFloat, ok } from './common';
import { formOk, onnxOk } from './exportHelpers';

/** Zeroes a random fraction of values while training. */
export const dropoutBlock = defineBlock({
  type: 'Dropout',
  category: 'Regularization',
  doc: 'While training, sets a random fraction `rate` of values to zero (and scales the rest up), so the model cannot rely on any one of them. Does nothing at prediction time.',
  params: z.object({
    rate: z.number().min(0).max(0.95).default(0.5).describe('Fraction of values dropped while training, 0 to 0.95.'),
  }),
  inputs: [{ name: 'in' }],
  acceptsMask: true,
  inferShape(_params, [x]) {
    const wrong = needFloat('Dropout', x!);
    if (wrong) return wrong;
    return ok(x!.shape, 'float32', x!.masked === true);
  },
  cost: () => ({ params: 0, macs: 0 }),
  toTfjs(params, tf, [x], ctx) {
    return applyLayer(tf.layers.dropout({ rate: params.rate, seed: ctx.seed, ...named(ctx.name) }), x!);
  },
  toPyTorch: (params, ctx) => formOk({ module: `nn.Dropout(${params.rate})`, forward: `${ctx.self}(${ctx.inputs[0]!.name})` }),
  // A prediction graph: dropout does nothing there.
  toOnnx: (_params, ctx) => onnxOk(ctx.inputs[0]!.name),
});
