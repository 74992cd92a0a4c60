/**
 * Tile for the wasm backend as block copies: the innermost row once, then each finished block
 * repeated with one memmove. tfjs-wasm's element-by-element Tile took ~8 ms for the batch-norm
 * gradient's [1,1,1,128] → [64,1,17,128]; this is a few hundred copies.
 */
import * as tf from '@tensorflow/tfjs-core';
import { offsetOf, type KernelArgs, type WasmBackend } from './wasmBackend';

export function makeTileWasm(original: tf.KernelFunc): tf.KernelFunc {
  return ((args: KernelArgs) => {
    const backend = args.backend as WasmBackend;
    const x = args.inputs['x'] as tf.TensorInfo;
    const { reps } = args.attrs as { reps: number[] };
    const bytes = x.dtype === 'float32' || x.dtype === 'int32' ? 4 : x.dtype === 'bool' ? 1 : 0;
    if (bytes === 0 || reps.length !== x.shape.length) return original(args as unknown as Parameters<tf.KernelFunc>[0]);
    const rank = x.shape.length;
    const outShape = x.shape.map((d, i) => d * (reps[i] as number));
    const out = backend.makeOutput(outShape, x.dtype);
    if (tf.util.sizeFromShape(outShape) === 0) return out;
    if (rank === 0) {
      const heap = backend.wasm.HEAPU8;
      heap.copyWithin(offsetOf(backend, out), offsetOf(backend, x), offsetOf(backend, x) + bytes);
      return out;
    }
    // Strides in bytes.
    const inStride = new Array<number>(rank);
    const outStride = new Array<number>(rank);
    inStride[rank - 1] = bytes;
    outStride[rank - 1] = bytes;
    for (let d = rank - 2; d >= 0; d--) {
      inStride[d] = (inStride[d + 1] as number) * (x.shape[d + 1] as number);
      outStride[d] = (outStride[d + 1] as number) * (outShape[d + 1] as number);
    }
    const heap = backend.wasm.HEAPU8;
    const fill = (d: number, src: number, dst: number): void => {
      const n = x.shape[d] as number;
      const block = n * (outStride[d] as number);
      if (d === rank - 1) {
        heap.copyWithin(dst, src, src + n * bytes);
      } else {
        for (let i = 0; i < n; i++) fill(d + 1, src + i * (inStride[d] as number), dst + i * (outStride[d] as number));
      }
      for (let r = 1; r < (reps[d] as number); r++) heap.copyWithin(dst + r * block, dst, dst + block);
    };
    fill(0, offsetOf(backend, x), offsetOf(backend, out));
    return out;
  }) as unknown as tf.KernelFunc;
}
