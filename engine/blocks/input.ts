import { z } from 'zod';
import { defineBlock } from './defineBlock';
import { fail, named, ok, showShape } from './common';
import { formOk, onnxOk } from './exportHelpers';

const dim = z.number().int().min(1).max(1_000_000);

/** Where the examples enter the model; its shape comes from the data's encoding when "auto". */
export const inputBlock = defineBlock({
  type: 'Input',
  category: 'Input',
  doc: 'Where the examples enter the model. With shape "auto" it takes the shape of one encoded example from the data: [length, vocabulary] for one-hot characters, [length] for token ids.',
  params: z.object({
    shape: z
      .union([z.literal('auto'), z.array(dim).min(1).max(4)])
      .default('auto')
      .describe('Shape of one example without the batch axis, e.g. [17, 77]; "auto" = from the data.'),
    dtype: z.enum(['float32', 'int32']).default('float32').describe('float32 for one-hot or numeric features; int32 for token ids that feed an Embedding.'),
  }),
  inputs: [],
  role: 'input',
  inferShape(params, _inputs, ctx) {
    const data = ctx.data;
    if (data.inputDtype !== undefined && data.inputDtype !== params.dtype) {
      return fail(
        'data-mismatch',
        data.inputDtype === 'int32'
          ? `The data is encoded as int32 token ids (index encoding), but this Input says ${params.dtype}.`
          : `The data is encoded as float32 (one-hot), but this Input says ${params.dtype}.`,
        data.inputDtype === 'int32'
          ? 'Set dtype to int32 and follow the Input with an Embedding, or set data.encoding to "onehot".'
          : 'Set dtype to float32, or set data.encoding to "index" and follow the Input with an Embedding.',
        'out',
        {
          key: data.inputDtype === 'int32' ? 'input-dtype-int' : 'input-dtype-float',
          hintKey: data.inputDtype === 'int32' ? 'input-dtype-int' : 'input-dtype-float',
          params: { dtype: params.dtype },
        },
      );
    }
    let shape: readonly number[];
    if (params.shape === 'auto') {
      if (data.inputShape === undefined) {
        return fail(
          'data-mismatch',
          'The shape is "auto", but no data is bound yet to take it from.',
          'Bind a dataset in the data panel, or write the shape, e.g. [17, 77].',
          'out',
          { key: 'input-auto-no-data', hintKey: 'input-auto-no-data' },
        );
      }
      shape = data.inputShape;
    } else {
      shape = params.shape;
      const given = data.inputShape;
      if (given !== undefined && (given.length !== shape.length || given.some((d, i) => d !== shape[i]))) {
        return fail(
          'data-mismatch',
          `The Input says shape ${showShape(shape)}, but one example of the data has shape ${showShape(given)}.`,
          'Set shape to "auto" so it follows the data.',
          'out',
          { key: 'input-shape', hintKey: 'input-shape', params: { shape: showShape(shape), given: showShape(given), param: 'shape' } },
        );
      }
    }
    return ok([null, ...shape], params.dtype);
  },
  cost: () => ({ params: 0, macs: 0 }),
  toTfjs(params, tf, _inputs, ctx) {
    const shape = params.shape === 'auto' ? ctx.data.inputShape : params.shape;
    if (shape === undefined) throw new Error(`Input ${ctx.nodeId}: no shape (validation should have refused this)`);
    return tf.input({ shape: [...shape], dtype: params.dtype, ...named(ctx.name) });
  },
  // The exports hand the model's own input in as this block's one input: it passes it on as is.
  toPyTorch: (_params, ctx) => formOk({ forward: ctx.inputs[0]!.name }),
  toOnnx: (_params, ctx) => onnxOk(ctx.inputs[0]!.name),
});
