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
// The committed .wasm files themselves, as bytes (wasmFiles.d.ts): bundled by esbuild's binary
// loader, so the CLI, the web host, the training worker (Electron's utility process too) and the
// bench read no file for them at run time.
import plainShared from './simd/kernels-shared.wasm';
import relaxedShared from './simd/kernels-shared-relaxed.wasm';
import relaxedHeap from './simd/kernels-relaxed.wasm';
import plainHeap from './simd/kernels.wasm';

export interface KernelModule {
  /** Over tfjs-backend-wasm's heap (simdKernels.ts). */
  heap: Uint8Array<ArrayBuffer>;
  /** Over a shared memory (threadedGemm.ts). */
  shared: Uint8Array<ArrayBuffer>;
  /** True when this is the relaxed-SIMD (fused multiply-add) build. */
  relaxed: boolean;
}

let chosen: KernelModule | undefined;

function relaxedWanted(): boolean {
  return typeof process === 'undefined' || process.env['MODELWRIGHT_RELAXED_SIMD'] !== '0';
}

/** The kernel build for this process (chosen on first use). */
export function kernelModule(): KernelModule {
  if (chosen) return chosen;
  if (relaxedWanted()) {
    if (!WebAssembly.validate(relaxedHeap)) {
      try {
        setFlagsFromString('--experimental-wasm-relaxed-simd');
      } catch {
        // Not Node's V8 (or it refuses flags): the plain build below.
      }
    }
    if (WebAssembly.validate(relaxedHeap)) {
      chosen = { heap: relaxedHeap, shared: relaxedShared, relaxed: true };
      return chosen;
    }
  }
  chosen = { heap: plainHeap, shared: plainShared, relaxed: false };
  return chosen;
}

/** Every build's bytes by file name (in simd/), for tests that check or compare them. */
export function kernelBuilds() {
  return {
    'kernels.wasm': plainHeap,
    'kernels-shared.wasm': plainShared,
    'kernels-relaxed.wasm': relaxedHeap,
    'kernels-shared-relaxed.wasm': relaxedShared,
  };
}
