/**
 * The engine's file port over fs, and where the app's own files are: the app root is the
 * folder that holds `assets/`, found by walking up from this file, so it works from the
 * bundles in dist/ and from the sources under vitest alike.
 */
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize, resolve, sep } from 'node:path';
import type { FilePort } from '../ports';

/** The first folder at or above `start` that holds an `assets/` folder. */
export function findAppRoot(start: string = __dirname): string {
  let dir = resolve(start);
  for (;;) {
    const candidate = join(dir, 'assets');
    if (existsSync(candidate) && statSync(candidate).isDirectory()) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`Modelwright's assets folder was not found above ${start}; the installation is incomplete.`);
    dir = parent;
  }
}

let cachedRoot: string | undefined;
/** The app root (cached). */
export function appRoot(): string {
  return (cachedRoot ??= findAppRoot());
}

export function assetsDir(): string {
  return join(appRoot(), 'assets');
}

export interface FilePortOptions {
  /** Relative user paths are read relative to this folder (the document's); default the cwd. */
  baseDir?: string;
  /** Where assets live; default the app's assets/. */
  assetsDir?: string;
}

/** A FilePort over fs. Asset paths may not climb out of the assets folder. */
export function createFilePort(opts: FilePortOptions = {}): FilePort {
  const assets = () => opts.assetsDir ?? assetsDir();
  return {
    async readFile(path) {
      const abs = isAbsolute(path) ? path : resolve(opts.baseDir ?? process.cwd(), path);
      try {
        return new Uint8Array(await readFile(abs));
      } catch (err) {
        throw new Error(`Cannot read ${abs}: ${describeFsError(err)}`, { cause: err });
      }
    },
    async readAsset(relativePath) {
      const root = assets();
      const abs = normalize(join(root, relativePath));
      if (!abs.startsWith(root + sep)) throw new Error(`Refused to read "${relativePath}": not inside the app's assets.`);
      try {
        return new Uint8Array(await readFile(abs));
      } catch (err) {
        throw new Error(`Cannot read the app's ${relativePath}: ${describeFsError(err)}`, { cause: err });
      }
    },
  };
}

/** A short reason for a failed fs call ("no such file", "permission denied"). */
export function describeFsError(err: unknown): string {
  const code = (err as { code?: string } | null)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a folder, not a file';
  return err instanceof Error ? err.message : String(err);
}
