/**
 * Consent for the files a document names (its data file, an Embedding's pretrained vectors):
 * the engine reads one only once the host has granted it. What the user accepted here (or typed
 * or picked in our own UI) lives in this store, for the open document only: never in the
 * document file, never kept across app restarts. The page can only ask the host to grant it
 * (`allowFiles`): the web host grants it to this page's connection, the desktop host asks the
 * user again in its own dialog.
 */
import { create } from 'zustand';
import type { DocumentFile, DocumentFiles, EngineResult, FileAccess } from '../../engine/api';
import type { Host } from '../host/Host';
import type { FileRef } from './documentStore';

export interface ConsentState {
  /** The load (documentStore.loadCount) these accepted paths belong to. */
  loadCount: number;
  /** Paths the user accepted in the consent dialog, as the host resolved them. */
  accepted: readonly string[];
  /**
   * The path last typed or picked in our own UI for each slot ("data", "pretrained:<node id>").
   * Only the latest per slot counts: a field commits as it is typed, and its prefixes are not
   * files anyone chose.
   */
  typed: Readonly<Record<string, string>>;
  /** `accepted` and `typed` together: what the page asks the host to grant (`allowFiles`). */
  allowed: readonly string[];
  /** The document's files as the host last described them, with whether each is allowed. */
  files: readonly DocumentFile[];
  /** Whether the consent dialog is up (there are files to accept and the user has not said "Not now"). */
  open: boolean;
  /** Accepts paths for the open document; the dialog closes when nothing is left to accept. */
  accept(paths: readonly string[]): void;
  /** A path the user typed or picked in our UI for `slot`; it replaces the slot's last one. */
  typedPath(slot: string, path: string): void;
  /** "Not now": hides the dialog until the files change or something asks for them again. */
  dismiss(): void;
  /** Shows the dialog again (a refused call, the Data tab's button). */
  reopen(): void;
  /** A new document was loaded: whatever was accepted for the last one no longer applies. */
  reset(loadCount: number): void;
  /** The host's answer to describeFiles for the open document. */
  described(files: readonly DocumentFile[]): void;
}

/** The host takes at most this many (FileAccessSchema); the newest win. */
const MAX_ALLOWED = 64;

function union(accepted: readonly string[], typed: Readonly<Record<string, string>>): string[] {
  return [...new Set([...accepted, ...Object.values(typed)])].slice(-MAX_ALLOWED);
}

export const useConsentStore = create<ConsentState>()((set, get) => ({
  loadCount: -1,
  accepted: [],
  typed: {},
  allowed: [],
  files: [],
  open: false,
  accept: (paths) => {
    const fresh = paths.map((p) => p.trim()).filter((p) => p && !get().accepted.includes(p));
    if (fresh.length === 0) return;
    const accepted = [...get().accepted, ...fresh];
    const now = new Set(fresh);
    // What the host will answer next, so the dialog closes at once instead of after a round trip.
    const files = get().files.map((f) => (now.has(f.resolvedPath) || now.has(f.path) ? { ...f, allowed: true } : f));
    set({ accepted, allowed: union(accepted, get().typed), files, open: get().open && files.some((f) => !f.allowed) });
  },
  typedPath: (slot, path) => {
    const trimmed = path.trim();
    if (!trimmed || get().typed[slot] === trimmed) return;
    const typed = { ...get().typed, [slot]: trimmed };
    const files = get().files.map((f) => (f.path === trimmed ? { ...f, allowed: true } : f));
    set({ typed, allowed: union(get().accepted, typed), files, open: get().open && files.some((f) => !f.allowed) });
  },
  dismiss: () => set({ open: false }),
  reopen: () => set({ open: get().files.some((f) => !f.allowed) }),
  reset: (loadCount) => {
    if (loadCount !== get().loadCount) set({ loadCount, accepted: [], typed: {}, allowed: [], files: [], open: false });
  },
  described: (files) => {
    const before = new Set(
      get()
        .files.filter((f) => !f.allowed)
        .map((f) => f.resolvedPath),
    );
    const refused = files.filter((f) => !f.allowed);
    // A file newly in need of consent brings the dialog up; the same list after "Not now" does not.
    const news = refused.some((f) => !before.has(f.resolvedPath));
    set({ files, open: refused.length > 0 && (get().open || news) });
  },
}));

/** The files of the open document still waiting for the user's consent. */
export function refusedFiles(files: readonly DocumentFile[]): DocumentFile[] {
  return files.filter((f) => !f.allowed);
}

/**
 * What to pass the host with a document: its own path where the host knows paths (desktop;
 * a browser's handle key is not a path).
 */
export function fileAccess(host: Pick<Host, 'kind'>, file: FileRef): FileAccess {
  return host.kind === 'desktop' && file.path ? { documentPath: file.path } : {};
}

/**
 * Asks the host to grant what the user accepted here (`allowed`, those the document names) and
 * answers the document's files as the host now sees them. With nothing accepted it only asks.
 * Calls go one at a time, so the desktop host never shows its confirmation twice for one file.
 */
export function grantAllowed(
  host: Pick<Host, 'engine'>,
  documentText: string,
  allowed: readonly string[],
  access: FileAccess,
): Promise<EngineResult<DocumentFiles>> {
  const call = () => (allowed.length > 0 ? host.engine.allowFiles(documentText, [...allowed], access) : host.engine.describeFiles(documentText, access));
  const next = grantQueue.then(call, call);
  grantQueue = next.catch(() => undefined);
  return next;
}
let grantQueue: Promise<unknown> = Promise.resolve();

/** What the data summary needs: the accepted files and the typed data path, not typed vectors. */
export function dataAllowed(state: Pick<ConsentState, 'accepted' | 'typed'>): string[] {
  return union(state.accepted, state.typed.data !== undefined ? { data: state.typed.data } : {});
}
