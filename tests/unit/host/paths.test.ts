import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appDataDir, defaultRunsDir, isInside, newRunId, prepareRunsDir, resolveRunsDir } from '../../../engine/host/paths';
import { RunIdSchema } from '../../../engine/api';

describe('paths', () => {
  it('puts runs in the OS app-data folder', () => {
    expect(defaultRunsDir(undefined, { platform: 'linux', env: {}, home: '/home/u' })).toBe('/home/u/.local/share/Modelwright/runs');
    expect(defaultRunsDir(undefined, { platform: 'linux', env: { XDG_DATA_HOME: '/x/data' }, home: '/home/u' })).toBe('/x/data/Modelwright/runs');
    expect(defaultRunsDir(undefined, { platform: 'linux', env: { XDG_DATA_HOME: 'relative' }, home: '/home/u' })).toBe('/home/u/.local/share/Modelwright/runs');
    expect(defaultRunsDir(undefined, { platform: 'darwin', env: {}, home: '/Users/u' })).toBe('/Users/u/Library/Application Support/Modelwright/runs');
    expect(appDataDir({ platform: 'win32', env: { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, home: 'C:\\Users\\u' })).toBe(
      join('C:\\Users\\u\\AppData\\Roaming', 'Modelwright'),
    );
    expect(defaultRunsDir('/base')).toBe('/base/runs');
  });

  it('names each run by time and a short id, usable as a run id', () => {
    const id = newRunId(new Date(2026, 10, 27, 9, 5, 3));
    expect(id).toMatch(/^20261127-090503-[0-9a-f]{6}$/);
    expect(RunIdSchema.safeParse(id).success).toBe(true);
    expect(newRunId()).not.toBe(newRunId());
  });

  it('refuses a runs folder inside assets/', () => {
    expect(() => resolveRunsDir('/app/assets/runs', '/app/assets')).toThrow(/assets/);
    expect(resolveRunsDir('/data/runs', '/app/assets')).toBe('/data/runs');
    expect(isInside('/a/b/c', '/a/b')).toBe(true);
    expect(isInside('/a/bc', '/a/b')).toBe(false);
  });
});

describe('prepareRunsDir', () => {
  it('creates the folder, and names the problem when it cannot', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mw-paths-'));
    expect(existsSync(prepareRunsDir(join(dir, 'a', 'runs')))).toBe(true);
    writeFileSync(join(dir, 'file'), '');
    expect(() => prepareRunsDir(join(dir, 'file', 'runs'))).toThrow(/Cannot create the runs folder .*a file is in the way/);
  });
});
