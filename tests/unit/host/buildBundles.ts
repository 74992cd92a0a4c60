/**
 * Builds the Node bundles this folder's tests run as real processes (cli, web, worker), with
 * the options of esbuild.config.mjs, into a folder of dist/ of the caller's own, so test files
 * running in parallel never overwrite each other's bundles.
 */
import { build } from 'esbuild';
import { join } from 'node:path';
import { entries, nodeBundleOptions } from '../../../esbuild.config.mjs';

const ROOT = join(__dirname, '..', '..', '..');

export async function buildBundles(name: string): Promise<string> {
  const outdir = join(ROOT, 'dist', `unit-${name}`);
  await build({
    ...nodeBundleOptions,
    entryPoints: { cli: entries.cli, web: entries.web, worker: entries.worker },
    absWorkingDir: ROOT,
    outdir,
    logLevel: 'error',
  });
  return outdir;
}
