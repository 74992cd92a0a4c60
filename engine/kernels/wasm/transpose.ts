/**
 * Transpose for the wasm backend: an identity permutation (or one that moves only axes of size
 * 1) keeps the data in place, so it is a new reference to the same buffer (as Identity, see
 * identity.ts) instead of tfjs-wasm's copy. tfjs's gather gradient transposes the embedding's
 * gradient by [0, 1] before and after its UnsortedSegmentSum: two copies a step. Other
 * permutations go to tfjs's own kernel.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelArgs } from './wasmBackend';

interface RefCounting {
  incRef(dataId: unknown): void;
}

export function makeTransposeWasm(original: tf.KernelFunc): tf.KernelFunc {
  return ((args: KernelArgs) => {
    const x = args.inputs['x'] as tf.TensorInfo;
    const { perm } = args.attrs as { perm: number[] };
    // The data order is unchanged when the axes longer than 1 keep their relative order.
    const moved = perm.filter((a) => (x.shape[a] as number) > 1);
    const inPlace = perm.length === x.shape.length && moved.every((a, i) => i === 0 || a > (moved[i - 1] as number));
    if (!inPlace || x.dtype === 'string' || x.dtype === 'complex64') return original(args as unknown as Parameters<tf.KernelFunc>[0]);
    (args.backend as RefCounting).incRef(x.dataId);
    return { dataId: x.dataId, shape: perm.map((a) => x.shape[a] as number), dtype: x.dtype };
  }) as unknown as tf.KernelFunc;
}
