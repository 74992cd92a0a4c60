/**
 * The app's one command table. The toolbar's File menu, the keyboard shortcuts, the shortcuts
 * help and the desktop's native menus are all built from it: a command has one id, one label
 * (through i18n), one set of keys and one enabled rule, wherever it is shown. The desktop host
 * gets the table as a menu model (`menuModel`) over validated IPC and sends clicks back as ids.
 *
 * Keys are written in Electron's accelerator grammar (`CmdOrCtrl+Shift+S`), so the native menu
 * can show them as they are; `matchKeys` reads them against a KeyboardEvent for the renderer.
 */
import type { ReactFlowInstance } from '@xyflow/react';
import type { MenuItemModel, MenuModel, NativeRole } from '../engine/api';
import type { Actions } from './actions';
import type { Host } from './host/Host';
import { t } from './i18n';
import { useAppStore } from './state/appStore';
import { useDocumentStore } from './state/documentStore';
import { isActive, useTrainingStore } from './state/trainingStore';
import { copyFragment, duplicate, pasteFragment, removeElements, type Fragment } from './state/edits';
import type { NodeId } from '../engine/graph/document';
import { tidied } from './actions';
import { openTemplateGallery } from './panels/TemplateGallery';

export type MenuId = 'file' | 'edit' | 'view' | 'run' | 'help';
export const MENUS: readonly MenuId[] = ['file', 'edit', 'view', 'run', 'help'];

/** What a command may use when it runs. */
export interface CommandContext {
  actions: Actions;
  host: Host;
  flow: Pick<ReactFlowInstance, 'fitView'>;
}

export interface Command {
  /** Stable id: what the native menu sends back, and the label's key (`commands.<id>`). */
  id: CommandId;
  menu: MenuId;
  /** Commands of one menu in groups; the menus draw a separator between two groups. */
  group: number;
  /** Accelerators, the first shown in menus; the others work too (Redo: Shift+Z or Y). */
  keys?: readonly string[];
  /** Its keys work inside a text field too (Save, Open, Train); the field's own keys win otherwise. */
  inFields?: boolean;
  /**
   * The native menu item is this Electron role (text editing in any field must reach the OS's
   * own Cut/Copy/Paste on macOS); clicks reach the page as DOM clipboard events.
   */
  role?: NativeRole;
  /** Shown in the native menu of the desktop host only, or in the web's File menu only. */
  only?: 'desktop' | 'web';
  enabled?(ctx: CommandContext): boolean;
  run(ctx: CommandContext): unknown;
}

const COMMAND_IDS = [
  'file.new',
  'file.newFromTemplate',
  'file.open',
  'file.save',
  'file.saveAs',
  'file.revert',
  'file.exportJson',
  'file.exportPytorch',
  'file.exportOnnx',
  'file.exportTfjs',
  'edit.undo',
  'edit.redo',
  'edit.cut',
  'edit.copy',
  'edit.paste',
  'edit.duplicate',
  'edit.delete',
  'edit.selectAll',
  'edit.deselect',
  'view.fit',
  'view.tidy',
  'view.searchBlocks',
  'run.train',
  'run.stop',
  'help.shortcuts',
  'help.documentation',
] as const;
export type CommandId = (typeof COMMAND_IDS)[number];

/** What Copy put aside, and how often it was pasted (each paste lands a little further off). */
let clipboard: { fragment: Fragment; pastes: number } | null = null;

const docs = () => useDocumentStore.getState();
const hasDoc = () => docs().history !== null;
const hasSelection = () => docs().selection.nodes.length > 0 || docs().selection.edges.length > 0;
const finishedRun = () => {
  const { run } = useTrainingStore.getState();
  return run.status === 'done' && run.runId !== null;
};

/** The project's documentation: the only place Help opens outside the app (main's allowlist has it too). */
export const DOCS_URL = 'https://modelwright.app/docs';

function copySelection(cut: boolean): void {
  const d = docs();
  const ids = d.selection.nodes;
  const doc = d.history?.present;
  if (ids.length === 0 || !doc) return;
  clipboard = { fragment: copyFragment(doc, ids), pastes: 0 };
  if (cut) d.edit((x) => removeElements(x, ids, []));
}

function paste(): void {
  const held = clipboard;
  if (!held) return;
  held.pastes++;
  let created: NodeId[] = [];
  docs().edit((doc) => {
    const result = pasteFragment(doc, held.fragment, { x: 40 * held.pastes, y: 40 * held.pastes });
    created = result.ids;
    return result.doc;
  });
  docs().select({ nodes: created, edges: [] });
}

/** Lays the blocks out tidily (one undo step) and fits them in view. */
export function tidyUp(flow: Pick<ReactFlowInstance, 'fitView'>): void {
  docs().edit((doc) => tidied(doc));
  requestAnimationFrame(() => requestAnimationFrame(() => void flow.fitView({ padding: 0.12, maxZoom: 1.1, duration: 200 })));
}

export const COMMANDS: readonly Command[] = [
  { id: 'file.new', menu: 'file', group: 0, keys: ['CmdOrCtrl+N'], run: ({ actions }) => actions.newDocument() },
  // The editor's gallery (renderer/panels/TemplateGallery.tsx).
  { id: 'file.newFromTemplate', menu: 'file', group: 0, run: () => openTemplateGallery() },
  { id: 'file.open', menu: 'file', group: 0, keys: ['CmdOrCtrl+O'], inFields: true, run: ({ actions }) => actions.openFile() },
  { id: 'file.save', menu: 'file', group: 1, keys: ['CmdOrCtrl+S'], inFields: true, enabled: hasDoc, run: ({ actions }) => actions.save() },
  {
    id: 'file.saveAs',
    menu: 'file',
    group: 1,
    keys: ['CmdOrCtrl+Shift+S'],
    inFields: true,
    enabled: hasDoc,
    run: ({ actions }) => actions.save(true),
  },
  {
    id: 'file.revert',
    menu: 'file',
    group: 1,
    enabled: () => {
      const d = docs();
      // Unsaved changes to a document that has a saved version (a restored autosave has none here).
      return d.history !== null && d.saved !== null && d.history.present !== d.saved;
    },
    run: ({ actions }) => actions.revert(),
  },
  { id: 'file.exportJson', menu: 'file', group: 2, keys: ['CmdOrCtrl+Shift+E'], enabled: hasDoc, run: ({ actions }) => actions.exportJson() },
  { id: 'file.exportPytorch', menu: 'file', group: 2, enabled: finishedRun, run: ({ actions }) => actions.exportRun('pytorch') },
  { id: 'file.exportOnnx', menu: 'file', group: 2, enabled: finishedRun, run: ({ actions }) => actions.exportRun('onnx') },
  { id: 'file.exportTfjs', menu: 'file', group: 2, enabled: finishedRun, run: ({ actions }) => actions.exportRun('tfjs') },

  { id: 'edit.undo', menu: 'edit', group: 0, keys: ['CmdOrCtrl+Z'], enabled: () => (docs().history?.past.length ?? 0) > 0, run: () => docs().undo() },
  {
    id: 'edit.redo',
    menu: 'edit',
    group: 0,
    keys: ['CmdOrCtrl+Shift+Z', 'CmdOrCtrl+Y'],
    enabled: () => (docs().history?.future.length ?? 0) > 0,
    run: () => docs().redo(),
  },
  { id: 'edit.cut', menu: 'edit', group: 1, keys: ['CmdOrCtrl+X'], role: 'cut', run: () => copySelection(true) },
  { id: 'edit.copy', menu: 'edit', group: 1, keys: ['CmdOrCtrl+C'], role: 'copy', run: () => copySelection(false) },
  { id: 'edit.paste', menu: 'edit', group: 1, keys: ['CmdOrCtrl+V'], role: 'paste', run: paste },
  {
    id: 'edit.duplicate',
    menu: 'edit',
    group: 1,
    keys: ['CmdOrCtrl+D'],
    enabled: () => docs().selection.nodes.length > 0,
    run: () => {
      const ids = docs().selection.nodes;
      if (ids.length === 0) return;
      let created: NodeId[] = [];
      docs().edit((doc) => {
        const result = duplicate(doc, ids);
        created = result.ids;
        return result.doc;
      });
      docs().select({ nodes: created, edges: [] });
    },
  },
  {
    id: 'edit.delete',
    menu: 'edit',
    group: 1,
    keys: ['Delete', 'Backspace'],
    enabled: hasSelection,
    run: () => {
      const { nodes, edges } = docs().selection;
      docs().edit((doc) => removeElements(doc, nodes, edges));
    },
  },
  {
    id: 'edit.selectAll',
    menu: 'edit',
    group: 2,
    keys: ['CmdOrCtrl+A'],
    enabled: hasDoc,
    run: () => {
      // From the native menu while a field has the focus: the field's text, as everywhere else.
      const field = typeof document === 'undefined' ? null : document.activeElement;
      if (field && (field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement)) return field.select();
      const doc = docs().history?.present;
      if (doc) docs().select({ nodes: doc.graph.nodes.map((n) => n.id), edges: doc.graph.edges.map((e) => e.id) });
    },
  },
  {
    id: 'edit.deselect',
    menu: 'edit',
    group: 2,
    keys: ['Escape'],
    run: () => {
      const app = useAppStore.getState();
      if (app.showShortcuts) app.set({ showShortcuts: false });
      else docs().select({ nodes: [], edges: [] });
    },
  },

  { id: 'view.fit', menu: 'view', group: 0, keys: ['F'], run: ({ flow }) => void flow.fitView({ padding: 0.15, duration: 200 }) },
  { id: 'view.tidy', menu: 'view', group: 0, keys: ['L'], enabled: hasDoc, run: ({ flow }) => tidyUp(flow) },
  {
    id: 'view.searchBlocks',
    menu: 'view',
    group: 1,
    keys: ['/'],
    run: () => document.querySelector<HTMLInputElement>('.palette input[type="search"]')?.focus(),
  },

  {
    id: 'run.train',
    menu: 'run',
    group: 0,
    keys: ['CmdOrCtrl+Enter'],
    inFields: true,
    enabled: () => hasDoc() && !isActive(useTrainingStore.getState().run.status),
    run: ({ actions }) => actions.train(),
  },
  {
    id: 'run.stop',
    menu: 'run',
    group: 0,
    keys: ['CmdOrCtrl+.'],
    inFields: true,
    enabled: () => isActive(useTrainingStore.getState().run.status),
    run: ({ actions }) => actions.stop(),
  },

  {
    id: 'help.shortcuts',
    menu: 'help',
    group: 0,
    keys: ['?'],
    run: () => useAppStore.getState().set({ showShortcuts: !useAppStore.getState().showShortcuts }),
  },
  { id: 'help.documentation', menu: 'help', group: 0, run: ({ host }) => host.openExternal(DOCS_URL) },
];

const BY_ID = new Map<string, Command>(COMMANDS.map((c) => [c.id, c]));
if (BY_ID.size !== COMMANDS.length || COMMAND_IDS.some((id) => !BY_ID.has(id))) throw new Error('commands.ts: every command id once');

export function commandById(id: string): Command | undefined {
  return BY_ID.get(id);
}

/** Whether a command would do anything now. */
export function isEnabled(command: Command, ctx: CommandContext): boolean {
  return command.enabled ? command.enabled(ctx) : true;
}

/** Runs a command by id if it exists and is enabled; true when it ran. */
export function runCommand(id: string, ctx: CommandContext): boolean {
  const command = BY_ID.get(id);
  if (!command || !isEnabled(command, ctx)) return false;
  void command.run(ctx);
  return true;
}

export const commandLabel = (id: CommandId): string => t(`commands.${id}`);

export const IS_MAC = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

/** An accelerator as the user reads it here: `Ctrl+Shift+S`, or `⌘⇧S` on a Mac. */
export function keyLabel(accelerator: string, mac = IS_MAC): string {
  const parts = accelerator.split('+').filter((p, i, all) => p !== '' || i === all.length - 1);
  const key = parts.pop() || '+';
  const mods = parts.map((m) => {
    const mod = m.toLowerCase();
    if (mod === 'cmdorctrl' || mod === 'commandorcontrol' || mod === 'mod') return mac ? '⌘' : 'Ctrl+';
    if (mod === 'shift') return mac ? '⇧' : 'Shift+';
    if (mod === 'alt' || mod === 'option') return mac ? '⌥' : 'Alt+';
    return `${m}+`;
  });
  const keyName = key === 'Enter' && mac ? '↩' : key === 'Backspace' && mac ? '⌫' : key === 'Escape' ? 'Esc' : key;
  return mods.join('') + keyName;
}

interface Parsed {
  mod: boolean;
  shift: boolean;
  alt: boolean;
  key: string;
}

function parse(accelerator: string): Parsed {
  const parts = accelerator.split('+');
  const key = (parts.pop() || '+').toLowerCase();
  const mods = parts.map((p) => p.toLowerCase());
  return { mod: mods.includes('cmdorctrl'), shift: mods.includes('shift'), alt: mods.includes('alt'), key };
}

/** Whether `e` presses `accelerator`: Mod is ⌘ on a Mac, Ctrl elsewhere; a punctuation key ignores Shift (`?` is Shift+/). */
export function matchKeys(accelerator: string, e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>, mac = IS_MAC): boolean {
  const want = parse(accelerator);
  const mod = mac ? e.metaKey : e.ctrlKey;
  const other = mac ? e.ctrlKey : e.metaKey;
  if (mod !== want.mod || other || e.altKey !== want.alt) return false;
  const key = e.key.toLowerCase();
  const letterLike = /^[a-z0-9]$/.test(want.key) || want.key.length > 1;
  if (letterLike && e.shiftKey !== want.shift) return false;
  return key === want.key;
}

/** The command whose keys `e` presses, if any. */
export function commandForKey(e: KeyboardEvent, mac = IS_MAC): Command | undefined {
  return COMMANDS.find((c) => c.keys?.some((k) => matchKeys(k, e, mac)));
}

/** The table as the desktop's native menus show it: labels in the user's language, enabled now. */
export function menuModel(ctx: CommandContext, recent: { path: string; name: string }[]): MenuModel {
  const menus = MENUS.map((menu) => {
    const items: MenuItemModel[] = [];
    let group: number | null = null;
    for (const c of COMMANDS.filter((x) => x.menu === menu && x.only !== 'web')) {
      if (group !== null && c.group !== group) items.push({ kind: 'separator' });
      group = c.group;
      const accelerator = c.keys?.[0];
      items.push({
        kind: 'command',
        id: c.id,
        label: commandLabel(c.id),
        enabled: isEnabled(c, ctx),
        ...(accelerator ? { accelerator } : {}),
        ...(c.role ? { role: c.role } : {}),
      });
      if (c.id === 'file.open') {
        items.push({
          kind: 'recent',
          label: t('commands.file.openRecent'),
          clearLabel: t('commands.file.clearRecent'),
          emptyLabel: t('shell.recent.empty'),
          items: recent,
        });
      }
    }
    return { id: menu, label: t(`commands.menu.${menu}`), items };
  });
  return {
    menus,
    labels: {
      about: t('commands.native.about'),
      quit: t('commands.native.quit'),
      close: t('commands.native.close'),
      window: t('commands.native.window'),
      minimize: t('commands.native.minimize'),
      zoom: t('commands.native.zoom'),
      fullScreen: t('commands.native.fullScreen'),
      zoomIn: t('commands.native.zoomIn'),
      zoomOut: t('commands.native.zoomOut'),
      resetZoom: t('commands.native.resetZoom'),
      hide: t('commands.native.hide'),
      hideOthers: t('commands.native.hideOthers'),
      showAll: t('commands.native.showAll'),
      devTools: t('commands.native.devTools'),
      notAnswering: t('commands.native.notAnswering'),
      closeAnyway: t('commands.native.closeAnyway'),
      wait: t('commands.native.wait'),
      openFailed: t('commands.native.openFailed'),
      allowFilesTitle: t('commands.native.allowFilesTitle'),
      allowFilesOne: t('commands.native.allowFilesOne'),
      allowFilesMany: t('commands.native.allowFilesMany'),
      allowFilesData: t('commands.native.allowFilesData'),
      allowFilesPretrained: t('commands.native.allowFilesPretrained'),
      allow: t('commands.native.allow'),
      cancel: t('commands.native.cancel'),
    },
  };
}
