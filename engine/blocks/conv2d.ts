import { z } from 'zod';
import type { SymbolicTensor } from '@tensorflow/tfjs-layers';
import { defineBlock, type TfjsNamespaces } from './defineBlock';
import { activationParam, applyLayer, dimsOf, fail, intParam, named, needImage, ok, pairParam, toPair, tooSmall, windowOut } from './common';
import { axisPadding, formOk, onnxActivation, onnxOk, pyActivation, pyInts, transformWeight } from './exportHelpers';

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
    dilationRate: pairParam(1, 256, 1, 'Spacing between filter taps: one number, or [height, width]; > 1 widens the view without more weights.'),
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
    if ((d[0] > 1 || d[1] > 1) && (s[0] > 1 || s[1] > 1)) {
      // Keras and tfjs-layers refuse this pair too.
      return fail('bad-param', 'Conv2D cannot use strides > 1 and dilationRate > 1 together.', 'Set strides or dilationRate to 1.', 'in', {
        key: 'strides-and-dilation',
        hintKey: 'strides-and-dilation',
        params: { block: 'Conv2D' },
      });
    }
    const [h = 0, w = 0] = dimsOf(x!);
    const oh = windowOut(h, k[0], s[0], d[0], params.padding);
    if (oh < 1) return tooSmall('Conv2D', 'height', h, k[0], d[0]);
    const ow = windowOut(w, k[1], s[1], d[1], params.padding);
    if (ow < 1) return tooSmall('Conv2D', 'width', w, k[1], d[1]);
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
    const common: Omit<Conv2DArgs, 'kernelSize'> = {
      filters: params.filters,
      activation: params.activation,
      useBias: params.useBias,
      kernelInitializer: tf.initializers.glorotUniform({ seed: ctx.seed }),
      ...named(ctx.name),
    };
    const d = toPair(params.dilationRate);
    if (d[0] > 1 || d[1] > 1) return dilated(toPair(params.kernelSize), d, params.padding, tf, x!, common);
    return applyLayer(tf.layers.conv2d({ ...common, kernelSize: toPair(params.kernelSize), strides: toPair(params.strides), padding: params.padding }), x!);
  },
  tfjsWeights(params, [x]) {
    const [, , channels = 0] = dimsOf(x!);
    const kernel = { name: 'kernel', shape: [...toPair(params.kernelSize), channels, params.filters] };
    return params.useBias ? [kernel, { name: 'bias', shape: [params.filters] }] : [kernel];
  },
  toPyTorch(params, ctx) {
    const x = ctx.inputs[0]!;
    const [, , channels = 0] = dimsOf(x.type);
    const { k, s, d, rows, cols } = conv2dGeometry(params, dimsOf(x.type));
    const args = [String(channels), String(params.filters), `kernel_size=${pyInts(k[0] === k[1] ? [k[0]] : k)}`];
    if (s[0] > 1 || s[1] > 1) args.push(`stride=${pyInts(s[0] === s[1] ? [s[0]] : s)}`);
    if (d[0] > 1 || d[1] > 1) args.push(`dilation=${pyInts(d[0] === d[1] ? [d[0]] : d)}`);
    const symmetric = rows[0] === rows[1] && cols[0] === cols[1];
    if (symmetric && (rows[0] > 0 || cols[0] > 0)) args.push(`padding=${pyInts(rows[0] === cols[0] ? [rows[0]] : [rows[0], cols[0]])}`);
    if (!params.useBias) args.push('bias=False');
    // nn.Conv2d wants [batch, channels, height, width]; the app's images are channels-last.
    let input = `${x.name}.permute(0, 3, 1, 2)`;
    if (!symmetric) input = `F.pad(${input}, (${cols[0]}, ${cols[1]}, ${rows[0]}, ${rows[1]}))`;
    return formOk({
      module: `nn.Conv2d(${args.join(', ')})`,
      forward: `${pyActivation(`${ctx.self}(${input})`, params.activation)}.permute(0, 2, 3, 1)`,
      weights: [{ key: 'weight', from: 'kernel', perm: [3, 2, 0, 1] }, ...(params.useBias ? [{ key: 'bias', from: 'bias' }] : [])],
    });
  },
  toOnnx(params, ctx) {
    const { g } = ctx;
    const x = ctx.inputs[0]!;
    const { k, s, d, rows, cols } = conv2dGeometry(params, dimsOf(x.type));
    const kernel = transformWeight(ctx.weight('kernel'), { perm: [3, 2, 0, 1] });
    const inputs = [g.op('Transpose', [x.name], { perm: { ints: [0, 3, 1, 2] } })[0]!, g.floats('kernel', kernel.shape, kernel.values)];
    if (params.useBias) {
      const b = ctx.weight('bias');
      inputs.push(g.floats('bias', b.shape, b.values));
    }
    const conv = g.op('Conv', inputs, {
      kernel_shape: { ints: k },
      strides: { ints: s },
      dilations: { ints: d },
      pads: { ints: [rows[0], cols[0], rows[1], cols[1]] },
    })[0]!;
    return onnxOk(onnxActivation(g, g.op('Transpose', [conv], { perm: { ints: [0, 2, 3, 1] } })[0]!, params.activation));
  },
});

/** Kernel, strides, dilations and the [before, after] padding of rows and columns of a Conv2D. */
function conv2dGeometry(
  params: {
    kernelSize: number | readonly [number, number];
    strides: number | readonly [number, number];
    dilationRate: number | readonly [number, number];
    padding: 'valid' | 'same';
  },
  [height = 0, width = 0]: readonly number[],
) {
  const k = toPair(params.kernelSize);
  const s = toPair(params.strides);
  const d = toPair(params.dilationRate);
  return { k, s, d, rows: axisPadding(params.padding, height, k[0], s[0], d[0]), cols: axisPadding(params.padding, width, k[1], s[1], d[1]) };
}

type Conv2DArgs = Parameters<TfjsNamespaces['layers']['conv2d']>[0];

/**
 * A dilated convolution (stride 1) built from layers tfjs can train: its conv gradient refuses
 * dilations > 1. This is conv1d.ts's regrouping done on both axes. After padding the image so its
 * height and width are multiples of dh and dw, the rows whose index ≡ p (mod dh) form phase p, and
 * the dilated kernel only ever combines rows of one phase, dh apart, i.e. adjacent rows within the
 * phase (the same for columns). Reordering the image phase-major, [dh, rows/dh, dw, cols/dw] →
 * [dh·rows/dh, dw·cols/dw], puts every phase's rows next to each other, so a plain [kh, kw] conv
 * computes every dilated output; the kh − 1 rows (kw − 1 columns) at the end of each phase block
 * straddle two phases and are never read. The inverse reorder interleaves the phases back, and a
 * crop drops the rows/columns past the output. Weights: one [kh, kw, channels, filters] kernel,
 * the same numbers as a dilated Conv2D's.
 */
function dilated(
  k: [number, number],
  d: [number, number],
  padding: 'valid' | 'same',
  tf: TfjsNamespaces,
  x: SymbolicTensor,
  common: Omit<Conv2DArgs, 'kernelSize'>,
): SymbolicTensor {
  const [, height, width, channels] = x.shape as [null, number, number, number];
  const axis = (size: number, kernel: number, rate: number) => {
    const span = rate * (kernel - 1);
    const before = padding === 'same' ? Math.floor(span / 2) : 0;
    const padded = size + (padding === 'same' ? span : 0);
    const blocks = Math.ceil(padded / rate);
    return { before, after: blocks * rate - size - before, out: padded - span, blocks };
  };
  const rows = axis(height, k[0], d[0]);
  const cols = axis(width, k[1], d[1]);
  const fullH = rows.blocks * d[0];
  const fullW = cols.blocks * d[1];
  const padded = applyLayer(
    tf.layers.zeroPadding2d({
      padding: [
        [rows.before, rows.after],
        [cols.before, cols.after],
      ],
    }),
    x,
  );
  // [blocks, phase] per axis → [phase, blocks]: Permute's dims count from 1 and skip the batch.
  const grid = applyLayer(tf.layers.reshape({ targetShape: [rows.blocks, d[0], cols.blocks, d[1], channels] }), padded);
  const phaseMajor = applyLayer(tf.layers.permute({ dims: [2, 1, 4, 3, 5] }), grid);
  const image = applyLayer(tf.layers.reshape({ targetShape: [fullH, fullW, channels] }), phaseMajor);
  const conv = applyLayer(tf.layers.conv2d({ ...common, kernelSize: k, padding: 'valid' }), image);
  const filters = conv.shape[3] as number;
  const refilled = applyLayer(
    tf.layers.zeroPadding2d({
      padding: [
        [0, k[0] - 1],
        [0, k[1] - 1],
      ],
    }),
    conv,
  );
  const phases = applyLayer(tf.layers.reshape({ targetShape: [d[0], rows.blocks, d[1], cols.blocks, filters] }), refilled);
  const interleaved = applyLayer(tf.layers.permute({ dims: [2, 1, 4, 3, 5] }), phases);
  const full = applyLayer(tf.layers.reshape({ targetShape: [fullH, fullW, filters] }), interleaved);
  if (fullH === rows.out && fullW === cols.out) return full;
  return applyLayer(
    tf.layers.cropping2D({
      cropping: [
        [0, fullH - rows.out],
        [0, fullW - cols.out],
      ],
    }),
    full,
  );
}
