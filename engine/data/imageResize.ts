/**
 * Pixels → the model's picture: converted to grayscale or RGB, then resized to height × width,
 * stretched or with its aspect kept (centred, the rest padded with black). Resampling is a
 * separable triangle (bilinear) filter widened by the scale when shrinking, as Pillow's BILINEAR
 * resize does, so a large photo is averaged rather than aliased. The exported data.py does the
 * same arithmetic, so a picture becomes the same numbers in both.
 */
import type { DecodedImage } from './imageDecode';

export type ImageFit = 'pad' | 'stretch';
export type ImageColor = 'grayscale' | 'rgb';

/** An image's pixels in `channels` channels: gray as ITU-R 601 luma (Pillow's "L"), or gray copied to R, G and B. */
export function toChannels(img: DecodedImage, channels: 1 | 3): Uint8Array {
  if (img.channels === channels) return img.data;
  const n = img.width * img.height;
  const out = new Uint8Array(n * channels);
  const d = img.data;
  if (channels === 3) {
    for (let i = 0; i < n; i++) out[i * 3] = out[i * 3 + 1] = out[i * 3 + 2] = d[i]!;
  } else {
    for (let i = 0; i < n; i++) out[i] = Math.round(d[i * 3]! * 0.299 + d[i * 3 + 1]! * 0.587 + d[i * 3 + 2]! * 0.114);
  }
  return out;
}

/** The box, within height × width, that a `w`×`h` picture fills when fitted (all of it when stretched). */
export function fitBox(w: number, h: number, width: number, height: number, fit: ImageFit): { x: number; y: number; w: number; h: number } {
  if (fit === 'stretch') return { x: 0, y: 0, w: width, h: height };
  const scale = Math.min(width / w, height / h);
  const bw = Math.max(1, Math.min(width, Math.round(w * scale)));
  const bh = Math.max(1, Math.min(height, Math.round(h * scale)));
  return { x: Math.floor((width - bw) / 2), y: Math.floor((height - bh) / 2), w: bw, h: bh };
}

/** Resizes `img` into `out` (height × width × channels bytes, from `at`), as the module doc says. */
export function resizeInto(img: DecodedImage, width: number, height: number, channels: 1 | 3, fit: ImageFit, out: Uint8Array, at = 0): void {
  const src = toChannels(img, channels);
  const box = fitBox(img.width, img.height, width, height, fit);
  out.fill(0, at, at + width * height * channels);
  if (box.w === img.width && box.h === img.height) {
    for (let y = 0; y < box.h; y++)
      out.set(src.subarray(y * img.width * channels, (y + 1) * img.width * channels), at + ((box.y + y) * width + box.x) * channels);
    return;
  }
  const wx = weights(img.width, box.w);
  const wy = weights(img.height, box.h);
  // Horizontal pass into floats (source rows × box width), then vertical into bytes.
  const mid = new Float32Array(img.height * box.w * channels);
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < box.w; x++) {
      const { start, w } = wx[x]!;
      for (let c = 0; c < channels; c++) {
        let s = 0;
        for (let k = 0; k < w.length; k++) s += w[k]! * src[(y * img.width + start + k) * channels + c]!;
        mid[(y * box.w + x) * channels + c] = s;
      }
    }
  }
  for (let y = 0; y < box.h; y++) {
    const { start, w } = wy[y]!;
    for (let x = 0; x < box.w; x++) {
      for (let c = 0; c < channels; c++) {
        let s = 0;
        for (let k = 0; k < w.length; k++) s += w[k]! * mid[((start + k) * box.w + x) * channels + c]!;
        out[at + ((box.y + y) * width + box.x + x) * channels + c] = Math.min(255, Math.max(0, Math.round(s)));
      }
    }
  }
}

/** Resizes `img` to a new height × width × channels byte array. */
export function resizeImage(img: DecodedImage, width: number, height: number, channels: 1 | 3, fit: ImageFit): Uint8Array {
  const out = new Uint8Array(width * height * channels);
  resizeInto(img, width, height, channels, fit, out, 0);
  return out;
}

/** For each output position, the first source index and the normalised triangle weights from there. */
function weights(inSize: number, outSize: number): { start: number; w: Float64Array }[] {
  const scale = inSize / outSize;
  const support = Math.max(1, scale);
  const out: { start: number; w: Float64Array }[] = [];
  for (let i = 0; i < outSize; i++) {
    const centre = (i + 0.5) * scale;
    const start = Math.max(0, Math.floor(centre - support));
    const end = Math.min(inSize, Math.ceil(centre + support));
    const w = new Float64Array(end - start);
    let sum = 0;
    for (let j = start; j < end; j++) {
      const t = Math.max(0, 1 - Math.abs((j + 0.5 - centre) / support));
      w[j - start] = t;
      sum += t;
    }
    if (sum > 0) for (let k = 0; k < w.length; k++) w[k]! /= sum;
    out.push({ start, w });
  }
  return out;
}
