// Bundles the Node-side entry points (CLI, web host, training worker, benchmark, Electron main
// and preload) into dist/. tfjs stays external: its wasm files and optional native addons are
// loaded from node_modules at run time. Runs on `npm ci` (prepare) so `npx modelwright` works.
// The host tests import `nodeBundleOptions` so the processes they start are bundled as shipped.
import { build } from 'esbuild';
import { pathToFileURL } from 'node:url';

/** esbuild options shared by every Node-side bundle (entry points and outdir aside). */
export const nodeBundleOptions = {
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'linked',
  // Our kernel modules (engine/kernels/wasm/simd/*.wasm) are bundled as bytes, not read from disk.
  loader: { '.wasm': 'binary' },
  external: [
    'electron',
    '@tensorflow/tfjs-core',
    '@tensorflow/tfjs-layers',
    '@tensorflow/tfjs-backend-cpu',
    '@tensorflow/tfjs-backend-wasm',
    '@tensorflow/tfjs-node',
    '@tensorflow/tfjs-node-gpu',
    'ws',
    'bufferutil',
    'utf-8-validate',
  ],
  logLevel: 'warning',
};

export const entries = {
  cli: 'engine/host/cli.ts',
  web: 'engine/host/webMain.ts',
  worker: 'engine/host/worker.ts',
  bench: 'engine/host/bench.ts',
  'electron/main': 'electron/main.ts',
  'electron/preload': 'electron/preload.ts',
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const common = { ...nodeBundleOptions, outdir: 'dist' };
  // Only the CLI is run as a program; a shebang in the sandboxed preload would be a syntax error.
  const { cli, ...rest } = entries;
  await Promise.all([build({ ...common, entryPoints: { cli }, banner: { js: '#!/usr/bin/env node' } }), build({ ...common, entryPoints: rest })]);
}
