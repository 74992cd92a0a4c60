// Bundles the Node-side entry points (CLI, web host, training worker, benchmark, Electron main
// and preload) into dist/. tfjs stays external: its wasm files and optional native addons are
// loaded from node_modules at run time. Runs on `npm ci` (prepare) so `npx modelwright` works.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

const external = [
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
];

const entries = {
  cli: 'engine/host/cli.ts',
  web: 'engine/host/webMain.ts',
  worker: 'engine/host/worker.ts',
  bench: 'engine/host/bench.ts',
  'electron/main': 'electron/main.ts',
  'electron/preload': 'electron/preload.ts',
};

const present = Object.fromEntries(Object.entries(entries).filter(([, file]) => existsSync(file)));

const common = {
  outdir: 'dist',
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'linked',
  external,
  logLevel: 'warning',
};

// Only the CLI is run as a program; a shebang in the sandboxed preload would be a syntax error.
const { cli, ...rest } = present;
await Promise.all([
  cli ? build({ ...common, entryPoints: { cli }, banner: { js: '#!/usr/bin/env node' } }) : undefined,
  build({ ...common, entryPoints: rest }),
]);
