/**
 * Conv2DBackpropFilter for the wasm backend (tfjs 4.22 ships none): the filter gradient as one
 * untransposed matrix multiply (our GEMM), cols[P, K] = im2col(x), either
 *   dW[K, Cout] = colsᵀ[K, P] · dy[P, Cout]                       (Cout a multiple of 8), or
 *   dWᵀ[Cout, K] = dyᵀ[Cout, P] · cols[P, K];  dW = (dWᵀ)ᵀ          (otherwise),
 * whichever keeps the GEMM's output rows in whole 8-wide SIMD tiles. An image convolution
 * (height and kernel height above 1) builds no column matrix at all (conv2d_filter_grad_rows,
 * simd/conv2d.c): its windows are read from x by pointer, the sum over positions in fixed
 * chunks on both threads. The one-GEMM form streamed all of dy once per four rows of the
 * product, the slowest kernel of a digits LeNet step by far.
 * NHWC only (tfjs-layers always hands convolutions NHWC).
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  convGeometry,
  filterGradChunks,
  implicitArgs,
  isImageConv,
  isPointwise,
  isSparse,
  paddedInput,
  unrollArgs,
  type ConvGeometry,
  type ConvAttrs,
} from './convGeometry';
import { simdKernelsFor, type SimdKernels } from './simdKernels';
import { threadedGemmFor, threadsForWork, type ThreadedGemm } from './threadedGemm';
import { allocF32, free, heapF32, matmul, offsetOf, view, type KernelArgs, type WasmBackend } from './wasmBackend';

interface Attrs extends ConvAttrs {
  filterShape: [number, number, number, number];
}

export function conv2dBackpropFilterWasm(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as WasmBackend;
  const x = args.inputs['x'] as tf.TensorInfo;
  const dy = args.inputs['dy'] as tf.TensorInfo;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = args.attrs as unknown as Attrs;
  if (dataFormat === 'NCHW') throw new Error('Conv2DBackpropFilter on wasm: NCHW is not supported');
  const g = convGeometry(x.shape, filterShape, strides, 1, pad, dimRoundingMode);
  const simd = simdKernelsFor(backend);
  // The engine trains on wasm only where our SIMD module loads (backend.ts), so it is here.
  if (simd === null) throw new Error("Conv2DBackpropFilter on wasm needs Modelwright's SIMD kernels, which did not load");
  if (isSparse(simd, offsetOf(backend, x), g.n * g.h * g.w * g.cin)) {
    const dw = allocF32(backend, [...filterShape], false);
    simd.conv_sparse_filter_grad(offsetOf(backend, x), offsetOf(backend, dy), offsetOf(backend, dw), ...unrollArgs(g), g.cout);
    return dw;
  }

  if (isImageConv(g)) return filterGradImplicit(backend, simd, x, dy, g, filterShape);

  const wide = g.cout % 8 === 0;
  const threaded = wide ? threadedGemmFor(g.k, g.p, g.cout) : threadedGemmFor(g.cout, g.p, g.k);
  if (threaded !== null) return filterGradShared(backend, threaded, x, dy, g, filterShape, wide);

  const cols = allocF32(backend, [g.p, g.k], false);
  simd.im2col(offsetOf(backend, x), offsetOf(backend, cols), ...unrollArgs(g));
  if (wide) {
    const colsT = allocF32(backend, [g.k, g.p], false);
    simd.transpose2d(offsetOf(backend, cols), offsetOf(backend, colsT), g.p, g.k);
    free(backend, cols);
    const dw = matmul(backend, colsT, dy, g.k, g.p, g.cout);
    free(backend, colsT);
    return view(dw, [...filterShape]);
  }
  const dyT = allocF32(backend, [g.cout, g.p], false);
  simd.transpose2d(offsetOf(backend, dy), offsetOf(backend, dyT), g.p, g.cout);
  const dwT = matmul(backend, dyT, cols, g.cout, g.p, g.k);
  free(backend, cols, dyT);
  const dw = allocF32(backend, [...filterShape], false);
  simd.transpose2d(offsetOf(backend, dwT), offsetOf(backend, dw), g.cout, g.k);
  free(backend, dwT);
  return dw;
}

/**
 * An image convolution's filter gradient without im2col (conv2d_filter_grad_rows, simd/conv2d.c):
 * the sum over output positions in fixed chunks, each chunk's partial dW with windows read from x
 * (zero-padded) by pointer, then the partials added in chunk order. On two threads both claim
 * chunks; the chunks and their order do not depend on the thread count, so neither does dW.
 */
function filterGradImplicit(
  backend: WasmBackend,
  simd: SimdKernels,
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  g: ConvGeometry,
  filterShape: [number, number, number, number],
): tf.TensorInfo {
  const padded = paddedInput(g);
  const args = implicitArgs(g, padded);
  const { chunks, chunk } = filterGradChunks(g);
  const n8 = Math.ceil(g.cout / 8) * 8;
  const accFloats = chunks * g.k * n8;
  const dypFloats = g.cout === n8 ? 0 : chunk * n8;
  const xpFloats = g.n * padded.hb * padded.wb * g.cin;
  const dw = allocF32(backend, [...filterShape], false);
  // The claims run over positions (rows of the column matrix), so those are what must fit.
  const t = threadsForWork(g.p, g.p * g.k * g.cout);
  if (t !== null) {
    t.begin();
    const dys = t.putFirst(dy.dataId, heapF32(backend, dy, g.p * g.cout));
    const xs = t.put(heapF32(backend, x, g.n * g.h * g.w * g.cin));
    const dws = t.output(heapF32(backend, dw, g.k * g.cout));
    let xp = xs;
    if (padded.copy) {
      xp = t.alloc(xpFloats);
      t.pad(xs, xp, g.n, g.h, g.w, g.cin, padded.hb, padded.wb, g.top, g.left);
    }
    const acc = t.alloc(accFloats);
    t.runChunks('conv2d_filter_grad_rows', [xp, dys, acc, ...args, chunk], g.p, chunk, dypFloats);
    t.kernels.conv2d_filter_grad_reduce(acc, dws, chunks, g.k, g.cout);
    t.get(dws, heapF32(backend, dw, g.k * g.cout));
    return dw;
  }
  const scratch = allocF32(backend, [accFloats + dypFloats + (padded.copy ? xpFloats : 0)], false);
  const acc = offsetOf(backend, scratch);
  const dyp = acc + accFloats * 4;
  let xp = offsetOf(backend, x);
  if (padded.copy) {
    xp = dyp + dypFloats * 4;
    simd.conv2d_pad(offsetOf(backend, x), xp, g.n, g.h, g.w, g.cin, padded.hb, padded.wb, g.top, g.left);
  }
  for (let p0 = 0; p0 < g.p; p0 += chunk) {
    simd.conv2d_filter_grad_rows(dyp, xp, offsetOf(backend, dy), acc, ...args, chunk, p0, Math.min(g.p, p0 + chunk));
  }
  simd.conv2d_filter_grad_reduce(acc, offsetOf(backend, dw), chunks, g.k, g.cout);
  free(backend, scratch);
  return dw;
}

/**
 * The same two orientations with im2col, transposes and the product all in the two-thread
 * GEMM's shared memory: x and dy cross over instead of the unrolled, transposed columns.
 */
function filterGradShared(
  backend: WasmBackend,
  t: ThreadedGemm,
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  g: ConvGeometry,
  filterShape: [number, number, number, number],
  wide: boolean,
): tf.TensorInfo {
  const dw = allocF32(backend, [...filterShape], false);
  const k = t.kernels;
  t.begin();
  const dys = t.putFirst(dy.dataId, heapF32(backend, dy, g.p * g.cout));
  const xs = t.put(heapF32(backend, x, g.n * g.h * g.w * g.cin));
  const dws = t.output(heapF32(backend, dw, g.k * g.cout));
  if (wide && g.h === 1 && g.kh === 1 && g.kw > 1) {
    // A Conv1D: colsᵀ from x transposed, a KW-times smaller transpose than cols', and the rows of
    // colsᵀ built by the threads that multiply them (0.40 → 0.30 ms for [64,17,128] k3; with the
    // fused multiply-add GEMM also worth it for strides: 3.45 → 3.2 ms for [64,19,256] k3 s2).
    const xT = t.alloc(g.cin * g.n * g.w);
    t.transpose(xs, xT, g.n * g.w, g.cin);
    const colsT = t.alloc(g.k * g.p);
    // Each thread builds the rows of colsᵀ it multiplies (in parallel, still in cache).
    t.gemmShared(colsT, dys, dws, g.k, g.p, g.cout, { kind: 'im2col_t1', x: xT, geometry: [g.n, g.w, g.cin, g.ow, g.kw, g.sw, g.left] });
    t.get(dws, heapF32(backend, dw, g.k * g.cout));
    return dw;
  }
  let cols = xs;
  if (!isPointwise(g)) {
    cols = t.alloc(g.p * g.k);
    k.im2col(xs, cols, ...unrollArgs(g));
  }
  if (wide) {
    const colsT = t.alloc(g.k * g.p);
    t.transpose(cols, colsT, g.p, g.k);
    t.gemmShared(colsT, dys, dws, g.k, g.p, g.cout);
  } else {
    const dyT = t.alloc(g.cout * g.p);
    t.transpose(dys, dyT, g.p, g.cout);
    const dwT = t.alloc(g.cout * g.k);
    t.gemmShared(dyT, cols, dwT, g.cout, g.p, g.k);
    t.transpose(dwT, dws, g.cout, g.k);
  }
  t.get(dws, heapF32(backend, dw, g.k * g.cout));
  return dw;
}
