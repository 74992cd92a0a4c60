/**
 * Augmentation of train pictures: a random affine map per picture (shift, rotation, zoom-in crop)
 * and a horizontal flip, sampled bilinearly, black outside the picture. Values come from the
 * caller's seeded PRNG, so a run's augmentations are the same on every machine.
 */
import type { AugmentSpec } from '../graph/document';

/** Whether `spec` changes anything at all. */
export function augments(spec: AugmentSpec | undefined): spec is AugmentSpec {
  return !!spec && (spec.shift > 0 || spec.flip || spec.rotate > 0 || spec.crop > 0);
}

/**
 * Writes an augmented copy of the picture `src` (height × width × channels, any numbers, from
 * `srcAt`) into `out` from `outAt`, drawing its random amounts from `random`.
 */
export function augmentInto(
  src: ArrayLike<number>,
  srcAt: number,
  height: number,
  width: number,
  channels: number,
  spec: AugmentSpec,
  random: () => number,
  out: Float32Array,
  outAt: number,
): void {
  const uniform = (a: number) => (random() * 2 - 1) * a;
  const tx = uniform(spec.shift) * width;
  const ty = uniform(spec.shift) * height;
  const angle = (uniform(spec.rotate) * Math.PI) / 180;
  // A crop of (1 − c) of the side, at a random place, stretched back to the whole picture.
  const c = random() * spec.crop;
  const zoom = 1 / (1 - c);
  const cropX = (uniform(1) * (c * width)) / 2;
  const cropY = (uniform(1) * (c * height)) / 2;
  const flip = spec.flip && random() < 0.5;
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      // Output → source: undo the shift, the zoom and the rotation about the centre, then the flip.
      const ox = (x - cx - tx) / zoom + cropX;
      const oy = (y - cy - ty) / zoom + cropY;
      let sx = cos * ox + sin * oy + cx;
      const sy = -sin * ox + cos * oy + cy;
      if (flip) sx = width - 1 - sx;
      const base = outAt + (y * width + x) * channels;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      for (let ch = 0; ch < channels; ch++) {
        const at = (xx: number, yy: number) => (xx < 0 || yy < 0 || xx >= width || yy >= height ? 0 : src[srcAt + (yy * width + xx) * channels + ch]!);
        out[base + ch] = at(x0, y0) * (1 - fx) * (1 - fy) + at(x0 + 1, y0) * fx * (1 - fy) + at(x0, y0 + 1) * (1 - fx) * fy + at(x0 + 1, y0 + 1) * fx * fy;
      }
    }
  }
}
