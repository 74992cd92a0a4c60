/**
 * What the UI needs from whatever runs it (Netron style): the engine contract, and files.
 * The views never know whether they run in Electron or in a browser; `pickHost` chooses.
 */
import type { DesktopApi, EngineApi, OpenedFile, PickFileRequest, PickedFile, RecentDocument } from '../../engine/api';

/** A request to save a document. `path` is where it was opened or last saved, if anywhere. */
export interface SaveRequest {
  /**
   * Where the host last put this document: a file path on the desktop, an opaque handle key in
   * the browser. Missing means "ask the user" (Save As).
   */
  path?: string;
  suggestedName: string;
  text: string;
}

/** Where a save went; null from `saveDocument` means the user cancelled. */
export interface SavedFile {
  path: string;
  name: string;
}

/** The state of the link to the engine, for the status bar. */
export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface Host {
  /** "desktop" (Electron preload) or "web" (the web host over a WebSocket). */
  readonly kind: 'desktop' | 'web';
  readonly engine: EngineApi;
  /** Asks the user for a document file; null when cancelled. */
  openDocument(): Promise<OpenedFile | null>;
  /** Saves, asking for a place when `path` is missing or cannot be written again. */
  saveDocument(req: SaveRequest): Promise<SavedFile | null>;
  /**
   * Asks the user for a data file or GloVe vectors with the native dialog and returns its full
   * path. Only where the host can give a path (desktop); a browser cannot, so the web host has none.
   */
  pickFile?(req: PickFileRequest): Promise<PickedFile | null>;
  /**
   * Reads again the document at `path` (where the host last opened or saved it), for Revert.
   * Null (or absent) where the host cannot (a browser download): Revert goes back to the copy
   * in memory. Throws, naming why, when the file is gone or unreadable.
   */
  readDocument?(path: string): Promise<OpenedFile | null>;
  /** Documents opened or saved lately, newest first; `path` is the host's locator. */
  recentDocuments(): Promise<RecentDocument[]>;
  openRecent(path: string): Promise<OpenedFile>;
  clearRecent(): Promise<void>;
  /** A document file dropped on the window; the item, where there is one, lets Save write back to it. */
  openDropped(file: File, item?: DataTransferItem): Promise<OpenedFile>;
  /** Opens one of the app's own links in the user's browser. */
  openExternal(url: string): void;
  /** The desktop window: native menus, title, close requests, documents from the OS. */
  readonly shell?: Pick<DesktopApi, 'setMenu' | 'onCommand' | 'setDocumentState' | 'onCloseRequest' | 'closeWindow' | 'onOpenDocument'>;
  /** Subscribes to the engine link's state; returns the unsubscribe function. */
  onConnectionChange(listener: (state: ConnectionState) => void): () => void;
}
