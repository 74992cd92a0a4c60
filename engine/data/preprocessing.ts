/**
 * What turns raw text into a trained model's inputs, and its outputs back into labels: the
 * classes, the train vocabulary, the tokenizer, length and framing (`<bos>`/`<eos>`, truncation side,
 * text columns), the encoding. Saved with every run
 * (`preprocessing.json`), so prediction and every export encode exactly as training did.
 */
import { z } from 'zod';
import type { PreparedData } from './dataset';

export const PreprocessingSchema = z.looseObject({
  /** Class names, in the order of the model's outputs. */
  classes: z.array(z.string()).min(1),
  /** Token of each id: `<pad>` = 0, `<unk>` = 1, then the train vocabulary. */
  vocabulary: z.array(z.string()).min(2),
  /** The tokenizer, length and framing (absent fields: how runs saved before them encoded). */
  encodeSpec: z.looseObject({
    tokenizer: z.enum(['char', 'word']),
    lowercase: z.boolean(),
    maxLength: z.number().int().min(1),
    /** Word tokenizer: punctuation as tokens (absent: the first word rules, without). */
    punctuation: z.boolean().optional(),
    /** Which end of a longer text is cut (absent: the end). */
    truncate: z.enum(['end', 'start']).optional(),
    bos: z.boolean().optional(),
    eos: z.boolean().optional(),
    /** Text columns joined with `<sep>` (absent: 1); a text to predict holds them tab-separated. */
    textColumns: z.number().int().min(1).optional(),
    /** bag encoding: counts (absent) or presence. */
    bagValue: z.enum(['count', 'presence']).optional(),
  }),
  encoding: z.enum(['onehot', 'index', 'bag']),
});
export type Preprocessing = z.infer<typeof PreprocessingSchema>;

/** The preprocessing of prepared data, as a run saves it. */
export function preprocessingOf(prepared: Pick<PreparedData, 'classes' | 'vocab' | 'encodeSpec' | 'encoding'>): Preprocessing {
  return { classes: [...prepared.classes], vocabulary: [...prepared.vocab.tokens], encodeSpec: { ...prepared.encodeSpec }, encoding: prepared.encoding };
}
