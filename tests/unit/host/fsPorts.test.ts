import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFilePort, findAppRoot } from '../../../engine/host/fsPorts';

const ROOT = join(__dirname, '..', '..', '..');

describe('fsPorts', () => {
  it('finds the app root from the sources and from dist/', () => {
    expect(findAppRoot(join(ROOT, 'engine', 'host'))).toBe(ROOT);
    expect(findAppRoot(join(ROOT, 'dist'))).toBe(ROOT);
    expect(() => findAppRoot(mkdtempSync(join(tmpdir(), 'mw-noassets-')))).toThrow(/assets/);
  });

  it('reads assets, but nothing outside them', async () => {
    const files = createFilePort();
    const csv = new TextDecoder().decode(await files.readAsset('datasets/surnames.csv'));
    expect(csv.split('\n')[0]).toMatch(/surname/i);
    await expect(files.readAsset('../package.json')).rejects.toThrow(/not inside/);
  });

  it('reads user files relative to the base folder and names a missing one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mw-port-'));
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'a.csv'), 'x,y\n');
    const files = createFilePort({ baseDir: dir });
    expect(new TextDecoder().decode(await files.readFile('sub/a.csv'))).toBe('x,y\n');
    await expect(files.readFile('nope.csv')).rejects.toThrow(/nope\.csv: no such file/);
  });

  it.runIf(existsSync('/dev/zero') && process.platform !== 'win32')(
    'refuses what is not a regular file, at once, in its usual words',
    { timeout: 5000 },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'mw-port-'));
      execFileSync('mkfifo', [join(dir, 'pipe.csv')]);
      const files = createFilePort({ baseDir: dir });
      await expect(files.readFile('/dev/zero')).rejects.toThrow('Cannot read /dev/zero: it is a device, not a file');
      await expect(files.readFile('pipe.csv')).rejects.toThrow(`Cannot read ${join(dir, 'pipe.csv')}: it is a named pipe (FIFO), not a file`);
    },
  );

  it('refuses a user file over the data limit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mw-port-'));
    writeFileSync(join(dir, 'big.csv'), 'x'.repeat(3000));
    await expect(createFilePort({ baseDir: dir, maxDataBytes: 1024 }).readFile('big.csv')).rejects.toThrow(
      `Cannot read ${join(dir, 'big.csv')}: it is 2.9 KB; the limit for data files is 1 KB (set MODELWRIGHT_MAX_DATA_BYTES to change it)`,
    );
    expect((await createFilePort({ baseDir: dir, maxDataBytes: 3000 }).readFile('big.csv')).length).toBe(3000);
  });
});
