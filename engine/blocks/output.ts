import { z } from 'zod';
import { defineBlock } from './defineBlock';
import { applyLayer, dimsOf, fail, named, needVector, ok } from './common';
import { formOk, onnxOk } from './exportHelpers';

/** The model's prediction: one Dense layer sized to the classes, and the loss to train it with. */
export const outputBlock = defineBlock({
  type: 'Output',
  category: 'Output',
  doc: 'The prediction: a Dense layer with one unit per class and softmax (one class per example) or sigmoid (yes/no per unit), plus the loss training minimises. Exactly one per model.',
  params: z.object({
    units: z
      .union([z.literal('auto'), z.number().int().min(1).max(1_000_000)])
      .default('auto')
      .describe('Number of outputs; "auto" = the number of classes in the data.'),
    activation: z
      .enum(['softmax', 'sigmoid'])
      .default('softmax')
      .describe('softmax: the outputs are class probabilities that sum to 1; sigmoid: each output is its own probability.'),
    loss: z
      .enum(['categoricalCrossentropy', 'binaryCrossentropy'])
      .default('categoricalCrossentropy')
      .describe('categoricalCrossentropy goes with softmax (one class per example); binaryCrossentropy with sigmoid.'),
  }),
  inputs: [{ name: 'in' }],
  role: 'output',
  loss: (params) => params.loss,
  inferShape(params, [x], ctx) {
    const wrong = needVector('Output', x!);
    if (wrong) return wrong;
    const classes = ctx.data.numClasses;
    let units: number;
    if (params.units === 'auto') {
      if (classes === undefined) {
        return fail(
          'data-mismatch',
          'units is "auto", but no data is bound yet to count the classes.',
          'Bind a dataset, or set units to the number of classes.',
          'out',
          { key: 'output-auto-no-data', hintKey: 'output-auto-no-data' },
        );
      }
      units = classes;
    } else {
      units = params.units;
      const binaryPair = params.loss === 'binaryCrossentropy' && units === 1 && classes === 2;
      if (classes !== undefined && units !== classes && !binaryPair) {
        return fail('data-mismatch', `Output has ${units} units, but the data has ${classes} classes.`, 'Set units to "auto".', 'out', {
          key: 'output-units',
          hintKey: 'set-auto',
          params: { units, classes, param: 'units' },
        });
      }
    }
    const pairs = params.activation === 'softmax' ? 'categoricalCrossentropy' : 'binaryCrossentropy';
    if (params.loss !== pairs) {
      return fail(
        'bad-param',
        `Output uses ${params.activation} with ${params.loss}; ${params.activation} goes with ${pairs}.`,
        params.activation === 'softmax'
          ? 'For one class per example keep softmax and set loss to categoricalCrossentropy; for independent yes/no outputs use sigmoid with binaryCrossentropy.'
          : 'For independent yes/no outputs keep sigmoid and set loss to binaryCrossentropy; for one class per example use softmax with categoricalCrossentropy.',
        'out',
        {
          key: 'output-loss',
          hintKey: params.activation === 'softmax' ? 'output-loss-softmax' : 'output-loss-sigmoid',
          params: { activation: params.activation, loss: params.loss, pairs },
        },
      );
    }
    if (params.activation === 'softmax' && units === 1) {
      return fail(
        'bad-param',
        'A softmax over 1 unit always outputs 1, so the model cannot learn.',
        'Use activation "sigmoid" with binaryCrossentropy for one output.',
        'out',
        { key: 'output-softmax-one', hintKey: 'output-softmax-one' },
      );
    }
    return ok([null, units]);
  },
  cost(_params, [x], out) {
    const [features = 0] = dimsOf(x!);
    const [units = 0] = dimsOf(out);
    return { params: features * units + units, macs: features * units };
  },
  toTfjs(params, tf, [x], ctx) {
    const units = params.units === 'auto' ? ctx.data.numClasses : params.units;
    if (units === undefined) throw new Error(`Output ${ctx.nodeId}: no class count`);
    return applyLayer(
      tf.layers.dense({
        units,
        activation: params.activation,
        kernelInitializer: tf.initializers.glorotUniform({ seed: ctx.seed }),
        ...named(ctx.name),
      }),
      x!,
    );
  },
  tfjsWeights: (_params, [x], out) => [
    { name: 'kernel', shape: [dimsOf(x!)[0] ?? 0, dimsOf(out)[0] ?? 0] },
    { name: 'bias', shape: [dimsOf(out)[0] ?? 0] },
  ],
  toPyTorch(params, ctx) {
    const [features] = dimsOf(ctx.inputs[0]!.type);
    const [units] = dimsOf(ctx.out);
    // forward gives the logits, which the loss wants; the probabilities are what the app shows.
    return formOk({
      module: `nn.Linear(${features}, ${units})`,
      forward: `${ctx.self}(${ctx.inputs[0]!.name})`,
      probabilities: (logits) => (params.activation === 'softmax' ? `torch.softmax(${logits}, dim=-1)` : `torch.sigmoid(${logits})`),
      weights: [
        { key: 'weight', from: 'kernel', perm: [1, 0] },
        { key: 'bias', from: 'bias' },
      ],
    });
  },
  toOnnx(params, ctx) {
    const { g } = ctx;
    const k = ctx.weight('kernel');
    const b = ctx.weight('bias');
    const logits = g.op('Gemm', [ctx.inputs[0]!.name, g.floats('kernel', k.shape, k.values), g.floats('bias', b.shape, b.values)])[0]!;
    return onnxOk(params.activation === 'softmax' ? g.op('Softmax', [logits], { axis: { int: -1 } })[0]! : g.op('Sigmoid', [logits])[0]!);
  },
});
