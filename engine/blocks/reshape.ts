import { z } from 'zod';
import { defineBlock } from './defineBlock';
import { applyLayer, dimsOf, fail, named, needFloat, ok, product, showShape } from './common';
import { formOk, onnxOk } from './exportHelpers';

/** Rearranges the values of one example into another shape of the same size. */
export const reshapeBlock = defineBlock({
  type: 'Reshape',
  category: 'Shape',
  doc: 'Rearranges the values of one example into targetShape (without the batch axis); the number of values must stay the same. One entry may be -1 to take what is left.',
  params: z.object({
    targetShape: z
      .array(
        z
          .number()
          .int()
          .min(-1)
          .max(1_000_000)
          .refine((d) => d !== 0, 'a dimension cannot be 0'),
      )
      .min(1)
      .max(4)
      .default([-1])
      .describe('The new shape without the batch axis, e.g. [17, 77, 1]; one entry may be -1.'),
  }),
  inputs: [{ name: 'in' }],
  inferShape(params, [x]) {
    const wrong = needFloat('Reshape', x!);
    if (wrong) return wrong;
    const target = params.targetShape;
    const size = product(dimsOf(x!));
    const free = target.filter((d) => d === -1).length;
    if (free > 1)
      return fail('bad-param', `Reshape targetShape ${showShape(target)} has more than one -1.`, 'Leave at most one entry as -1.', 'in', {
        key: 'reshape-free',
        hintKey: 'reshape-free',
        params: { target: showShape(target) },
      });
    const known = product(target.filter((d) => d !== -1));
    if (free === 1) {
      if (size % known !== 0) {
        return fail(
          'shape-mismatch',
          `Reshape cannot fit ${size} values (${showShape(x!.shape)}) into ${showShape(target)}: ${size} is not a multiple of ${known}.`,
          'Change targetShape so its entries multiply to a divisor of the input size.',
          'in',
          { key: 'reshape-divisor', hintKey: 'reshape-divisor', params: { size, shape: showShape(x!.shape), target: showShape(target), known } },
        );
      }
      return ok([null, ...target.map((d) => (d === -1 ? size / known : d))]);
    }
    if (known !== size) {
      return fail(
        'shape-mismatch',
        `Reshape cannot turn ${showShape(x!.shape)} (${size} values) into ${showShape(target)} (${known} values).`,
        'Make the entries of targetShape multiply to the input size, or use -1 for one of them.',
        'in',
        { key: 'reshape-size', hintKey: 'reshape-size', params: { size, shape: showShape(x!.shape), target: showShape(target), known } },
      );
    }
    return ok([null, ...target]);
  },
  cost: () => ({ params: 0, macs: 0 }),
  toTfjs(params, tf, [x], ctx) {
    // tfjs leaves a -1 as an unknown (null) dim in the symbolic shape, which blocks a Dense after
    // it; every input dim is known here, so resolve it.
    const size = product(x!.shape.slice(1).map((d) => d ?? 0));
    const known = product(params.targetShape.filter((d) => d !== -1));
    const targetShape = params.targetShape.map((d) => (d === -1 ? size / known : d));
    return applyLayer(tf.layers.reshape({ targetShape, ...named(ctx.name) }), x!);
  },
  // The output shape has every -1 resolved; the batch stays free.
  toPyTorch: (_params, ctx) => formOk({ forward: `${ctx.inputs[0]!.name}.reshape(-1, ${dimsOf(ctx.out).join(', ')})` }),
  toOnnx: (_params, ctx) => onnxOk(ctx.g.op('Reshape', [ctx.inputs[0]!.name, ctx.g.ints('shape', [-1, ...dimsOf(ctx.out)])])[0]!),
});
