/** The desktop shell's pure parts, which run without the Electron binary. */
import { join, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rendererFileFor } from '../../../electron/appProtocol';
import { documentPathsFromArgv } from '../../../electron/argv';
import { isAllowedExternal } from '../../../electron/links';
import { menuTemplate } from '../../../electron/menu';
import { DEFAULT_WINDOW, restoreWindowState } from '../../../electron/windowState';
import type { MenuModel } from '../../../engine/api';

describe('app:// protocol', () => {
  const root = resolve('/app/dist/renderer');
  it('serves files under the renderer folder and nothing else', () => {
    expect(rendererFileFor('app://modelwright/index.html', root)).toBe(join(root, 'index.html'));
    expect(rendererFileFor('app://modelwright/', root)).toBe(join(root, 'index.html'));
    expect(rendererFileFor('app://modelwright/assets/index-1.js?x=1', root)).toBe(join(root, 'assets', 'index-1.js'));
    for (const bad of [
      'app://modelwright/../main.cjs',
      'app://modelwright/%2e%2e/main.cjs',
      'app://modelwright/assets/..%2F..%2Fmain.cjs',
      'app://other/index.html',
      'file:///etc/passwd',
      'app://modelwright/%00.html',
      'app://modelwright/%E0%A4%A',
    ]) {
      const file = rendererFileFor(bad, root);
      expect(file === null || file.startsWith(root + sep), bad).toBe(true);
    }
    // The URL parser resolves the dots at the root, so a climb lands inside the folder, never above it.
    expect(rendererFileFor('app://modelwright/%2e%2e/main.cjs', root)).toBe(join(root, 'main.cjs'));
    expect(rendererFileFor('app://modelwright/assets/..%2F..%2Fmain.cjs', root)).toBeNull();
    expect(rendererFileFor('app://other/index.html', root)).toBeNull();
  });
});

describe('documents on the command line', () => {
  it('finds documents, skips flags, their values and the app itself', () => {
    const argv = [
      '/opt/Modelwright/modelwright',
      '--runs-dir',
      '/tmp/x.json',
      '--no-sandbox',
      'model.modelwright',
      '/abs/other.JSON',
      '.',
      'package.json',
      'notes.txt',
    ];
    expect(documentPathsFromArgv(argv, '/home/u')).toEqual([resolve('/home/u', 'model.modelwright'), '/abs/other.JSON']);
  });
});

describe('openExternal allowlist', () => {
  it('allows our own https links only', () => {
    expect(isAllowedExternal('https://modelwright.app/docs')).toBe(true);
    expect(isAllowedExternal('https://github.com/modelwright/modelwright/issues')).toBe(true);
    for (const bad of [
      'http://modelwright.app/docs',
      'https://modelwright.app.evil.example/',
      'https://evil.example/?u=https://modelwright.app',
      'https://github.com/someone-else/repo',
      'https://user:pw@modelwright.app/',
      'https://modelwright.app:8443/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'not a url',
    ]) {
      expect(isAllowedExternal(bad), bad).toBe(false);
    }
  });
});

describe('window state', () => {
  const screens = [{ x: 0, y: 0, width: 1920, height: 1080 }];
  it('restores a place on a screen, and falls back when it is on none or broken', () => {
    expect(restoreWindowState({ x: 100, y: 100, width: 1200, height: 800, maximized: true }, screens)).toEqual({
      x: 100,
      y: 100,
      width: 1200,
      height: 800,
      maximized: true,
    });
    expect(restoreWindowState({ x: 4000, y: 100, width: 1200, height: 800, maximized: false }, screens)).toEqual({
      width: 1200,
      height: 800,
      maximized: false,
    });
    expect(restoreWindowState({ width: 'big' }, screens)).toEqual(DEFAULT_WINDOW);
    expect(restoreWindowState(null, screens)).toEqual(DEFAULT_WINDOW);
  });
});

describe('native menu from the page’s model', () => {
  const labels = Object.fromEntries(
    ['about', 'quit', 'close', 'window', 'minimize', 'zoom', 'fullScreen', 'zoomIn', 'zoomOut', 'resetZoom', 'hide', 'hideOthers', 'showAll', 'devTools'].map(
      (k) => [k, `L:${k}`],
    ),
  ) as MenuModel['labels'];
  const model: MenuModel = {
    labels,
    menus: [
      {
        id: 'file',
        label: 'Datei',
        items: [
          { kind: 'command', id: 'file.save', label: 'Speichern', enabled: true, accelerator: 'CmdOrCtrl+S' },
          { kind: 'separator' },
          { kind: 'recent', label: 'Zuletzt', clearLabel: 'Leeren', emptyLabel: 'Keine', items: [{ path: '/d/a.modelwright', name: 'a.modelwright' }] },
        ],
      },
      {
        id: 'edit',
        label: 'Bearbeiten',
        items: [{ kind: 'command', id: 'edit.copy', label: 'Kopieren', enabled: true, accelerator: 'CmdOrCtrl+C', role: 'copy' }],
      },
      { id: 'view', label: 'Ansicht', items: [{ kind: 'command', id: 'view.fit', label: 'Einpassen', enabled: false, accelerator: 'F' }] },
      { id: 'help', label: 'Hilfe', items: [] },
    ],
  };
  it('sends clicks back as command ids, shows but does not register our keys, and keeps text roles native', () => {
    const clicked: string[] = [];
    const opened: string[] = [];
    const template = menuTemplate(
      model,
      { command: (id) => clicked.push(id), openRecent: (p) => opened.push(p), clearRecent: () => {} },
      { platform: 'linux', appName: 'Modelwright', devTools: false },
    );
    expect(template.map((m) => m.label)).toEqual(['Datei', 'Bearbeiten', 'Ansicht', 'L:window', 'Hilfe']);
    const file = template[0]!.submenu as Electron.MenuItemConstructorOptions[];
    const save = file[0]!;
    expect(save).toMatchObject({ label: 'Speichern', accelerator: 'CmdOrCtrl+S', registerAccelerator: false, enabled: true });
    save.click?.({} as never, undefined, {} as never);
    expect(clicked).toEqual(['file.save']);
    const recent = (file[2]!.submenu as Electron.MenuItemConstructorOptions[])[0]!;
    recent.click?.({} as never, undefined, {} as never);
    expect(opened).toEqual(['/d/a.modelwright']);
    expect(file.some((i) => i.role === 'quit')).toBe(true);
    const copy = (template[1]!.submenu as Electron.MenuItemConstructorOptions[])[0]!;
    expect(copy).toMatchObject({ role: 'copy', label: 'Kopieren' });
    const view = template[2]!.submenu as Electron.MenuItemConstructorOptions[];
    expect(view[0]).toMatchObject({ enabled: false, registerAccelerator: false });
    expect(view.some((i) => i.role === 'toggleDevTools')).toBe(false);
  });
  it('on macOS puts the app menu first, with Quit there', () => {
    const template = menuTemplate(
      model,
      { command: () => {}, openRecent: () => {}, clearRecent: () => {} },
      { platform: 'darwin', appName: 'Modelwright', devTools: true },
    );
    expect(template[0]!.label).toBe('Modelwright');
    expect((template[0]!.submenu as Electron.MenuItemConstructorOptions[]).some((i) => i.role === 'quit')).toBe(true);
    expect((template[1]!.submenu as Electron.MenuItemConstructorOptions[]).some((i) => i.role === 'quit')).toBe(false);
  });
});
