/**
 * Which build of our kernels to load: with relaxed SIMD (MADD in simd/kernels.h is one fused
 * multiply-add, ~25–40 % more GEMM throughput measured here) wherever the engine validates it,
 * else plain SIMD128. Chrome/Electron ≥ 114 and Node ≥ 22 ship relaxed SIMD; Node 20's V8 has
 * it behind --experimental-wasm-relaxed-simd, which is a compile-time feature switch, so it is
 * turned on here before any of our modules is compiled. MODELWRIGHT_RELAXED_SIMD=0 keeps the
 * plain build (for comparisons). Decided once per process: the GEMM worker thread must load
 * the same build as the thread that posts work to it.
 */
import { setFlagsFromString } from 'node:v8';
import {
  KERNELS_RELAXED_WASM_BASE64,
  KERNELS_SHARED_RELAXED_WASM_BASE64,
  KERNELS_SHARED_WASM_BASE64,
  KERNELS_WASM_BASE64,
} from './simd/kernelsWasm';

export interface KernelModule {
  /** Over tfjs-backend-wasm's heap (simdKernels.ts). */
  heap: Uint8Array<ArrayBuffer>;
  /** Over a shared memory (threadedGemm.ts). */
  shared: Uint8Array<ArrayBuffer>;
  /** True when this is the relaxed-SIMD (fused multiply-add) build. */
  relaxed: boolean;
}

let chosen: KernelModule | undefined;

function decodeBase64(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function relaxedWanted(): boolean {
  return typeof process === 'undefined' || process.env['MODELWRIGHT_RELAXED_SIMD'] !== '0';
}

/** The kernel build for this process (chosen on first use). */
export function kernelModule(): KernelModule {
  if (chosen) return chosen;
  if (relaxedWanted()) {
    const heap = decodeBase64(KERNELS_RELAXED_WASM_BASE64);
    if (!WebAssembly.validate(heap)) {
      try {
        setFlagsFromString('--experimental-wasm-relaxed-simd');
      } catch {
        // Not Node's V8 (or it refuses flags): the plain build below.
      }
    }
    if (WebAssembly.validate(heap)) {
      chosen = { heap, shared: decodeBase64(KERNELS_SHARED_RELAXED_WASM_BASE64), relaxed: true };
      return chosen;
    }
  }
  chosen = { heap: decodeBase64(KERNELS_WASM_BASE64), shared: decodeBase64(KERNELS_SHARED_WASM_BASE64), relaxed: false };
  return chosen;
}

/** Both builds' bytes, for tests that compare them. */
export function kernelBuilds(): { plain: Uint8Array<ArrayBuffer>; relaxed: Uint8Array<ArrayBuffer> } {
  return { plain: decodeBase64(KERNELS_WASM_BASE64), relaxed: decodeBase64(KERNELS_RELAXED_WASM_BASE64) };
}
