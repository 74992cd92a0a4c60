/**
 * Slice for the wasm backend as block copies within the heap. tfjs-wasm's Slice first copies
 * the whole input out of the heap (readSync), then copies the slice back in row by row: the
 * GRU's gradient slices two column blocks out of its [n·T, 3u] input gradient, ~1.5 MB copied
 * out twice a step for ~0.5 MB of slice. Here each run of the slice that is contiguous in the
 * input (the innermost dimensions it takes whole, times the first it does not) is one
 * copyWithin, and nothing leaves the heap. Strings keep tfjs's kernel.
 */
import * as tf from '@tensorflow/tfjs-core';
import { offsetOf, type KernelArgs, type WasmBackend } from './wasmBackend';

const BYTES: Partial<Record<tf.DataType, number>> = { float32: 4, int32: 4, bool: 1 };

export function makeSliceWasm(original: tf.KernelFunc): tf.KernelFunc {
  return ((args: KernelArgs) => {
    const backend = args.backend as WasmBackend;
    const x = args.inputs['x'] as tf.TensorInfo;
    const attrs = args.attrs as { begin: number | number[]; size: number | number[] };
    const bytes = BYTES[x.dtype];
    if (bytes === undefined) return original(args as unknown as Parameters<tf.KernelFunc>[0]);
    const [begin, size] = tf.slice_util.parseSliceParams(x as unknown as tf.Tensor, attrs.begin, attrs.size) as [number[], number[]];
    const out = backend.makeOutput(size, x.dtype);
    if (tf.util.sizeFromShape(size) === 0) return out;
    const rank = x.shape.length;
    // The run: dimensions from `inner` on are contiguous in x and copied as one block.
    let inner = rank;
    let run = bytes;
    while (inner > 0) {
      const d = inner - 1;
      run *= size[d] as number;
      inner = d;
      if (size[d] !== x.shape[d]) break;
    }
    const strides = new Array<number>(rank);
    let s = bytes;
    for (let d = rank - 1; d >= 0; d--) {
      strides[d] = s;
      s *= x.shape[d] as number;
    }
    const heap = backend.wasm.HEAPU8;
    let dst = offsetOf(backend, out);
    const copy = (d: number, src: number): void => {
      if (d === inner) {
        heap.copyWithin(dst, src, src + run);
        dst += run;
        return;
      }
      const stride = strides[d] as number;
      for (let i = 0, n = size[d] as number; i < n; i++) copy(d + 1, src + i * stride);
    };
    let start = offsetOf(backend, x);
    for (let d = 0; d < rank; d++) start += (begin[d] as number) * (strides[d] as number);
    copy(0, start);
    return out;
  }) as unknown as tf.KernelFunc;
}
