import { describe, expect, it } from 'vitest';
import { COMMANDS, commandForKey, keyLabel, matchKeys, MENUS } from '../../../renderer/commands';
import { catalogs } from '../../../renderer/i18n';

const key = (k: string, mods: Partial<Record<'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey', boolean>> = {}) =>
  ({ key: k, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods }) as KeyboardEvent;

describe('the command table', () => {
  it('gives every command a menu, a label in both languages, and no key twice', () => {
    const seen = new Map<string, string>();
    for (const c of COMMANDS) {
      expect(MENUS).toContain(c.menu);
      for (const lang of ['en', 'ko'] as const) {
        const [area, ...rest] = `commands.${c.id}`.split('.');
        let node: unknown = catalogs[lang][area!];
        for (const part of rest) node = (node as Record<string, unknown> | undefined)?.[part];
        expect(typeof node, `${lang}: commands.${c.id}`).toBe('string');
      }
      for (const k of c.keys ?? []) {
        expect(seen.get(k), `${k} is ${seen.get(k)} and ${c.id}`).toBeUndefined();
        seen.set(k, c.id);
      }
    }
  });

  it('has a key for Stop, and every Run command has one', () => {
    for (const c of COMMANDS.filter((x) => x.menu === 'run')) expect(c.keys?.length, c.id).toBeGreaterThan(0);
    expect(commandForKey(key('.', { ctrlKey: true }), false)?.id).toBe('run.stop');
    expect(commandForKey(key('.', { metaKey: true }), true)?.id).toBe('run.stop');
  });

  it('reads keys as the platform means them', () => {
    expect(matchKeys('CmdOrCtrl+S', key('s', { ctrlKey: true }), false)).toBe(true);
    expect(matchKeys('CmdOrCtrl+S', key('s', { metaKey: true }), false)).toBe(false);
    expect(matchKeys('CmdOrCtrl+S', key('s', { metaKey: true }), true)).toBe(true);
    expect(matchKeys('CmdOrCtrl+S', key('S', { ctrlKey: true, shiftKey: true }), false)).toBe(false);
    expect(commandForKey(key('S', { ctrlKey: true, shiftKey: true }), false)?.id).toBe('file.saveAs');
    expect(commandForKey(key('y', { ctrlKey: true }), false)?.id).toBe('edit.redo');
    expect(commandForKey(key('?', { shiftKey: true }), false)?.id).toBe('help.shortcuts');
    expect(commandForKey(key('f'), false)?.id).toBe('view.fit');
    expect(commandForKey(key('f', { ctrlKey: true }), false)).toBeUndefined();
    expect(keyLabel('CmdOrCtrl+Shift+S', false)).toBe('Ctrl+Shift+S');
    expect(keyLabel('CmdOrCtrl+Shift+S', true)).toBe('⌘⇧S');
    expect(keyLabel('CmdOrCtrl+.', false)).toBe('Ctrl+.');
  });
});
