/** The Host inside Electron: everything goes through the preload's `window.modelwright`. */
import type { DesktopApi } from '../../engine/api';
import type { Host } from './Host';

declare global {
  interface Window {
    /** Exposed by electron/preload.ts through contextBridge; absent in a browser. */
    modelwright?: DesktopApi;
  }
}

export function createDesktopHost(api: DesktopApi): Host {
  return {
    kind: 'desktop',
    engine: api,
    openDocument: () => api.openDocument(),
    saveDocument: (req) => api.saveDocument(req),
    pickFile: (req) => api.pickFile(req),
    // IPC to the main process is up for as long as the window exists.
    onConnectionChange: (listener) => {
      listener('open');
      return () => {};
    },
  };
}
