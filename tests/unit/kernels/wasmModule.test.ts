// The engine loads the committed .wasm files themselves (kernelSources.test.ts checks that those
// are what build.sh makes of the C sources here), and they are safe to run on tfjs's heap: they
// import only the memory (no functions) and carry no data segment and no start function.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kernelBuilds, kernelModule } from '../../../engine/kernels/wasm/simdModule';
import { seededValues } from './seededValues';

const DIR = join(__dirname, '../../../engine/kernels/wasm/simd');

/** Section ids of a wasm binary (1 type, 2 import, 8 start, 11 data, ...). */
function sectionIds(bytes: Uint8Array): number[] {
  const ids: number[] = [];
  let p = 8;
  while (p < bytes.length) {
    const id = bytes[p++] as number;
    let size = 0;
    let shift = 0;
    for (;;) {
      const b = bytes[p++] as number;
      size |= (b & 0x7f) << shift;
      shift += 7;
      if (b < 0x80) break;
    }
    ids.push(id);
    p += size;
  }
  return ids;
}

describe('the SIMD kernel modules', () => {
  // Relaxed SIMD must validate before the relaxed files can be compiled (Node 20 needs the flag).
  kernelModule();
  const builds = kernelBuilds();
  it('are the four committed files, loaded as they are on disk', () => {
    expect(Object.keys(builds).sort()).toEqual(
      readdirSync(DIR)
        .filter((f) => f.endsWith('.wasm'))
        .sort(),
    );
  });
  for (const [file, loaded] of Object.entries(builds)) {
    it(`${file} is loaded as committed and touches nothing but its buffers`, () => {
      const bytes = new Uint8Array(readFileSync(join(DIR, file)));
      expect(Buffer.from(loaded).equals(bytes)).toBe(true);
      const module = new WebAssembly.Module(bytes);
      expect(WebAssembly.Module.imports(module)).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
      const ids = sectionIds(bytes);
      expect(ids).not.toContain(11); // data
      expect(ids).not.toContain(8); // start
      const names = WebAssembly.Module.exports(module).map((e) => e.name);
      expect(names).toEqual(
        expect.arrayContaining(['im2col', 'col2im', 'gemm_nn', 'adam', 'gru_forward', 'gru_backward', 'bn_forward', 'bn_backward', 'max_pool_grad_images']),
      );
    });
  }

  it('the relaxed-SIMD (fused multiply-add) build is chosen on this engine and multiplies like the plain one', () => {
    expect(kernelModule().relaxed).toBe(true);
    const { 'kernels.wasm': plain, 'kernels-relaxed.wasm': relaxed } = builds;
    const [M, K, N] = [13, 37, 21]; // every tail: rows not a multiple of 4, columns not of 8 or 4
    const a = seededValues(M * K, 3, (u) => u - 0.5);
    const b = seededValues(K * N, 4, (u) => u - 0.5);
    const want = new Float64Array(M * N);
    for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) for (let k = 0; k < K; k++) want[i * N + j]! += a[i * K + k]! * b[k * N + j]!;
    const products = [plain, relaxed].map((bytes) => {
      const memory = new WebAssembly.Memory({ initial: 4 });
      const ex = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports as unknown as {
        gemm_nn(a: number, b: number, c: number, m: number, k: number, n: number): void;
      };
      const f = new Float32Array(memory.buffer);
      const [pa, pb, pc] = [65536, 65536 + 4096, 65536 + 8192];
      f.set(a, pa / 4);
      f.set(b, pb / 4);
      ex.gemm_nn(pa, pb, pc, M, K, N);
      return f.slice(pc / 4, pc / 4 + M * N);
    });
    for (const c of products) for (let i = 0; i < M * N; i++) expect(c[i]).toBeCloseTo(want[i]!, 5);
    // Fused rounding differs from a separate multiply and add, so the builds really differ.
    expect(products[1]).not.toEqual(products[0]);
  });
});
