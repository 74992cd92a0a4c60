/**
 * Equal for the wasm backend when one float32 side is broadcast: the max-pooling and
 * GlobalMaxPool gradients compare every input with its window's maximum ([64,17,128] against
 * [64,1,128]), which tfjs-wasm's generic broadcast path took ~13 ms for. A strided loop over
 * the output takes well under one. Same-shape and other cases go to tfjs's own kernel.
 */
import * as tf from '@tensorflow/tfjs-core';
import { simdKernelsFor } from './simdKernels';
import { offsetOf, type KernelArgs, type WasmBackend } from './wasmBackend';

export function makeEqualWasm(original: tf.KernelFunc): tf.KernelFunc {
  return ((args: KernelArgs) => {
    const backend = args.backend as WasmBackend;
    const a = args.inputs['a'] as tf.TensorInfo;
    const b = args.inputs['b'] as tf.TensorInfo;
    const same = tf.util.arraysEqual(a.shape, b.shape);
    if (same || a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length !== b.shape.length || a.shape.length > 6) {
      return original(args as unknown as Parameters<tf.KernelFunc>[0]);
    }
    const outShape = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
    const rank = outShape.length;
    // Element strides of a and b over the output's index space (0 where broadcast).
    const sa = new Array<number>(rank).fill(0);
    const sb = new Array<number>(rank).fill(0);
    let pa = 1;
    let pb = 1;
    for (let d = rank - 1; d >= 0; d--) {
      sa[d] = a.shape[d] === 1 ? 0 : pa;
      sb[d] = b.shape[d] === 1 ? 0 : pb;
      pa *= a.shape[d] as number;
      pb *= b.shape[d] as number;
    }
    const out = backend.makeOutput(outShape, 'bool');
    const simd = simdKernelsFor(backend);
    const heapF = backend.wasm.HEAPF32;
    const heapU8 = backend.wasm.HEAPU8;
    const aOff = offsetOf(backend, a) >> 2;
    const bOff = offsetOf(backend, b) >> 2;
    let o = offsetOf(backend, out);
    const inner = outShape[rank - 1] as number;
    const ia = sa[rank - 1] as number;
    const ib = sb[rank - 1] as number;
    const outerCount = tf.util.sizeFromShape(outShape) / inner;
    const idx = new Array<number>(rank).fill(0);
    for (let row = 0; row < outerCount; row++) {
      let ao = aOff;
      let bo = bOff;
      for (let d = 0; d < rank - 1; d++) {
        ao += (idx[d] as number) * (sa[d] as number);
        bo += (idx[d] as number) * (sb[d] as number);
      }
      if (simd !== null) {
        simd.equal_run(ao << 2, ia, bo << 2, ib, o, inner);
        o += inner;
      } else {
        for (let j = 0; j < inner; j++) heapU8[o++] = heapF[ao + j * ia] === heapF[bo + j * ib] ? 1 : 0;
      }
      for (let d = rank - 2; d >= 0; d--) {
        idx[d] = (idx[d] as number) + 1;
        if ((idx[d] as number) < (outShape[d] as number)) break;
        idx[d] = 0;
      }
    }
    return out;
  }) as unknown as tf.KernelFunc;
}
