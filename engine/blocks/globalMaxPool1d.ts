import { z } from 'zod';
import { defineBlock } from './defineBlock';
import { applyLayer, dimsOf, named, needSequence, ok, sizeOf } from './common';

/** The largest value of each channel over the whole sequence. */
export const globalMaxPool1dBlock = defineBlock({
  type: 'GlobalMaxPool1D',
  category: 'Pooling',
  doc: 'Keeps the largest value of each channel over the whole sequence: [length, channels] → [channels]. Works for any length.',
  params: z.object({}),
  inputs: [{ name: 'in' }],
  inferShape(_params, [x]) {
    const wrong = needSequence('GlobalMaxPool1D', x!);
    if (wrong) return wrong;
    const [, channels = 0] = dimsOf(x!);
    return ok([null, channels]);
  },
  cost: (_params, [x]) => ({ params: 0, macs: sizeOf(x!) }),
  toTfjs(_params, tf, [x], ctx) {
    return applyLayer(tf.layers.globalMaxPooling1d({ ...named(ctx.name) }), x!);
  },
});
