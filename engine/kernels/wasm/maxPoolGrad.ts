/**
 * MaxPoolGrad for the wasm backend. tfjs-wasm 4.22's own kernel sends each gradient to the
 * wrong cell of its window (e.g. x = [-1.60, -1.49] pooled by 2: the gradient lands on -1.60),
 * so every MaxPool model trained on wasm learned from wrong gradients. Ours routes it to the
 * first largest input, like tfjs's cpu backend; the unit tests compare the two.
 */
import * as tf from '@tensorflow/tfjs-core';
import { simdKernelsFor } from './simdKernels';
import { allocF32, offsetOf, view, type KernelArgs, type WasmBackend } from './wasmBackend';

interface Attrs {
  filterSize: [number, number] | number;
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
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
    simd.max_pool_grad(
      offsetOf(backend, x),
      offsetOf(backend, dy),
      offsetOf(backend, dx),
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
    );
    return view(dx, [...x.shape]);
  }) as unknown as tf.KernelFunc;
}
