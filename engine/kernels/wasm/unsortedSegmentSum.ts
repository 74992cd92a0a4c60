/**
 * UnsortedSegmentSum for the wasm backend (tfjs 4.22 ships none): the embedding (GatherV2)
 * gradient. One pass over the rows, each added into its segment, instead of the cpu backend's
 * pass per vocabulary id.
 */
import * as tf from '@tensorflow/tfjs-core';
import { simdKernelsFor } from './simdKernels';
import { allocF32, offsetOf, type KernelArgs, type WasmBackend } from './wasmBackend';

export function unsortedSegmentSumWasm(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as WasmBackend;
  const x = args.inputs['x'] as tf.TensorInfo;
  const ids = args.inputs['segmentIds'] as tf.TensorInfo;
  const numSegments = (args.attrs as { numSegments: number }).numSegments;
  // Gradients are float32; nothing in training sums integer segments.
  if (x.dtype !== 'float32') throw new Error(`UnsortedSegmentSum on wasm: float32 only, got ${x.dtype}`);
  if (ids.dtype !== 'int32') throw new Error(`UnsortedSegmentSum on wasm: int32 segment ids only, got ${ids.dtype}`);
  const count = tf.util.sizeFromShape(ids.shape);
  const inner = tf.util.sizeFromShape(x.shape.slice(ids.shape.length));
  const outShape = [numSegments, ...x.shape.slice(ids.shape.length)];
  const simd = simdKernelsFor(backend);
  // The engine trains on wasm only where our SIMD module loads (backend.ts), so it is here.
  if (simd === null) throw new Error("UnsortedSegmentSum on wasm needs Modelwright's SIMD kernels, which did not load");
  const out = allocF32(backend, outShape, false);
  simd.segment_sum_rows(offsetOf(backend, x), offsetOf(backend, ids), offsetOf(backend, out), count, inner, numSegments);
  return out;
}
