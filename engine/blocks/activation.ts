import { z } from 'zod';
import { defineBlock } from './defineBlock';
import { ACTIVATIONS, applyLayer, named, needFloat, ok, sizeOf } from './common';
import { formOk, onnxActivation, onnxOk, pyActivation } from './exportHelpers';

/** Applies one function to every value. */
export const activationBlock = defineBlock({
  type: 'Activation',
  category: 'Shape',
  doc: 'Applies one function to every value, e.g. relu after a BatchNorm. Shape unchanged.',
  params: z.object({
    fn: z.enum(ACTIVATIONS).default('relu').describe('relu, elu, selu, gelu, tanh, sigmoid, softmax (over the last axis) or linear (none).'),
  }),
  inputs: [{ name: 'in' }],
  acceptsMask: true,
  inferShape(_params, [x]) {
    const wrong = needFloat('Activation', x!);
    if (wrong) return wrong;
    return ok(x!.shape, 'float32', x!.masked === true);
  },
  cost: (_params, [x]) => ({ params: 0, macs: sizeOf(x!) }),
  toTfjs(params, tf, [x], ctx) {
    return applyLayer(tf.layers.activation({ activation: params.fn, ...named(ctx.name) }), x!);
  },
  toPyTorch: (params, ctx) => formOk({ forward: pyActivation(ctx.inputs[0]!.name, params.fn) }),
  toOnnx: (params, ctx) => onnxOk(onnxActivation(ctx.g, ctx.inputs[0]!.name, params.fn)),
});
