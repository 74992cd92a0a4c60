/**
 * Our kernels for the built-in backends. `registerTrainingKernels` adds, for the backend
 * named, each kernel training needs that tfjs does not ship for it (and, where ours is faster,
 * replaces tfjs's own). It never touches the 'tensorflow' backend (tfjs-node): libtensorflow
 * has every kernel and is faster than anything here.
 */
import * as tf from '@tensorflow/tfjs-core';
import { makeConv2dBackpropFilterCpu } from './cpu/conv2dBackpropFilter';
import { makeUnsortedSegmentSumCpu } from './cpu/unsortedSegmentSum';
import { makeBinaryWasm } from './wasm/binary';
import { makeCastWasm } from './wasm/cast';
import { makeConv2dWasm } from './wasm/conv2d';
import { conv2dBackpropFilterWasm } from './wasm/conv2dBackpropFilter';
import { makeConv2dBackpropInputWasm } from './wasm/conv2dBackpropInput';
import { installFusedActivation } from './wasm/fusedActivation';
import { installFusedAdam } from './wasm/fusedAdam';
import { installFusedBatchNorm } from './wasm/fusedBatchNorm';
import { installFusedConvBias } from './wasm/fusedConvBias';
import { installFusedDense } from './wasm/fusedDense';
import { installFusedGlobalAvgPool } from './wasm/fusedGlobalAvgPool';
import { installFusedGlobalMaxPool } from './wasm/fusedGlobalMaxPool';
import { installFusedMaxPool } from './wasm/fusedMaxPool';
import { makeEqualWasm } from './wasm/equal';
import { makeGatherWasm } from './wasm/gather';
import { makeIdentityWasm } from './wasm/identity';
import { installFusedGru } from './wasm/fusedGru';
import { installFusedLstm } from './wasm/fusedLstm';
import { makeMatMulWasm } from './wasm/matMul';
import { makeMaxPoolGradWasm } from './wasm/maxPoolGrad';
import { makeMaxWasm } from './wasm/max';
import { makeSliceWasm } from './wasm/slice';
import { makeSumWasm } from './wasm/sum';
import { makeTileWasm } from './wasm/tile';
import { makeTransposeWasm } from './wasm/transpose';
import { simdKernelsFor } from './wasm/simdKernels';
import { kernelModule } from './wasm/simdModule';
import { setKernelThreads, type SharedKernels, type SharedTfjsHeap } from './wasm/threadedGemm';
export { parkKernelThreads } from './wasm/threadedGemm';
import { unsortedSegmentSumWasm } from './wasm/unsortedSegmentSum';
import { heapIsShared, heapMemory, type WasmBackend } from './wasm/wasmBackend';

type BuiltIn = 'wasm' | 'cpu';

interface OurKernel {
  kernelName: string;
  backendName: BuiltIn;
  /** Builds our kernel; `original` is tfjs's own where one exists (ours falls back to it). */
  make(original: tf.KernelFunc | undefined): tf.KernelFunc;
  /** Replaces tfjs's own kernel (ours measured faster); on wasm this needs our SIMD module. */
  replace?: boolean;
}

const asKernel = (f: unknown): tf.KernelFunc => f as tf.KernelFunc;
const need = (original: tf.KernelFunc | undefined): tf.KernelFunc => {
  if (original === undefined) throw new Error('replacing a kernel that tfjs does not register');
  return original;
};

const KERNELS: readonly OurKernel[] = [
  { kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', make: () => asKernel(conv2dBackpropFilterWasm) },
  { kernelName: 'UnsortedSegmentSum', backendName: 'wasm', make: () => asKernel(unsortedSegmentSumWasm) },
  { kernelName: 'Conv2DBackpropInput', backendName: 'wasm', replace: true, make: (o) => makeConv2dBackpropInputWasm(need(o)) },
  { kernelName: 'Conv2D', backendName: 'wasm', replace: true, make: (o) => makeConv2dWasm(need(o)) },
  { kernelName: 'GatherV2', backendName: 'wasm', replace: true, make: (o) => makeGatherWasm(need(o)) },
  { kernelName: 'MaxPoolGrad', backendName: 'wasm', replace: true, make: (o) => makeMaxPoolGradWasm(need(o)) },
  { kernelName: 'Tile', backendName: 'wasm', replace: true, make: (o) => makeTileWasm(need(o)) },
  { kernelName: 'Slice', backendName: 'wasm', replace: true, make: (o) => makeSliceWasm(need(o)) },
  { kernelName: 'Equal', backendName: 'wasm', replace: true, make: (o) => makeEqualWasm(need(o)) },
  { kernelName: 'Max', backendName: 'wasm', replace: true, make: (o) => makeMaxWasm(need(o)) },
  { kernelName: 'Sum', backendName: 'wasm', replace: true, make: (o) => makeSumWasm(need(o)) },
  { kernelName: 'Identity', backendName: 'wasm', replace: true, make: (o) => makeIdentityWasm(need(o)) },
  { kernelName: 'Cast', backendName: 'wasm', replace: true, make: (o) => makeCastWasm(need(o)) },
  { kernelName: 'Transpose', backendName: 'wasm', replace: true, make: (o) => makeTransposeWasm(need(o)) },
  { kernelName: 'Add', backendName: 'wasm', replace: true, make: (o) => makeBinaryWasm('Add', need(o)) },
  { kernelName: 'Multiply', backendName: 'wasm', replace: true, make: (o) => makeBinaryWasm('Multiply', need(o)) },
  { kernelName: 'Conv2DBackpropFilter', backendName: 'cpu', replace: true, make: (o) => makeConv2dBackpropFilterCpu(need(o)) },
  { kernelName: 'UnsortedSegmentSum', backendName: 'cpu', replace: true, make: (o) => makeUnsortedSegmentSumCpu(need(o)) },
  { kernelName: 'BatchMatMul', backendName: 'wasm', replace: true, make: (o) => makeMatMulWasm(need(o)) },
  { kernelName: '_FusedMatMul', backendName: 'wasm', replace: true, make: (o) => makeMatMulWasm(need(o)) },
];

/** Paths that replace a tfjs-layers `call` or an optimizer step; on wasm with our SIMD module only. */
const FUSED: readonly (readonly [name: string, install: () => void])[] = [
  ['Adam (fused)', installFusedAdam],
  ['GRU (whole sequence)', installFusedGru],
  ['LSTM (whole sequence)', installFusedLstm],
  ['BatchNormalization (fused, training)', installFusedBatchNorm],
  ['Conv1D/Conv2D bias + activation (fused)', installFusedConvBias],
  ['Dense (fused, training)', installFusedDense],
  ['Activation relu/elu (fused)', installFusedActivation],
  ['GlobalMaxPooling1D (fused)', installFusedGlobalMaxPool],
  ['GlobalAveragePooling1D/2D (fused)', installFusedGlobalAvgPool],
  ['MaxPooling1D/2D (fused, winners kept)', installFusedMaxPool],
];

/** Names of our kernels registered so far, per backend (registration is once per process). */
const registered = new Map<BuiltIn, string[]>();

/**
 * Registers our kernels for `backendName`, which must be the active backend; returns the names
 * of the kernels that are ours (missing before, or replaced). Idempotent.
 */
export function registerTrainingKernels(backendName: BuiltIn): string[] {
  const done = registered.get(backendName);
  if (done) return [...done];
  const simd = backendName === 'wasm' && simdKernelsFor(tf.backend() as unknown as WasmBackend) !== null;
  const names: string[] = [];
  for (const k of KERNELS) {
    if (k.backendName !== backendName) continue;
    const existing = tf.getKernel(k.kernelName, backendName);
    if (existing !== undefined) {
      if (!k.replace || (backendName === 'wasm' && !simd)) continue;
      tf.unregisterKernel(k.kernelName, backendName);
    }
    tf.registerKernel({ kernelName: k.kernelName, backendName, kernelFunc: k.make(existing?.kernelFunc) });
    names.push(k.kernelName);
  }
  if (simd) {
    for (const [name, install] of FUSED) {
      install();
      names.push(name);
    }
  }
  registered.set(backendName, names);
  return [...names];
}

/**
 * Threads our wasm kernels may use: 2 runs large matrix products on this thread and one worker
 * (results are bit-identical to 1). Returns the count in effect.
 */
export function setWasmKernelThreads(n: number): number {
  let heap: SharedTfjsHeap | null = null;
  if (tf.getBackend() === 'wasm') {
    const backend = tf.backend() as unknown as WasmBackend;
    const kernels = simdKernelsFor(backend);
    // On a shared heap the worker multiplies tensors where they lie (sharedHeap.ts).
    if (kernels !== null && heapIsShared(backend)) {
      heap = {
        memory: heapMemory(backend),
        kernels: kernels as unknown as SharedKernels,
        malloc: (b) => backend.wasm.asm.malloc(b),
        free: (p) => backend.wasm.asm.free(p),
      };
    }
  }
  return setKernelThreads(n, heap);
}

/** Kernels from `required` that `backendName` lacks. */
export function missingKernels(backendName: string, required: readonly string[]): string[] {
  return required.filter((name) => tf.getKernel(name, backendName) === undefined);
}

/**
 * Whether our SIMD kernel module loads on the active (wasm) backend. Without it the engine does
 * not train on wasm: tfjs-wasm alone lacks training kernels and computes MaxPool gradients wrongly.
 */
export function wasmKernelsLoad(): boolean {
  return simdKernelsFor(tf.backend() as unknown as WasmBackend) !== null;
}

/** True when the active wasm backend's heap is shared with our GEMM worker (sharedHeap.ts). */
export function wasmHeapShared(): boolean {
  return tf.getBackend() === 'wasm' && heapIsShared(tf.backend() as unknown as WasmBackend);
}

/** True when our wasm kernels are the relaxed-SIMD build (fused multiply-add). */
export function wasmKernelsFuseMultiplyAdd(): boolean {
  return kernelModule().relaxed;
}

export { REQUIRED_TRAINING_KERNELS } from './requiredKernels';
export { linearOp } from './wasm/fusedDense';
export { countCorrectOp, softmaxCrossEntropyOp } from './wasm/fusedLoss';
export { sharedHeapWanted, useUnsharedWasmHeap, withSharedWasmHeap } from './wasm/sharedHeap';
export { installChainedOps } from './chainedOps';
export { installSeededDropout } from './seededDropout';
