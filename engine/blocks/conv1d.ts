import { z } from 'zod';
import type { SymbolicTensor } from '@tensorflow/tfjs-layers';
import { defineBlock, type TfjsNamespaces } from './defineBlock';
import { activationParam, applyLayer, dimsOf, fail, intParam, named, needSequence, ok, tooSmall, windowOut } from './common';
import { axisPadding, formOk, onnxActivation, onnxOk, pyActivation, transformWeight } from './exportHelpers';

/** A 1D convolution over a sequence [batch, length, channels]. */
export const conv1dBlock = defineBlock({
  type: 'Conv1D',
  category: 'Convolution',
  doc: 'Slides filters of kernelSize steps along a sequence [length, channels] and outputs one channel per filter. Strides > 1 shorten the sequence.',
  params: z.object({
    filters: intParam(1, 8192, 64, 'Number of filters = output channels.', 'channels'),
    kernelSize: intParam(1, 1024, 3, 'Width of each filter, in sequence steps.', 'steps'),
    strides: intParam(1, 1024, 1, 'Step between filter positions; 2 halves the length.', 'steps'),
    padding: z
      .enum(['valid', 'same', 'causal'])
      .default('valid')
      .describe(
        'valid: no padding (the sequence shrinks); same: zero-pad so length = ceil(length / strides); causal: pad on the left only, so no step sees the future.',
      ),
    dilationRate: intParam(1, 1024, 1, 'Spacing between the taps of a filter; > 1 widens its view without more weights.', 'steps'),
    activation: activationParam('relu'),
    useBias: z.boolean().default(true).describe('Add a learned bias per filter.'),
  }),
  inputs: [{ name: 'in' }],
  inferShape(params, [x]) {
    const wrong = needSequence('Conv1D', x!);
    if (wrong) return wrong;
    if (params.strides > 1 && params.dilationRate > 1) {
      return fail('bad-param', 'Conv1D cannot use strides > 1 and dilationRate > 1 together.', 'Set strides or dilationRate to 1.', 'in', {
        key: 'strides-and-dilation',
        hintKey: 'strides-and-dilation',
        params: { block: 'Conv1D' },
      });
    }
    const [length = 0] = dimsOf(x!);
    const out = windowOut(length, params.kernelSize, params.strides, params.dilationRate, params.padding);
    if (out < 1) return tooSmall('Conv1D', 'length', length, params.kernelSize, params.dilationRate);
    return ok([null, out, params.filters]);
  },
  cost(params, [x], out) {
    const [, channels = 0] = dimsOf(x!);
    const [length = 0] = dimsOf(out);
    const weights = params.kernelSize * channels * params.filters;
    return { params: weights + (params.useBias ? params.filters : 0), macs: length * weights };
  },
  toTfjs(params, tf, [x], ctx) {
    const common = {
      filters: params.filters,
      activation: params.activation,
      useBias: params.useBias,
      kernelInitializer: tf.initializers.glorotUniform({ seed: ctx.seed }),
      ...named(ctx.name),
    };
    if (params.dilationRate > 1) return dilated(params, tf, x!, common);
    let input = x!;
    let padding: 'valid' | 'same' = params.padding === 'same' ? 'same' : 'valid';
    if (params.padding === 'causal') {
      // tfjs-layers 4.22 throws on causal padding: pad the left by hand, then convolve "valid".
      input = padSequence(tf, input, params.kernelSize - 1, 0);
      padding = 'valid';
    }
    return applyLayer(tf.layers.conv1d({ ...common, kernelSize: params.kernelSize, strides: params.strides, padding }), input);
  },
  tfjsWeights(params, [x]) {
    const [, channels = 0] = dimsOf(x!);
    const k = params.kernelSize;
    // A dilated convolution is a conv2d over a regrouped sequence, with a [k, 1, in, out] kernel.
    const kernel = { name: 'kernel', shape: params.dilationRate > 1 ? [k, 1, channels, params.filters] : [k, channels, params.filters] };
    return params.useBias ? [kernel, { name: 'bias', shape: [params.filters] }] : [kernel];
  },
  toPyTorch(params, ctx) {
    const x = ctx.inputs[0]!;
    const [length = 0, channels = 0] = dimsOf(x.type);
    const k = params.kernelSize;
    const [before, after] = axisPadding(params.padding, length, k, params.strides, params.dilationRate);
    const args = [String(channels), String(params.filters), `kernel_size=${k}`];
    if (params.strides > 1) args.push(`stride=${params.strides}`);
    if (params.dilationRate > 1) args.push(`dilation=${params.dilationRate}`);
    if (before === after && before > 0) args.push(`padding=${before}`);
    if (!params.useBias) args.push('bias=False');
    // nn.Conv1d wants [batch, channels, length]; the app's tensors are [batch, length, channels].
    let input = `${x.name}.transpose(1, 2)`;
    if (before !== after) input = `F.pad(${input}, (${before}, ${after}))`;
    return formOk({
      module: `nn.Conv1d(${args.join(', ')})`,
      forward: `${pyActivation(`${ctx.self}(${input})`, params.activation)}.transpose(1, 2)`,
      weights: [
        { key: 'weight', from: 'kernel', ...(params.dilationRate > 1 ? { reshape: [k, channels, params.filters] } : {}), perm: [2, 1, 0] },
        ...(params.useBias ? [{ key: 'bias', from: 'bias' }] : []),
      ],
    });
  },
  toOnnx(params, ctx) {
    const { g } = ctx;
    const x = ctx.inputs[0]!;
    const [length = 0, channels = 0] = dimsOf(x.type);
    const k = params.kernelSize;
    const kernel = transformWeight(ctx.weight('kernel'), { reshape: [k, channels, params.filters], perm: [2, 1, 0] });
    const inputs = [g.op('Transpose', [x.name], { perm: { ints: [0, 2, 1] } })[0]!, g.floats('kernel', kernel.shape, kernel.values)];
    if (params.useBias) {
      const b = ctx.weight('bias');
      inputs.push(g.floats('bias', b.shape, b.values));
    }
    const conv = g.op('Conv', inputs, {
      kernel_shape: { ints: [k] },
      strides: { ints: [params.strides] },
      dilations: { ints: [params.dilationRate] },
      pads: { ints: axisPadding(params.padding, length, k, params.strides, params.dilationRate) },
    })[0]!;
    return onnxOk(onnxActivation(g, g.op('Transpose', [conv], { perm: { ints: [0, 2, 1] } })[0]!, params.activation));
  },
});

type Conv1DParams = { kernelSize: number; dilationRate: number; padding: 'valid' | 'same' | 'causal' };

/** Zero-pads a [batch, length, channels] sequence on the left and right (tfjs has no 1D padding layer). */
function padSequence(tf: TfjsNamespaces, x: SymbolicTensor, left: number, right: number): SymbolicTensor {
  if (left === 0 && right === 0) return x;
  const [length, channels] = x.shape.slice(1) as [number, number];
  const as2d = applyLayer(tf.layers.reshape({ targetShape: [length, 1, channels] }), x);
  const padded = applyLayer(
    tf.layers.zeroPadding2d({
      padding: [
        [left, right],
        [0, 0],
      ],
    }),
    as2d,
  );
  return applyLayer(tf.layers.reshape({ targetShape: [length + left + right, channels] }), padded);
}

/**
 * A dilated convolution (stride 1) built from layers tfjs can train: its conv gradient refuses
 * dilations > 1. Steps of the padded sequence that are `d` apart form a column of a
 * [length / d, d, channels] grid, so a conv2d with kernel [k, 1] over the grid applies the
 * dilated kernel to every column, and reading the grid back row by row interleaves the columns
 * into the right order. Weights: one [k, 1, channels, filters] kernel, the same numbers as the
 * [k, channels, filters] of a dilated Conv1D.
 */
function dilated(params: Conv1DParams, tf: TfjsNamespaces, x: SymbolicTensor, common: Record<string, unknown>): SymbolicTensor {
  const d = params.dilationRate;
  const k = params.kernelSize;
  const span = d * (k - 1);
  const left = params.padding === 'causal' ? span : params.padding === 'same' ? Math.floor(span / 2) : 0;
  const right = params.padding === 'same' ? span - left : 0;
  const length = (x.shape[1] as number) + left + right;
  const out = length - span;
  const extra = Math.ceil(length / d) * d - length;
  const padded = padSequence(tf, x, left, right + extra);
  const channels = x.shape[2] as number;
  const rows = (length + extra) / d;
  const grid = applyLayer(tf.layers.reshape({ targetShape: [rows, d, channels] }), padded);
  const conv = applyLayer(tf.layers.conv2d({ ...common, kernelSize: [k, 1], padding: 'valid' } as Parameters<TfjsNamespaces['layers']['conv2d']>[0]), grid);
  const filters = conv.shape[3] as number;
  if (extra === 0) return applyLayer(tf.layers.reshape({ targetShape: [out, filters] }), conv);
  const long = applyLayer(tf.layers.reshape({ targetShape: [out + extra, 1, filters] }), conv);
  const cropped = applyLayer(
    tf.layers.cropping2D({
      cropping: [
        [0, extra],
        [0, 0],
      ],
    }),
    long,
  );
  return applyLayer(tf.layers.reshape({ targetShape: [out, filters] }), cropped);
}
