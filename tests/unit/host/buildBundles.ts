/**
 * Builds the Node bundles this folder's tests run as real processes (cli, web, worker), with
 * the options of esbuild.config.mjs, into a folder of dist/ of the caller's own, so test files
 * running in parallel never overwrite each other's bundles.
 */
import { build } from 'esbuild';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

export async function buildBundles(name: string): Promise<string> {
  const outdir = join(ROOT, 'dist', `unit-${name}`);
  await build({
    entryPoints: { cli: 'engine/host/cli.ts', web: 'engine/host/webMain.ts', worker: 'engine/host/worker.ts' },
    absWorkingDir: ROOT,
    outdir,
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'linked',
    external: ['electron', '@tensorflow/*', 'ws', 'bufferutil', 'utf-8-validate'],
    logLevel: 'error',
  });
  return outdir;
}
