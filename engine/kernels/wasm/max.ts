/**
 * Max for the wasm backend when the reduced axes are contiguous and not the innermost (a
 * GlobalMaxPool over time: [64,17,128] over axis 1). tfjs-wasm transposes the reduced axes to
 * the end first, ~0.3 ms; a SIMD pass keeping a running maximum per row takes a few µs.
 * Innermost reductions and non-float tensors go to tfjs's own kernel.
 */
import * as tf from '@tensorflow/tfjs-core';
import { simdKernelsFor } from './simdKernels';
import { allocF32, offsetOf, type KernelArgs, type WasmBackend } from './wasmBackend';

export function makeMaxWasm(original: tf.KernelFunc): tf.KernelFunc {
  return ((args: KernelArgs) => {
    const backend = args.backend as WasmBackend;
    const x = args.inputs['x'] as tf.TensorInfo;
    const { reductionIndices, keepDims } = args.attrs as { reductionIndices: number | number[]; keepDims: boolean };
    const simd = simdKernelsFor(backend);
    const rank = x.shape.length;
    const axes = tf.util.parseAxisParam(reductionIndices, x.shape).sort((p, q) => p - q);
    const first = axes[0] ?? 0;
    const last = axes[axes.length - 1] ?? rank - 1;
    const contiguous = axes.length > 0 && axes.every((a, i) => a === first + i);
    if (simd === null || x.dtype !== 'float32' || !contiguous || last === rank - 1 || tf.util.sizeFromShape(x.shape) === 0) {
      return original(args as unknown as Parameters<tf.KernelFunc>[0]);
    }
    const outer = tf.util.sizeFromShape(x.shape.slice(0, first));
    const reduced = tf.util.sizeFromShape(x.shape.slice(first, last + 1));
    const inner = tf.util.sizeFromShape(x.shape.slice(last + 1));
    const outShape = x.shape.flatMap((d, i) => (i < first || i > last ? [d] : keepDims ? [1] : []));
    const out = allocF32(backend, outShape, false);
    simd.max_middle(offsetOf(backend, x), offsetOf(backend, out), outer, reduced, inner);
    return out;
  }) as unknown as tf.KernelFunc;
}
