import { z } from 'zod';
import { defineBlock } from './defineBlock';
import { applyLayer, fail, mismatchOnInput, named, needFloat, ok, showShape } from './common';
import { formOk, onnxOk } from './exportHelpers';
import type { InferResult } from './defineBlock';
import type { ExportInput } from './exportForms';

/** Joins tensors along one axis. */
export const concatBlock = defineBlock({
  type: 'Concat',
  category: 'Merge',
  doc: 'Joins two or more inputs along one axis (the channels, by default), in the order of their wires. All other axes must match.',
  params: z.object({
    axis: z
      .number()
      .int()
      .min(-4)
      .max(4)
      .refine((a) => a !== 0, 'axis 0 is the batch')
      .default(-1)
      .describe('The axis to join along, Keras-style: -1 = the last (channels), 1 = the first after the batch.'),
  }),
  inputs: [{ name: 'in', multiple: true, min: 2 }],
  acceptsMask: true,
  inferShape(params, inputs, ctx): InferResult {
    const first = inputs[0]!;
    const rank = first.shape.length;
    const axis = params.axis < 0 ? rank + params.axis : params.axis;
    if (axis < 1 || axis >= rank) {
      return fail(
        'bad-param',
        `Concat axis ${params.axis} does not exist on inputs of shape ${showShape(first.shape)}.`,
        `Use an axis from 1 to ${rank - 1}, or -1 for the last.`,
        'in',
        { key: 'concat-axis', hintKey: 'concat-axis', params: { axis: params.axis, shape: showShape(first.shape), max: rank - 1 } },
      );
    }
    let total = 0;
    for (const [i, x] of inputs.entries()) {
      const wrong = needFloat('Concat', x);
      if (wrong) return wrong;
      const fits = x.shape.length === rank && x.shape.every((d, j) => j === axis || d === first.shape[j]);
      if (!fits) {
        return mismatchOnInput(
          ctx,
          i,
          `Concat along axis ${params.axis} needs inputs that match on every other axis; it got ${inputs.map((t) => showShape(t.shape)).join(', ')}.`,
          'Change axis, or pool/reshape the inputs so that only the joined axis differs.',
          { key: 'concat-mismatch', hintKey: 'concat-mismatch', params: { axis: params.axis, shapes: inputs.map((t) => showShape(t.shape)).join(', ') } },
        );
      }
      total += x.shape[axis] ?? 0;
    }
    const shape = [...first.shape];
    shape[axis] = total;
    return ok(
      shape,
      'float32',
      inputs.some((t) => t.masked === true),
    );
  },
  cost: () => ({ params: 0, macs: 0 }),
  toTfjs(params, tf, inputs, ctx) {
    return applyLayer(tf.layers.concatenate({ axis: params.axis, ...named(ctx.name) }), inputs);
  },
  toPyTorch(params, ctx) {
    const forward = `torch.cat([${ctx.inputs.map((x) => x.name).join(', ')}], dim=${params.axis})`;
    if (!joinsPaddedSteps(params.axis, ctx.inputs)) return formOk({ forward });
    // Sequences joined end to end: so are their padding masks (tfjs's Concatenate does the same).
    const masks = ctx.inputs.map((x) => x.mask ?? `torch.ones_like(${x.name}[..., 0], dtype=torch.bool)`);
    return formOk({ forward, mask: `torch.cat([${masks.join(', ')}], dim=1)` });
  },
  toOnnx(params, ctx) {
    if (joinsPaddedSteps(params.axis, ctx.inputs)) {
      return {
        ok: false,
        reason:
          'it joins padded sequences end to end, so their padding no longer only trails each row, and ONNX recurrent operators know padding only as a length per row.',
      };
    }
    return onnxOk(
      ctx.g.op(
        'Concat',
        ctx.inputs.map((x) => x.name),
        { axis: { int: params.axis } },
      )[0]!,
    );
  },
});

/** Whether the join runs along the steps of sequences of which one carries a padding mask. */
function joinsPaddedSteps(axis: number, inputs: readonly ExportInput[]): boolean {
  const rank = inputs[0]?.type.shape.length ?? 0;
  return rank === 3 && (axis < 0 ? rank + axis : axis) === 1 && inputs.some((x) => x.mask !== null);
}
