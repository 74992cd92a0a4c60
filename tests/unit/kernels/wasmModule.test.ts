// The committed kernels.wasm files are what kernelsWasm.ts embeds (so an edit to kernels.c
// cannot ship without its rebuild), and they are safe to run on tfjs's heap: they import only
// the memory (no functions) and carry no data segment and no start function.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KERNELS_SHARED_WASM_BASE64, KERNELS_WASM_BASE64 } from '../../../engine/kernels/wasm/simd/kernelsWasm';

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
  for (const [file, embedded] of [['kernels.wasm', KERNELS_WASM_BASE64], ['kernels-shared.wasm', KERNELS_SHARED_WASM_BASE64]] as const) {
    it(`${file} is embedded as built and touches nothing but its buffers`, () => {
      const bytes = new Uint8Array(readFileSync(join(DIR, file)));
      expect(Buffer.from(bytes).toString('base64')).toBe(embedded);
      const module = new WebAssembly.Module(bytes);
      expect(WebAssembly.Module.imports(module)).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
      const ids = sectionIds(bytes);
      expect(ids).not.toContain(11); // data
      expect(ids).not.toContain(8); // start
      const names = WebAssembly.Module.exports(module).map((e) => e.name);
      expect(names).toEqual(expect.arrayContaining(['im2col', 'col2im', 'gemm_nn', 'adam', 'gru_forward', 'gru_backward', 'bn_forward', 'bn_backward', 'max_pool_grad']));
    });
  }
});
