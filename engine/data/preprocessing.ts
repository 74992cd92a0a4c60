/**
 * What turns raw text into a trained model's inputs, and its outputs back into labels: the
 * classes, the train vocabulary, the tokenizer, length and framing (`<bos>`/`<eos>`, truncation side,
 * text columns), the encoding. Saved with every run
 * (`preprocessing.json`), so prediction and every export encode exactly as training did.
 */
import { z } from 'zod';
import type { PreparedData } from './dataset';

export const TextPreprocessingSchema = z.looseObject({
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
export type TextPreprocessing = z.infer<typeof TextPreprocessingSchema>;

/** How a picture becomes the input of an image model (engine/data/imageSummary.ts's ResolvedImage). */
export const ImageInputSchema = z.looseObject({
  height: z.number().int().min(1),
  width: z.number().int().min(1),
  channels: z.union([z.literal(1), z.literal(3)]),
  fit: z.enum(['pad', 'stretch']),
  scale: z.enum(['unit', 'standardize']),
  /** Per channel, of pixel/255 over the train split: `standardize` subtracts it. */
  mean: z.array(z.number()).min(1).max(3),
  std: z.array(z.number().positive()).min(1).max(3),
});
export type ImageInput = z.infer<typeof ImageInputSchema>;

/** An image model's preprocessing: its classes, and how pictures are decoded, resized and scaled. */
export const ImagePreprocessingSchema = z.looseObject({
  kind: z.literal('image'),
  classes: z.array(z.string()).min(1),
  image: ImageInputSchema,
});
export type ImagePreprocessing = z.infer<typeof ImagePreprocessingSchema>;

/** A run's preprocessing: of texts (runs saved before images have no `kind`), or of pictures. */
export const PreprocessingSchema = z.union([ImagePreprocessingSchema, TextPreprocessingSchema]);
export type Preprocessing = TextPreprocessing | ImagePreprocessing;

/** Whether a run's preprocessing is of pictures. */
export function isImagePreprocessing(p: Preprocessing): p is ImagePreprocessing {
  return (p as { kind?: unknown }).kind === 'image';
}

/** The preprocessing of prepared data, as a run saves it. */
export function preprocessingOf(prepared: Pick<PreparedData, 'classes' | 'vocab' | 'encodeSpec' | 'encoding'>): TextPreprocessing {
  return { classes: [...prepared.classes], vocabulary: [...prepared.vocab.tokens], encodeSpec: { ...prepared.encodeSpec }, encoding: prepared.encoding };
}
