/**
 * What the UI needs from whatever runs it (Netron style): the engine contract, and files.
 * The views never know whether they run in Electron or in a browser; `pickHost` chooses.
 */
import type { EngineApi, OpenedFile, PickFileRequest, PickedFile } from '../../engine/api';

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
  /** Subscribes to the engine link's state; returns the unsubscribe function. */
  onConnectionChange(listener: (state: ConnectionState) => void): () => void;
}
