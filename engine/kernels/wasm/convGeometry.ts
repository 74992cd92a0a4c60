/** NHWC convolution geometry shared by the im2col-based conv gradients. */
import * as tf from '@tensorflow/tfjs-core';

export interface ConvGeometry {
  n: number;
  h: number;
  w: number;
  cin: number;
  oh: number;
  ow: number;
  cout: number;
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  top: number;
  left: number;
  /** Output positions N·OH·OW (rows of the im2col matrix). */
  p: number;
  /** Patch length KH·KW·Cin (columns of the im2col matrix, rows of the flattened filter). */
  k: number;
}

export type ConvPad = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;

/** The attributes every tfjs Conv2D kernel (forward and both gradients) is given. */
export interface ConvAttrs {
  strides: [number, number] | number;
  pad: ConvPad;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

export function convGeometry(
  xShape: readonly number[],
  filterShape: readonly number[],
  strides: [number, number] | number,
  dilations: [number, number] | number,
  pad: ConvPad,
  dimRoundingMode: 'floor' | 'round' | 'ceil' | undefined,
): ConvGeometry {
  const info = tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    strides,
    dilations,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
  const g = {
    n: info.batchSize,
    h: info.inHeight,
    w: info.inWidth,
    cin: info.inChannels,
    oh: info.outHeight,
    ow: info.outWidth,
    cout: info.outChannels,
    kh: info.filterHeight,
    kw: info.filterWidth,
    sh: info.strideHeight,
    sw: info.strideWidth,
    top: info.padInfo.top,
    left: info.padInfo.left,
  };
  return { ...g, p: g.n * g.oh * g.ow, k: g.kh * g.kw * g.cin };
}

/** The geometry as kernels.c's im2col, col2im and conv_sparse_* take it, after their pointers. */
export type UnrollArgs = [
  n: number,
  h: number,
  w: number,
  cin: number,
  oh: number,
  ow: number,
  kh: number,
  kw: number,
  sh: number,
  sw: number,
  top: number,
  left: number,
];

export function unrollArgs(g: ConvGeometry): UnrollArgs {
  return [g.n, g.h, g.w, g.cin, g.oh, g.ow, g.kh, g.kw, g.sh, g.sw, g.top, g.left];
}

export function isUnitDilation(d: [number, number] | number | undefined): boolean {
  return d === undefined || d === 1 || (Array.isArray(d) && d[0] === 1 && d[1] === 1);
}

/**
 * True when at most one in 8 of x's values is nonzero (one-hot characters: 1 in 77). Such an
 * input makes the convolution and its filter gradient far cheaper as sums over the nonzeros
 * (conv_sparse_* in kernels.c) than as a dense GEMM, with the same sums in the same order.
 */
export function isSparse(simd: { count_nonzero(x: number, n: number, limit: number): number }, xOffset: number, size: number): boolean {
  const limit = Math.floor(size / 8);
  return simd.count_nonzero(xOffset, size, limit) <= limit;
}

/** A 1×1, stride-1, unpadded convolution (NiN): im2col and col2im are the identity. */
export function isPointwise(g: ConvGeometry): boolean {
  return g.kh === 1 && g.kw === 1 && g.sh === 1 && g.sw === 1 && g.top === 0 && g.left === 0 && g.oh === g.h && g.ow === g.w;
}

/**
 * An image convolution (height and kernel height above 1): its column matrix is kh·kw times the
 * image, tens of megabytes for a batch of 28×28 images, so its kernels (simd/conv2d.c) go
 * through it a cache-sized block of rows at a time and never hold it whole.
 */
export function isImageConv(g: ConvGeometry): boolean {
  return g.h > 1 && g.kh > 1;
}

/**
 * The zero-padded input the implicit convolutions (simd/conv2d.c) read every window from:
 * [n, hb, wb, cin], x shifted by (top, left). `copy` is false where x itself holds every window
 * (no padding, windows inside x), which is then read as it lies.
 */
export interface PaddedInput {
  hb: number;
  wb: number;
  copy: boolean;
}

export function paddedInput(g: ConvGeometry): PaddedInput {
  const hb = (g.oh - 1) * g.sh + g.kh;
  const wb = (g.ow - 1) * g.sw + g.kw;
  if (g.top === 0 && g.left === 0 && hb <= g.h && wb <= g.w) return { hb: g.h, wb: g.w, copy: false };
  return { hb, wb, copy: true };
}

/** The geometry as conv2d.c's implicit kernels take it after their pointers. */
export type ImplicitArgs = [oh: number, ow: number, cin: number, hb: number, wb: number, kh: number, kw: number, sh: number, sw: number, cout: number];

export function implicitArgs(g: ConvGeometry, padded: PaddedInput): ImplicitArgs {
  return [g.oh, g.ow, g.cin, padded.hb, padded.wb, g.kh, g.kw, g.sh, g.sw, g.cout];
}

/**
 * How the filter gradient's sum over output positions is split (conv2d_filter_grad_rows): at most
 * 32 chunks of at least ~1,024 positions, fixed by the shape alone, so one thread and two add
 * the same partial sums in the same order.
 */
export function filterGradChunks(g: ConvGeometry): { chunks: number; chunk: number } {
  const chunks = Math.max(1, Math.min(32, Math.ceil(g.p / 1024)));
  const chunk = Math.ceil(g.p / chunks);
  return { chunks: Math.ceil(g.p / chunk), chunk };
}

/** Floats of one block of the column matrix: ~128 KB, so a block stays in cache while it is used. */
const BLOCK_FLOATS = 32 * 1024;

/** Rows of the column matrix per block for isImageConv's kernels: whole 4-row tiles, at least 8. */
export function blockRows(g: ConvGeometry): number {
  return Math.min(g.p, Math.max(8, Math.floor(BLOCK_FLOATS / g.k / 4) * 4));
}
