/**
 * The native menus, built from the renderer's command table (renderer/commands.ts sends it as a
 * MenuModel): File, Edit, View, Run, Help (and the app menu on macOS), with the same labels,
 * shortcuts and enabled state as the page. A click sends the command's id back to the page.
 *
 * Our commands' accelerators are shown but not registered with the OS (`registerAccelerator:
 * false`): the page's own key handler runs them, so a key works the same in the browser and the
 * desktop, and a single-letter shortcut ("F") never fires while the user types in a field. The
 * text-editing roles (Cut, Copy, Paste) and the window's own items are native.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuModel } from '../engine/api';

export interface MenuHandlers {
  command(id: string): void;
  openRecent(path: string): void;
  clearRecent(): void;
}

export function menuTemplate(
  model: MenuModel,
  handlers: MenuHandlers,
  opts: { platform: NodeJS.Platform; appName: string; devTools: boolean },
): MenuItemConstructorOptions[] {
  const isMac = opts.platform === 'darwin';
  const L = model.labels;
  const submenus = model.menus.map((menu): MenuItemConstructorOptions => {
    const items: MenuItemConstructorOptions[] = menu.items.map((item): MenuItemConstructorOptions => {
      if (item.kind === 'separator') return { type: 'separator' };
      if (item.kind === 'recent') {
        const entries: MenuItemConstructorOptions[] =
          item.items.length === 0
            ? [{ label: item.emptyLabel, enabled: false }]
            : item.items.map((r) => ({ label: r.name, sublabel: r.path, toolTip: r.path, click: () => handlers.openRecent(r.path) }));
        return {
          label: item.label,
          submenu: [...entries, { type: 'separator' }, { label: item.clearLabel, enabled: item.items.length > 0, click: () => handlers.clearRecent() }],
        };
      }
      if (item.role) return { role: item.role, label: item.label, ...(item.accelerator ? { accelerator: item.accelerator } : {}) };
      return {
        id: item.id,
        label: item.label,
        enabled: item.enabled,
        ...(item.accelerator ? { accelerator: item.accelerator, registerAccelerator: false } : {}),
        click: () => handlers.command(item.id),
      };
    });
    if (menu.id === 'file') items.push({ type: 'separator' }, { role: 'close', label: L.close }, ...(isMac ? [] : [{ role: 'quit' as const, label: L.quit }]));
    if (menu.id === 'view') {
      items.push(
        { type: 'separator' },
        { role: 'zoomIn', label: L.zoomIn },
        { role: 'zoomOut', label: L.zoomOut },
        { role: 'resetZoom', label: L.resetZoom },
        { type: 'separator' },
        { role: 'togglefullscreen', label: L.fullScreen },
        ...(opts.devTools ? [{ type: 'separator' as const }, { role: 'toggleDevTools' as const, label: L.devTools }] : []),
      );
    }
    if (menu.id === 'help' && !isMac) items.push({ type: 'separator' }, { role: 'about', label: L.about });
    return { label: menu.label, ...(menu.id === 'help' ? { role: 'help' as const } : {}), submenu: items };
  });
  const windowMenu: MenuItemConstructorOptions = {
    label: L.window,
    role: 'windowMenu',
    submenu: [
      { role: 'minimize', label: L.minimize },
      { role: 'zoom', label: L.zoom },
      ...(isMac ? [{ type: 'separator' as const }, { role: 'front' as const }] : []),
    ],
  };
  const appMenu: MenuItemConstructorOptions = {
    label: opts.appName,
    submenu: [
      { role: 'about', label: L.about },
      { type: 'separator' },
      { role: 'hide', label: L.hide },
      { role: 'hideOthers', label: L.hideOthers },
      { role: 'unhide', label: L.showAll },
      { type: 'separator' },
      { role: 'quit', label: L.quit },
    ],
  };
  const help = submenus.pop();
  return [...(isMac ? [appMenu] : []), ...submenus, windowMenu, ...(help ? [help] : [])];
}
