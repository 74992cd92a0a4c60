/**
 * Conv2D (forward) for the wasm backend as im2col + our GEMM: y[P, Cout] = cols[P, K] · W[K, Cout],
 * the filter already being [KH·KW·Cin, Cout] in memory. XNNPACK's convolution re-packs the
 * filter whenever it is a new tensor, which in training is every step; this packs nothing.
 * A 1×1, stride-1, unpadded convolution (NiN) needs no im2col at all; an image convolution
 * unrolls and multiplies a cache-sized block of rows at a time (conv2d_forward, simd/conv2d.c). Dilated, NCHW or
 * non-float convolutions go to tfjs's own kernel.
 */
import * as tf from '@tensorflow/tfjs-core';
import { blockRows, convGeometry, isImageConv, isPointwise, isSparse, isUnitDilation, unrollArgs, type ConvAttrs } from './convGeometry';
import { simdKernelsFor } from './simdKernels';
import { threadedGemmFor } from './threadedGemm';
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
    if (isImageConv(g)) {
      // Never the whole column matrix (conv2d.c): a block of it at a time, in cache.
      const pb = blockRows(g);
      const scratch = allocF32(backend, [pb * g.k + g.k * Math.ceil(g.cout / 8) * 8], false);
      const y = allocF32(backend, outShape, false);
      simd.conv2d_forward(offsetOf(backend, x), offsetOf(backend, filter), offsetOf(backend, y), offsetOf(backend, scratch), ...unrollArgs(g), g.cout, pb);
      free(backend, scratch);
      return y;
    }
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
