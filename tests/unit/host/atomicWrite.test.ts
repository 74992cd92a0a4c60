import { execFileSync, spawn } from 'node:child_process';
import * as fsp from 'node:fs/promises';
import { chmod, lstat, mkdir, mkdtemp, readFile, readdir, readlink, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { atomicWrite, STALE_TEMP_MS, type AtomicWriteFs } from '../../../engine/host/atomicWrite';

const ROOT = join(__dirname, '..', '..', '..');
const unix = process.platform !== 'win32';
const asRoot = process.getuid?.() === 0;
const OLD = Buffer.from(Array.from({ length: 10_000 }, (_, i) => (i * 7) & 0xff));
const TEMP = /^\.model\.modelwright\.[0-9a-f]{12}\.tmp$/;

async function withOldFile(): Promise<{ dir: string; target: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'mw-atomic-'));
  const target = join(dir, 'model.modelwright');
  await writeFile(target, OLD);
  return { dir, target };
}

function fsError(code: string): Error {
  return Object.assign(new Error(`${code}: injected`), { code });
}

/** node's fs, but `part` of the save fails the way a full disk or a broken rename would. */
function failing(part: 'open' | 'write' | 'sync' | 'close' | 'rename'): AtomicWriteFs {
  return {
    ...fsp,
    open: (async (...args: Parameters<typeof fsp.open>) => {
      if (part === 'open') throw fsError('EMFILE');
      const handle = await fsp.open(...args);
      if (part === 'write') {
        // Some bytes land, then the disk is full: as a real short write would leave it.
        handle.writeFile = async (data) => {
          await handle.write(Buffer.from(typeof data === 'string' ? data : (data as Uint8Array)).subarray(0, 10));
          throw fsError('ENOSPC');
        };
      }
      if (part === 'sync') handle.sync = async () => Promise.reject(fsError('EIO'));
      if (part === 'close') {
        const close = handle.close.bind(handle);
        handle.close = async () => {
          await close();
          throw fsError('EIO');
        };
      }
      return handle;
    }) as typeof fsp.open,
    rename: async () => Promise.reject(fsError(part === 'rename' ? 'EXDEV' : 'EINVAL')),
  };
}

describe('atomicWrite', () => {
  it('replaces the file whole and leaves no temp file behind', async () => {
    const { dir, target } = await withOldFile();
    await atomicWrite(target, 'new contents');
    expect(await readFile(target, 'utf8')).toBe('new contents');
    expect(await readdir(dir)).toEqual(['model.modelwright']);
  });

  it.each(['open', 'write', 'sync', 'close', 'rename'] as const)(
    'keeps the old file byte for byte and no temp file when the %s fails (as root too)',
    async (part) => {
      const { dir, target } = await withOldFile();
      const fs = part === 'rename' ? failing('rename') : { ...failing(part), rename: fsp.rename };
      await expect(atomicWrite(target, Buffer.alloc(50_000, 1), { fs })).rejects.toThrow(/injected/);
      expect((await readFile(target)).equals(OLD)).toBe(true);
      expect(await readdir(dir)).toEqual(['model.modelwright']);
    },
  );

  it.runIf(unix && !asRoot)('keeps the old file when the folder is read-only', async () => {
    const { dir, target } = await withOldFile();
    await chmod(dir, 0o500);
    try {
      await expect(atomicWrite(target, 'new')).rejects.toThrow();
    } finally {
      await chmod(dir, 0o700);
    }
    expect((await readFile(target)).equals(OLD)).toBe(true);
  });

  it('fails in a folder that does not exist', async () => {
    await expect(atomicWrite(join(tmpdir(), 'mw-no-such-dir', 'x.json'), 'data')).rejects.toThrow();
  });

  it.runIf(unix)('keeps the old file and no temp file when the disk is really full (a small tmpfs, as root)', async (ctx) => {
    if (!asRoot) return ctx.skip('mounting a tmpfs needs root');
    const dir = await mkdtemp(join(tmpdir(), 'mw-atomic-full-'));
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir], { stdio: 'ignore' });
    } catch {
      await rm(dir, { recursive: true, force: true });
      return ctx.skip('mount -t tmpfs is not permitted here');
    }
    try {
      const target = join(dir, 'model.modelwright');
      await writeFile(target, OLD);
      await expect(atomicWrite(target, Buffer.alloc(200_000, 2))).rejects.toMatchObject({ code: 'ENOSPC' });
      expect((await readFile(target)).equals(OLD)).toBe(true);
      expect(await readdir(dir)).toEqual(['model.modelwright']);
      await atomicWrite(target, 'fits');
      expect(await readFile(target, 'utf8')).toBe('fits');
    } finally {
      execFileSync('umount', [dir]);
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.runIf(unix)('keeps the file mode, whatever the umask; a new file gets 0644 less the umask', async () => {
    const { dir, target } = await withOldFile();
    const umask = process.umask(0o022);
    try {
      for (const mode of [0o600, 0o640, 0o666, 0o444]) {
        await chmod(target, mode);
        await atomicWrite(target, `mode ${mode.toString(8)}`);
        expect((await stat(target)).mode & 0o777).toBe(mode);
        expect(await readFile(target, 'utf8')).toBe(`mode ${mode.toString(8)}`);
      }
      await atomicWrite(join(dir, 'new.modelwright'), 'new');
      expect((await stat(join(dir, 'new.modelwright'))).mode & 0o777).toBe(0o644);
      process.umask(0o077);
      await atomicWrite(join(dir, 'private.modelwright'), 'new');
      expect((await stat(join(dir, 'private.modelwright'))).mode & 0o777).toBe(0o600);
    } finally {
      process.umask(umask);
    }
  });

  it.runIf(unix)('writes through a symlink: the link stays, its target gets the new content in its own folder', async () => {
    const { dir, target } = await withOldFile();
    const links = await mkdtemp(join(tmpdir(), 'mw-atomic-links-'));
    await symlink(target, join(links, 'link.modelwright'));
    // A relative link to that link: a chain, followed to its end.
    await symlink('link.modelwright', join(links, 'chain.modelwright'));
    await chmod(target, 0o600);
    await atomicWrite(join(links, 'chain.modelwright'), 'through the links');
    expect(await readFile(target, 'utf8')).toBe('through the links');
    expect((await stat(target)).mode & 0o777).toBe(0o600);
    expect((await lstat(join(links, 'link.modelwright'))).isSymbolicLink()).toBe(true);
    expect(await readlink(join(links, 'link.modelwright'))).toBe(target);
    expect(await readlink(join(links, 'chain.modelwright'))).toBe('link.modelwright');
    expect((await readdir(links)).sort()).toEqual(['chain.modelwright', 'link.modelwright']);
    expect(await readdir(dir)).toEqual(['model.modelwright']);
    // A dangling link: its target is created, the link kept.
    await symlink(join(dir, 'later.modelwright'), join(links, 'later.modelwright'));
    await atomicWrite(join(links, 'later.modelwright'), 'created');
    expect(await readFile(join(dir, 'later.modelwright'), 'utf8')).toBe('created');
    expect((await lstat(join(links, 'later.modelwright'))).isSymbolicLink()).toBe(true);
  });

  it('flushes the folder after the rename, and saves where a folder cannot be flushed', async () => {
    const { dir, target } = await withOldFile();
    const calls: string[] = [];
    const recording = (folderFails?: string): AtomicWriteFs => ({
      ...fsp,
      open: (async (...args: Parameters<typeof fsp.open>) => {
        const path = String(args[0]);
        const what = path === dir ? 'folder' : 'temp';
        if (what === 'folder' && folderFails) throw fsError(folderFails);
        const handle = await fsp.open(...args);
        const sync = handle.sync.bind(handle);
        handle.sync = async () => {
          calls.push(`sync ${what}`);
          return sync();
        };
        return handle;
      }) as typeof fsp.open,
      rename: async (from, to) => {
        calls.push('rename');
        return fsp.rename(from, to);
      },
    });
    await atomicWrite(target, 'flushed', { fs: recording() });
    expect(calls).toEqual(['sync temp', 'rename', 'sync folder']);
    for (const code of ['EISDIR', 'EPERM', 'EINVAL']) await atomicWrite(target, code, { fs: recording(code) });
    expect(await readFile(target, 'utf8')).toBe('EINVAL');
    await expect(atomicWrite(target, 'EIO', { fs: recording('EIO') })).rejects.toThrow(/EIO/);
  });

  it('refuses to replace what is not a file', async () => {
    const { dir } = await withOldFile();
    await mkdir(join(dir, 'folder.modelwright'));
    await expect(atomicWrite(join(dir, 'folder.modelwright'), 'x')).rejects.toThrow(/it is a folder, not a file/);
    expect((await readdir(dir)).sort()).toEqual(['folder.modelwright', 'model.modelwright']);
  });

  it.runIf(unix)(
    'keeps the old file when the saving process is killed mid-write; the next save clears the temp file once it is stale',
    { timeout: 20_000 },
    async () => {
      const { dir, target } = await withOldFile();
      // A child process that starts a save, lets half the bytes reach the temp file, says so, and hangs.
      const script = join(dir, 'save-and-hang.cjs');
      await build({
        stdin: {
          contents: `
          import * as fsp from 'node:fs/promises';
          import { atomicWrite } from './engine/host/atomicWrite';
          const [target, size] = [process.argv[2], Number(process.argv[3])];
          setInterval(() => undefined, 1000);
          void atomicWrite(target, Buffer.alloc(size, 3), { fs: { ...fsp, open: async (...args) => {
            const handle = await fsp.open(...args);
            handle.writeFile = async (data) => {
              await handle.write(data.subarray(0, data.length / 2));
              process.stdout.write('half\\n');
              await new Promise(() => undefined);
            };
            return handle;
          } } }).then(() => process.exit(0), () => process.exit(1));`,
          resolveDir: ROOT,
          loader: 'ts',
        },
        bundle: true,
        platform: 'node',
        format: 'cjs',
        outfile: script,
        logLevel: 'error',
      });
      const child = spawn(process.execPath, [script, target, String(4_000_000)], { stdio: ['ignore', 'pipe', 'inherit'] });
      const exited = new Promise((done) => child.on('exit', done));
      try {
        await new Promise<void>((done, fail) => {
          child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('half') && done());
          child.on('exit', (code) => fail(new Error(`the saving process ended (${code}) before half its write`)));
        });
      } finally {
        child.kill('SIGKILL');
        await exited;
        await rm(script);
      }

      expect((await readFile(target)).equals(OLD)).toBe(true);
      const left = (await readdir(dir)).filter((f) => f !== 'model.modelwright');
      expect(left).toHaveLength(1);
      expect(left[0]).toMatch(TEMP);
      const leftover = join(dir, left[0] ?? '');
      expect((await stat(leftover)).size).toBe(2_000_000);

      // Younger than a minute it may be another save under way: kept. Older: removed.
      await atomicWrite(target, 'second');
      expect(await readdir(dir)).toContain(left[0]);
      const old = (Date.now() - STALE_TEMP_MS - 5000) / 1000;
      await utimes(leftover, old, old);
      await writeFile(join(dir, '.other.modelwright.0123456789ab.tmp'), 'another file’s temp');
      await utimes(join(dir, '.other.modelwright.0123456789ab.tmp'), old, old);
      await atomicWrite(target, 'third');
      expect(await readFile(target, 'utf8')).toBe('third');
      expect((await readdir(dir)).sort()).toEqual(['.other.modelwright.0123456789ab.tmp', 'model.modelwright']);
    },
  );
});
