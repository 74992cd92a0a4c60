/**
 * Sum for the wasm backend when the reduced axes are the leading ones (a bias gradient: dy
 * [64,17,128] summed over [0,1]). tfjs-wasm first transposes the reduced axes to the end,
 * ~0.3 ms per bias per step; one SIMD pass adding rows takes a few µs. Other reductions go to
 * tfjs's own kernel.
 */
import * as tf from '@tensorflow/tfjs-core';
import { simdKernelsFor } from './simdKernels';
import { allocF32, offsetOf, type KernelArgs, type WasmBackend } from './wasmBackend';

export function makeSumWasm(original: tf.KernelFunc): tf.KernelFunc {
  return ((args: KernelArgs) => {
    const backend = args.backend as WasmBackend;
    const x = args.inputs['x'] as tf.TensorInfo;
    const { axis, keepDims } = args.attrs as { axis: number | number[] | null; keepDims: boolean };
    const simd = simdKernelsFor(backend);
    const rank = x.shape.length;
    const axes = axis === null ? [] : tf.util.parseAxisParam(axis, x.shape).sort((p, q) => p - q);
    const leading = axes.length > 0 && axes.length < rank && axes.every((a, i) => a === i);
    if (simd === null || x.dtype !== 'float32' || !leading) return original(args as unknown as Parameters<tf.KernelFunc>[0]);
    const rows = tf.util.sizeFromShape(x.shape.slice(0, axes.length));
    const kept = x.shape.slice(axes.length);
    const outShape = keepDims ? [...axes.map(() => 1), ...kept] : kept;
    const out = allocF32(backend, outShape, false);
    simd.sum_leading(offsetOf(backend, x), offsetOf(backend, out), rows, tf.util.sizeFromShape(kept));
    return out;
  }) as unknown as tf.KernelFunc;
}
