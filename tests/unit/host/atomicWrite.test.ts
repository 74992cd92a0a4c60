import { mkdtemp, readFile, readdir, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { atomicWrite } from '../../../engine/host/atomicWrite';

describe('atomicWrite', () => {
  it('replaces the file whole and leaves no temp file behind', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mw-atomic-'));
    const target = join(dir, 'model.modelwright');
    await writeFile(target, 'old');
    await atomicWrite(target, 'new contents');
    expect(await readFile(target, 'utf8')).toBe('new contents');
    expect(await readdir(dir)).toEqual(['model.modelwright']);
  });

  it('keeps the old file when the write cannot happen', async () => {
    if (process.getuid?.() === 0) {
      // root ignores directory permissions; prove the same guarantee with a missing folder instead
      await expect(atomicWrite(join(tmpdir(), 'mw-no-such-dir', 'x.json'), 'data')).rejects.toThrow();
      return;
    }
    const dir = await mkdtemp(join(tmpdir(), 'mw-atomic-'));
    const target = join(dir, 'model.modelwright');
    await writeFile(target, 'good');
    await chmod(dir, 0o500);
    await expect(atomicWrite(target, 'new')).rejects.toThrow();
    await chmod(dir, 0o700);
    expect(await readFile(target, 'utf8')).toBe('good');
  });
});
