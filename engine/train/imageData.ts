/**
 * engine/data's PreparedImages seen as the training loop's TrainData, and the one function that
 * turns model-sized pixels into inputs (scaled, and for train augmented), which prediction and
 * evaluation share so a picture is the same numbers wherever it is seen.
 */
import { augmentInto } from '../data/augment';
import type { PreparedImages } from '../data/imageDataset';
import type { ImageInput, ImagePreprocessing } from '../data/preprocessing';
import { mulberry32 } from '../data/prng';
import type { AugmentSpec } from '../graph/document';
import type { TrainData } from './trainData';

/** Scales picture bytes (height × width × channels each) in place in `x`, as `image` says: /255, then standardised per channel. */
export function scalePixels(x: Float32Array, image: Pick<ImageInput, 'channels' | 'scale' | 'mean' | 'std'>): void {
  const c = image.channels;
  if (image.scale === 'standardize') {
    for (let i = 0; i < x.length; i++) x[i] = (x[i]! / 255 - image.mean[i % c]!) / image.std[i % c]!;
  } else {
    for (let i = 0; i < x.length; i++) x[i] = x[i]! / 255;
  }
}

/** The run's saved preprocessing of prepared pictures. */
export function imagePreprocessingOf(prepared: Pick<PreparedImages, 'classes' | 'image'>): ImagePreprocessing {
  const { height, width, channels, fit, scale, mean, std } = prepared.image;
  return { kind: 'image', classes: [...prepared.classes], image: { height, width, channels, fit, scale, mean: [...mean], std: [...std] } };
}

/**
 * Prepared pictures as TrainData. Train batches are augmented when the data asks, each picture
 * anew from a PRNG seeded with `seed`, so a seeded run draws the same augmentations every time.
 */
export function trainDataFromImages(prepared: PreparedImages, seed: number): TrainData {
  const { summary, image } = prepared;
  const cell = image.height * image.width * image.channels;
  const k = prepared.classes.length;
  const augment: AugmentSpec | undefined = prepared.augment;
  const random = mulberry32(seed ^ 0x1a9e);
  return {
    summary,
    inputShape: summary.inputShape,
    inputDtype: 'float32',
    numClasses: k,
    size: (split) => prepared[split].n,
    preprocessing: imagePreprocessingOf(prepared),
    fill(split, indices, out) {
      const b = indices.length;
      const part = prepared[split];
      const x = out?.x instanceof Float32Array && out.x.length === b * cell ? out.x : new Float32Array(b * cell);
      const y = out?.y && out.y.length === b * k ? out.y : new Float32Array(b * k);
      y.fill(0);
      for (let i = 0; i < b; i++) {
        const row = indices[i]!;
        if (augment && split === 'train') {
          augmentInto(part.pixels, row * cell, image.height, image.width, image.channels, augment, random, x, i * cell);
        } else {
          const src = part.pixels.subarray(row * cell, (row + 1) * cell);
          for (let j = 0; j < cell; j++) x[i * cell + j] = src[j]!;
        }
        y[i * k + part.labels[row]!] = 1;
      }
      scalePixels(x, image);
      return { x, y };
    },
  };
}
