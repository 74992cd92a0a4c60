import { z } from 'zod';
import { defineBlock } from './defineBlock';
import { applyLayer, fail, named, ok, showShape } from './common';
import { formOk, onnxOk } from './exportHelpers';

/** Token ids → dense vectors; optionally initialised from a GloVe file. */
export const embeddingBlock = defineBlock({
  type: 'Embedding',
  category: 'Embedding',
  doc: 'Turns each token id into a learned vector of outputDim numbers. Needs int32 token ids (index encoding). Can start from pretrained GloVe vectors.',
  params: z.object({
    inputDim: z
      .union([z.literal('auto'), z.number().int().min(2).max(10_000_000)])
      .default('auto')
      .describe('How many distinct token ids there are; "auto" = the vocabulary size of the data.'),
    outputDim: z.number().int().min(1).max(4096).default(64).describe('Length of each token vector (GloVe files come in 50, 100, 200, 300).'),
    trainable: z.boolean().default(true).describe('Whether training may change the vectors; turn off to keep pretrained vectors fixed.'),
    maskZero: z
      .boolean()
      .default(false)
      .describe('Treat id 0 as padding and mask it; only recurrent, Dropout, Activation, BatchNorm, Residual and Concat blocks may follow.'),
    pretrained: z.string().min(1).max(4096).optional().describe('Path to a GloVe-format text file (one "word v1 v2 …" a line); read only after you accept it.'),
  }),
  inputs: [{ name: 'in' }],
  reads: [{ param: 'pretrained', role: 'pretrained', request: (params) => ({ dim: params.outputDim, trainable: params.trainable }) }],
  inferShape(params, [x], ctx) {
    if (!x) return fail('missing-input', 'Embedding needs token ids on its input.', undefined, 'in', { key: 'embedding-needs-ids' });
    if (x.dtype !== 'int32') {
      return fail(
        'dtype-mismatch',
        `Embedding takes int32 token ids [batch, length]; it got float32 ${showShape(x.shape)}${x.shape.length === 3 ? ' (one-hot vectors?)' : ''}.`,
        'Set data.encoding to "index" and the Input\'s dtype to int32; or drop the Embedding and use one-hot input.',
        'in',
        { key: x.shape.length === 3 ? 'embedding-one-hot' : 'embedding-float', hintKey: 'embedding-float', params: { shape: showShape(x.shape) } },
      );
    }
    if (x.shape.length !== 2) {
      return fail(
        'rank-mismatch',
        `Embedding takes token ids [batch, length]; it got ${showShape(x.shape)}.`,
        'Feed it the Input directly (index encoding gives [length]).',
        'in',
        { key: 'embedding-rank', hintKey: 'embedding-rank', params: { shape: showShape(x.shape) } },
      );
    }
    if (params.inputDim === 'auto' && ctx.data.vocabSize === undefined) {
      return fail(
        'data-mismatch',
        'inputDim is "auto", but no data is bound yet to take the vocabulary size from.',
        'Bind a dataset, or set inputDim to a number.',
        'in',
        { key: 'embedding-auto-no-data', hintKey: 'embedding-auto-no-data' },
      );
    }
    const vocab = ctx.data.vocabSize;
    if (typeof params.inputDim === 'number' && vocab !== undefined && params.inputDim < vocab) {
      return fail(
        'data-mismatch',
        `inputDim is ${params.inputDim}, but the data's vocabulary has ${vocab} token ids; the ids from ${params.inputDim} up would have no vector.`,
        'Set inputDim to "auto".',
        'in',
        { key: 'embedding-vocab', hintKey: 'set-auto', params: { inputDim: params.inputDim, vocab, param: 'inputDim' } },
      );
    }
    return ok([x.shape[0] ?? null, x.shape[1] ?? null, params.outputDim], 'float32', params.maskZero);
  },
  cost(params, _inputs, _out, ctx) {
    const rows = params.inputDim === 'auto' ? (ctx.data.vocabSize ?? 0) : params.inputDim;
    return { params: rows * params.outputDim, macs: 0 };
  },
  toTfjs(params, tf, [x], ctx) {
    const inputDim = params.inputDim === 'auto' ? ctx.data.vocabSize : params.inputDim;
    if (inputDim === undefined) throw new Error(`Embedding ${ctx.nodeId}: no vocabulary size`);
    const layer = tf.layers.embedding({
      inputDim,
      outputDim: params.outputDim,
      trainable: params.trainable,
      maskZero: params.maskZero,
      embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: ctx.seed }),
      ...named(ctx.name),
    });
    return applyLayer(layer, x!);
  },
  tfjsWeights: (params, _inputs, out, data) => [
    { name: 'embeddings', shape: [params.inputDim === 'auto' ? (data.vocabSize ?? 0) : params.inputDim, out.shape[2] ?? 0] },
  ],
  toPyTorch(params, ctx) {
    const ids = ctx.inputs[0]!.name;
    const rows = params.inputDim === 'auto' ? ctx.data.vocabSize : params.inputDim;
    // Frozen vectors (trainable off) are weights training leaves alone, as in the app.
    return formOk({
      module: `nn.Embedding(${rows}, ${params.outputDim})${params.trainable ? '' : '.requires_grad_(False)'}`,
      forward: `${ctx.self}(${ids})`,
      weights: [{ key: 'weight', from: 'embeddings' }],
      ...(params.maskZero ? { mask: `${ids} != 0` } : {}),
    });
  },
  toOnnx(params, ctx) {
    const ids = ctx.inputs[0]!.name;
    const { g } = ctx;
    const w = ctx.weight('embeddings');
    const out = g.op('Gather', [g.floats('embeddings', w.shape, w.values), ids], { axis: { int: 0 } })[0]!;
    if (!params.maskZero) return onnxOk(out);
    // Padding (id 0) only ever trails a row, so the mask is each row's count of other ids.
    const pad = g.op('Equal', [ids, g.ints('pad_id', [0], { dims: [], type: 'int32' })])[0]!;
    const kept = g.op('Cast', [g.op('Not', [pad])[0]!], { to: { int: 6 } })[0]!;
    const lengths = g.op('ReduceSum', [kept, g.ints('time_axis', [1])], { keepdims: { int: 0 } })[0]!;
    return onnxOk(out, lengths);
  },
});
