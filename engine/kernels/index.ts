/**
 * Our kernels for the built-in backends. `registerTrainingKernels` adds, for the backend
 * named, each kernel training needs that tfjs does not ship for it (and, where ours is faster,
 * replaces tfjs's own). It never touches the 'tensorflow' backend (tfjs-node): libtensorflow
 * has every kernel and is faster than anything here.
 */
import * as tf from '@tensorflow/tfjs-core';
import { conv2dBackpropFilterWasm } from './wasm/conv2dBackpropFilter';
import { unsortedSegmentSumWasm } from './wasm/unsortedSegmentSum';

type BuiltIn = 'wasm' | 'cpu';

interface OurKernel {
  kernelName: string;
  backendName: BuiltIn;
  kernelFunc: tf.KernelFunc;
  /** Replace tfjs's own kernel even where one is registered (ours measured faster). */
  replace?: boolean;
}

const KERNELS: readonly OurKernel[] = [
  { kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: conv2dBackpropFilterWasm as unknown as tf.KernelFunc },
  { kernelName: 'UnsortedSegmentSum', backendName: 'wasm', kernelFunc: unsortedSegmentSumWasm as unknown as tf.KernelFunc },
];

/** Names of our kernels registered so far, per backend (registration is once per process). */
const registered = new Map<BuiltIn, string[]>();

/**
 * Registers our kernels for `backendName`; returns the names of the kernels that are ours
 * (missing before, or replaced). Idempotent.
 */
export function registerTrainingKernels(backendName: BuiltIn): string[] {
  const done = registered.get(backendName);
  if (done) return [...done];
  const names: string[] = [];
  for (const k of KERNELS) {
    if (k.backendName !== backendName) continue;
    const existing = tf.getKernel(k.kernelName, backendName);
    if (existing !== undefined) {
      if (!k.replace) continue;
      tf.unregisterKernel(k.kernelName, backendName);
    }
    tf.registerKernel({ kernelName: k.kernelName, backendName, kernelFunc: k.kernelFunc });
    names.push(k.kernelName);
  }
  registered.set(backendName, names);
  return [...names];
}

/** Kernels from `required` that `backendName` lacks. */
export function missingKernels(backendName: string, required: readonly string[]): string[] {
  return required.filter((name) => tf.getKernel(name, backendName) === undefined);
}

export { REQUIRED_TRAINING_KERNELS } from './requiredKernels';
export { installChainedOps } from './chainedOps';
