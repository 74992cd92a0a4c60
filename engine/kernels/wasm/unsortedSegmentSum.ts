/**
 * UnsortedSegmentSum on the wasm heap: the embedding (GatherV2) gradient. One pass over the
 * rows, each added into its segment, instead of the cpu backend's pass per vocabulary id.
 */
import * as tf from '@tensorflow/tfjs-core';
import { allocF32, offsetOf, type WasmBackend } from './wasmBackend';

export function unsortedSegmentSumWasm(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo {
  const backend = args.backend as WasmBackend;
  const x = args.inputs['x'] as tf.TensorInfo;
  const ids = args.inputs['segmentIds'] as tf.TensorInfo;
  const numSegments = (args.attrs as { numSegments: number }).numSegments;
  // Gradients are float32; an int32 sum is left to the cpu fallback by the caller's dtype check.
  if (x.dtype !== 'float32') throw new Error(`UnsortedSegmentSum on wasm: float32 only, got ${x.dtype}`);
  const idCount = tf.util.sizeFromShape(ids.shape);
  const inner = tf.util.sizeFromShape(x.shape.slice(ids.shape.length));
  const outShape = [numSegments, ...x.shape.slice(ids.shape.length)];
  const out = allocF32(backend, outShape, true);
  const heapF = backend.wasm.HEAPF32;
  const heapI = backend.wasm.HEAP32;
  const xOff = offsetOf(backend, x) >> 2;
  const idOff = offsetOf(backend, ids) >> 2;
  const oOff = offsetOf(backend, out) >> 2;
  for (let i = 0; i < idCount; i++) {
    const id = heapI[idOff + i] as number;
    if (id < 0 || id >= numSegments) continue;
    const s = xOff + i * inner;
    const d = oOff + id * inner;
    for (let j = 0; j < inner; j++) heapF[d + j] = (heapF[d + j] as number) + (heapF[s + j] as number);
  }
  return out;
}
