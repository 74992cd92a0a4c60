/**
 * The engine's file port over fs, and where the app's own files are: the app root is the
 * folder that holds `assets/`, found by walking up from this file, so it works from the
 * bundles in dist/ and from the sources under vitest alike. User files are read through
 * userFiles.ts: regular files only, within the data limit.
 */
import { existsSync, statSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize, resolve, sep } from 'node:path';
import type { FilePort } from '../ports';
import { checkUserFile, describeFsError, readLimit, readUserFile, readUserFileChunks } from './userFiles';

// Hosts import it from here; it lives with the user-file reads, whose errors it also words.
export { describeFsError };

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
  /**
   * The most bytes one user file (a CSV, a GloVe file) may have; default
   * `MODELWRIGHT_MAX_DATA_BYTES`, else 2 GB (see userFiles.ts).
   */
  maxDataBytes?: number;
}

/**
 * A FilePort over fs. User files must be regular files within the data limit (a device, a FIFO
 * or a folder is refused, as is a file over the limit, before it is read); asset paths may not
 * climb out of the assets folder.
 */
export function createFilePort(opts: FilePortOptions = {}): FilePort {
  const assets = () => opts.assetsDir ?? assetsDir();
  return {
    async readFile(path) {
      const abs = isAbsolute(path) ? path : resolve(opts.baseDir ?? process.cwd(), path);
      // Rejects with "Cannot read /abs/path: <reason>", the reason also in the error's `reason`.
      return readUserFile(abs, readLimit('data', { maxBytes: opts.maxDataBytes }));
    },
    async openFile(path) {
      const abs = isAbsolute(path) ? path : resolve(opts.baseDir ?? process.cwd(), path);
      const limit = readLimit('data', { maxBytes: opts.maxDataBytes });
      // The size is for progress only; the chunks check the file again as they open it.
      const { size } = await checkUserFile(abs, limit);
      return { size, chunks: readUserFileChunks(abs, limit) };
    },
    async listFolder(path) {
      const abs = isAbsolute(path) ? path : resolve(opts.baseDir ?? process.cwd(), path);
      try {
        const entries = await readdir(abs, { withFileTypes: true });
        const out: { name: string; folder: boolean }[] = [];
        for (const e of entries) {
          // A link counts as what it points to; one that points nowhere is left out.
          const folder = e.isSymbolicLink()
            ? await stat(join(abs, e.name)).then(
                (s) => s.isDirectory(),
                () => null,
              )
            : e.isDirectory();
          if (folder !== null) out.push({ name: e.name, folder });
        }
        return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      } catch (err) {
        throw new Error(`Cannot read the folder ${abs}: ${describeFsError(err)}`, { cause: err });
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
