/**
 * The pooling blocks: MaxPool1D/AvgPool1D, MaxPool2D/AvgPool2D and the four global pools, each
 * defined here from one of three shared definitions (they differ only in their reduction and rank).
 */
import { z } from 'zod';
import { defineBlock, type BlockDef } from './defineBlock';
import { applyLayer, dimsOf, named, needImage, needSequence, ok, pairParam, sizeOf, toPair, tooSmall, windowOut } from './common';
import type { ExportInput, FormResult, OnnxContext, OnnxForm, PyTorchForm } from './exportForms';
import { formOk, onnxOk, pyInts, samePadding } from './exportHelpers';

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
      if (out < 1) return tooSmall(type, 'length', length, params.poolSize);
      return ok([null, out, channels]);
    },
    cost: (params, _inputs, out) => ({ params: 0, macs: sizeOf(out) * params.poolSize }),
    toTfjs(params, tf, [x], ctx) {
      const args = { poolSize: params.poolSize, strides: params.strides ?? params.poolSize, padding: params.padding, ...named(ctx.name) };
      return applyLayer(kind === 'max' ? tf.layers.maxPooling1d(args) : tf.layers.averagePooling1d(args), x!);
    },
    toPyTorch: (params, ctx) => poolToPyTorch(kind, windows(params, ctx.inputs[0]!), ctx.inputs[0]!, ctx.self),
    toOnnx: (params, ctx) => poolToOnnx(kind, windows(params, ctx.inputs[0]!), ctx),
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
      if (oh < 1) return tooSmall(type, 'height', h, p[0]);
      const ow = windowOut(w, p[1], s[1], 1, params.padding);
      if (ow < 1) return tooSmall(type, 'width', w, p[1]);
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
    toPyTorch: (params, ctx) => poolToPyTorch(kind, windows(params, ctx.inputs[0]!), ctx.inputs[0]!, ctx.self),
    toOnnx: (params, ctx) => poolToOnnx(kind, windows(params, ctx.inputs[0]!), ctx),
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
    toPyTorch: (_params, ctx) => formOk({ forward: `${ctx.inputs[0]!.name}.${kind === 'max' ? 'amax' : 'mean'}(dim=${rank === 1 ? '1' : '(1, 2)'})` }),
    toOnnx: (_params, ctx) =>
      onnxOk(
        ctx.g.op(kind === 'max' ? 'ReduceMax' : 'ReduceMean', [ctx.inputs[0]!.name], { axes: { ints: rank === 1 ? [1] : [1, 2] }, keepdims: { int: 0 } })[0]!,
      ),
  });
}

/** A window pool's size, strides and TensorFlow padding ([before, after]) per spatial axis. */
interface Windows {
  size: number[];
  strides: number[];
  pads: [number, number][];
}

function windows(
  params: { poolSize: number | readonly [number, number]; strides?: number | readonly [number, number] | undefined; padding: 'valid' | 'same' },
  x: ExportInput,
): Windows {
  const spatial = dimsOf(x.type).slice(0, -1);
  const pair = (v: number | readonly [number, number]) => (spatial.length === 1 ? [typeof v === 'number' ? v : v[0]] : toPair(v));
  const size = pair(params.poolSize);
  const strides = pair(params.strides ?? params.poolSize);
  const pads = spatial.map((n, i): [number, number] => (params.padding === 'same' ? samePadding(n, size[i]!, strides[i]!) : [0, 0]));
  return { size, strides, pads };
}

/**
 * nn.MaxPool/AvgPool where no padding is needed; else the project's layers.Pool, which pads as
 * TensorFlow does: a padded cell never wins a max and never counts in an average.
 */
function poolToPyTorch(kind: 'max' | 'avg', w: Windows, x: ExportInput, self: string): FormResult<PyTorchForm> {
  const oneD = w.size.length === 1;
  if (w.pads.every(([before, after]) => before === 0 && after === 0)) {
    const same = (v: number[]) => pyInts(v.every((n) => n === v[0]) ? [v[0]!] : v);
    const [first, last] = oneD ? ['.transpose(1, 2)', '.transpose(1, 2)'] : ['.permute(0, 3, 1, 2)', '.permute(0, 2, 3, 1)'];
    return formOk({
      module: `nn.${kind === 'max' ? 'Max' : 'Avg'}Pool${w.size.length}d(kernel_size=${same(w.size)}, stride=${same(w.strides)})`,
      forward: `${self}(${x.name}${first})${last}`,
    });
  }
  const tuple = (v: readonly (number | string)[]) => `(${v.join(', ')}${v.length === 1 ? ',' : ''})`;
  return formOk({
    module: `Pool('${kind}', kernel_size=${tuple(w.size)}, stride=${tuple(w.strides)}, padding=${tuple(w.pads.map((p) => tuple(p)))})`,
    forward: `${self}(${x.name})`,
    uses: ['Pool'],
  });
}

function poolToOnnx(kind: 'max' | 'avg', w: Windows, ctx: OnnxContext): FormResult<OnnxForm> {
  const { g } = ctx;
  const oneD = w.size.length === 1;
  const input = g.op('Transpose', [ctx.inputs[0]!.name], { perm: { ints: oneD ? [0, 2, 1] : [0, 3, 1, 2] } })[0]!;
  const attrs = {
    kernel_shape: { ints: w.size },
    strides: { ints: w.strides },
    pads: { ints: [...w.pads.map((p) => p[0]), ...w.pads.map((p) => p[1])] },
    ...(kind === 'avg' ? { count_include_pad: { int: 0 } } : {}),
  };
  const pooled = g.op(kind === 'max' ? 'MaxPool' : 'AveragePool', [input], attrs)[0]!;
  return onnxOk(g.op('Transpose', [pooled], { perm: { ints: oneD ? [0, 2, 1] : [0, 2, 3, 1] } })[0]!);
}

export const maxPool1dBlock = definePool1d('MaxPool1D', 'max');
export const avgPool1dBlock = definePool1d('AvgPool1D', 'avg');
export const maxPool2dBlock = definePool2d('MaxPool2D', 'max');
export const avgPool2dBlock = definePool2d('AvgPool2D', 'avg');
export const globalMaxPool1dBlock = defineGlobalPool('GlobalMaxPool1D', 'max', 1);
export const globalAvgPool1dBlock = defineGlobalPool('GlobalAvgPool1D', 'avg', 1);
export const globalMaxPool2dBlock = defineGlobalPool('GlobalMaxPool2D', 'max', 2);
export const globalAvgPool2dBlock = defineGlobalPool('GlobalAvgPool2D', 'avg', 2);
