/**
 * The installers' configuration, checked where no Electron binary can be had: electron-builder's
 * own schema validates electron-builder.yml, and a real `--dir` pack of the Linux app, with a stub
 * in place of the Electron distribution (the one thing that needs a download), shows exactly the
 * files an installer would carry: what the app needs is in app.asar (or unpacked beside it), and
 * nothing from the tests, the sources, the docs, the source maps or the devDependencies is.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build as esbuild } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { listPackage } from '@electron/asar';
import { build, Platform, type Configuration } from 'electron-builder';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { DebugLogger } from 'builder-util/out/DebugLogger';
import { entries, nodeBundleOptions } from '../../../esbuild.config.mjs';

const ROOT = join(__dirname, '..', '..', '..');

const loadConfig = () => getConfig(ROOT, join(ROOT, 'electron-builder.yml'), null);

describe('electron-builder.yml', () => {
  it('validates against electron-builder’s schema, which does refuse a broken one', async () => {
    const config = await loadConfig();
    await validateConfiguration(config, new DebugLogger(false));
    await expect(
      validateConfiguration({ ...config, mac: { target: 'dmgg', notAnOption: true } } as unknown as Configuration, new DebugLogger(false)),
    ).rejects.toThrow(/configuration\.mac/);
  });

  it('builds every installer the issue names, with the fuses of a release build and the association', async () => {
    const config = await loadConfig();
    const targets = (t: unknown) => JSON.stringify(t);
    expect(targets(config.linux?.target)).toContain('AppImage');
    expect(targets(config.linux?.target)).toContain('deb');
    expect(targets(config.win?.target)).toContain('nsis');
    expect(config.mac?.target).toEqual([{ target: 'dmg', arch: ['x64', 'arm64'] }]);
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
    });
    expect(config.fileAssociations).toEqual([expect.objectContaining({ ext: 'modelwright', mimeType: 'application/x-modelwright' })]);
    expect(existsSync(join(ROOT, 'assets', 'icons', 'icon.png'))).toBe(true);
  });

  it('packs what the app needs and nothing from tests, sources or devDependencies', { timeout: 400_000 }, async () => {
    // The bundles, as `npm run build` makes them.
    await esbuild({ ...nodeBundleOptions, entryPoints: entries, absWorkingDir: ROOT, outdir: join(ROOT, 'dist'), logLevel: 'error' });
    if (!existsSync(join(ROOT, 'dist', 'renderer', 'index.html'))) {
      const vite = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build'], { cwd: ROOT, encoding: 'utf8' });
      expect(vite.status, vite.stderr).toBe(0);
    }
    // A stub Electron distribution: electron-builder copies it and renames its executable.
    const stub = mkdtempSync(join(tmpdir(), 'mw-electron-stub-'));
    writeFileSync(join(stub, 'electron'), '');
    chmodSync(join(stub, 'electron'), 0o755);
    mkdirSync(join(stub, 'resources'));
    const out = mkdtempSync(join(tmpdir(), 'mw-pack-'));
    await build({
      projectDir: ROOT,
      targets: Platform.LINUX.createTarget('dir'),
      publish: 'never',
      // The stub has no fuse wire to flip and nothing to rebuild; everything else is the real config.
      config: { electronDist: stub, npmRebuild: false, electronFuses: null, directories: { output: out } },
    });
    const resources = join(out, 'linux-unpacked', 'resources');
    const packed = listPackage(join(resources, 'app.asar'), { isPack: false }).map((p) => p.replace(/\\/g, '/'));
    const has = (path: string) => packed.includes(path);

    for (const needed of [
      '/package.json',
      '/dist/electron/main.cjs',
      '/dist/electron/preload.cjs',
      '/dist/worker.cjs',
      '/dist/renderer/index.html',
      '/assets/examples/surname-cnn.json',
      '/assets/datasets/surnames.csv',
      '/node_modules/@tensorflow/tfjs-core/package.json',
      '/node_modules/@tensorflow/tfjs-backend-wasm/package.json',
      '/node_modules/ws/package.json',
    ]) {
      expect(has(needed), needed).toBe(true);
    }
    expect(packed.some((p) => /^\/dist\/renderer\/assets\/.+\.js$/.test(p))).toBe(true);
    // Loaded from disk, so unpacked beside the archive: the wasm binaries and the assets.
    expect(existsSync(join(resources, 'app.asar.unpacked', 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist', 'tfjs-backend-wasm.wasm'))).toBe(true);
    expect(existsSync(join(resources, 'app.asar.unpacked', 'assets', 'examples', 'surname-cnn.json'))).toBe(true);

    const ours = packed.filter((p) => !p.startsWith('/node_modules/'));
    const forbidden = ours.filter(
      (p) =>
        /^\/(tests|engine|renderer|electron|docs|\.github|\.ci|release|test-results)(\/|$)/.test(p) ||
        /\.(map|ts|tsx|mts)$/.test(p) ||
        /^\/dist\/(cli|web|bench)\.cjs$/.test(p) ||
        /^\/dist\/unit-/.test(p),
    );
    expect(forbidden).toEqual([]);
    expect(packed.filter((p) => p.endsWith('.map'))).toEqual([]);

    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    const shipped = new Set(
      packed.filter((p) => /^\/node_modules\/(@[^/]+\/)?[^/]+\/package\.json$/.test(p)).map((p) => p.slice('/node_modules/'.length, -'/package.json'.length)),
    );
    // No devDependency ships, unless a shipped package itself depends on it (tfjs needs @types/node's
    // package.json, not its declarations, which the patterns leave out).
    const neededBy = new Set<string>();
    for (const name of shipped) {
      const manifest = join(ROOT, 'node_modules', name, 'package.json');
      if (!existsSync(manifest)) continue;
      const m = JSON.parse(readFileSync(manifest, 'utf8')) as { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };
      for (const dep of Object.keys({ ...m.dependencies, ...m.optionalDependencies })) neededBy.add(dep);
    }
    expect(Object.keys(pkg.devDependencies).filter((name) => shipped.has(name) && !neededBy.has(name))).toEqual([]);
    for (const tool of ['electron', 'electron-builder', 'typescript', 'eslint', 'vitest', 'vite', '@playwright/test', 'react', '@doyensec/electronegativity']) {
      expect(shipped.has(tool), tool).toBe(false);
    }
    expect(packed.filter((p) => p.startsWith('/node_modules/@types/') && p.endsWith('.d.ts'))).toEqual([]);
  });
});
