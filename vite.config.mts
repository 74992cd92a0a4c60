// Builds the renderer (React) into dist/renderer/. Electron loads it from file://, so every URL
// in the output is relative (`base: './'`). The web host serves the same files.
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * The CSP in renderer/index.html is written for the built app. The dev server injects styles and
 * its own HMR socket, which that policy forbids, so in dev (only) the meta tag is dropped.
 */
function devDropsCsp(): Plugin {
  return {
    name: 'modelwright-dev-drops-csp',
    apply: 'serve',
    transformIndexHtml: (html) => html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>\s*/, ''),
  };
}

export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react(), devDropsCsp()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // The canvas, charts and the block registry are one app; one chunk loads fastest from file://.
    chunkSizeWarningLimit: 2000,
  },
  server: { host: '127.0.0.1', port: 5173, strictPort: false },
});
