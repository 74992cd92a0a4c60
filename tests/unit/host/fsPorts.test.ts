import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
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
});
