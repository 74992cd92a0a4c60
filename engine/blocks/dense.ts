import { z } from 'zod';
import { defineBlock } from './defineBlock';
import { activationParam, applyLayer, dimsOf, intParam, named, needVector, ok } from './common';
import { formOk, onnxActivation, onnxOk, pyActivation } from './exportHelpers';

/** A fully connected layer over a flat vector. */
export const denseBlock = defineBlock({
  type: 'Dense',
  category: 'Dense',
  doc: 'A fully connected layer: every output is a weighted sum of all inputs, then the activation. Needs a flat vector; Flatten or pool a sequence first.',
  params: z.object({
    units: intParam(1, 65_536, 64, 'Number of outputs.', 'units'),
    activation: activationParam('relu'),
    l2: z.number().min(0).max(1).default(0).describe('L2 weight decay on the kernel (0 = none); adds l2 · Σw² to the loss.'),
  }),
  inputs: [{ name: 'in' }],
  inferShape(params, [x]) {
    const wrong = needVector('Dense', x!);
    if (wrong) return wrong;
    return ok([null, params.units]);
  },
  cost(params, [x]) {
    const [features = 0] = dimsOf(x!);
    return { params: features * params.units + params.units, macs: features * params.units };
  },
  toTfjs(params, tf, [x], ctx) {
    return applyLayer(
      tf.layers.dense({
        units: params.units,
        activation: params.activation,
        kernelInitializer: tf.initializers.glorotUniform({ seed: ctx.seed }),
        ...(params.l2 > 0 ? { kernelRegularizer: tf.regularizers.l2({ l2: params.l2 }) } : {}),
        ...named(ctx.name),
      }),
      x!,
    );
  },
  tfjsWeights: (params, [x]) => [
    { name: 'kernel', shape: [dimsOf(x!)[0] ?? 0, params.units] },
    { name: 'bias', shape: [params.units] },
  ],
  toPyTorch(params, ctx) {
    const [features] = dimsOf(ctx.inputs[0]!.type);
    return formOk({
      module: `nn.Linear(${features}, ${params.units})`,
      forward: pyActivation(`${ctx.self}(${ctx.inputs[0]!.name})`, params.activation),
      weights: [
        { key: 'weight', from: 'kernel', perm: [1, 0] },
        { key: 'bias', from: 'bias' },
      ],
      ...(params.l2 > 0 ? { penalty: `${params.l2} * ${ctx.self}.weight.square().sum()` } : {}),
    });
  },
  toOnnx(params, ctx) {
    const { g } = ctx;
    const k = ctx.weight('kernel');
    const b = ctx.weight('bias');
    const y = g.op('Gemm', [ctx.inputs[0]!.name, g.floats('kernel', k.shape, k.values), g.floats('bias', b.shape, b.values)])[0]!;
    return onnxOk(onnxActivation(g, y, params.activation));
  },
});
