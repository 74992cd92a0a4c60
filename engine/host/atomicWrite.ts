import { randomBytes } from 'node:crypto';
import type { Stats } from 'node:fs';
import * as nodeFs from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { whyNotAFile } from './userFiles';

/** The fs calls atomicWrite makes; a test hands in its own to make one of them fail. */
export type AtomicWriteFs = Pick<typeof nodeFs, 'open' | 'rename' | 'rm' | 'stat' | 'lstat' | 'readlink' | 'readdir'>;

export interface AtomicWriteOptions {
  /** Default node:fs/promises. */
  fs?: AtomicWriteFs;
}

/** A temp file of a save killed before its rename is removed by a later save once it is this old. */
export const STALE_TEMP_MS = 60_000;

const MAX_LINKS = 40;

/**
 * Writes `data` to `path` so that a reader, a crash or a full disk sees either the old file or
 * the whole new one, never a half-written one:
 * - the bytes go to a temp file in the target's folder (`.NAME.<12 hex>.tmp`), are flushed to
 *   disk, and the temp file is renamed over the target (atomic on one file system); the folder is
 *   then flushed too, so the rename survives a power cut (where the platform cannot flush a
 *   folder, e.g. Windows, that step is skipped);
 * - when anything before the rename fails (open, write, flush, rename), the temp file is removed
 *   and the old file is untouched;
 * - an existing file keeps its permission bits (a 0600 file stays 0600, whatever the umask) and,
 *   where the process may set them, its owner and group; a new file gets 0644 less the umask;
 * - a symlink stays a link: its target (followed to the end of a chain) is what is replaced, in
 *   the target's folder. Hard links to the old file keep the old content, as with any rename.
 * A save killed between creating its temp file and the rename leaves that file behind; the next
 * save of the same target removes such files once they are {@link STALE_TEMP_MS} old (a younger
 * one may be another save still under way).
 */
export async function atomicWrite(path: string, data: string | Uint8Array, opts: AtomicWriteOptions = {}): Promise<void> {
  const fs = opts.fs ?? nodeFs;
  const target = await followLinks(fs, resolve(path));
  const existing = await statIfPresent(fs, target);
  const notAFile = existing && whyNotAFile(existing);
  if (notAFile) throw new Error(`Cannot save ${target}: ${notAFile}`);
  const dir = dirname(target);
  const name = basename(target);
  // First, so the space a killed save held is free again before this one needs it.
  await removeStaleTemps(fs, dir, name);

  const tmp = join(dir, tempName(name));
  const handle = await fs.open(tmp, 'wx', existing ? existing.mode & 0o777 : 0o644);
  try {
    try {
      if (existing) await keepOwnerAndMode(handle, existing);
      await handle.writeFile(data);
      await handle.sync();
    } catch (err) {
      await handle.close().catch(() => undefined);
      throw err;
    }
    await handle.close();
    await fs.rename(tmp, target);
  } catch (err) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
  await syncFolder(fs, dir);
}

function tempName(name: string): string {
  return `.${name}.${randomBytes(6).toString('hex')}.tmp`;
}

function isTempOf(entry: string, name: string): boolean {
  const prefix = `.${name}.`;
  return entry.startsWith(prefix) && entry.endsWith('.tmp') && /^[0-9a-f]{12}$/.test(entry.slice(prefix.length, -'.tmp'.length));
}

/** `path` with symlinks in its last part followed to the file they name (which may not exist yet). */
async function followLinks(fs: AtomicWriteFs, path: string): Promise<string> {
  let current = path;
  for (let hops = 0; hops <= MAX_LINKS; hops++) {
    let st: Stats;
    try {
      st = await fs.lstat(current);
    } catch (err) {
      if (codeOf(err) === 'ENOENT') return current;
      throw err;
    }
    if (!st.isSymbolicLink()) return current;
    current = resolve(dirname(current), await fs.readlink(current));
  }
  throw Object.assign(new Error(`Cannot save ${path}: more than ${MAX_LINKS} symlinks in a chain`), { code: 'ELOOP' });
}

async function statIfPresent(fs: AtomicWriteFs, path: string): Promise<Stats | undefined> {
  try {
    return await fs.stat(path);
  } catch (err) {
    if (codeOf(err) === 'ENOENT') return undefined;
    throw err;
  }
}

async function keepOwnerAndMode(handle: nodeFs.FileHandle, old: Stats): Promise<void> {
  const fresh = await handle.stat();
  if (fresh.uid !== old.uid || fresh.gid !== old.gid) {
    // Only root (or an owner moving the group to one of its own) may; otherwise the new owner stays.
    await handle.chown(old.uid, old.gid).catch((err: unknown) => {
      if (!['EPERM', 'EINVAL', 'ENOSYS'].includes(codeOf(err) ?? '')) throw err;
    });
  }
  // After chown, which may clear bits; explicitly, because open's mode is masked by the umask.
  await handle.chmod(old.mode & 0o777);
}

/** Flushes the folder's entries (the rename) to disk, where the platform can flush a folder. */
async function syncFolder(fs: AtomicWriteFs, dir: string): Promise<void> {
  const cannot = (err: unknown) => ['EISDIR', 'EINVAL', 'EPERM', 'EACCES'].includes(codeOf(err) ?? '');
  let handle: nodeFs.FileHandle;
  try {
    handle = await fs.open(dir, 'r');
  } catch (err) {
    if (cannot(err)) return;
    throw err;
  }
  try {
    await handle.sync();
  } catch (err) {
    if (!cannot(err)) throw err;
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** Removes temp files of `name`'s earlier saves that were killed before their rename. */
async function removeStaleTemps(fs: AtomicWriteFs, dir: string, name: string): Promise<void> {
  // Best effort: a folder that cannot be listed, or a file that went meanwhile, does not stop a save.
  const entries = await fs.readdir(dir).catch(() => [] as string[]);
  const before = Date.now() - STALE_TEMP_MS;
  for (const entry of entries) {
    if (!isTempOf(entry, name)) continue;
    const tmp = join(dir, entry);
    const st = await fs.lstat(tmp).catch(() => undefined);
    if (st?.isFile() && st.mtimeMs < before) await fs.rm(tmp, { force: true }).catch(() => undefined);
  }
}

function codeOf(err: unknown): string | undefined {
  return (err as { code?: string } | null)?.code;
}
