/**
 * Conv2DBackpropInput for the wasm backend, replacing tfjs's direct loop (which took 56 ms of a
 * 142 ms surname-CNN step) with one fast matmul and a col2im:
 *   Wᵀ[Cout, K] = (W[K, Cout])ᵀ;  dcols[P, K] = dy[P, Cout] · Wᵀ;  dx = col2im(dcols)
 * An image convolution makes and adds dcols a cache-sized block of rows at a time instead, whole
 * images to each thread (conv2d_input_grad_images, simd/conv2d.c), or, at stride 1 where that
 * multiplies no more, is the forward convolution of dy with the filter turned half a turn.
 * Anything but NHWC goes to tfjs's own kernel.
 */
import * as tf from '@tensorflow/tfjs-core';
import { blockRows, convGeometry, isImageConv, isPointwise, unrollArgs, type ConvAttrs, type ConvGeometry } from './convGeometry';
import { simdKernelsFor, type SimdKernels } from './simdKernels';
import { forwardImplicit } from './conv2d';
import { threadedGemmFor } from './threadedGemm';
import { allocF32, free, heapF32, matmul, offsetOf, view, type KernelArgs, type WasmBackend } from './wasmBackend';

interface Attrs extends ConvAttrs {
  inputShape: [number, number, number, number];
}

export function makeConv2dBackpropInputWasm(original: tf.KernelFunc): tf.KernelFunc {
  return ((args: KernelArgs) => {
    const backend = args.backend as WasmBackend;
    const dy = args.inputs['dy'] as tf.TensorInfo;
    const filter = args.inputs['filter'] as tf.TensorInfo;
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } = args.attrs as unknown as Attrs;
    const simd = simdKernelsFor(backend);
    if (dataFormat === 'NCHW' || simd === null || dy.dtype !== 'float32') return original(args as unknown as Parameters<tf.KernelFunc>[0]);
    const g = convGeometry(inputShape, filter.shape, strides, 1, pad, dimRoundingMode);
    if (isImageConv(g)) {
      const asForward = transposedForward(g);
      if (asForward !== null) return inputGradAsForward(backend, simd, dy, filter, g, asForward);
      return inputGradImages(backend, simd, dy, filter, g, inputShape);
    }
    // A stride-1 Conv1D (a one-row Conv2D of a kernel wider than 1) likewise: its window is one
    // contiguous run, which the implicit forward reads as it lies, and no col2im pass follows.
    const asForward1d = g.h === 1 && g.kh === 1 && g.kw > 1 ? transposedForward(g) : null;
    if (asForward1d !== null) return inputGradAsForward(backend, simd, dy, filter, g, asForward1d);
    const threaded = threadedGemmFor(g.p, g.cout, g.k);
    if (threaded !== null) {
      // Transpose, product and col2im in the shared memory: dx crosses back, not dcols.
      const size = tf.util.sizeFromShape(inputShape);
      const dx = allocF32(backend, [...inputShape], false);
      const k = threaded.kernels;
      threaded.begin();
      const dys = threaded.putFirst(dy.dataId, heapF32(backend, dy, g.p * g.cout));
      const ws = threaded.put(heapF32(backend, filter, g.k * g.cout));
      const wTs = threaded.alloc(g.cout * g.k);
      threaded.transpose(ws, wTs, g.k, g.cout);
      const dxs = threaded.output(heapF32(backend, dx, size));
      const pointwise = isPointwise(g);
      const dcols = pointwise ? dxs : threaded.alloc(g.p * g.k);
      threaded.gemmShared(dys, wTs, dcols, g.p, g.cout, g.k);
      if (!pointwise) k.col2im(dcols, dxs, ...unrollArgs(g));
      threaded.get(dxs, heapF32(backend, dx, size));
      return dx;
    }
    const wT = allocF32(backend, [g.cout, g.k], false);
    simd.transpose2d(offsetOf(backend, filter), offsetOf(backend, wT), g.k, g.cout);
    const dcols = matmul(backend, dy, wT, g.p, g.cout, g.k);
    free(backend, wT);
    const dx = allocF32(backend, [...inputShape], false);
    simd.col2im(offsetOf(backend, dcols), offsetOf(backend, dx), ...unrollArgs(g));
    free(backend, dcols);
    return view(dx, [...inputShape]);
  }) as unknown as tf.KernelFunc;
}

/**
 * A stride-1 convolution's input gradient as a forward convolution: dx = conv(dy, Wf), Wf the
 * filter turned half a turn with its channels swapped, dy padded kh-1-top above and kw-1-left to
 * the left. Each dx value is then one dot product (no col2im pass adding dcols into dx), and the
 * forward's implicit kernel runs it on both threads. Null where it would multiply more than the
 * dcols GEMM: its rows are dx's positions, so a 'valid' convolution's ('full' padding) costs up
 * to (h·w)/(oh·ow) as much, and cin is its output width, 8-wide tiles.
 */
function transposedForward(g: ConvGeometry): ConvGeometry | null {
  if (g.sh !== 1 || g.sw !== 1) return null;
  const forward = g.n * g.h * g.w * g.kh * g.kw * g.cout * Math.ceil(g.cin / 8) * 8;
  const viaCols = g.p * g.cout * Math.ceil(g.k / 8) * 8;
  if (forward > viaCols) return null;
  const top = g.kh - 1 - g.top;
  const left = g.kw - 1 - g.left;
  if (top < 0 || left < 0) return null;
  return {
    n: g.n,
    h: g.oh,
    w: g.ow,
    cin: g.cout,
    oh: g.h,
    ow: g.w,
    cout: g.cin,
    kh: g.kh,
    kw: g.kw,
    sh: 1,
    sw: 1,
    top,
    left,
    p: g.n * g.h * g.w,
    k: g.kh * g.kw * g.cout,
  };
}

function inputGradAsForward(
  backend: WasmBackend,
  simd: SimdKernels,
  dy: tf.TensorInfo,
  filter: tf.TensorInfo,
  g: ConvGeometry,
  asForward: ConvGeometry,
): tf.TensorInfo {
  const flipped = allocF32(backend, [g.kh, g.kw, g.cout, g.cin], false);
  simd.conv2d_flip_filter(offsetOf(backend, filter), offsetOf(backend, flipped), g.kh, g.kw, g.cin, g.cout);
  const dx = forwardImplicit(backend, simd, dy, flipped, asForward);
  free(backend, flipped);
  return dx;
}

/**
 * An image convolution's input gradient (conv2d_input_grad_images, simd/conv2d.c): per image,
 * dcols a cache-sized block at a time, added into that image's dx before the next is made. An
 * image's dx depends on its own rows only, so on two threads each claims whole images, and dx
 * has the same bits as on one.
 */
function inputGradImages(
  backend: WasmBackend,
  simd: SimdKernels,
  dy: tf.TensorInfo,
  filter: tf.TensorInfo,
  g: ConvGeometry,
  inputShape: [number, number, number, number],
): tf.TensorInfo {
  const pb = blockRows(g);
  const wtpFloats = Math.ceil(g.k / 8) * 8 * g.cout;
  const dx = allocF32(backend, [...inputShape], false);
  const size = g.n * g.h * g.w * g.cin;
  const t = threadedGemmFor(g.p, g.cout, g.k);
  if (t !== null) {
    t.begin();
    const dys = t.putFirst(dy.dataId, heapF32(backend, dy, g.p * g.cout));
    const ws = t.put(heapF32(backend, filter, g.k * g.cout));
    const dxs = t.output(heapF32(backend, dx, size));
    const wT = t.alloc(g.cout * g.k);
    t.transpose(ws, wT, g.k, g.cout);
    const wTp = t.alloc(wtpFloats);
    t.packB(wT, wTp, g.cout, g.k);
    // Whole images a claim: about 16 claims a product, as chunkRows gives rows.
    const images = Math.max(1, Math.floor(g.n / 16));
    t.runChunks('conv2d_input_grad_images', [dys, wTp, dxs, ...unrollArgs(g), g.cout, pb], g.n, images, pb * g.k);
    t.get(dxs, heapF32(backend, dx, size));
    return dx;
  }
  const scratch = allocF32(backend, [g.cout * g.k + wtpFloats + pb * g.k], false);
  const wT = offsetOf(backend, scratch);
  const wTp = wT + g.cout * g.k * 4;
  simd.transpose2d(offsetOf(backend, filter), wT, g.k, g.cout);
  simd.pack_b_rows(wT, wTp, g.cout, g.k, 0, g.cout);
  simd.conv2d_input_grad_images(wTp + wtpFloats * 4, offsetOf(backend, dy), wTp, offsetOf(backend, dx), ...unrollArgs(g), g.cout, pb, 0, g.n);
  free(backend, scratch);
  return dx;
}
