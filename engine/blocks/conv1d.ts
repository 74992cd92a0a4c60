import { z } from 'zod';
import { defineBlock } from './defineBlock';
import { activationParam, applyLayer, dimsOf, fail, intParam, named, needSequence, ok, tooSmall, windowOut } from './common';

/** A 1D convolution over a sequence [batch, length, channels]. */
export const conv1dBlock = defineBlock({
  type: 'Conv1D',
  category: 'Convolution',
  doc: 'Slides filters of kernelSize steps along a sequence [length, channels] and outputs one channel per filter. Strides > 1 shorten the sequence.',
  params: z.object({
    filters: intParam(1, 8192, 64, 'Number of filters = output channels.'),
    kernelSize: intParam(1, 1024, 3, 'Width of each filter, in sequence steps.'),
    strides: intParam(1, 1024, 1, 'Step between filter positions; 2 halves the length.'),
    padding: z
      .enum(['valid', 'same', 'causal'])
      .default('valid')
      .describe('valid: no padding (the sequence shrinks); same: zero-pad so length = ceil(length / strides); causal: pad on the left only, so no step sees the future.'),
    dilationRate: intParam(1, 1024, 1, 'Spacing between the taps of a filter; > 1 widens its view without more weights.'),
    activation: activationParam('relu'),
    useBias: z.boolean().default(true).describe('Add a learned bias per filter.'),
  }),
  inputs: [{ name: 'in' }],
  inferShape(params, [x]) {
    const wrong = needSequence('Conv1D', x!);
    if (wrong) return wrong;
    if (params.strides > 1 && params.dilationRate > 1) {
      return fail('bad-param', 'Conv1D cannot use strides > 1 and dilationRate > 1 together.', 'Set strides or dilationRate to 1.');
    }
    const [length = 0] = dimsOf(x!);
    const out = windowOut(length, params.kernelSize, params.strides, params.dilationRate, params.padding);
    if (out < 1) return tooSmall('Conv1D', 'the sequence length', length, params.kernelSize, params.dilationRate);
    return ok([null, out, params.filters]);
  },
  cost(params, [x], out) {
    const [, channels = 0] = dimsOf(x!);
    const [length = 0] = dimsOf(out);
    const weights = params.kernelSize * channels * params.filters;
    return { params: weights + (params.useBias ? params.filters : 0), macs: length * weights };
  },
  toTfjs(params, tf, [x], ctx) {
    let input = x!;
    let padding: 'valid' | 'same' = params.padding === 'same' ? 'same' : 'valid';
    if (params.padding === 'causal') {
      // tfjs-layers 4.22 throws on causal padding: pad the left by hand, then convolve "valid".
      const [length, channels] = input.shape.slice(1) as [number, number];
      const pad = params.dilationRate * (params.kernelSize - 1);
      const as2d = applyLayer(tf.layers.reshape({ targetShape: [length, 1, channels] }), input);
      const padded = applyLayer(tf.layers.zeroPadding2d({ padding: [[pad, 0], [0, 0]] }), as2d);
      input = applyLayer(tf.layers.reshape({ targetShape: [length + pad, channels] }), padded);
      padding = 'valid';
    }
    return applyLayer(
      tf.layers.conv1d({
        filters: params.filters,
        kernelSize: params.kernelSize,
        strides: params.strides,
        padding,
        dilationRate: params.dilationRate,
        activation: params.activation,
        useBias: params.useBias,
        kernelInitializer: tf.initializers.glorotUniform({ seed: ctx.seed }),
        ...named(ctx.name),
      }),
      input,
    );
  },
});
