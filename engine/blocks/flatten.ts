import { z } from 'zod';
import { defineBlock } from './defineBlock';
import { applyLayer, fail, named, needFloat, ok, showShape, sizeOf } from './common';
import { formOk, onnxOk } from './exportHelpers';

/** Lays every value of one example out in a row. */
export const flattenBlock = defineBlock({
  type: 'Flatten',
  category: 'Shape',
  doc: 'Lays all values of one example out in a single row: [17, 256] → [4352]. Put it between convolutions and Dense/Output.',
  params: z.object({}),
  inputs: [{ name: 'in' }],
  inferShape(_params, [x]) {
    const wrong = needFloat('Flatten', x!);
    if (wrong) return wrong;
    if (x!.shape.length < 2)
      return fail('rank-mismatch', `Flatten needs at least one axis besides the batch; it got ${showShape(x!.shape)}.`, undefined, 'in', {
        key: 'need-non-batch-axis',
        params: { block: 'Flatten', shape: showShape(x!.shape) },
      });
    return ok([null, sizeOf(x!)]);
  },
  cost: () => ({ params: 0, macs: 0 }),
  toTfjs(_params, tf, [x], ctx) {
    return applyLayer(tf.layers.flatten({ ...named(ctx.name) }), x!);
  },
  // Channels-last, as in the app, so the values come out in the same order.
  toPyTorch: (_params, ctx) => formOk({ forward: `torch.flatten(${ctx.inputs[0]!.name}, 1)` }),
  toOnnx: (_params, ctx) => onnxOk(ctx.g.op('Flatten', [ctx.inputs[0]!.name], { axis: { int: 1 } })[0]!),
});
