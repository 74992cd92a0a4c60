/**
 * The parts of tfjs-backend-wasm's `BackendWasm` our kernels use. It is not exported as a type
 * we can import without pulling its internals in, so this is the narrow structural view.
 * Tensors live on the wasm heap at `memoryOffset`; heap views must be fetched again after any
 * allocation, because a growing heap replaces the underlying ArrayBuffer.
 */
import * as tf from '@tensorflow/tfjs-core';
import { threadedGemmFor } from './threadedGemm';

export interface WasmModule {
  HEAPU8: Uint8Array;
  HEAPF32: Float32Array;
  HEAP32: Int32Array;
  /** The module's own memory (tfjs's usual build). */
  asm: { memory?: WebAssembly.Memory; malloc(n: number): number; free(p: number): void };
  /** The imported, shared memory (the threaded build, see sharedHeap.ts). */
  wasmMemory?: WebAssembly.Memory;
}

/** The backend's heap: tfjs's own module memory, or the shared one of the threaded build. */
export function heapMemory(backend: WasmBackend): WebAssembly.Memory {
  const memory = backend.wasm.wasmMemory ?? backend.wasm.asm.memory;
  if (memory === undefined) throw new Error('tfjs-backend-wasm exposes no memory');
  return memory;
}

/** True when the heap is a SharedArrayBuffer our worker thread can work in directly. */
export function heapIsShared(backend: WasmBackend): boolean {
  return heapMemory(backend).buffer instanceof SharedArrayBuffer;
}

export interface WasmBackend {
  wasm: WasmModule;
  dataIdMap: { get(dataId: unknown): { id: number; memoryOffset: number; shape: number[]; dtype: tf.DataType } };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  disposeData(dataId: unknown, force?: boolean): boolean;
}

/** What every kernel function receives. */
export interface KernelArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}

/** Byte offset of a tensor's data on the wasm heap. */
export function offsetOf(backend: WasmBackend, t: tf.TensorInfo): number {
  return backend.dataIdMap.get(t.dataId).memoryOffset;
}

/** A float32 view of a tensor's first `len` values on the heap (fetch again after any allocation). */
export function heapF32(backend: WasmBackend, t: tf.TensorInfo, len: number): Float32Array {
  const at = offsetOf(backend, t) >> 2;
  return backend.wasm.HEAPF32.subarray(at, at + len);
}

/** Runs another wasm kernel directly (inside a kernel we must not go through the engine). */
export function runWasmKernel(backend: WasmBackend, name: string, inputs: Record<string, tf.TensorInfo>, attrs: Record<string, unknown>): tf.TensorInfo {
  const config = tf.getKernel(name, 'wasm');
  if (config === undefined) throw new Error(`wasm kernel ${name} is not registered`);
  const out = config.kernelFunc({ inputs, backend: backend as unknown as tf.KernelBackend, attrs: attrs as tf.NamedAttrMap });
  return Array.isArray(out) ? (out[0] as tf.TensorInfo) : (out as tf.TensorInfo);
}

/** The same data seen with another shape (no copy, no new reference). */
export function view(t: tf.TensorInfo, shape: number[]): tf.TensorInfo {
  return { dataId: t.dataId, shape, dtype: t.dtype };
}

/**
 * a[M, K] · b[K, N] → [1, M, N], untransposed. Our SIMD GEMM where it is loaded: as fast as
 * XNNPACK on these shapes (~35 GFLOP/s a core here) and, unlike XNNPACK, it packs nothing, so
 * operands that are new every call (every gradient, every weight after an update) cost no
 * extra pass. Else tfjs-wasm's XNNPACK matmul, which is fast only without transpose flags.
 * Two threads from `minThreadedMacs` multiply-adds (default: threadedGemm.ts's threshold).
 */
export function matmul(backend: WasmBackend, a: tf.TensorInfo, b: tf.TensorInfo, m: number, k: number, n: number, minThreadedMacs?: number): tf.TensorInfo {
  const simd = gemmKernel(backend);
  if (simd !== null) {
    const out = allocF32(backend, [1, m, n], false);
    const threaded = threadedGemmFor(m, k, n, minThreadedMacs);
    if (threaded !== null) {
      threaded.gemm(heapF32(backend, a, m * k), heapF32(backend, b, k * n), heapF32(backend, out, m * n), m, k, n);
    } else if (m >= PACK_MIN_ROWS) {
      // B packed into 8-column panels first (as the two-thread path does): the 4×8 tiles then
      // stream one contiguous panel each instead of K rows N floats apart, which for a Dense
      // layer's [400, 120] kernel does not fit in L1. Each panel is reused by m/4 tiles.
      const bp = allocF32(backend, [Math.ceil(n / 8) * 8 * k], false);
      simd.pack_b_rows(offsetOf(backend, b), offsetOf(backend, bp), k, n, 0, k);
      simd.gemm_packed(offsetOf(backend, a), offsetOf(backend, bp), offsetOf(backend, out), m, k, n);
      free(backend, bp);
    } else {
      simd.gemm_nn(offsetOf(backend, a), offsetOf(backend, b), offsetOf(backend, out), m, k, n);
    }
    return out;
  }
  return runWasmKernel(backend, 'BatchMatMul', { a: view(a, [1, m, k]), b: view(b, [1, k, n]) }, { transposeA: false, transposeB: false });
}

/** From this many rows of a, the one-thread product packs b first (below, packing costs more than it saves). */
const PACK_MIN_ROWS = 16;

/** The GEMM kernels matmul calls (simdKernels.ts). */
interface GemmKernels {
  gemm_nn(a: number, b: number, c: number, m: number, k: number, n: number): void;
  pack_b_rows(b: number, bp: number, k: number, n: number, k0: number, k1: number): void;
  gemm_packed(a: number, bp: number, c: number, m: number, k: number, n: number): void;
}

/** Set by simdKernels.ts once loaded (a setter avoids an import cycle). */
let gemmProvider: ((backend: WasmBackend) => GemmKernels | null) | null = null;
export function setGemmProvider(p: typeof gemmProvider): void {
  gemmProvider = p;
}
function gemmKernel(backend: WasmBackend) {
  return gemmProvider === null ? null : gemmProvider(backend);
}

/** A float32 tensor on the heap, zero-filled when asked. */
export function allocF32(backend: WasmBackend, shape: number[], zero: boolean): tf.TensorInfo {
  const out = backend.makeOutput(shape, 'float32');
  if (zero) {
    const off = offsetOf(backend, out) >> 2;
    backend.wasm.HEAPF32.fill(0, off, off + tf.util.sizeFromShape(shape));
  }
  return out;
}

export function free(backend: WasmBackend, ...ts: tf.TensorInfo[]): void {
  for (const t of ts) backend.disposeData(t.dataId);
}
