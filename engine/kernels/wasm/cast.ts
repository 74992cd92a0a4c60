/**
 * Cast for the wasm backend: to the tensor's own dtype, a new reference to the same buffer (as
 * Identity, see identity.ts) instead of tfjs-wasm's copy. tfjs-layers casts every gradient that
 * passes through an Add layer (and Dropout) to its own dtype: in the residual CNN three
 * [64,17,128] copies a step. A cast to bool is x ≠ 0, as on the cpu backend (tfjs-wasm 4.22
 * truncates: 0.5 → false, 2 → a bool byte of 2). Other casts go to tfjs's own kernel.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelArgs } from './wasmBackend';

interface CastBackend {
  incRef(dataId: unknown): void;
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): tf.TypedArray;
}

export function makeCastWasm(original: tf.KernelFunc): tf.KernelFunc {
  return ((args: KernelArgs) => {
    const x = args.inputs['x'] as tf.TensorInfo;
    const { dtype } = args.attrs as { dtype: tf.DataType };
    const backend = args.backend as CastBackend;
    if (dtype === 'bool' && (x.dtype === 'float32' || x.dtype === 'int32')) {
      const out = backend.makeOutput(x.shape, 'bool');
      const src = backend.typedArrayFromHeap(x);
      const dst = backend.typedArrayFromHeap(out);
      for (let i = 0; i < src.length; i++) dst[i] = src[i] !== 0 ? 1 : 0;
      return out;
    }
    if (dtype !== x.dtype || x.dtype === 'string' || x.dtype === 'complex64') return original(args as unknown as Parameters<tf.KernelFunc>[0]);
    backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  }) as unknown as tf.KernelFunc;
}
