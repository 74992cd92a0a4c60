/**
 * MaxPoolGrad for the wasm backend. tfjs-wasm 4.22's own kernel sends each gradient to the
 * wrong cell of its window (e.g. x = [-1.60, -1.49] pooled by 2: the gradient lands on -1.60),
 * so every MaxPool model trained on wasm learned from wrong gradients. Ours routes it to the
 * first largest input, like tfjs's cpu backend; the unit tests compare the two. Large ones run
 * on both threads, whole images each.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { UnrollArgs } from './convGeometry';
import { simdKernelsFor } from './simdKernels';
import { threadsForWork } from './threadedGemm';
import { allocF32, heapF32, offsetOf, view, type KernelArgs, type WasmBackend } from './wasmBackend';

interface Attrs {
  filterSize: [number, number] | number;
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/** A pooling's geometry as the pooling kernels take it (n, h, w, c, oh, ow, fh, fw, sh, sw, top, left). */
export function poolArgs(info: tf.backend_util.Conv2DInfo): UnrollArgs {
  return [
    info.batchSize,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.outHeight,
    info.outWidth,
    info.filterHeight,
    info.filterWidth,
    info.strideHeight,
    info.strideWidth,
    info.padInfo.top,
    info.padInfo.left,
  ];
}

export function makeMaxPoolGradWasm(original: tf.KernelFunc): tf.KernelFunc {
  return ((args: KernelArgs) => {
    const backend = args.backend as WasmBackend;
    const dy = args.inputs['dy'] as tf.TensorInfo;
    const x = args.inputs['input'] as tf.TensorInfo;
    const { filterSize, strides, pad, dimRoundingMode } = args.attrs as unknown as Attrs;
    const simd = simdKernelsFor(backend);
    if (simd === null || x.dtype !== 'float32') return original(args as unknown as Parameters<tf.KernelFunc>[0]);
    const info = tf.backend_util.computePool2DInfo(x.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
    const dx = allocF32(backend, [...x.shape], false);
    const geometry = poolArgs(info);
    const n = info.batchSize;
    // A compare and a select per window tap: counted as 8 multiply-adds each against the two-thread threshold.
    const t = threadsForWork(n, tf.util.sizeFromShape(dy.shape) * info.filterHeight * info.filterWidth * 8);
    if (t !== null) {
      // Whole images a claim (their dx are apart), about 16 claims.
      const size = tf.util.sizeFromShape(x.shape);
      t.begin();
      const xs = t.put(heapF32(backend, x, size));
      const dys = t.put(heapF32(backend, dy, tf.util.sizeFromShape(dy.shape)));
      const dxs = t.output(heapF32(backend, dx, size));
      t.runChunks('max_pool_grad_images', [xs, dys, dxs, ...geometry], n, Math.max(1, Math.floor(n / 16)), 0);
      t.get(dxs, heapF32(backend, dx, size));
    } else {
      simd.max_pool_grad_images(0, offsetOf(backend, x), offsetOf(backend, dy), offsetOf(backend, dx), ...geometry, 0, n);
    }
    return view(dx, [...x.shape]);
  }) as unknown as tf.KernelFunc;
}
