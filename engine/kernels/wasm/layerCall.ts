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

/** The engine's runKernelFunc, which tf.customGrad itself calls (tfjs-core 4.x; private in its types). */
interface KernelFuncEngine {
  runKernelFunc(params: {
    forwardFunc: (backend: unknown, save: (tensors: tf.Tensor[]) => void) => tf.Tensor;
    backwardsFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => Record<string, () => tf.Tensor>;
    inputs: Record<string, tf.Tensor>;
  }): tf.Tensor;
}

/** What a lazyGradOp's forward returns: its value, and each input's gradient as a function. */
export interface LazyGradForward {
  value: tf.Tensor;
  /** Called once in the backward pass (work every input's gradient shares goes here); one function per input. */
  grads(dy: tf.Tensor, saved: tf.Tensor[]): (() => tf.Tensor)[];
}

/**
 * As tf.customGrad, except that an input's gradient is computed only when the backward pass asks
 * for it. tfjs asks only for inputs on a path to what is differentiated, as it does for its own
 * kernels' gradients, so a first layer's input gradient (the data's) is never computed, where
 * customGrad computes every input's. The op is recorded as a customGrad one is.
 */
export function lazyGradOp(inputs: tf.Tensor[], forward: (save: (tensors: tf.Tensor[]) => void) => LazyGradForward): tf.Tensor {
  let grads: LazyGradForward['grads'] | undefined;
  const inputMap: Record<string, tf.Tensor> = {};
  inputs.forEach((t, i) => (inputMap[i] = t));
  return (tf.engine() as unknown as KernelFuncEngine).runKernelFunc({
    forwardFunc: (_backend, save) => {
      const r = forward(save);
      grads = r.grads;
      return r.value;
    },
    backwardsFunc: (dy, saved) => {
      const fns = (grads as LazyGradForward['grads'])(upstream(dy), saved);
      const map: Record<string, () => tf.Tensor> = {};
      fns.forEach((f, i) => (map[i] = f));
      return map;
    },
    inputs: inputMap,
  });
}
