/**
 * The open Document and everything about editing it: undo/redo of every edit, the selection,
 * the file it came from and whether it has unsaved changes.
 */
import { create } from 'zustand';
import type { Document, EdgeId, NodeId } from '../../engine/graph/document';
import { createHistory, record, redo, undo, type History } from './history';

/** Where the open document lives. `path` is the host's locator (a path, or a browser handle key). */
export interface FileRef {
  name: string;
  path?: string;
}

export interface Selection {
  nodes: readonly NodeId[];
  edges: readonly EdgeId[];
}

const EMPTY_SELECTION: Selection = { nodes: [], edges: [] };

export interface DocumentState {
  history: History<Document> | null;
  /** The document as last saved or loaded; the document is dirty when it is another object. */
  saved: Document | null;
  file: FileRef;
  selection: Selection;
  /** Counts loads, so the canvas can fit a newly opened document into view. */
  loadCount: number;
  /** Replaces everything with a freshly loaded document; history starts over. */
  load(doc: Document, file: FileRef): void;
  /**
   * Applies an edit. Edits with the same `coalesceKey` in quick succession are one undo step
   * (typing a number, one drag).
   */
  edit(change: (doc: Document) => Document, coalesceKey?: string | null): void;
  undo(): void;
  redo(): void;
  select(selection: Selection): void;
  markSaved(doc: Document, file: FileRef): void;
  /** The open document counts as unsaved (a restored autosave: its changes are on no disk). */
  markUnsaved(): void;
}

/** Drops ids from the selection that are no longer in the document (after undo, delete). */
function pruneSelection(selection: Selection, doc: Document): Selection {
  const nodes = selection.nodes.filter((id) => doc.graph.nodes.some((n) => n.id === id));
  const edges = selection.edges.filter((id) => doc.graph.edges.some((e) => e.id === id));
  return nodes.length === selection.nodes.length && edges.length === selection.edges.length ? selection : { nodes, edges };
}

export const useDocumentStore = create<DocumentState>()((set, get) => ({
  history: null,
  saved: null,
  file: { name: 'Untitled.modelwright' },
  selection: EMPTY_SELECTION,
  loadCount: 0,
  load: (doc, file) => set({ history: createHistory(doc), saved: doc, file, selection: EMPTY_SELECTION, loadCount: get().loadCount + 1 }),
  edit: (change, coalesceKey = null) => {
    const { history, selection } = get();
    if (!history) return;
    const next = change(history.present);
    if (next === history.present) return;
    set({ history: record(history, next, coalesceKey), selection: pruneSelection(selection, next) });
  },
  undo: () => {
    const { history, selection } = get();
    if (!history || history.past.length === 0) return;
    const h = undo(history);
    set({ history: h, selection: pruneSelection(selection, h.present) });
  },
  redo: () => {
    const { history, selection } = get();
    if (!history || history.future.length === 0) return;
    const h = redo(history);
    set({ history: h, selection: pruneSelection(selection, h.present) });
  },
  select: (selection) => set({ selection }),
  markSaved: (doc, file) => set({ saved: doc, file }),
  markUnsaved: () => set({ saved: null }),
}));

/** The open document, or null before the first one has loaded. */
export const useDoc = () => useDocumentStore((s) => s.history?.present ?? null);
/** Whether the open document differs from the one last saved or loaded. */
export const useDirty = () => useDocumentStore((s) => s.history !== null && s.history.present !== s.saved);
