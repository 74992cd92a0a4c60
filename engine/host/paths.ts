/**
 * Where runs are stored: the OS's per-user app-data folder by default (never the project or
 * assets/), one folder per run named by its start time and a short random id.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';

export const APP_NAME = 'Modelwright';

/** What `defaultRunsDir` reads from the environment; injectable for tests. */
export interface PlatformInfo {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  home: string;
}

const here = (): PlatformInfo => ({ platform: process.platform, env: process.env, home: homedir() });

/**
 * The app's data folder: $XDG_DATA_HOME/Modelwright (else ~/.local/share/Modelwright) on Linux,
 * ~/Library/Application Support/Modelwright on macOS, %APPDATA%\Modelwright on Windows.
 */
export function appDataDir(info: PlatformInfo = here()): string {
  const { platform, env, home } = info;
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), APP_NAME);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_NAME);
  const xdg = env.XDG_DATA_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(home, '.local', 'share'), APP_NAME);
}

/**
 * The default runs folder. Pass `baseDir` to root it elsewhere (e.g. Electron's userData);
 * every host that wants to see the same runs should leave it out.
 */
export function defaultRunsDir(baseDir?: string, info: PlatformInfo = here()): string {
  return join(baseDir ?? appDataDir(info), 'runs');
}

/** A run id that sorts by start time and names its folder: `20261127-201715-3fa9c2`. */
export function newRunId(now: Date = new Date()): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const stamp = `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`;
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

/** True when `child` is `parent` or inside it. */
export function isInside(child: string, parent: string): boolean {
  const rel = relative(resolve(parent), resolve(child));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** Resolves a user-given runs folder; refuses one inside the app's assets/ (it ships read-only). */
export function resolveRunsDir(dir: string, assetsDir?: string): string {
  const abs = resolve(dir);
  if (assetsDir && isInside(abs, assetsDir)) {
    throw new Error(`The runs folder ${abs} is inside the app's assets folder; choose a folder of your own (--runs-dir).`);
  }
  return abs;
}

/** resolveRunsDir, then creates the folder, so a bad --runs-dir fails at once with a clear message. */
export function prepareRunsDir(dir: string, assetsDir?: string): string {
  const abs = resolveRunsDir(dir, assetsDir);
  try {
    mkdirSync(abs, { recursive: true });
  } catch (err) {
    const code = (err as { code?: string }).code;
    const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'ENOTDIR' || code === 'EEXIST' ? 'a file is in the way' : String(err);
    throw new Error(`Cannot create the runs folder ${abs}: ${why}. Choose another with --runs-dir.`, { cause: err });
  }
  return abs;
}
