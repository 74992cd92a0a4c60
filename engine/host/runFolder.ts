/**
 * Reading a run folder from disk (FsRunStore writes it): the RunReader that prediction and the
 * exports load a trained model through.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { RunReader } from '../train/predict';
import type { SavedWeights } from '../train/runStore';

/** File names a run folder holds: letters, digits, dots, dashes, underscores; no paths. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,100}$/;

async function readOrNull(file: string): Promise<Buffer | null> {
  try {
    return await readFile(file);
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT' || (err as { code?: string }).code === 'ENOTDIR') return null;
    throw err;
  }
}

/** A RunReader over the folder `runDir`. */
export function fsRunReader(runDir: string): RunReader {
  const dir = resolve(runDir);
  const file = (name: string): string => {
    if (!NAME.test(name)) throw new Error(`not a run file name: ${JSON.stringify(name)}`);
    return join(dir, name);
  };
  return {
    runDir: dir,
    async readText(name) {
      const bytes = await readOrNull(file(name));
      return bytes === null ? null : bytes.toString('utf8');
    },
    async readWeights(name): Promise<SavedWeights | null> {
      const json = await readOrNull(file(`${name}.json`));
      if (json === null) return null;
      const model = JSON.parse(json.toString('utf8')) as {
        modelTopology?: object | null;
        weightsManifest?: { paths: string[]; weights: SavedWeights['weightSpecs'] }[];
      };
      const manifest = model.weightsManifest ?? [];
      const specs = manifest.flatMap((m) => m.weights);
      const parts: Buffer[] = [];
      for (const group of manifest) {
        for (const path of group.paths) {
          const bin = await readOrNull(file(path));
          if (bin === null) throw new Error(`${join(dir, path)} is missing: the ${name} weights are incomplete.`);
          parts.push(bin);
        }
      }
      const all = Buffer.concat(parts);
      const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer;
      return { modelTopology: model.modelTopology ?? null, weightSpecs: specs, weightData };
    },
  };
}
