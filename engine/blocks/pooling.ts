/**
 * The pooling blocks: MaxPool1D/AvgPool1D, MaxPool2D/AvgPool2D and the four global pools, each
 * defined here from one of three shared definitions (they differ only in their reduction and rank).
 */
import { z } from 'zod';
import { defineBlock, type BlockDef } from './defineBlock';
import { applyLayer, dimsOf, named, needImage, needSequence, ok, pairParam, sizeOf, toPair, tooSmall, windowOut } from './common';

const padding = z
  .enum(['valid', 'same'])
  .default('valid')
  .describe('valid: only whole windows (the axis shrinks); same: pad so length = ceil(length / strides).');

const params1d = z.object({
  poolSize: z.number().int().min(1).max(1024).default(2).describe('Window length, in sequence steps.'),
  strides: z.number().int().min(1).max(1024).optional().describe('Step between windows; empty = poolSize (windows do not overlap).'),
  padding,
});

const params2d = z.object({
  poolSize: pairParam(1, 256, 2, 'Window size in pixels: one number, or [height, width].'),
  strides: z
    .union([z.number().int().min(1).max(256), z.tuple([z.number().int().min(1).max(256), z.number().int().min(1).max(256)])])
    .optional()
    .describe('Step between windows: one number, or [height, width]; empty = poolSize.'),
  padding,
});

/** MaxPool1D / AvgPool1D. */
function definePool1d<const T extends string>(type: T, kind: 'max' | 'avg'): BlockDef<typeof params1d, T> {
  const what = kind === 'max' ? 'largest' : 'average';
  return defineBlock({
    type,
    category: 'Pooling',
    doc: `Keeps the ${what} value of each channel in every window of poolSize steps: halves the length with poolSize 2.`,
    params: params1d,
    inputs: [{ name: 'in' }],
    inferShape(params, [x]) {
      const wrong = needSequence(type, x!);
      if (wrong) return wrong;
      const [length = 0, channels = 0] = dimsOf(x!);
      const out = windowOut(length, params.poolSize, params.strides ?? params.poolSize, 1, params.padding);
      if (out < 1) return tooSmall(type, 'the sequence length', length, params.poolSize);
      return ok([null, out, channels]);
    },
    cost: (params, _inputs, out) => ({ params: 0, macs: sizeOf(out) * params.poolSize }),
    toTfjs(params, tf, [x], ctx) {
      const args = { poolSize: params.poolSize, strides: params.strides ?? params.poolSize, padding: params.padding, ...named(ctx.name) };
      return applyLayer(kind === 'max' ? tf.layers.maxPooling1d(args) : tf.layers.averagePooling1d(args), x!);
    },
  });
}

/** MaxPool2D / AvgPool2D. */
function definePool2d<const T extends string>(type: T, kind: 'max' | 'avg'): BlockDef<typeof params2d, T> {
  const what = kind === 'max' ? 'largest' : 'average';
  return defineBlock({
    type,
    category: 'Pooling',
    doc: `Keeps the ${what} value of each channel in every poolSize × poolSize window: halves height and width with poolSize 2.`,
    params: params2d,
    inputs: [{ name: 'in' }],
    inferShape(params, [x]) {
      const wrong = needImage(type, x!);
      if (wrong) return wrong;
      const [h = 0, w = 0, c = 0] = dimsOf(x!);
      const p = toPair(params.poolSize);
      const s = toPair(params.strides ?? params.poolSize);
      const oh = windowOut(h, p[0], s[0], 1, params.padding);
      if (oh < 1) return tooSmall(type, 'the height', h, p[0]);
      const ow = windowOut(w, p[1], s[1], 1, params.padding);
      if (ow < 1) return tooSmall(type, 'the width', w, p[1]);
      return ok([null, oh, ow, c]);
    },
    cost(params, _inputs, out) {
      const [ph, pw] = toPair(params.poolSize);
      return { params: 0, macs: sizeOf(out) * ph * pw };
    },
    toTfjs(params, tf, [x], ctx) {
      const args = {
        poolSize: toPair(params.poolSize),
        strides: toPair(params.strides ?? params.poolSize),
        padding: params.padding,
        ...named(ctx.name),
      };
      return applyLayer(kind === 'max' ? tf.layers.maxPooling2d(args) : tf.layers.averagePooling2d(args), x!);
    },
  });
}

const noParams = z.object({});

/** GlobalMaxPool1D/2D, GlobalAvgPool1D/2D. */
function defineGlobalPool<const T extends string>(type: T, kind: 'max' | 'avg', rank: 1 | 2): BlockDef<typeof noParams, T> {
  const what = kind === 'max' ? 'largest' : 'average';
  const over = rank === 1 ? 'the whole sequence: [length, channels] → [channels]' : 'the whole image: [height, width, channels] → [channels]';
  return defineBlock({
    type,
    category: 'Pooling',
    doc: `Keeps the ${what} value of each channel over ${over}. Works for any size.`,
    params: noParams,
    inputs: [{ name: 'in' }],
    inferShape(_params, [x]) {
      const wrong = rank === 1 ? needSequence(type, x!) : needImage(type, x!);
      if (wrong) return wrong;
      const dims = dimsOf(x!);
      return ok([null, dims[dims.length - 1] ?? 0]);
    },
    cost: (_params, [x]) => ({ params: 0, macs: sizeOf(x!) }),
    toTfjs(_params, tf, [x], ctx) {
      const args = { ...named(ctx.name) };
      const layer =
        rank === 1
          ? kind === 'max'
            ? tf.layers.globalMaxPooling1d(args)
            : tf.layers.globalAveragePooling1d(args)
          : kind === 'max'
            ? tf.layers.globalMaxPooling2d(args)
            : tf.layers.globalAveragePooling2d(args);
      return applyLayer(layer, x!);
    },
  });
}

export const maxPool1dBlock = definePool1d('MaxPool1D', 'max');
export const avgPool1dBlock = definePool1d('AvgPool1D', 'avg');
export const maxPool2dBlock = definePool2d('MaxPool2D', 'max');
export const avgPool2dBlock = definePool2d('AvgPool2D', 'avg');
export const globalMaxPool1dBlock = defineGlobalPool('GlobalMaxPool1D', 'max', 1);
export const globalAvgPool1dBlock = defineGlobalPool('GlobalAvgPool1D', 'avg', 1);
export const globalMaxPool2dBlock = defineGlobalPool('GlobalMaxPool2D', 'max', 2);
export const globalAvgPool2dBlock = defineGlobalPool('GlobalAvgPool2D', 'avg', 2);
