/**
 * Conv2D (forward) for the wasm backend as im2col + our GEMM: y[P, Cout] = cols[P, K] · W[K, Cout],
 * the filter already being [KH·KW·Cin, Cout] in memory. XNNPACK's convolution re-packs the
 * filter whenever it is a new tensor, which in training is every step; this packs nothing.
 * A 1×1, stride-1, unpadded convolution (NiN) needs no im2col at all; an image convolution has
 * none either: its GEMM reads each window from x (zero-padded) through a pointer
 * (conv2d_forward_rows, simd/conv2d.c), on two threads where the product is large enough.
 * Dilated, NCHW or non-float convolutions go to tfjs's own kernel.
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  convGeometry,
  implicitArgs,
  isImageConv,
  isPointwise,
  isSparse,
  isUnitDilation,
  paddedInput,
  unrollArgs,
  type ConvAttrs,
  type ConvGeometry,
} from './convGeometry';
import { simdKernelsFor, type SimdKernels } from './simdKernels';
import { chunkRows, threadedGemmFor } from './threadedGemm';
import { allocF32, free, heapF32, matmul, offsetOf, view, type KernelArgs, type WasmBackend } from './wasmBackend';

interface Attrs extends ConvAttrs {
  dilations: [number, number] | number;
}

export function makeConv2dWasm(original: tf.KernelFunc): tf.KernelFunc {
  return ((args: KernelArgs) => {
    const backend = args.backend as WasmBackend;
    const x = args.inputs['x'] as tf.TensorInfo;
    const filter = args.inputs['filter'] as tf.TensorInfo;
    const { strides, pad, dataFormat, dilations, dimRoundingMode } = args.attrs as unknown as Attrs;
    const simd = simdKernelsFor(backend);
    if (simd === null || dataFormat === 'NCHW' || !isUnitDilation(dilations) || x.dtype !== 'float32' || filter.dtype !== 'float32') {
      return original(args as unknown as Parameters<tf.KernelFunc>[0]);
    }
    const g = convGeometry(x.shape, filter.shape, strides, 1, pad, dimRoundingMode);
    const outShape = [g.n, g.oh, g.ow, g.cout];
    if (isPointwise(g)) return view(matmul(backend, x, filter, g.p, g.k, g.cout), outShape);
    if (isSparse(simd, offsetOf(backend, x), g.n * g.h * g.w * g.cin)) {
      const y = allocF32(backend, outShape, false);
      simd.conv_sparse_forward(offsetOf(backend, x), offsetOf(backend, filter), offsetOf(backend, y), ...unrollArgs(g), g.cout);
      return y;
    }
    if (isImageConv(g)) return forwardImplicit(backend, simd, x, filter, g);
    const threaded = threadedGemmFor(g.p, g.k, g.cout);
    if (threaded !== null) {
      // im2col in the shared memory: x crosses over, not its KH·KW-times larger unrolling.
      const y = allocF32(backend, outShape, false);
      threaded.begin();
      const xs = threaded.put(heapF32(backend, x, g.n * g.h * g.w * g.cin));
      const ws = threaded.put(heapF32(backend, filter, g.k * g.cout));
      const cols = threaded.alloc(g.p * g.k);
      const ys = threaded.output(heapF32(backend, y, g.p * g.cout));
      // Each thread unrolls the rows it multiplies (in parallel, still in cache when multiplied).
      threaded.gemmShared(cols, ws, ys, g.p, g.k, g.cout, { kind: 'im2col', x: xs, geometry: unrollArgs(g) });
      threaded.get(ys, heapF32(backend, y, g.p * g.cout));
      return y;
    }
    const cols = allocF32(backend, [g.p, g.k], false);
    simd.im2col(offsetOf(backend, x), offsetOf(backend, cols), ...unrollArgs(g));
    const y = matmul(backend, cols, filter, g.p, g.k, g.cout);
    free(backend, cols);
    return view(y, outShape);
  }) as unknown as tf.KernelFunc;
}

/**
 * An image convolution without im2col (conv2d_forward_rows, simd/conv2d.c): each output row's
 * window is read from x (zero-padded first where the windows reach past it) by a pointer, with W
 * packed once. On two threads both claim chunks of output rows; the rows are the same bits as on one.
 */
export function forwardImplicit(backend: WasmBackend, simd: SimdKernels, x: tf.TensorInfo, filter: tf.TensorInfo, g: ConvGeometry): tf.TensorInfo {
  const padded = paddedInput(g);
  const args = implicitArgs(g, padded);
  const xFloats = g.n * g.h * g.w * g.cin;
  const xpFloats = g.n * padded.hb * padded.wb * g.cin;
  const wpFloats = Math.ceil(g.cout / 8) * 8 * g.k;
  const y = allocF32(backend, [g.n, g.oh, g.ow, g.cout], false);
  const t = threadedGemmFor(g.p, g.k, g.cout);
  if (t !== null) {
    t.begin();
    const xs = t.put(heapF32(backend, x, xFloats));
    const ws = t.put(heapF32(backend, filter, g.k * g.cout));
    const ys = t.output(heapF32(backend, y, g.p * g.cout));
    let xp = xs;
    if (padded.copy) {
      xp = t.alloc(xpFloats);
      t.pad(xs, xp, g.n, g.h, g.w, g.cin, padded.hb, padded.wb, g.top, g.left);
    }
    const wp = t.alloc(wpFloats);
    t.packB(ws, wp, g.k, g.cout);
    t.runChunks('conv2d_forward_rows', [xp, wp, ys, ...args], g.p, chunkRows(g.p), 0);
    t.get(ys, heapF32(backend, y, g.p * g.cout));
    return y;
  }
  const scratch = allocF32(backend, [(padded.copy ? xpFloats : 0) + wpFloats], false);
  const wp = offsetOf(backend, scratch);
  let xp = offsetOf(backend, x);
  if (padded.copy) {
    xp = wp + wpFloats * 4;
    simd.conv2d_pad(offsetOf(backend, x), xp, g.n, g.h, g.w, g.cin, padded.hb, padded.wb, g.top, g.left);
  }
  simd.pack_b_rows(offsetOf(backend, filter), wp, g.k, g.cout, 0, g.k);
  simd.conv2d_forward_rows(0, xp, wp, offsetOf(backend, y), ...args, 0, g.p);
  free(backend, scratch);
  return y;
}
