/** What an export produces: files with their paths inside the output, or why there are none. */
import { isImagePreprocessing, type ImagePreprocessing } from '../data/preprocessing';
import type { ExportSource } from './source';

/** One file of an export; `path` is relative to the output folder, with `/` between parts. */
export interface ExportFile {
  path: string;
  data: string | Uint8Array;
}

export type ExportResult = { ok: true; files: ExportFile[] } | { ok: false; message: string };

/** What the model's input is, in words, for READMEs and the ONNX model's description. */
export function describeInput(source: ExportSource): string {
  const p = source.preprocessing;
  if (isImagePreprocessing(p)) return describePictures(p);
  const [length] = source.summary.inputShape;
  if (p.encoding === 'index') return `int32 token ids [batch, ${length}] (0 is padding)`;
  if (p.encoding === 'bag')
    return `float32 token ${p.encodeSpec.bagValue === 'presence' ? 'presence (1 where a token occurs)' : 'counts'} [batch, ${p.vocabulary.length}] (padding not counted)`;
  return `float32 one-hot tokens [batch, ${length}, ${p.vocabulary.length}] (padding all zeros)`;
}

/** The preprocessing an app outside Python needs to encode texts as training did (ONNX, tfjs). */
export function preprocessingFile(path: string, source: ExportSource): ExportFile {
  const p = source.preprocessing;
  if (isImagePreprocessing(p)) return { path, data: JSON.stringify(imagePreprocessing(p, source), null, 1) + '\n' };
  const value = {
    format: 'modelwright-preprocessing',
    version: 1,
    classes: p.classes,
    tokenizer: p.encodeSpec.tokenizer,
    lowercase: p.encodeSpec.lowercase,
    maxLength: p.encodeSpec.maxLength,
    encoding: p.encoding,
    /** Everything the run encoded with, as it saved it. */
    encodeSpec: p.encodeSpec,
    inputShape: source.summary.inputShape,
    inputDtype: source.summary.inputDtype,
    padId: 0,
    unkId: 1,
    vocabulary: p.vocabulary,
  };
  return { path, data: JSON.stringify(value, null, 1) + '\n' };
}

/** An image model's input in words: the tensor, and how a picture becomes it. */
export function describePictures(p: ImagePreprocessing): string {
  const { height, width, channels } = p.image;
  return `float32 pictures [batch, ${height}, ${width}, ${channels}] (channels last, ${channels === 1 ? 'grayscale' : 'RGB'}), ${pictureSteps(p)}`;
}

/** How a decoded picture becomes the model's input, in words. */
export function pictureSteps(p: ImagePreprocessing): string {
  const { height, width, channels, fit, scale, mean, std } = p.image;
  const color = `decoded with any transparency composited on white (round(v × a + 255 × (1 − a))), ${
    channels === 1 ? 'converted to gray as ITU-R 601 luma (round(0.299 R + 0.587 G + 0.114 B))' : 'converted to RGB (a gray picture copied to all three)'
  }`;
  const resize =
    fit === 'pad'
      ? `resized to fit ${width}×${height} keeping its aspect (bilinear, as Pillow's BILINEAR), centred, the rest black`
      : `stretched to ${width}×${height} (bilinear, as Pillow's BILINEAR)`;
  const scaled =
    scale === 'unit'
      ? 'then each pixel divided by 255 (0–1)'
      : `then each pixel divided by 255, minus the train split's mean and divided by its std per channel (mean ${fmt(mean)}, std ${fmt(std)})`;
  return `each picture ${color}, ${resize}, rounded to bytes, ${scaled}`;
}

const fmt = (xs: readonly number[]): string => `[${xs.map((x) => String(x)).join(', ')}]`;

/** The preprocessing file of an image model: what an app outside Python needs to feed it pictures. */
function imagePreprocessing(p: ImagePreprocessing, source: ExportSource): Record<string, unknown> {
  return {
    format: 'modelwright-preprocessing',
    version: 1,
    kind: 'image',
    classes: p.classes,
    /** The model's input: [batch, height, width, channels], float32. */
    inputShape: source.summary.inputShape,
    inputDtype: 'float32',
    image: {
      ...p.image,
      layout: 'NHWC',
      color: p.image.channels === 1 ? 'grayscale' : 'rgb',
      alpha: 'composited on white: round(v * a + 255 * (1 - a)), a = alpha / 255',
      ...(p.image.channels === 1 ? { grayscale: 'round(0.299 R + 0.587 G + 0.114 B)' } : {}),
      resample: 'bilinear (triangle filter widened by the scale when shrinking, as Pillow BILINEAR), rounded to 0–255',
      padValue: 0,
      formula: p.image.scale === 'unit' ? 'x = pixel / 255' : 'x = (pixel / 255 - mean[c]) / std[c]',
    },
    steps: pictureSteps(p),
  };
}
