import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, stat, symlink, truncate, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkUserFile, formatBytes, readDocumentFile, readLimit, readUserFile, readUserFileChunks, UserFileError } from '../../../engine/host/userFiles';

// stat stays the real one unless a test makes it lie, to stand for a file swapped after the check.
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  return { ...real, stat: vi.fn(real.stat) };
});

const MB = 1024 * 1024;
const GB = 1024 * MB;
const unix = process.platform !== 'win32';
const data = readLimit('data', { env: {} });

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'mw-userfiles-'));
}

async function fifo(): Promise<string> {
  const path = join(await tempDir(), 'pipe');
  execFileSync('mkfifo', [path]);
  return path;
}

/** Runs `refuse`, which must reject within a second, and checks the process did not grow meanwhile. */
async function refusedQuickly(refuse: () => Promise<unknown>): Promise<UserFileError> {
  const rss = process.memoryUsage().rss;
  const start = Date.now();
  const err = await refuse().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(Date.now() - start).toBeLessThan(1000);
  expect(process.memoryUsage().rss - rss).toBeLessThan(50 * MB);
  expect(err).toBeInstanceOf(UserFileError);
  return err as UserFileError;
}

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for await (const chunk of chunks) out.push(chunk);
  return out;
}

afterEach(() => {
  vi.mocked(stat).mockClear();
});

describe('user files are regular files only', () => {
  it.runIf(existsSync('/dev/zero'))('refuses /dev/zero at once, without reading it', async () => {
    const err = await refusedQuickly(() => readUserFile('/dev/zero', data));
    expect(err.message).toBe('Cannot read /dev/zero: it is a device, not a file');
    expect(err.problem).toBe('not-a-file');
    expect(err.reason).toBe('it is a device, not a file');
    await refusedQuickly(() => collect(readUserFileChunks('/dev/zero', data)));
    await refusedQuickly(() => checkUserFile('/dev/zero', data));
  });

  it.runIf(unix)('refuses a FIFO at once instead of waiting for a writer', { timeout: 5000 }, async () => {
    const path = await fifo();
    const err = await refusedQuickly(() => readUserFile(path, data));
    expect(err.message).toBe(`Cannot read ${path}: it is a named pipe (FIFO), not a file`);
    await refusedQuickly(() => collect(readUserFileChunks(path, data)));
  });

  it.runIf(unix)('refuses a FIFO swapped in after the check: it opens without blocking and the open handle is checked', { timeout: 5000 }, async () => {
    const path = await fifo();
    const regular = await stat(__filename);
    // The check sees a regular file; what is opened is the FIFO.
    vi.mocked(stat).mockResolvedValueOnce(regular).mockResolvedValueOnce(regular);
    const err = await refusedQuickly(() => readUserFile(path, data));
    expect(err.reason).toBe('it is a named pipe (FIFO), not a file');
    await refusedQuickly(() => collect(readUserFileChunks(path, data)));
  });

  it('refuses a folder', async () => {
    const dir = await tempDir();
    const err = await refusedQuickly(() => readUserFile(dir, data));
    expect(err.message).toBe(`Cannot read ${dir}: it is a folder, not a file`);
  });

  it('names a missing file', async () => {
    const path = join(await tempDir(), 'nope.csv');
    const err = await refusedQuickly(() => readUserFile(path, data));
    expect(err.message).toBe(`Cannot read ${path}: no such file`);
    expect(err.problem).toBe('unreadable');
  });

  it.runIf(unix)('reads a symlink to a regular file, and refuses one to a device', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'real.csv'), 'a,b\n1,2\n');
    await symlink(join(dir, 'real.csv'), join(dir, 'link.csv'));
    expect(new TextDecoder().decode(await readUserFile(join(dir, 'link.csv'), data))).toBe('a,b\n1,2\n');
    if (existsSync('/dev/zero')) {
      await symlink('/dev/zero', join(dir, 'zero.csv'));
      const err = await refusedQuickly(() => readUserFile(join(dir, 'zero.csv'), data));
      expect(err.reason).toBe('it is a device, not a file');
    }
  });
});

describe('user files are read within a limit', () => {
  it('refuses a file over the limit by its size, before reading a byte (a 3 GB sparse file, the 2 GB default)', async () => {
    const path = join(await tempDir(), 'big.csv');
    await writeFile(path, '');
    await truncate(path, 3 * GB);
    const err = await refusedQuickly(() => readUserFile(path, data));
    expect(err.message).toBe(`Cannot read ${path}: it is 3 GB; the limit for data files is 2 GB (set MODELWRIGHT_MAX_DATA_BYTES to change it)`);
    expect(err.problem).toBe('too-large');
    await refusedQuickly(() => collect(readUserFileChunks(path, data)));
  });

  it('takes its limit from an option, else the environment, else the default', async () => {
    expect(readLimit('data', { env: {} }).bytes).toBe(2 * GB);
    expect(readLimit('document', { env: {} }).bytes).toBe(200 * MB);
    expect(readLimit('data', { env: { MODELWRIGHT_MAX_DATA_BYTES: '4000000000' } }).bytes).toBe(4_000_000_000);
    expect(readLimit('data', { env: { MODELWRIGHT_MAX_DATA_BYTES: '4G' } }).bytes).toBe(4 * GB);
    expect(readLimit('document', { env: { MODELWRIGHT_MAX_DOCUMENT_BYTES: '500 MB' } }).bytes).toBe(500 * MB);
    expect(readLimit('data', { maxBytes: 10, env: { MODELWRIGHT_MAX_DATA_BYTES: '4G' } }).bytes).toBe(10);
    expect(() => readLimit('data', { env: { MODELWRIGHT_MAX_DATA_BYTES: 'lots' } })).toThrow(/MODELWRIGHT_MAX_DATA_BYTES="lots" is not a size/);

    const path = join(await tempDir(), 'small.csv');
    await writeFile(path, 'x'.repeat(5000));
    const err = await refusedQuickly(() => readUserFile(path, readLimit('data', { env: { MODELWRIGHT_MAX_DATA_BYTES: '4K' } })));
    expect(err.reason).toBe('it is 4.9 KB; the limit for data files is 4 KB (set MODELWRIGHT_MAX_DATA_BYTES to change it)');
    expect((await readUserFile(path, readLimit('data', { maxBytes: 5000 }))).length).toBe(5000);
  });

  it('says the bytes when the size and the limit would read the same', async () => {
    const path = join(await tempDir(), 'edge.csv');
    await writeFile(path, 'x'.repeat(4097));
    const err = await refusedQuickly(() => readUserFile(path, readLimit('data', { maxBytes: 4096 })));
    expect(err.reason).toMatch(/^it is 4097 bytes; the limit for data files is 4096 bytes/);
  });

  it.runIf(existsSync('/proc/self/maps'))('refuses a file that turns out larger than the limit while it is read', async () => {
    // Files under /proc say they are empty and then give more: they stand for a file that grows.
    expect((await stat('/proc/self/maps')).size).toBe(0);
    const small = readLimit('data', { maxBytes: 10 });
    const err = await refusedQuickly(() => readUserFile('/proc/self/maps', small));
    expect(err.reason).toMatch(/^it grew past 10 bytes while it was read; the limit for data files is 10 bytes/);
    await refusedQuickly(() => collect(readUserFileChunks('/proc/self/maps', small)));
    expect((await readUserFile('/proc/self/maps', data)).length).toBeGreaterThan(10);
  });

  it('streams the whole file in chunks', async () => {
    const path = join(await tempDir(), 'glove.txt');
    const bytes = new Uint8Array(100_000).map((_, i) => (i * 31) & 0xff);
    await writeFile(path, bytes);
    const chunks = await collect(readUserFileChunks(path, data, { chunkBytes: 16 * 1024 }));
    expect(chunks.length).toBe(7);
    expect(chunks.every((c) => c.length <= 16 * 1024)).toBe(true);
    expect(Buffer.concat(chunks).equals(Buffer.from(bytes))).toBe(true);
    expect(await collect(readUserFileChunks(path, readLimit('data', { maxBytes: 100_000 }), { chunkBytes: 100_000 }))).toHaveLength(1);
  });
});

describe('readDocumentFile', () => {
  it('reads a document as UTF-8, without its byte-order mark', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'a.modelwright'), '\uFEFF{"name":"Réseau"}');
    expect(await readDocumentFile(join(dir, 'a.modelwright'))).toBe('{"name":"Réseau"}');
  });

  it('refuses a document over its limit, and what is not a file', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'big.modelwright'), 'x'.repeat(3 * 1024));
    const err = await refusedQuickly(() => readDocumentFile(join(dir, 'big.modelwright'), { maxBytes: 1024 }));
    expect(err.reason).toBe('it is 3 KB; the limit for documents is 1 KB (set MODELWRIGHT_MAX_DOCUMENT_BYTES to change it)');
    await mkdir(join(dir, 'folder.modelwright'));
    expect((await refusedQuickly(() => readDocumentFile(join(dir, 'folder.modelwright')))).reason).toBe('it is a folder, not a file');
  });
});

describe('formatBytes', () => {
  it.each([
    [1, '1 byte'],
    [512, '512 bytes'],
    [64 * 1024, '64 KB'],
    [200 * MB, '200 MB'],
    [2 * GB, '2 GB'],
    [3.1 * GB, '3.1 GB'],
    [1536, '1.5 KB'],
  ])('%d bytes are %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});
