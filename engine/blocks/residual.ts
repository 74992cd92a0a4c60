import { z } from 'zod';
import { defineBlock } from './defineBlock';
import { applyLayer, dimsOf, mismatchOnInput, named, needFloat, ok, showShape, sizeOf, type IssueWords } from './common';
import { formOk, onnxOk } from './exportHelpers';
import type { InferResult } from './defineBlock';
import type { TensorType } from '../graph/types';

/** The hint that fixes a residual add of two shapes, naming the block to put on the skip path. */
function skipHint(main: TensorType, other: TensorType): { hint: string; words: Pick<IssueWords, 'hintKey' | 'params'> } {
  const a = dimsOf(main);
  const b = dimsOf(other);
  if (a.length === 2 && b.length === 2) {
    const [la = 0, ca = 0] = a;
    const [lb = 0, cb = 0] = b;
    const stride = lb > la && la > 0 ? Math.round(lb / la) : 1;
    const parts = [];
    if (cb !== ca) parts.push(`filters ${ca}`);
    if (stride > 1) parts.push(`strides ${stride}`);
    const hintKey = cb !== ca ? (stride > 1 ? 'residual-1d-filters-strides' : 'residual-1d-filters') : stride > 1 ? 'residual-1d-strides' : 'residual-1d';
    return {
      hint: `the inputs of a residual add must have one shape; put a Conv1D with kernelSize 1${parts.length === 2 ? `, ${parts[0]} and ${parts[1]}` : parts.length ? ` and ${parts[0]}` : ''} on the skip path (padding "same" if the lengths still differ).`,
      words: { hintKey, params: { filters: ca, strides: stride } },
    };
  }
  if (a.length === 3 && b.length === 3) {
    return {
      hint: `the inputs of a residual add must have one shape; put a Conv2D with kernelSize 1, filters ${a[2]} and matching strides on the skip path.`,
      words: { hintKey: 'residual-2d', params: { filters: a[2] ?? 0 } },
    };
  }
  return {
    hint: 'the inputs of a residual add must have one shape; reshape or project the skip path to the shape of the main path.',
    words: { hintKey: 'residual-other' },
  };
}

/** Adds two or more tensors of one shape: the skip connection of a residual network. */
export const residualBlock = defineBlock({
  type: 'Residual',
  category: 'Merge',
  doc: 'Adds two or more inputs of one shape element by element — the skip connection of a residual network. Wire the block\'s input and the output of its main path both into "in".',
  params: z.object({}),
  inputs: [{ name: 'in', multiple: true, min: 2 }],
  acceptsMask: true,
  inferShape(_params, inputs, ctx): InferResult {
    const first = inputs[0]!;
    for (const [i, x] of inputs.entries()) {
      const wrong = needFloat('Residual', x);
      if (wrong) return wrong;
      const same = x.shape.length === first.shape.length && x.shape.every((d, j) => d === first.shape[j]);
      if (!same) {
        const [smaller, larger] = sizeOf(x) < sizeOf(first) ? [x, first] : [first, x];
        const shapes = inputs.map((t) => showShape(t.shape)).join(', ');
        const { hint, words } = skipHint(smaller, larger);
        return mismatchOnInput(ctx, i, `Residual inputs have different shapes: ${shapes}.`, hint, {
          key: 'residual-shapes',
          ...words,
          params: { ...words.params, shapes: inputs.map((t) => showShape(t.shape)).join(', ') },
        });
      }
    }
    return ok(
      first.shape,
      'float32',
      inputs.some((t) => t.masked === true),
    );
  },
  cost: (_params, inputs, out) => ({ params: 0, macs: sizeOf(out) * (inputs.length - 1) }),
  toTfjs(_params, tf, inputs, ctx) {
    return applyLayer(tf.layers.add({ ...named(ctx.name) }), inputs);
  },
  toPyTorch: (_params, ctx) => formOk({ forward: ctx.inputs.map((x) => x.name).join(' + ') }),
  toOnnx: (_params, ctx) =>
    onnxOk(
      ctx.g.op(
        'Sum',
        ctx.inputs.map((x) => x.name),
      )[0]!,
    ),
});
