/**
 * PNG and JPEG bytes → pixels, with pure-JS decoders (pngjs, jpeg-js: no native binaries, so the
 * same code runs in the training worker, the helper worker and a packaged Electron app alike).
 * The size is read from the file's header first, so an image too large for the memory limit is
 * refused before a byte of it is decoded. Every problem is a DataError naming the file.
 */
import { decode as decodeJpeg } from 'jpeg-js';
import { PNG } from 'pngjs';
import { otherWords } from '../words';
import { DataError, dataError } from './dataError';

/** Decoded pixels: `channels` bytes a pixel, row-major (1 gray, 3 RGB; PNG alpha is composited on white). */
export interface DecodedImage {
  width: number;
  height: number;
  channels: 1 | 3;
  data: Uint8Array;
  /** The file's own colour: grayscale or colour (what "mixed" messages speak of). */
  color: 'grayscale' | 'rgb';
}

/** The most pixels one image may have before decoding (default 40 million: ~160 MB as RGBA). */
export const DEFAULT_MAX_PIXELS = 40_000_000;

export type ImageFormat = 'png' | 'jpeg';

/** The format the bytes say they are in, or null. */
export function imageFormatOf(bytes: Uint8Array): ImageFormat | null {
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  return null;
}

/** Width and height from the header alone (PNG IHDR; JPEG's first SOF marker), or null when the header is cut short. */
export function imageHeaderSize(bytes: Uint8Array, format: ImageFormat): { width: number; height: number } | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (format === 'png') {
    if (bytes.length < 24) return null;
    return { width: view.getUint32(16), height: view.getUint32(20) };
  }
  let at = 2;
  while (at + 9 < bytes.length) {
    if (bytes[at] !== 0xff) {
      at++;
      continue;
    }
    const marker = bytes[at + 1]!;
    // Start-of-frame markers C0–CF, except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: view.getUint16(at + 5), width: view.getUint16(at + 7) };
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0xff) {
      at += marker === 0xff ? 1 : 2;
      continue;
    }
    at += 2 + view.getUint16(at + 2);
  }
  return null;
}

/**
 * Decodes one PNG or JPEG. `file` names it in messages; `maxPixels` bounds width × height, checked
 * on the header before decoding.
 */
export function decodeImage(bytes: Uint8Array, file: string, maxPixels = DEFAULT_MAX_PIXELS): DecodedImage {
  const format = imageFormatOf(bytes);
  if (!format) {
    throw dataError('data.notImage', file);
  }
  const size = imageHeaderSize(bytes, format);
  if (!size) throw dataError('data.imageTruncatedHeader', file, { format: format.toUpperCase() });
  if (size.width === 0 || size.height === 0) throw dataError('data.imageNoPixels', file, { width: size.width, height: size.height });
  if (size.width * size.height > maxPixels) {
    throw dataError('data.imageTooLarge', file, {
      width: size.width,
      height: size.height,
      megapixels: ((size.width * size.height) / 1e6).toFixed(1),
      limit: (maxPixels / 1e6).toFixed(0),
    });
  }
  try {
    return format === 'png' ? fromPng(bytes) : fromJpeg(bytes, maxPixels);
  } catch (err) {
    if (err instanceof DataError) throw err;
    const why = err instanceof Error ? err.message : String(err);
    throw dataError('data.imageUndecodable', file, { format: format.toUpperCase(), why: otherWords(why) });
  }
}

function fromPng(bytes: Uint8Array): DecodedImage {
  const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const { width, height } = png;
  // colorType bit 2 is colour (2 RGB, 3 palette, 6 RGBA); 0 and 4 are gray (with alpha).
  const color = png.colorType === 0 || png.colorType === 4 ? 'grayscale' : 'rgb';
  return fromRgba(png.data, width, height, color, png.alpha);
}

function fromJpeg(bytes: Uint8Array, maxPixels: number): DecodedImage {
  const img = decodeJpeg(bytes, {
    useTArray: true,
    formatAsRGBA: true,
    maxResolutionInMP: maxPixels / 1e6,
    maxMemoryUsageInMB: Math.ceil((maxPixels * 8) / 1e6) + 64,
  });
  // A gray JPEG has one component; jpeg-js expands it to equal R, G and B.
  let gray = true;
  const d = img.data;
  for (let i = 0; i < d.length && gray; i += 4) if (d[i] !== d[i + 1] || d[i] !== d[i + 2]) gray = false;
  return fromRgba(d, img.width, img.height, gray ? 'grayscale' : 'rgb', false);
}

function fromRgba(rgba: Uint8Array, width: number, height: number, color: 'grayscale' | 'rgb', alpha: boolean): DecodedImage {
  const n = width * height;
  if (color === 'grayscale') {
    const data = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const a = alpha ? rgba[i * 4 + 3]! / 255 : 1;
      data[i] = Math.round(rgba[i * 4]! * a + 255 * (1 - a));
    }
    return { width, height, channels: 1, data, color };
  }
  const data = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    const a = alpha ? rgba[i * 4 + 3]! / 255 : 1;
    for (let c = 0; c < 3; c++) data[i * 3 + c] = Math.round(rgba[i * 4 + c]! * a + 255 * (1 - a));
  }
  return { width, height, channels: 3, data, color };
}
