/** Keyboard shortcuts of the editor. Inside text fields the field's own keys win. */
import { useEffect } from 'react';
import { useReactFlow, type ReactFlowInstance } from '@xyflow/react';
import { tidied, type Actions } from './actions';
import { useAppStore } from './state/appStore';
import { useDocumentStore } from './state/documentStore';
import type { NodeId } from '../engine/graph/document';
import { copyFragment, duplicate, pasteFragment, removeElements, type Fragment } from './state/edits';

/** What Copy put aside, and how often it was pasted (each paste lands a little further off). */
let clipboard: { fragment: Fragment; pastes: number } | null = null;

/** Shortcuts, for the help overlay; `Mod` is Ctrl, or ⌘ on a Mac. */
export const SHORTCUTS: readonly [keys: string, what: string][] = [
  ['Mod+O', 'Open a document'],
  ['Mod+S', 'Save'],
  ['Mod+Shift+S', 'Save as'],
  ['Mod+Z', 'Undo'],
  ['Mod+Shift+Z  or  Mod+Y', 'Redo'],
  ['Delete  or  Backspace', 'Delete the selected blocks and wires'],
  ['Mod+C  or  Mod+X', 'Copy or cut the selected blocks'],
  ['Mod+V', 'Paste'],
  ['Mod+D', 'Duplicate the selected blocks'],
  ['Mod+A', 'Select every block'],
  ['Escape', 'Clear the selection'],
  ['F', 'Fit the model in view'],
  ['L', 'Tidy up the layout'],
  ['Mod+Enter', 'Train'],
  ['/', 'Search the blocks'],
  ['?', 'Show these shortcuts'],
];

const IS_MAC = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

/** `Mod+Shift+Z` → `Ctrl+Shift+Z` or `⌘⇧Z`. */
export function keyLabel(keys: string): string {
  return IS_MAC ? keys.replace(/Mod\+/g, '⌘').replace(/Shift\+/g, '⇧') : keys.replace(/Mod\+/g, 'Ctrl+');
}

function inTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'range'].includes(target.type);
}

export function useShortcuts(actions: Actions): void {
  const flow = useReactFlow();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = IS_MAC ? e.metaKey : e.ctrlKey;
      const key = e.key.toLowerCase();
      const typing = inTextField(e.target);
      const docs = useDocumentStore.getState();
      const app = useAppStore.getState();
      if (app.confirmation) return; // the dialog handles its own keys

      const run = (f: () => void) => {
        e.preventDefault();
        f();
      };
      if (mod && key === 's') return run(() => void actions.save(e.shiftKey));
      if (mod && key === 'o') return run(() => void actions.openFile());
      if (mod && key === 'enter') return run(() => void actions.train());
      if (typing) return;
      if (mod && key === 'z') return run(() => (e.shiftKey ? docs.redo() : docs.undo()));
      if (mod && key === 'y') return run(() => docs.redo());
      if (mod && key === 'd') {
        return run(() => {
          const ids = docs.selection.nodes;
          if (ids.length === 0) return;
          let created: NodeId[] = [];
          docs.edit((doc) => {
            const result = duplicate(doc, ids);
            created = result.ids;
            return result.doc;
          });
          useDocumentStore.getState().select({ nodes: created, edges: [] });
        });
      }
      if (mod && (key === 'c' || key === 'x')) {
        const ids = docs.selection.nodes;
        const doc = docs.history?.present;
        if (ids.length === 0 || !doc) return; // nothing of ours selected: leave the browser's copy alone
        return run(() => {
          clipboard = { fragment: copyFragment(doc, ids), pastes: 0 };
          if (key === 'x') docs.edit((d) => removeElements(d, ids, []));
        });
      }
      if (mod && key === 'v') {
        const held = clipboard;
        if (!held) return;
        return run(() => {
          held.pastes++;
          let created: NodeId[] = [];
          docs.edit((doc) => {
            const result = pasteFragment(doc, held.fragment, { x: 40 * held.pastes, y: 40 * held.pastes });
            created = result.ids;
            return result.doc;
          });
          useDocumentStore.getState().select({ nodes: created, edges: [] });
        });
      }
      if (mod && key === 'a') {
        return run(() => {
          const doc = docs.history?.present;
          if (doc) docs.select({ nodes: doc.graph.nodes.map((n) => n.id), edges: doc.graph.edges.map((ed) => ed.id) });
        });
      }
      if (mod || e.altKey) return;
      if (key === 'delete' || key === 'backspace') {
        return run(() => {
          const { nodes, edges } = docs.selection;
          docs.edit((doc) => removeElements(doc, nodes, edges));
        });
      }
      if (key === 'escape') {
        if (app.showShortcuts) return run(() => app.set({ showShortcuts: false }));
        return run(() => docs.select({ nodes: [], edges: [] }));
      }
      if (key === 'f') return run(() => void flow.fitView({ padding: 0.15, duration: 200 }));
      if (key === 'l') return run(() => tidyUp(flow));
      if (e.key === '?') return run(() => app.set({ showShortcuts: !app.showShortcuts }));
      if (e.key === '/') return run(() => document.querySelector<HTMLInputElement>('.palette input[type="search"]')?.focus());
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [actions, flow]);
}

/** Lays the blocks out tidily (one undo step) and fits them in view. */
export function tidyUp(flow: Pick<ReactFlowInstance, 'fitView'>): void {
  useDocumentStore.getState().edit((doc) => tidied(doc));
  requestAnimationFrame(() => requestAnimationFrame(() => void flow.fitView({ padding: 0.12, maxZoom: 1.1, duration: 200 })));
}

/** Mounts the shortcuts; lives inside the React Flow provider so "F" can fit the view. */
export function Shortcuts({ actions }: { actions: Actions }) {
  useShortcuts(actions);
  return null;
}
