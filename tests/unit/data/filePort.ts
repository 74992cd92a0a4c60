/** A FilePort for tests: user files from a map, assets from the repository's assets/ folder. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FilePort } from '../../../engine/ports';

export function memoryFiles(files: Record<string, string | Uint8Array> = {}): FilePort {
  return {
    async readFile(path) {
      const f = files[path];
      if (f === undefined) throw new Error(`cannot read ${path}: no such file`);
      return typeof f === 'string' ? new TextEncoder().encode(f) : f;
    },
    async readAsset(rel) {
      return new Uint8Array(await readFile(join(__dirname, '..', '..', '..', 'assets', rel)));
    },
  };
}
