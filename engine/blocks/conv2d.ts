import { z } from 'zod';
import { defineBlock } from './defineBlock';
import { activationParam, applyLayer, dimsOf, fail, intParam, named, needImage, ok, pairParam, toPair, tooSmall, windowOut } from './common';

/** A 2D convolution over an image [batch, height, width, channels]. */
export const conv2dBlock = defineBlock({
  type: 'Conv2D',
  category: 'Convolution',
  doc: 'Slides filters of kernelSize × kernelSize pixels over an image [height, width, channels] and outputs one channel per filter. Strides > 1 shrink the image.',
  params: z.object({
    filters: intParam(1, 8192, 32, 'Number of filters = output channels.', 'channels'),
    kernelSize: pairParam(1, 256, 3, 'Filter size in pixels: one number, or [height, width].', 'pixels'),
    strides: pairParam(1, 256, 1, 'Step between filter positions: one number, or [height, width].', 'pixels'),
    padding: z.enum(['valid', 'same']).default('valid').describe('valid: no padding (the image shrinks); same: zero-pad so size = ceil(size / strides).'),
    dilationRate: pairParam(1, 256, 1, 'Spacing between filter taps: one number, or [height, width]. Only 1 can be trained in this version.'),
    activation: activationParam('relu'),
    useBias: z.boolean().default(true).describe('Add a learned bias per filter.'),
  }),
  inputs: [{ name: 'in' }],
  inferShape(params, [x]) {
    const wrong = needImage('Conv2D', x!);
    if (wrong) return wrong;
    const k = toPair(params.kernelSize);
    const s = toPair(params.strides);
    const d = toPair(params.dilationRate);
    if (d[0] > 1 || d[1] > 1) {
      // The param stays in the file format; tfjs 4.22's conv gradient refuses dilations > 1, and
      // unlike Conv1D (see conv1d.ts) there is no 2D rewrite here yet that trains on every backend.
      return fail(
        'bad-param',
        'Conv2D with dilationRate > 1 cannot be trained in this version of Modelwright (TensorFlow.js has no gradient for dilated 2D convolutions).',
        'Set dilationRate to 1; to see further, stack another Conv2D or use a larger kernelSize.',
      );
    }
    const [h = 0, w = 0] = dimsOf(x!);
    const oh = windowOut(h, k[0], s[0], d[0], params.padding);
    if (oh < 1) return tooSmall('Conv2D', 'the height', h, k[0], d[0]);
    const ow = windowOut(w, k[1], s[1], d[1], params.padding);
    if (ow < 1) return tooSmall('Conv2D', 'the width', w, k[1], d[1]);
    return ok([null, oh, ow, params.filters]);
  },
  cost(params, [x], out) {
    const [, , channels = 0] = dimsOf(x!);
    const [oh = 0, ow = 0] = dimsOf(out);
    const [kh, kw] = toPair(params.kernelSize);
    const weights = kh * kw * channels * params.filters;
    return { params: weights + (params.useBias ? params.filters : 0), macs: oh * ow * weights };
  },
  toTfjs(params, tf, [x], ctx) {
    return applyLayer(
      tf.layers.conv2d({
        filters: params.filters,
        kernelSize: toPair(params.kernelSize),
        strides: toPair(params.strides),
        padding: params.padding,
        dilationRate: toPair(params.dilationRate),
        activation: params.activation,
        useBias: params.useBias,
        kernelInitializer: tf.initializers.glorotUniform({ seed: ctx.seed }),
        ...named(ctx.name),
      }),
      x!,
    );
  },
});
