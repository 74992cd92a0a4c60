import { z } from 'zod';
import { defineBlock } from './defineBlock';
import { activationParam, applyLayer, dimsOf, fail, intParam, named, needFloat, ok, showShape, sizeOf } from './common';
import { formOk, onnxActivation, onnxOk, pyActivation, transformWeight } from './exportHelpers';

/** Network-in-network: a kernel-size-1 convolution that mixes channels at every position. */
export const ninBlock = defineBlock({
  type: 'NiN',
  category: 'Convolution',
  doc: 'Network-in-network (a 1×1 convolution): mixes the channels at every position with the same small dense layer, leaving length (or height and width) unchanged. 1D or 2D by its input.',
  params: z.object({
    filters: intParam(1, 8192, 64, 'Number of output channels.', 'channels'),
    activation: activationParam('relu'),
  }),
  inputs: [{ name: 'in' }],
  inferShape(params, [x]) {
    const wrong = needFloat('NiN', x!);
    if (wrong) return wrong;
    if (x!.shape.length !== 3 && x!.shape.length !== 4) {
      return fail(
        'rank-mismatch',
        `NiN needs a sequence [batch, length, channels] or an image [batch, height, width, channels]; it got ${showShape(x!.shape)}.`,
        'For a flat vector use Dense instead.',
        'in',
        { key: 'nin-rank', hintKey: 'nin-rank', params: { shape: showShape(x!.shape) } },
      );
    }
    return ok([...x!.shape.slice(0, -1), params.filters]);
  },
  cost(params, [x], out) {
    const dims = dimsOf(x!);
    const channels = dims[dims.length - 1] ?? 0;
    const positions = sizeOf(out) / params.filters;
    return { params: channels * params.filters + params.filters, macs: positions * channels * params.filters };
  },
  toTfjs(params, tf, [x], ctx) {
    const common = {
      filters: params.filters,
      kernelSize: 1,
      activation: params.activation,
      kernelInitializer: tf.initializers.glorotUniform({ seed: ctx.seed }),
      ...named(ctx.name),
    };
    return applyLayer(x!.shape.length === 3 ? tf.layers.conv1d(common) : tf.layers.conv2d(common), x!);
  },
  tfjsWeights(params, [x]) {
    const channels = dimsOf(x!).at(-1) ?? 0;
    const ones = x!.shape.length === 3 ? [1] : [1, 1];
    return [
      { name: 'kernel', shape: [...ones, channels, params.filters] },
      { name: 'bias', shape: [params.filters] },
    ];
  },
  toPyTorch(params, ctx) {
    const x = ctx.inputs[0]!;
    const channels = dimsOf(x.type).at(-1) ?? 0;
    // A 1×1 convolution over channels-last data is one Linear layer applied at every position.
    return formOk({
      module: `nn.Linear(${channels}, ${params.filters})`,
      forward: pyActivation(`${ctx.self}(${x.name})`, params.activation),
      weights: [
        { key: 'weight', from: 'kernel', reshape: [channels, params.filters], perm: [1, 0] },
        { key: 'bias', from: 'bias' },
      ],
    });
  },
  toOnnx(params, ctx) {
    const { g } = ctx;
    const x = ctx.inputs[0]!;
    const channels = dimsOf(x.type).at(-1) ?? 0;
    const k = transformWeight(ctx.weight('kernel'), { reshape: [channels, params.filters] });
    const b = ctx.weight('bias');
    const y = g.op('Add', [g.op('MatMul', [x.name, g.floats('kernel', k.shape, k.values)])[0]!, g.floats('bias', b.shape, b.values)])[0]!;
    return onnxOk(onnxActivation(g, y, params.activation));
  },
});
