import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // A .wasm import is the file's bytes, as esbuild.config.mjs's binary loader bundles our kernels.
  plugins: [
    {
      name: 'wasm-bytes',
      enforce: 'pre',
      load: (id) => (id.endsWith('.wasm') ? `export default new Uint8Array(Buffer.from('${readFileSync(id).toString('base64')}', 'base64'));` : null),
    },
  ],
  test: {
    environment: 'node',
    // tfjs training tests take seconds on two cores; keep files in separate workers but few at a time.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] } },
      // The kernels again on the plain SIMD128 build, which engines without relaxed SIMD load
      // (the default run uses the fused multiply-add build wherever it validates, as here), and
      // on tfjs's usual unshared heap, where the GEMM worker copies operands into a memory of
      // its own (the default run shares tfjs's heap with it: kernels/wasm/sharedHeap.ts).
      {
        extends: true,
        test: {
          name: 'kernels-plain-simd',
          include: ['tests/unit/kernels/**/*.test.ts'],
          exclude: ['tests/unit/kernels/wasmModule.test.ts'],
          env: { MODELWRIGHT_RELAXED_SIMD: '0', MODELWRIGHT_SHARED_HEAP: '0' },
        },
      },
    ],
  },
});
