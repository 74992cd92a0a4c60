import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pushRecent, RecentFiles } from '../../../engine/host/recentFiles';

describe('recent files', () => {
  it('puts a path first, once, and keeps at most max', () => {
    let list = pushRecent([], '/a/one.modelwright');
    list = pushRecent(list, '/a/two.modelwright');
    list = pushRecent(list, '/a/one.modelwright');
    expect(list).toEqual([
      { path: resolve('/a/one.modelwright'), name: 'one.modelwright' },
      { path: resolve('/a/two.modelwright'), name: 'two.modelwright' },
    ]);
    expect(pushRecent(list, '/a/three.modelwright', 2).map((e) => e.name)).toEqual(['three.modelwright', 'one.modelwright']);
  });

  it('persists across instances, removes, clears, and starts over from a corrupt file', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'mw-recent-')), 'recent.json');
    const recent = new RecentFiles(file);
    await recent.add('/docs/a.modelwright');
    await recent.add('/docs/b.modelwright');
    expect((await new RecentFiles(file).list()).map((e) => e.name)).toEqual(['b.modelwright', 'a.modelwright']);
    expect(await recent.has('/docs/a.modelwright')).toBe(true);
    await recent.remove('/docs/a.modelwright');
    expect(JSON.parse(readFileSync(file, 'utf8')).items).toHaveLength(1);
    await recent.clear();
    expect(await new RecentFiles(file).list()).toEqual([]);
    writeFileSync(file, '{ broken');
    expect(await new RecentFiles(file).list()).toEqual([]);
  });
});
