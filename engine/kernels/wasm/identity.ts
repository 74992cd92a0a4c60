/**
 * Identity for the wasm backend as a new reference to the same buffer, as tfjs's cpu backend
 * does, instead of tfjs-wasm's copy. tfjs calls Identity for every tensor a gradient saves
 * (engine.clone in saveTensorsForBackwardMode): ~50 copies, ~2.3 ms of a ~50 ms surname-CNN
 * step. Sharing is safe because no wasm kernel writes into an input; the one place we update
 * buffers in place (fused Adam's moments) first copies any buffer with more than one owner.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelArgs } from './wasmBackend';

interface RefCounting {
  incRef(dataId: unknown): void;
}

export function makeIdentityWasm(original: tf.KernelFunc): tf.KernelFunc {
  return ((args: KernelArgs) => {
    const x = args.inputs['x'] as tf.TensorInfo;
    if (x.dtype === 'string') return original(args as unknown as Parameters<tf.KernelFunc>[0]);
    (args.backend as RefCounting).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  }) as unknown as tf.KernelFunc;
}
