/**
 * What the fused layer paths (fusedBatchNorm, fusedConvBias, fusedGlobalMaxPool, fusedGru, fusedLstm) share:
 * each replaces a tfjs-layers class's `call` with its own, which takes the fused path on wasm
 * with our SIMD kernels when the layer and its input allow, and otherwise calls the original.
 */
import * as tf from '@tensorflow/tfjs-core';
import { simdKernelsFor, type SimdKernels } from './simdKernels';
import type { WasmBackend } from './wasmBackend';

/** A tfjs-layers layer's `call`, `L` being the fields of the layer it reads. */
export type LayerCall<L> = (this: L, inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>) => tf.Tensor | tf.Tensor[];

/** Makes `fused` the `call` of every layer of `probe`'s class; returns the call it replaced. */
export function replaceLayerCall<L>(probe: object, fused: LayerCall<L>): LayerCall<L> {
  const proto = Object.getPrototypeOf(probe) as { call: LayerCall<L> };
  const original = proto.call;
  proto.call = fused;
  return original;
}

/** The call's one input tensor; undefined when it was given several. */
export function singleInput(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor | undefined {
  return Array.isArray(inputs) ? (inputs.length === 1 ? inputs[0] : undefined) : inputs;
}

/** The wasm backend and our SIMD kernels, when wasm is the current backend and they loaded; else null. */
export function currentSimd(): { backend: WasmBackend; simd: SimdKernels } | null {
  if (tf.getBackend() !== 'wasm') return null;
  const backend = tf.backend() as unknown as WasmBackend;
  const simd = simdKernelsFor(backend);
  return simd === null ? null : { backend, simd };
}

/** A tensor over an uninitialised float32 buffer on the wasm heap, for a SIMD kernel to fill. */
export function heapTensor(backend: WasmBackend, shape: number[]): tf.Tensor {
  return tf.engine().makeTensorFromTensorInfo(backend.makeOutput(shape, 'float32'));
}

/** A custom gradient's upstream gradient (tfjs hands over one tensor, or a list of one). */
export function upstream(dy: tf.Tensor | tf.Tensor[]): tf.Tensor {
  return Array.isArray(dy) ? (dy[0] as tf.Tensor) : dy;
}
